"""Silent models: predictions that stopped far outside a deployment's own rhythm.

Health colours lag: a CRITICAL model that usually answers thousands of requests a day and has
answered none for two hours is an incident before any health summary turns red. Each
deployment is judged against itself: it is silent when the time since its last prediction is
long in absolute terms and the predictions it would usually have made meanwhile number in the
hundreds. "Usually" is its own rhythm at those hours and weekdays where the recorder has learnt
it (core/rhythm.py), so a working-day model is not silent at night or at the weekend. Where the
rhythm is not known, the judgement is conservative: the daily average of its last seven days
(`predictionUsage.dailyRates`), and only after a gap longer than any pause those days allow (a
day, plus its longest run of days with no prediction). A quiet model (a few predictions a day)
is never flagged for being quiet.

Pure functions of a row and an instant: the screen, `drtui check --silent` and the recorder
(which stores the verdict with the health, so replay and the report show silences) share them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from drtui.core.rhythm import Rhythm
from drtui.core.rows import IMPORTANCE_RANK, Row

DAY_SECONDS = 86_400.0


@dataclass(frozen=True, slots=True)
class SilencePolicy:
    """When a gap in predictions is a silence (all three must hold)."""

    min_silence: timedelta = timedelta(minutes=30)
    """Never sooner than this after the last prediction, however busy the model."""
    min_missed: float = 100.0
    """The usual rate would have made at least this many predictions during the gap."""
    gap_factor: float = 20.0
    """The gap is at least this many times the usual interval between two predictions."""
    known_share: float = 0.5
    """The rhythm decides when it is known for at least this share of the gap."""
    horizon: timedelta = timedelta(days=8)
    """How far past the last prediction the rhythm is read (a gap beyond a week of a known
    rhythm has long been decided)."""


DEFAULT_POLICY = SilencePolicy()


@dataclass(frozen=True, slots=True)
class Silence:
    """One deployment gone silent: since when, and what it usually does."""

    deployment_id: str
    label: str
    importance: str
    last_prediction: datetime
    silent_for: timedelta
    usual_per_day: float
    missed: float
    """Predictions its usual rate would have made since the last one."""
    by_rhythm: bool = False
    """Judged against its recorded rhythm at those hours (else the conservative daily rule)."""

    def sentence(self) -> str:
        minutes = int(self.silent_for.total_seconds() // 60)
        span = f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"
        if self.by_rhythm:
            return (
                f"no prediction for {span} (at these hours it usually makes about "
                f"{self.missed:,.0f} in that time)"
            )
        return (
            f"no prediction for {span} (usually about {self.usual_per_day:,.0f} a day, "
            f"so about {self.missed:,.0f} missed)"
        )


def usual_daily_rate(daily_rates: Sequence[int]) -> float:
    """Mean predictions per day over the complete days (the last entry is today, partial)."""
    days = daily_rates[:-1] if len(daily_rates) > 1 else daily_rates
    return sum(days) / len(days) if days else 0.0


def allowed_pause(daily_rates: Sequence[int]) -> timedelta:
    """Without a recorded rhythm, the longest gap a deployment's last days allow: a day (any
    daily rhythm predicts at least once a day), plus its longest run of complete days with no
    prediction (a weekend)."""
    run = longest = 0
    for count in daily_rates[:-1]:
        run = run + 1 if count == 0 else 0
        longest = max(longest, run)
    return timedelta(days=1 + longest)


def _daily(row: Row, last: datetime, now: datetime, policy: SilencePolicy) -> Silence | None:
    """The conservative judgement, on the daily average alone."""
    per_day = usual_daily_rate(row.daily_rates)
    if per_day <= 0 or now - last < allowed_pause(row.daily_rates):
        return None
    gap = (now - last).total_seconds()
    missed = per_day * gap / DAY_SECONDS
    if missed < policy.min_missed or gap * per_day < policy.gap_factor * DAY_SECONDS:
        return None
    return Silence(row.id, row.label, row.importance, last, now - last, per_day, missed)


def _expected(rhythm: Rhythm, start: datetime, end: datetime) -> tuple[float, float]:
    """(predictions the rhythm expects in [start, end), seconds of it where it is known)."""
    expected = known = 0.0
    for _, seconds, rate in rhythm.hours(start, end):
        if rate is not None:
            expected += rate * seconds
            known += seconds
    return expected, known


def silence(
    row: Row,
    now: datetime,
    policy: SilencePolicy = DEFAULT_POLICY,
    rhythm: Rhythm | None = None,
) -> Silence | None:
    """The row's silence at `now`, or None (never predicted, inactive, recent, or quiet),
    judged against `rhythm` where it is known for enough of the gap."""
    last = row.last_prediction
    if last is None or now - last < policy.min_silence:
        return None
    if row.status.lower() == "inactive":
        return None
    if rhythm is not None:
        start = max(last, now - policy.horizon)
        expected, known = _expected(rhythm, start, now)
        if known >= policy.known_share * (now - start).total_seconds():
            if expected < policy.min_missed or expected < policy.gap_factor:
                return None
            per_day = usual_daily_rate(row.daily_rates)
            return Silence(
                row.id, row.label, row.importance, last, now - last, per_day, expected, True
            )
    return _daily(row, last, now, policy)


def silent_from(
    row: Row, policy: SilencePolicy = DEFAULT_POLICY, rhythm: Rhythm | None = None
) -> datetime | None:
    """The instant from which `silence` flags the row if no prediction comes meanwhile (None:
    never), so a recorder judges an unchanged row by comparing instants. Without a rhythm it is
    arithmetic; with one, the rhythm is read hour by hour from the last prediction (at most the
    policy's horizon) and the first instant that tips the verdict is found within its hour."""
    last = row.last_prediction
    if last is None or row.status.lower() == "inactive":
        return None
    daily = _daily_from(row, last, policy)
    if rhythm is None:
        return daily
    expected = known = 0.0
    for end, seconds, rate in rhythm.hours(last, last + policy.horizon):
        if rate is not None:
            expected += rate * seconds
            known += seconds
        gap = (end - last).total_seconds()
        if gap < policy.min_silence.total_seconds():
            continue
        if known >= policy.known_share * gap:
            target = max(policy.min_missed, policy.gap_factor)
            if expected >= target:
                # the crossing lies in this piece: expected grows linearly within it
                back = (expected - target) / rate if rate else 0.0
                moment = end - timedelta(seconds=back)
                return max(moment, last + policy.min_silence)
        elif daily is not None and end >= daily:
            return max(daily, end - timedelta(seconds=seconds))
    return daily if daily is not None and daily >= last + policy.horizon else None


def _daily_from(row: Row, last: datetime, policy: SilencePolicy) -> datetime | None:
    per_day = usual_daily_rate(row.daily_rates)
    if per_day <= 0:
        return None
    least = max(
        policy.min_silence.total_seconds(),
        allowed_pause(row.daily_rates).total_seconds(),
        policy.min_missed * DAY_SECONDS / per_day,
        policy.gap_factor * DAY_SECONDS / per_day,
    )
    return last + timedelta(seconds=least)


def is_silent(
    row: Row,
    now: datetime,
    policy: SilencePolicy = DEFAULT_POLICY,
    rhythm: Rhythm | None = None,
) -> bool:
    return silence(row, now, policy, rhythm) is not None


def silences(
    rows: Iterable[Row],
    now: datetime,
    policy: SilencePolicy = DEFAULT_POLICY,
    rhythms: Mapping[str, Rhythm] | None = None,
) -> list[Silence]:
    """Every silent row, most important first, then longest silent."""
    rhythms = rhythms or {}
    found = [s for row in rows if (s := silence(row, now, policy, rhythms.get(row.id))) is not None]
    found.sort(
        key=lambda s: (
            IMPORTANCE_RANK.get(s.importance.upper(), len(IMPORTANCE_RANK)),
            -s.silent_for,
            s.label,
        )
    )
    return found
