"""A busy model gone silent is flagged; a merely quiet one, or one outside its hours, is not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from drtui.core.fleet import Fleet
from drtui.core.recorded import fleet_states
from drtui.core.rhythm import Rhythm
from drtui.core.rows import Row, row_from_deployment
from drtui.core.silence import (
    allowed_pause,
    is_silent,
    silence,
    silences,
    silent_from,
    usual_daily_rate,
)
from tests.core.factory import deployment

LAST = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


def usage(rates: list[int], status: str = "active", **extra: Any) -> Row:
    return row_from_deployment(
        deployment(
            predictionUsage={"dailyRates": rates, "lastTimestamp": "2026-11-30T01:00:00Z"},
            status=status,
            **extra,
        )
    )


def test_without_a_rhythm_a_busy_model_is_silent_only_after_a_whole_day() -> None:
    busy = usage([3000, 3200, 2900, 3100, 3000, 3050, 400], importance="CRITICAL")
    assert usual_daily_rate(busy.daily_rates) == 3041.6666666666665
    assert silence(busy, LAST + timedelta(minutes=20)) is None  # too soon
    # Its hours are unknown: two hours (a night, for a working-day model) is no evidence.
    assert silence(busy, LAST + timedelta(hours=2)) is None
    assert silence(busy, LAST + timedelta(hours=23)) is None
    found = silence(busy, LAST + timedelta(hours=25))
    assert found is not None and found.importance == "CRITICAL" and not found.by_rhythm
    assert round(found.missed) == 3168
    assert (
        found.sentence()
        == "no prediction for 25 h 00 min (usually about 3,042 a day, so about 3,168 missed)"
    )


def test_without_a_rhythm_a_weekend_in_its_days_allows_a_weekend_pause() -> None:
    weekdays_only = usage([3000, 3100, 0, 0, 3000, 2900, 100])
    assert allowed_pause(weekdays_only.daily_rates) == timedelta(days=3)
    assert not is_silent(weekdays_only, LAST + timedelta(hours=60))  # Friday night to Monday
    assert is_silent(weekdays_only, LAST + timedelta(hours=73))


def working_day_rhythm(per_hour: float) -> Rhythm:
    """Learnt from a week watched whole: `per_hour` predictions an hour, Monday to Friday
    09:00–17:00 UTC, none otherwise."""
    made = [per_hour if slot // 24 < 5 and 9 <= slot % 24 < 17 else 0.0 for slot in range(168)]
    return Rhythm.learned(made, [3600.0] * 168)


FRIDAY_EVENING = datetime(2026, 12, 4, 17, 0, tzinfo=UTC)


def friday_evening(rates: list[int]) -> Row:
    return row_from_deployment(
        deployment(
            predictionUsage={"dailyRates": rates, "lastTimestamp": "2026-12-04T17:00:00Z"},
            importance="CRITICAL",
        )
    )


def test_a_working_day_model_is_not_silent_at_night_or_at_the_weekend() -> None:
    row = friday_evening([4000, 4000, 0, 0, 4000, 4000, 4000])
    rhythm = working_day_rhythm(500)
    for later in (timedelta(hours=3), timedelta(hours=14), timedelta(days=2, hours=15)):
        assert not is_silent(row, FRIDAY_EVENING + later, rhythm=rhythm), later
    # Monday 09:12: 12 minutes of its working day passed with nothing: 100 missed.
    found = silence(row, FRIDAY_EVENING + timedelta(days=2, hours=16, minutes=12), rhythm=rhythm)
    assert found is not None and found.by_rhythm and round(found.missed) == 100
    assert found.sentence() == (
        "no prediction for 64 h 12 min (at these hours it usually makes about 100 in that time)"
    )


def test_a_round_the_clock_model_is_silent_after_two_hours_of_its_own_rate() -> None:
    row = friday_evening([2400] * 7)
    rhythm = Rhythm.learned([100.0] * 168, [3600.0] * 168)
    assert not is_silent(row, FRIDAY_EVENING + timedelta(minutes=50), rhythm=rhythm)
    found = silence(row, FRIDAY_EVENING + timedelta(hours=1, minutes=1), rhythm=rhythm)
    assert found is not None and found.by_rhythm


def test_a_rhythm_known_for_too_little_of_the_gap_gives_way_to_the_daily_rule() -> None:
    row = friday_evening([2400] * 7)
    made = [100.0 if slot == 4 * 24 + 17 else 0.0 for slot in range(168)]
    watched = [3600.0 if slot == 4 * 24 + 17 else 0.0 for slot in range(168)]
    rhythm = Rhythm.learned(made, watched)  # only Friday 17:00–18:00 (and its like) watched
    assert rhythm.rates[4 * 24 + 17] == 100 / 3600
    assert rhythm.rates[0 * 24 + 17] == 100 / 3600 / 1  # Monday 17:00: the working days' like
    assert rhythm.rates[4 * 24 + 3] is None
    assert not is_silent(row, FRIDAY_EVENING + timedelta(hours=3), rhythm=rhythm)
    assert is_silent(row, FRIDAY_EVENING + timedelta(hours=25), rhythm=rhythm)


@pytest.mark.parametrize(
    ("rates", "rhythm"),
    [
        ([3000, 3200, 2900, 3100, 3000, 3050, 400], None),
        ([3000, 3100, 0, 0, 3000, 2900, 100], None),
        ([20, 15, 30, 0, 25, 18, 2], None),
        ([4000, 4000, 0, 0, 4000, 4000, 4000], working_day_rhythm(500)),
        ([4000, 4000, 0, 0, 4000, 4000, 4000], working_day_rhythm(5)),
        ([2400] * 7, Rhythm.learned([100.0] * 168, [3600.0] * 168)),
    ],
)
def test_silent_from_is_the_instant_silence_begins(rates: list[int], rhythm: Rhythm | None) -> None:
    row = friday_evening(rates)
    moment = silent_from(row, rhythm=rhythm)
    probes = [FRIDAY_EVENING + timedelta(minutes=m) for m in range(0, 9 * 24 * 60, 7)]
    flagged = [p for p in probes if is_silent(row, p, rhythm=rhythm)]
    if moment is None:
        assert flagged == []
    else:
        assert flagged and abs(flagged[0] - moment) <= timedelta(minutes=7)
        assert all(p >= moment - timedelta(seconds=1) for p in flagged)


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
    later = LAST + timedelta(hours=26)
    assert [s.deployment_id for s in silences([low, critical], later)] == ["c", "l"]
    states = fleet_states(Fleet({"c": critical, "l": low}), later)
    assert states["c"].silent and states["l"].silent
    assert not fleet_states(Fleet({"c": critical}), LAST)["c"].silent
    # Judged against a recorded round-the-clock rhythm, three hours is already silence.
    rhythm = Rhythm.learned([375.0] * 168, [3600.0] * 168)
    sooner = LAST + timedelta(hours=3)
    assert not fleet_states(Fleet({"c": critical}), sooner)["c"].silent
    assert fleet_states(Fleet({"c": critical}), sooner, rhythms={"c": rhythm})["c"].silent
