"""Edits, deletion, permanent erase, creation and log requests: permissions and async jobs."""

from __future__ import annotations

from typing import Any

import httpx

from drtui.emulator.state import EmulatorState
from tests.emulator.conftest import fetch_all


async def _one(client: httpx.AsyncClient, role: str) -> dict[str, Any]:
    body = (await client.get("/api/v2/deployments/", params={"role": role, "limit": 1})).json()
    first: dict[str, Any] = body["data"][0]
    return first


async def test_owner_patch_changes_label_description_importance(
    client: httpx.AsyncClient,
) -> None:
    target = await _one(client, "OWNER")
    response = await client.patch(
        f"/api/v2/deployments/{target['id']}/",
        json={"label": "Renamed (prod)", "description": "new words", "importance": "HIGH"},
    )
    assert response.status_code == 204
    assert response.content == b""
    after = (await client.get(f"/api/v2/deployments/{target['id']}/")).json()
    assert (after["label"], after["description"], after["importance"]) == (
        "Renamed (prod)",
        "new words",
        "HIGH",
    )
    found = (await client.get("/api/v2/deployments/", params={"search": "renamed"})).json()
    assert [d["id"] for d in found["data"]] == [target["id"]]


async def test_patch_validates_importance_and_label(client: httpx.AsyncClient) -> None:
    target = await _one(client, "OWNER")
    url = f"/api/v2/deployments/{target['id']}/"
    bad = await client.patch(url, json={"importance": "URGENT"})
    assert bad.status_code == 422
    assert "importance" in bad.json()["errors"]
    too_long = await client.patch(url, json={"label": "x" * 513})
    assert too_long.status_code == 422
    assert (await client.get(url)).json()["importance"] == target["importance"]


async def test_user_role_cannot_edit_or_delete(client: httpx.AsyncClient) -> None:
    target = await _one(client, "USER")
    url = f"/api/v2/deployments/{target['id']}/"
    patch = await client.patch(url, json={"label": "mine now"})
    assert patch.status_code == 403
    assert "CAN_EDIT_DEPLOYMENT" in patch.json()["message"]
    delete = await client.delete(url)
    assert delete.status_code == 403
    assert "CAN_DELETE_DEPLOYMENT" in delete.json()["message"]
    assert (await client.get(url)).json()["label"] == target["label"]


async def test_delete_moves_to_deleted_list_which_needs_admin(
    client: httpx.AsyncClient, admin: httpx.AsyncClient
) -> None:
    target = await _one(client, "OWNER")
    response = await client.delete(
        f"/api/v2/deployments/{target['id']}/", params={"ignoreManagementAgent": "true"}
    )
    assert response.status_code == 204
    assert (await client.get(f"/api/v2/deployments/{target['id']}/")).status_code == 404
    assert target["id"] not in [d["id"] for d in await fetch_all(client)]
    forbidden = await client.get("/api/v2/deletedDeployments/")
    assert forbidden.status_code == 403
    assert "CAN_DELETE_APP_PROJECTS" in forbidden.json()["message"]
    deleted = (await admin.get("/api/v2/deletedDeployments/")).json()
    assert "totalCount" not in deleted
    assert deleted["data"][0]["id"] == target["id"]
    assert deleted["data"][0]["label"] == target["label"]


async def test_permanent_erase_is_a_job_that_removes_them(
    client: httpx.AsyncClient, admin: httpx.AsyncClient, state: EmulatorState
) -> None:
    deleted = (await admin.get("/api/v2/deletedDeployments/")).json()["data"]
    doomed = [d["id"] for d in deleted[:2]]
    body = {"action": "PermanentlyErase", "deploymentIds": doomed}
    assert (await client.patch("/api/v2/deletedDeployments/", json=body)).status_code == 403
    too_many = {"action": "PermanentlyErase", "deploymentIds": [f"{i:024x}" for i in range(101)]}
    assert (await admin.patch("/api/v2/deletedDeployments/", json=too_many)).status_code == 422
    started = await admin.patch("/api/v2/deletedDeployments/", json=body)
    assert started.status_code == 202
    location = started.headers["location"]
    assert location.startswith("http://emulator.test/api/v2/status/") and location.endswith("/")
    running = await admin.get(location)
    assert running.status_code == 200
    assert running.json()["status"] == "INITIALIZED"
    assert set(running.json()) >= {
        "status",
        "message",
        "statusId",
        "created",
        "code",
        "description",
    }
    state.advance(1)
    assert (await admin.get(location)).json()["status"] == "RUNNING"
    state.advance(1)
    done = await admin.get(location)
    assert done.status_code == 303
    assert done.headers["location"] == "http://emulator.test/api/v2/deletedDeployments/"
    remaining = [d["id"] for d in (await admin.get("/api/v2/deletedDeployments/")).json()["data"]]
    assert not set(doomed) & set(remaining)
    assert len(remaining) == len(deleted) - 2


