"""Issue 15: prediction times move with the clock, so offset paging by last prediction time is
unstable across a fetch, while a stable key (creation time) pages every deployment exactly once."""

from __future__ import annotations

import httpx

from drtui.emulator.state import EmulatorState
from tests.emulator.conftest import fetch_all


async def _paged(client: httpx.AsyncClient, state: EmulatorState, order: str) -> list[str]:
    """Page through with limit 20, five simulated seconds passing between page requests."""
    ids: list[str] = []
    url: str | None = f"/api/v2/deployments/?orderBy={order}&limit=20"
    while url is not None:
        body = (await client.get(url)).json()
        ids.extend(item["id"] for item in body["data"])
        url = body["next"]
        state.advance(5)
    return ids


async def test_last_prediction_times_move_between_two_requests_seconds_apart(
    client: httpx.AsyncClient, state: EmulatorState
) -> None:
    first = await fetch_all(client)
    state.advance(3)
    again = await fetch_all(client)
    before = {d["id"]: d["predictionUsage"] for d in first}
    moved = [
        d["id"]
        for d in again
        if d["id"] in before
        and d["predictionUsage"]["lastTimestamp"] != before[d["id"]]["lastTimestamp"]
    ]
    assert moved
    for d in again:
        if d["id"] in moved:
            assert d["predictionUsage"]["lastTimestamp"] > before[d["id"]]["lastTimestamp"]
            assert d["predictionUsage"]["lastTimestamp"] <= "2026-03-02T09:00:03.000000Z"
            assert sum(d["predictionUsage"]["dailyRates"]) > sum(before[d["id"]]["dailyRates"])
    assert [d["id"] for d in again] != [d["id"] for d in first]


async def test_paging_by_last_prediction_misses_and_repeats_a_stable_key_does_not(
    client: httpx.AsyncClient, state: EmulatorState
) -> None:
    everyone = set(state.deployments)
    moving = await _paged(client, state, "-lastPredictionTimestamp")
    assert len(moving) == len(everyone)  # totalCount did not change...
    missed = everyone - set(moving)
    repeated = {i for i in moving if moving.count(i) > 1}
    assert missed and repeated  # ...yet some were never seen and others seen twice
    stable = await _paged(client, state, "createdAtTimestamp")
    assert sorted(stable) == sorted(everyone)
    newest_first = await _paged(client, state, "-createdAtTimestamp")
    assert sorted(newest_first) == sorted(everyone)  # sparse records (no createdAt) tie, by id


async def test_the_beat_is_the_same_however_often_anyone_looks(state: EmulatorState) -> None:
    other = EmulatorState(state.config)
    state.advance(2 * 24 * 3600 + 17)
    for _ in range(49):
        other.advance((2 * 24 * 3600 + 17) / 49)
    assert [r.doc["predictionUsage"] for r in state.deployments.values()] == [
        r.doc["predictionUsage"] for r in other.deployments.values()
    ]
