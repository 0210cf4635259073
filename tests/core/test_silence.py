"""Issue 21: a busy model gone silent is flagged; a merely quiet one is not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from drtui.core.fleet import Fleet
from drtui.core.history import fleet_states
from drtui.core.rows import row_from_deployment
from drtui.core.silence import is_silent, silence, silences, usual_daily_rate
from tests.core.factory import deployment

LAST = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


def usage(rates: list[int], status: str = "active", **extra: Any):  # type: ignore[no-untyped-def]
    return row_from_deployment(
        deployment(
            predictionUsage={"dailyRates": rates, "lastTimestamp": "2026-11-30T01:00:00Z"},
            status=status,
            **extra,
        )
    )


def test_a_critical_model_with_thousands_a_day_silent_for_two_hours() -> None:
    busy = usage([3000, 3200, 2900, 3100, 3000, 3050, 400], importance="CRITICAL")
    assert usual_daily_rate(busy.daily_rates) == 3041.6666666666665
    assert silence(busy, LAST + timedelta(minutes=20)) is None  # too soon
    found = silence(busy, LAST + timedelta(hours=2))
    assert found is not None and found.importance == "CRITICAL"
    assert round(found.missed) == 253
    assert (
        found.sentence()
        == "no prediction for 2 h 00 min (usually about 3,042 a day, so about 253 missed)"
    )


def test_a_quiet_model_is_never_silent_for_being_quiet() -> None:
    quiet = usage([20, 15, 30, 0, 25, 18, 2])
    assert not is_silent(quiet, LAST + timedelta(hours=10))
    assert not is_silent(quiet, LAST + timedelta(days=2))
    assert is_silent(quiet, LAST + timedelta(days=8))  # a week of nothing: that is silence


def test_inactive_never_predicted_and_no_rates_are_not_silent() -> None:
    later = LAST + timedelta(hours=5)
    assert not is_silent(usage([5000] * 7, status="inactive"), later)
    assert not is_silent(usage([]), later)
    never = row_from_deployment(deployment(predictionUsage={"dailyRates": [5000] * 7}))
    assert not is_silent(never, later)


def test_silences_are_ordered_and_recorded_with_the_health() -> None:
    critical = usage([9000] * 7, id="c", importance="CRITICAL")
    low = usage([9000] * 7, id="l", importance="LOW")
    later = LAST + timedelta(hours=3)
    assert [s.deployment_id for s in silences([low, critical], later)] == ["c", "l"]
    states = fleet_states(Fleet({"c": critical, "l": low}), later)
    assert states["c"].silent and states["l"].silent
    assert not fleet_states(Fleet({"c": critical}), LAST)["c"].silent
