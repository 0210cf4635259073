"""Time: the fleet evolves deterministically with the simulated clock; seeds give fixed fleets."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import httpx

from drtui.emulator.app import create_app
from drtui.emulator.clock import Clock
from drtui.emulator.config import EmulatorConfig
from drtui.emulator.state import EmulatorState
from tests.emulator.conftest import fetch_all

DIMENSIONS = ("serviceHealth", "modelHealth", "accuracyHealth")


def _health(items: list[dict[str, Any]]) -> dict[tuple[str, str], str]:
    return {(d["id"], dim): d[dim]["status"] for d in items for dim in DIMENSIONS}


async def test_advancing_the_clock_changes_health_and_usage(
    client: httpx.AsyncClient, state: EmulatorState
) -> None:
    before = await fetch_all(client)
    response = await client.post("/_emulator/clock/advance", json={"seconds": 30 * 60})
    assert response.status_code == 200
    assert response.json()["now"] == "2026-03-02T09:30:00.000000Z"
    after = await fetch_all(client)
    old, new = _health(before), _health(after)
    changed = [key for key in old if old[key] != new[key]]
    assert len(changed) >= 1
    # Sticky: most health values stay put over half an hour.
    assert len(changed) < len(old) // 4
    by_id = {d["id"]: d for d in before}
    moved = [
        d for d in after
        if d["predictionUsage"]["lastTimestamp"] != by_id[d["id"]]["predictionUsage"]["lastTimestamp"]
    ]  # fmt: skip
    assert moved
    assert all(d["predictionUsage"]["lastTimestamp"] > "2026-03-02T09:00" for d in moved)
    assert any(
        sum(d["predictionUsage"]["dailyRates"])
        > sum(by_id[d["id"]]["predictionUsage"]["dailyRates"])
        for d in after
    )


async def test_evolution_depends_only_on_seed_and_elapsed_time(config: EmulatorConfig) -> None:
    one_jump = EmulatorState(config)
    one_jump.advance(45 * 60)
    small_steps = EmulatorState(config)
    for _ in range(9):
        small_steps.advance(5 * 60)
    assert [r.doc for r in one_jump.deployments.values()] == [
        r.doc for r in small_steps.deployments.values()
    ]
    other_seed = EmulatorState(config.with_changes(seed=8))
    other_seed.advance(45 * 60)
    assert [r.doc for r in other_seed.deployments.values()] != [
        r.doc for r in one_jump.deployments.values()
    ]


async def test_daily_rates_roll_over_each_simulated_day(state: EmulatorState) -> None:
    record = next(r for r in state.deployments.values() if r.doc.get("status") == "active")
    rates = list(record.doc["predictionUsage"]["dailyRates"])
    state.advance(24 * 3600)
    rolled = record.doc["predictionUsage"]["dailyRates"]
    assert rolled[:5] == rates[1:6]
    assert rolled[5] >= rates[6]
    assert rolled[6] == 0


async def test_set_health_is_visible_to_filters(
    client: httpx.AsyncClient, state: EmulatorState
) -> None:
    passing = (await client.get("/api/v2/deployments/?serviceHealth=passing&limit=1")).json()
    target = passing["data"][0]["id"]
    failing_before = (await client.get("/api/v2/deployments/?serviceHealth=failing")).json()
    state.set_health(target, "serviceHealth", "failing")
    failing = await fetch_all(client, {"serviceHealth": "failing"})
    assert target in [d["id"] for d in failing]
    assert len(failing) == failing_before["totalCount"] + 1
    entry = next(d for d in failing if d["id"] == target)
    assert entry["serviceHealth"]["message"]
    assert entry["serviceHealth"]["startDate"] == "2026-02-23T09:00:00.000000Z"
    assert entry["serviceHealth"]["endDate"] == "2026-03-02T09:00:00.000000Z"


async def test_same_seed_same_fleet_other_seed_other_fleet(config: EmulatorConfig) -> None:
    async def snapshot(cfg: EmulatorConfig) -> list[dict[str, Any]]:
        transport = httpx.ASGITransport(app=create_app(cfg))
        async with httpx.AsyncClient(
            transport=transport,
            base_url="http://emulator.test",
            headers={"Authorization": f"Bearer {cfg.user_token}"},
        ) as http:
            return await fetch_all(http)

    first, again = await snapshot(config), await snapshot(config)
    assert first == again
    other = await snapshot(config.with_changes(seed=config.seed + 1))
    assert [d["id"] for d in other] != [d["id"] for d in first]
    assert len({d["label"] for d in first}) > 100


def test_wall_clock_follows_real_time_and_advances() -> None:
    clock = Clock("wall")
    start = clock.now()
    time.sleep(0.02)
    assert clock.elapsed() >= 0.02
    clock.advance(60)
    assert (clock.now() - start).total_seconds() >= 60.02


def test_large_fleet_has_unique_ids_and_varied_labels() -> None:
    state = EmulatorState(EmulatorConfig(deployments=10_000, clock="manual", image_size=16))
    assert len(state.deployments) == 10_000
    labels = {r.doc["label"] for r in state.deployments.values()}
    assert len(labels) > 2_000
    statuses = [r.doc.get("status") for r in state.deployments.values()]
    assert statuses.count("active") > 7_000
    assert 400 < statuses.count(None) < 600  # sparse records, as older installations send
    assert {"inactive", "launching", "errored"} <= set(statuses)


def test_wall_clock_after_a_long_sleep_skips_ahead_but_rolls_the_days(
    config: EmulatorConfig,
) -> None:
    state = EmulatorState(config.with_changes(clock="wall"))
    state.advance(8 * 24 * 3600)  # the replayed last 3 hours cross into day 8
    assert state.steps_done == int(state.clock.elapsed() // 60)
    for record in state.deployments.values():
        assert record.doc["predictionUsage"]["dailyRates"][:5] == [0] * 5
    live = [r for r in state.deployments.values() if r.doc.get("status") == "active"]
    assert any(sum(r.doc["predictionUsage"]["dailyRates"][5:]) > 0 for r in live)


def test_first_alert_comes_at_its_second_then_evolution_goes_on(config: EmulatorConfig) -> None:
    demo = config.with_changes(first_alert_seconds=12.0)
    state = EmulatorState(demo)
    before = {r.id: r.doc["serviceHealth"]["status"] for r in state.deployments.values()}
    state.advance(11.5)
    assert state.first_alert_id is None
    assert {r.id: r.doc["serviceHealth"]["status"] for r in state.deployments.values()} == before
    state.advance(0.5)
    target = state.first_alert_id
    assert target is not None and before[target] == "passing"
    record = state.deployments[target].doc
    assert record["serviceHealth"]["status"] == "failing"
    assert record["importance"] in ("CRITICAL", "HIGH") and record["status"] == "active"
    after = {r.id: r.doc["serviceHealth"]["status"] for r in state.deployments.values()}
    assert [i for i in after if after[i] != before[i]] == [target]
    # The same seed picks the same deployment however the clock got there.
    jumped = EmulatorState(demo)
    jumped.advance(3600)
    assert jumped.first_alert_id == target
    plain = EmulatorState(config)
    plain.advance(3600)
    assert plain.first_alert_id is None


def test_a_busy_deployments_past_days_are_its_own_beat(state: EmulatorState) -> None:
    """Each complete day of the daily rates counts the stream's predictions in that day (24 h
    ending at the start, back from there); today starts at zero; the last prediction is the
    stream's last before the start."""
    start, seed = state.clock.start, state.config.seed
    busy = [(r, state.streams.get(i)) for i, r in state.deployments.items() if state.streams.has(i)]
    assert len(busy) > 20
    for record, stream in busy:
        assert stream is not None
        rates = record.doc["predictionUsage"]["dailyRates"]
        for back in range(1, len(rates)):
            end = (start - timedelta(days=back - 1)).timestamp()
            assert rates[-1 - back] == stream.count(seed, end - 86400, end)
        assert rates[-1] == 0
        assert record.last_prediction == stream.at(seed, stream.last_index(seed, start.timestamp()))
