"""Silent models: predictions that stopped far outside a deployment's own rhythm.

Health colours lag: a CRITICAL model that usually answers thousands of requests a day and has
answered none for two hours is an incident before any health summary turns red. Each
deployment is judged against itself (`predictionUsage.dailyRates`, its last seven days): it is
silent when the time since its last prediction is both long in absolute terms and long for
*its* usual rate, so that the predictions it would have made meanwhile number in the hundreds.
A quiet model (a few predictions a day) is never flagged for being quiet.

Pure functions of a row and an instant: the screen, `drtui check --silent` and the recorder
(which stores the verdict with the health, so replay and the report show silences) share them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

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

    def sentence(self) -> str:
        minutes = int(self.silent_for.total_seconds() // 60)
        span = f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"
        return (
            f"no prediction for {span} (usually about {self.usual_per_day:,.0f} a day, "
            f"so about {self.missed:,.0f} missed)"
        )


def usual_daily_rate(daily_rates: Sequence[int]) -> float:
    """Mean predictions per day over the complete days (the last entry is today, partial)."""
    days = daily_rates[:-1] if len(daily_rates) > 1 else daily_rates
    return sum(days) / len(days) if days else 0.0


def silence(row: Row, now: datetime, policy: SilencePolicy = DEFAULT_POLICY) -> Silence | None:
    """The row's silence at `now`, or None (never predicted, inactive, recent, or quiet)."""
    last = row.last_prediction
    if last is None or now - last < policy.min_silence:
        return None
    if row.status.lower() == "inactive":
        return None
    per_day = usual_daily_rate(row.daily_rates)
    if per_day <= 0:
        return None
    gap = (now - last).total_seconds()
    missed = per_day * gap / DAY_SECONDS
    if missed < policy.min_missed or gap * per_day < policy.gap_factor * DAY_SECONDS:
        return None
    return Silence(row.id, row.label, row.importance, last, now - last, per_day, missed)


def silent_from(row: Row, policy: SilencePolicy = DEFAULT_POLICY) -> datetime | None:
    """The instant from which `silence` flags the row if no prediction comes meanwhile (None:
    never). The three conditions of `silence` are each a least gap; the row's verdict at any
    `now` is `now >= silent_from(row)`, so a recorder judges an unchanged row without redoing
    the arithmetic."""
    last = row.last_prediction
    if last is None or row.status.lower() == "inactive":
        return None
    per_day = usual_daily_rate(row.daily_rates)
    if per_day <= 0:
        return None
    least = max(
        policy.min_silence.total_seconds(),
        policy.min_missed * DAY_SECONDS / per_day,
        policy.gap_factor * DAY_SECONDS / per_day,
    )
    return last + timedelta(seconds=least)


def is_silent(row: Row, now: datetime, policy: SilencePolicy = DEFAULT_POLICY) -> bool:
    return silence(row, now, policy) is not None


def silences(
    rows: Iterable[Row], now: datetime, policy: SilencePolicy = DEFAULT_POLICY
) -> list[Silence]:
    """Every silent row, most important first, then longest silent."""
    found = [s for row in rows if (s := silence(row, now, policy)) is not None]
    found.sort(
        key=lambda s: (
            IMPORTANCE_RANK.get(s.importance.upper(), len(IMPORTANCE_RANK)),
            -s.silent_for,
            s.label,
        )
    )
    return found