async def test_erasing_unknown_ids_fails_the_job(
    admin: httpx.AsyncClient, state: EmulatorState
) -> None:
    body = {"action": "PermanentlyErase", "deploymentIds": ["ffffffffffffffffffffffff"]}
    location = (await admin.patch("/api/v2/deletedDeployments/", json=body)).headers["location"]
    state.advance(5)
    failed = await admin.get(location)
    assert failed.status_code == 200
    assert failed.json()["status"] == "ERROR"
    assert "ffffffffffffffffffffffff" in failed.json()["message"]


async def test_create_from_learning_model_launches_then_activates(
    client: httpx.AsyncClient, state: EmulatorState
) -> None:
    body = {"label": "Brand New", "description": None, "modelId": "5f0000000000000000000001"}
    response = await client.post("/api/v2/deployments/fromLearningModel/", json=body)
    assert response.status_code == 202
    new_id = response.json()["id"]
    location = response.headers["location"]
    created = (await client.get(f"/api/v2/deployments/{new_id}/")).json()
    assert created["status"] == "launching"
    assert created["label"] == "Brand New"
    assert created["model"]["id"] == body["modelId"]
    assert "CAN_EDIT_DEPLOYMENT" in created["permissions"]
    assert (await client.get(location)).status_code == 200
    state.advance(2.5)
    done = await client.get(location)
    assert done.status_code == 303
    assert done.headers["location"] == f"http://emulator.test/api/v2/deployments/{new_id}/"
    assert (await client.get(done.headers["location"])).json()["status"] == "active"
    total = (await client.get("/api/v2/deployments/")).json()["totalCount"]
    assert total == 201


async def test_create_validates_body(client: httpx.AsyncClient) -> None:
    url = "/api/v2/deployments/fromLearningModel/"
    assert (await client.post(url, json={"description": None, "modelId": "x"})).status_code == 422
    bad = await client.post(
        url, json={"label": "a", "description": None, "modelId": "x", "importance": "MEH"}
    )
    assert bad.status_code == 422
    broken = await client.post(
        url, content=b"{not json", headers={"content-type": "application/json"}
    )
    assert broken.status_code == 422


async def test_custom_model_deployments_and_logs(
    client: httpx.AsyncClient, state: EmulatorState
) -> None:
    listing = (await client.get("/api/v2/customModelDeployments/")).json()
    assert listing["totalCount"] == len(state.custom_ids) > 0
    deployed = [item["deployed"] for item in listing["data"]]
    assert deployed == sorted(deployed, reverse=True)
    first = listing["data"][0]
    by_model = await client.get(
        "/api/v2/customModelDeployments/", params={"customModelIds": first["customModel"]["id"]}
    )
    assert [i["id"] for i in by_model.json()["data"]] == [first["id"]]
    log = await client.get(f"/api/v2/customModelDeployments/{first['id']}/logs/")
    assert log.status_code == 200
    assert log.headers["content-type"].startswith("text/plain")
    assert log.headers["content-disposition"] == f"attachment;filename=deployment-{first['id']}.log"
    assert "Starting custom model server" in log.text
    not_custom = next(d for d in state.deployments.values() if d.custom is None)
    missing = await client.get(f"/api/v2/customModelDeployments/{not_custom.id}/logs/")
    assert missing.status_code == 404

    started = await client.post(f"/api/v2/customModelDeployments/{first['id']}/logs/")
    assert started.status_code == 202
    status_url = started.headers["location"]
    state.advance(3)
    done = await client.get(status_url)
    assert done.status_code == 303
    log_url = done.headers["location"]
    assert log_url.startswith(
        f"http://emulator.test/api/v2/customModelDeployments/{first['id']}/logs/"
    )
    snapshot = await client.get(log_url)
    assert snapshot.status_code == 200
    assert "Starting custom model server" in snapshot.text
    other = await client.post(f"/api/v2/customModelDeployments/{first['id']}/logs/")
    assert (await client.get(other.headers["location"])).status_code == 200
