"""The recorder learns each deployment's hours from the emulator's shaped traffic, and silence
is judged against them: a working-day model is quiet at night, not silent."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from drtui.api.models.slim import read_page
from drtui.core.fleet import Fleet
from drtui.core.rhythm import Tally, grown, hour_of_week
from drtui.core.rows import row_from_deployment
from drtui.core.silence import silence
from drtui.emulator.config import EmulatorConfig
from drtui.emulator.predictions import ALWAYS, rhythm_for
from drtui.emulator.state import EmulatorState
from drtui.store.history import History
from tests.core.factory import deployment

SEED = 7
POLL = timedelta(minutes=15)
DAY = timedelta(days=1)


def test_growth_between_two_readings_of_the_daily_counts() -> None:
    assert grown([5, 6, 7, 10], [5, 6, 7, 25]) == 15
    assert grown([5, 6, 7, 10], [6, 7, 12, 3]) == 5  # the day rolled over: 2 + 3
    assert grown([5, 6, 7, 10], [5, 6, 7, 4]) == 0  # reset: no claim
    assert grown([5, 6, 7, 10], [1, 2, 3, 4]) == 0  # more than a day: no claim
    assert grown([], []) == 0


def test_a_tally_credits_growth_to_the_hour_of_the_week_it_was_watched() -> None:
    tally = Tally()
    monday_nine = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)

    def rows(today: int) -> dict[str, object]:
        usage = {"dailyRates": [1, 1, today], "lastTimestamp": "2026-12-07T09:00:00Z"}
        return {"a": row_from_deployment(deployment(id="a", predictionUsage=usage))}

    tally.observe(rows(10), monday_nine)  # type: ignore[arg-type]
    tally.observe(rows(40), monday_nine + timedelta(minutes=10))  # type: ignore[arg-type]
    tally.observe(rows(50), monday_nine + timedelta(hours=2))  # type: ignore[arg-type]
    predictions, watched = tally.take()
    assert predictions == {("a", 9): 30}  # the two-hour gap taught nothing
    assert watched == {9: 600.0}
    assert tally.take() == ({}, {})


def poll(state: EmulatorState, previous: Fleet | None) -> Fleet:
    docs = [record.doc for record in state.deployments.values()]
    body = json.dumps({"count": len(docs), "data": docs}).encode()
    return Fleet.from_deployments(read_page(body).data, previous=previous)


def test_the_recorder_learns_working_hours_and_judges_silence_by_them(tmp_path: Path) -> None:
    state = EmulatorState(EmulatorConfig(deployments=30, seed=SEED, clock="manual"))
    start = state.clock.now()
    assert start.weekday() == 0  # the manual clock starts on a Monday morning
    fleet: Fleet | None = None
    with History(tmp_path / "h.sqlite3") as history:
        while state.clock.now() < start + timedelta(days=8):
            fleet = poll(state, fleet)
            history.record_fleet(fleet, state.clock.now())
            state.advance(POLL.total_seconds())
        assert fleet is not None
        rhythms = history.rhythms()
        now = state.clock.now()  # Tuesday of the second week, 09:00 UTC
        busy = [key for key in fleet.rows if state.streams.has(key)]
        shaped = [key for key in busy if rhythm_for(SEED, key) is not ALWAYS]
        assert shaped and len(shaped) < len(busy)
        for key in busy:
            truth = rhythm_for(SEED, key)
            learnt = rhythms[key].rates
            for slot in range(168):
                rate = learnt[slot]
                assert rate is not None
                if not truth.on[slot] and not truth.on[(slot - 1) % 168]:
                    assert rate == 0, (key, truth.name, slot)
                elif truth.on[slot] and truth.on[(slot - 1) % 168]:
                    assert rate > 0, (key, truth.name, slot)
        # Off-hours models quiet for hours now: not silent against their own rhythm, though the
        # daily average would make hundreds of predictions of the gap.
        resting = [
            row
            for key in shaped
            if not rhythm_for(SEED, key).on[hour_of_week(now)]
            and (row := fleet.rows[key]).last_prediction is not None
            and sum(row.daily_rates[:-1]) / 6 * (now - row.last_prediction) / DAY > 100
        ]
        assert resting
        for row in resting:
            assert silence(row, now, rhythm=rhythms[row.id]) is None

        # A round-the-clock model stops: silent by its own rhythm within hours (a quiet one:
        # ~50 an hour, so a hundred missed takes two or three), while the resting ones stay
        # quiet, not silent.
        rows = fleet.rows
        victim = max(
            (key for key in busy if rhythm_for(SEED, key) is ALWAYS),
            key=lambda key: sum(rows[key].daily_rates),
        )
        state.hush(victim)
        for _ in range(16):
            fleet = poll(state, fleet)
            history.record_fleet(fleet, state.clock.now())
            state.advance(POLL.total_seconds())
        recorded = history.at(state.clock.now() - POLL).states
    assert recorded[victim].silent
    for row in resting:
        if not rhythm_for(SEED, row.id).on[hour_of_week(now + timedelta(hours=4))]:
            assert not recorded[row.id].silent, row.label


def test_a_new_process_goes_on_from_the_last_poll_an_earlier_one_saw(tmp_path: Path) -> None:
    """`drtui record --once` from cron: each poll is a new process, and still teaches."""
    state = EmulatorState(EmulatorConfig(deployments=20, seed=SEED, clock="manual"))
    fleet: Fleet | None = None
    for _ in range(6):
        fleet = poll(state, fleet)
        with History(tmp_path / "h.sqlite3") as history:
            history.record_fleet(fleet, state.clock.now())
        state.advance(POLL.total_seconds())
    with History(tmp_path / "h.sqlite3") as history:
        learnt = history.rhythms()
    assert learnt
    busy = [key for key in learnt if state.streams.has(key)]
    assert busy and all(any(r for r in learnt[key].rates if r) for key in busy)
