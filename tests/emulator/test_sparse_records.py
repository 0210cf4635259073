"""Issue 15: a share of records arrive as older installations send them, some deployments are
2020 leftovers with every health unknown, and health carries its monitoring window."""

from __future__ import annotations

import httpx

from drtui.emulator.fleet import EXTRA_HEALTH_DIMENSIONS, HEALTH_DIMENSIONS, SPARSE_FIELDS
from drtui.emulator.state import EmulatorState
from tests.emulator.conftest import fetch_all

ALL_HEALTH = HEALTH_DIMENSIONS + EXTRA_HEALTH_DIMENSIONS


async def test_a_deterministic_share_of_records_is_sparse(
    client: httpx.AsyncClient, state: EmulatorState
) -> None:
    everything = await fetch_all(client)
    sparse = [d for d in everything if "status" not in d]
    assert 4 <= len(sparse) <= 20  # about 5 % of 200
    for item in sparse:
        assert not set(SPARSE_FIELDS) & set(item)
        assert item["id"] and item["label"] and item["serviceHealth"]["status"]
    full = [d for d in everything if "status" in d]
    assert all(set(SPARSE_FIELDS) <= set(item) for item in full)
    # Same seed, same sparse records; the others are untouched by the choice.
    other = EmulatorState(state.config)
    assert {r.id for r in other.deployments.values() if r.sparse} == {d["id"] for d in sparse}
    # A sparse record matches no filter on a field it lacks, and still evolves as active.
    active = await fetch_all(client, {"status": "active,inactive,errored,launching"})
    assert not {d["id"] for d in sparse} & {d["id"] for d in active}
    one = sparse[0]["id"]
    single = (await client.get(f"/api/v2/deployments/{one}/")).json()
    assert "status" not in single and "importance" not in single


async def test_2020_leftovers_have_every_health_unknown_and_stay_so(
    client: httpx.AsyncClient, state: EmulatorState
) -> None:
    dormant = [r.id for r in state.deployments.values() if r.dormant]
    assert 1 <= len(dormant) <= 10
    for deployment_id in dormant:
        item = (await client.get(f"/api/v2/deployments/{deployment_id}/")).json()
        assert item["createdAt"].startswith("2020-")
        assert {item[dim]["status"] for dim in ALL_HEALTH} == {"unknown"}
        assert item["serviceHealth"]["endDate"] < "2021-"
        assert sum(item["predictionUsage"]["dailyRates"]) == 0
        last = item["predictionUsage"]["lastTimestamp"]
        assert last is None or last < "2021-"
    state.advance(24 * 3600)
    for deployment_id in dormant:
        item = (await client.get(f"/api/v2/deployments/{deployment_id}/")).json()
        assert {item[dim]["status"] for dim in ALL_HEALTH} == {"unknown"}
        assert sum(item["predictionUsage"]["dailyRates"]) == 0


async def test_health_carries_a_seven_day_window_that_slides_each_hour(
    client: httpx.AsyncClient, state: EmulatorState
) -> None:
    dormant = {r.id for r in state.deployments.values() if r.dormant}
    everything = [d for d in await fetch_all(client) if d["id"] not in dormant]
    for item in everything:
        for dim in ALL_HEALTH:
            window = item[dim]
            if window["status"] == "notStarted":
                assert window["startDate"] is None and window["endDate"] is None
            else:
                assert window["startDate"] == "2026-02-23T09:00:00.000000Z"
                assert window["endDate"] == "2026-03-02T09:00:00.000000Z"
    state.advance(59 * 60 + 59)
    same = (await client.get(f"/api/v2/deployments/{everything[0]['id']}/")).json()
    assert same["serviceHealth"]["endDate"] == "2026-03-02T09:00:00.000000Z"
    state.advance(1)
    later = {d["id"]: d for d in await fetch_all(client)}
    for item in everything:
        window = later[item["id"]]["serviceHealth"]
        if window["status"] != "notStarted":
            assert window["startDate"] == "2026-02-23T10:00:00.000000Z"
            assert window["endDate"] == "2026-03-02T10:00:00.000000Z"
