"""Issue 18: creation without a description, the deleted list's paging, erase batches, and the
request log that lets a UI test prove read-only mode writes nothing."""

from __future__ import annotations

import httpx

from drtui.emulator.state import EmulatorState
from tests.emulator.conftest import fetch_all


async def test_create_accepts_a_body_without_description(
    client: httpx.AsyncClient, state: EmulatorState
) -> None:
    body = {"label": "No words", "modelId": "5f0000000000000000000002"}
    response = await client.post("/api/v2/deployments/fromLearningModel/", json=body)
    assert response.status_code == 202, response.text
    created = (await client.get(f"/api/v2/deployments/{response.json()['id']}/")).json()
    assert created["label"] == "No words"
    assert created["description"] is None
    wrong = await client.post(
        "/api/v2/deployments/fromLearningModel/", json={**body, "description": 12}
    )
    assert wrong.status_code == 422
    assert "description" in wrong.json()["errors"]


async def test_deleted_list_pages_by_next_links_without_total(
    client: httpx.AsyncClient, admin: httpx.AsyncClient, state: EmulatorState
) -> None:
    for record in (await fetch_all(client, {"role": "OWNER"}))[:4]:
        assert (await client.delete(f"/api/v2/deployments/{record['id']}/")).status_code == 204
    expected = [item["id"] for item in state.deleted]
    assert len(expected) > 6
    seen: list[str] = []
    url: str | None = "/api/v2/deletedDeployments/?offset=0&limit=3"
    pages = 0
    while url is not None:
        body = (await admin.get(url)).json()
        assert "totalCount" not in body
        assert set(body) == {"count", "next", "previous", "data"}
        assert body["count"] == len(body["data"]) <= 3
        assert all(set(item) == {"id", "label", "deletedAt"} for item in body["data"])
        if pages:
            assert body["previous"].startswith("http://emulator.test/api/v2/deletedDeployments/")
        else:
            assert body["previous"] is None
        seen.extend(item["id"] for item in body["data"])
        url = body["next"]
        pages += 1
    assert seen == expected
    assert pages == -(-len(expected) // 3)
    stamps = [item["deletedAt"] for item in state.deleted]
    assert stamps == sorted(stamps, reverse=True)
    beyond = (await admin.get("/api/v2/deletedDeployments/?offset=500&limit=3")).json()
    assert beyond["data"] == [] and beyond["next"] is None


async def test_erase_takes_batches_of_at_most_one_hundred(
    client: httpx.AsyncClient, admin: httpx.AsyncClient, state: EmulatorState
) -> None:
    for record in (await fetch_all(client, {"role": "OWNER"}))[:3]:
        await client.delete(f"/api/v2/deployments/{record['id']}/")
    known = [item["id"] for item in state.deleted]
    filler = [f"{i:024x}" for i in range(100 - len(known))]
    url = "/api/v2/deletedDeployments/"
    for bad in (
        {"action": "PermanentlyErase", "deploymentIds": []},
        {"action": "Erase", "deploymentIds": known[:1]},
        {"action": "PermanentlyErase", "deploymentIds": [*known, *filler, "0" * 24]},
    ):
        assert (await admin.patch(url, json=bad)).status_code == 422
    # A full batch of 100 is accepted; the unknown ids in it fail the job, the known are erased.
    full = await admin.patch(
        url, json={"action": "PermanentlyErase", "deploymentIds": known + filler}
    )
    assert full.status_code == 202
    state.advance(state.config.job_seconds)
    status = await admin.get(full.headers["location"])
    assert status.status_code == 200 and status.json()["status"] == "ERROR"
    assert state.deleted == []
    listing = (await admin.get(url)).json()
    assert listing == {"count": 0, "next": None, "previous": None, "data": []}


async def test_request_log_records_every_method_and_filters_writes(
    client: httpx.AsyncClient, admin: httpx.AsyncClient
) -> None:
    assert (await client.delete("/_emulator/requests")).status_code == 204
    mine = (await fetch_all(client, {"role": "OWNER"}))[:2]
    await client.patch(f"/api/v2/deployments/{mine[0]['id']}/", json={"importance": "LOW"})
    await client.delete(f"/api/v2/deployments/{mine[1]['id']}/")
    await client.post("/api/v2/deployments/fromLearningModel/", json={"label": "x", "modelId": "m"})
    await admin.get("/api/v2/deletedDeployments/")
    log = (await client.get("/_emulator/requests")).json()["data"]
    assert [(e["method"], e["path"]) for e in log][-4:] == [
        ("PATCH", f"/api/v2/deployments/{mine[0]['id']}/"),
        ("DELETE", f"/api/v2/deployments/{mine[1]['id']}/"),
        ("POST", "/api/v2/deployments/fromLearningModel/"),
        ("GET", "/api/v2/deletedDeployments/"),
    ]
    assert all(e["method"] == "GET" for e in log[:-4])
    writes = (await client.get("/_emulator/requests?method=PATCH,post&method=DELETE")).json()
    assert [e["method"] for e in writes["data"]] == ["PATCH", "DELETE", "POST"]
    assert [e["status"] for e in writes["data"]] == [204, 204, 202]
    assert (await client.delete("/_emulator/requests")).status_code == 204
    assert (await client.get("/_emulator/requests")).json()["data"] == []
