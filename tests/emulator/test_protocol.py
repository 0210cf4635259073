"""Authentication, error shapes, version, bundles, PPS metadata, the request log and the
bytes of a deployment."""

from __future__ import annotations

import hashlib
import json

import httpx
import pytest

from drtui.emulator.responses import dumps
from drtui.emulator.state import EmulatorState
from drtui.emulator.users import ADMIN_USER, NORMAL_USER, ROLE_PERMISSIONS
from tests.emulator.conftest import USER_TOKEN


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer nope"},
        {"Authorization": "Basic abc"},
        {"Authorization": "Bearer"},
    ],
)
async def test_missing_or_wrong_token_is_401_json(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    client.headers.pop("Authorization")
    response = await client.get("/api/v2/version/", headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/json"
    assert response.json()["message"]
    assert "nope" not in response.text


async def test_token_scheme_is_accepted_and_logged_without_the_token(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get(
        "/api/v2/version/", headers={"Authorization": f"Token {USER_TOKEN}"}
    )
    assert response.json() == {"major": 2, "minor": 49, "versionString": "2.49.0"}
    await client.get("/api/v2/deployments/", params={"limit": 3, "search": "fraud"})
    log = (await client.get("/_emulator/requests")).json()["data"]
    assert log[-2]["authScheme"] == "Token"
    assert log[-1] == {
        "method": "GET",
        "path": "/api/v2/deployments/",
        "query": "limit=3&search=fraud",
        "status": 200,
        "authScheme": "Bearer",
    }
    assert USER_TOKEN not in str(log)


async def test_control_api_needs_a_token(client: httpx.AsyncClient) -> None:
    response = await client.get("/_emulator/requests", headers={"Authorization": "Bearer x"})
    assert response.status_code == 401


async def test_bundles_catalogue(client: httpx.AsyncClient) -> None:
    body = (await client.get("/api/v2/mlops/compute/bundles/")).json()
    bundles = body["data"]
    assert body["totalCount"] == len(bundles) > 8
    assert all(isinstance(b["description"], str) and b["description"] for b in bundles)
    assert sum(b["isDefault"] for b in bundles) == 1
    assert sum(b["isDeleted"] for b in bundles) == 1
    assert any(isinstance(b["cpuCount"], float) and not b["cpuCount"].is_integer() for b in bundles)
    assert {b["gpuMaker"] for b in bundles if b["hasGpu"]} == {"nvidia", "amd", "intel"}
    micro = await client.get("/api/v2/mlops/compute/bundles/cpu.micro/")
    assert micro.json()["id"] == "cpu.micro"
    assert (await client.get("/api/v2/mlops/compute/bundles/cpu.huge/")).status_code == 404
    sap = (await client.get("/api/v2/mlops/compute/bundles/?useCases=sapAICore")).json()["data"]
    assert [b["id"] for b in sap] == ["gpu.intel.small"]


async def test_pps_metadata_matches_the_bytes_served_in_process(
    client: httpx.AsyncClient,
) -> None:
    metadata = (await client.get("/api/v2/mlops/portablePredictionServerImage/metadata/")).json()
    image = await client.get("/api/v2/mlops/portablePredictionServerImage/")
    assert image.status_code == 200
    assert len(image.content) == metadata["imageSize"] == 256 * 1024
    assert hashlib.sha256(image.content).hexdigest() == metadata["hash"]
    assert metadata["hashAlgorithm"] == "SHA256"
    assert len(metadata["shortDockerImageId"]) == 12
    tail = await client.get(
        "/api/v2/mlops/portablePredictionServerImage/", headers={"Range": "bytes=-100"}
    )
    assert tail.status_code == 206
    assert (
        tail.headers["content-range"] == f"bytes {256 * 1024 - 100}-{256 * 1024 - 1}/{256 * 1024}"
    )
    assert tail.content == image.content[-100:]
    past = await client.get(
        "/api/v2/mlops/portablePredictionServerImage/", headers={"Range": "bytes=999999999-"}
    )
    assert past.status_code == 416


async def test_unknown_path_is_json_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v2/nothing/here/")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"


async def test_reset_restores_the_seed(client: httpx.AsyncClient, state: EmulatorState) -> None:
    before = (await client.get("/api/v2/deployments/", params={"limit": 100})).json()
    owned = (await client.get("/api/v2/deployments/?role=OWNER&limit=1")).json()["data"][0]
    await client.delete(f"/api/v2/deployments/{owned['id']}/")
    await client.post("/_emulator/clock/advance", json={"seconds": 3600})
    assert (await client.post("/_emulator/reset")).status_code == 204
    after = (await client.get("/api/v2/deployments/", params={"limit": 100})).json()
    assert after == before


def test_deployments_render_as_the_standard_library_writes_them(state: EmulatorState) -> None:
    """The fast encoder behind list pages writes what json.dumps does, byte for byte."""
    for record in state.deployments.values():
        for account in (NORMAL_USER, ADMIN_USER):
            role = state.role_of(record, account)
            expected = dumps({**record.doc, "permissions": list(ROLE_PERMISSIONS[role])})
            assert state.render(record, account) == expected


async def test_a_label_beyond_ascii_comes_back_as_sent(
    client: httpx.AsyncClient, state: EmulatorState
) -> None:
    """Sent as raw UTF-8 rather than \\u escapes (both are JSON); read back the same."""
    deployment_id = next(i for i, r in state.deployments.items() if r.user_role == "OWNER")
    label = "Prévision – café ☕ 予測"
    response = await client.patch(f"/api/v2/deployments/{deployment_id}/", json={"label": label})
    assert response.status_code == 204
    one = await client.get(f"/api/v2/deployments/{deployment_id}/")
    assert one.json()["label"] == label
    assert label.encode() in one.content
    listed = await client.get("/api/v2/deployments/", params={"search": "café", "limit": 100})
    assert [item["label"] for item in json.loads(listed.content)["data"]] == [label]
