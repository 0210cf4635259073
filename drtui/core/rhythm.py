"""A deployment's own rhythm: how many predictions it usually makes in each hour of the week.

A model behind a back-office tool predicts during its users' working day; judged against its
daily average it would be "silent" every night and weekend, exactly when the on-call engineer
is paged. The recorder sees every poll, so it can learn each deployment's hours: between two
polls, the growth of today's count in `predictionUsage.dailyRates` is the predictions made in
that interval, credited to the hour of the week (UTC) it falls in, and the interval itself is
credited to that hour as time watched. A rate is predictions over time watched, so hours nobody
watched say nothing, rather than "zero".

Pure: `Tally` accumulates observations in memory; the history store persists them (store/rhythm_store.py)
and hands back `Rhythm`s, which core/silence.py reads.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from drtui.core.rows import Row

WEEK_HOURS = 168
HOUR_SECONDS = 3600.0
MIN_WATCHED = 1800.0
"""Seconds of an hour of the week that must have been watched before its rate is believed."""
MAX_POLL_GAP = 900.0
"""Two polls further apart than this (seconds) teach nothing: the interval was not watched."""
WEEKDAYS = tuple(range(5))
WEEKEND = (5, 6)


def hour_of_week(moment: datetime) -> int:
    """0 for Monday 00:00–01:00 UTC, 167 for Sunday 23:00–24:00 (the moment must be UTC)."""
    return moment.weekday() * 24 + moment.hour


@dataclass(frozen=True, slots=True)
class Rhythm:
    """One deployment's predictions per second in each hour of the week, where it is known."""

    rates: tuple[float | None, ...]
    """168 entries: None where that hour (and its like on days of the same kind) was not
    watched for long enough."""

    @classmethod
    def learned(cls, predictions: Sequence[float], watched: Sequence[float]) -> Rhythm:
        """From what was seen in each hour of the week and how long it was watched: the hour's
        own rate when watched for at least MIN_WATCHED, else the same hour on days of the same
        kind (working days, weekend), else unknown."""
        rates: list[float | None] = []
        for slot in range(WEEK_HOURS):
            if watched[slot] >= MIN_WATCHED:
                rates.append(predictions[slot] / watched[slot])
                continue
            days = WEEKDAYS if slot // 24 in WEEKDAYS else WEEKEND
            like = [day * 24 + slot % 24 for day in days]
            seen = sum(watched[s] for s in like)
            rates.append(sum(predictions[s] for s in like) / seen if seen >= MIN_WATCHED else None)
        return cls(tuple(rates))

    def hours(
        self, start: datetime, end: datetime
    ) -> Iterator[tuple[datetime, float, float | None]]:
        """(end of the piece, seconds, rate) for each piece of [start, end) cut at hour marks."""
        moment = start
        while moment < end:
            mark = moment.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
            piece_end = min(mark, end)
            yield piece_end, (piece_end - moment).total_seconds(), self.rates[hour_of_week(moment)]
            moment = piece_end


@dataclass(slots=True)
class Tally:
    """What the polls taught since the last flush: predictions per (deployment, hour of week)
    and seconds watched per hour of week. Bounded: at most one entry per deployment and hour
    of the week between two flushes (the store flushes every hour)."""

    predictions: dict[tuple[str, int], float] = field(default_factory=dict)
    watched: dict[int, float] = field(default_factory=dict)
    _last: datetime | None = None
    _rates: dict[str, tuple[int, ...]] = field(default_factory=dict)

    def observe(self, rows: Mapping[str, Row], at: datetime) -> None:
        """One poll's rows taken at `at` (UTC). The first poll only sets the baseline."""
        previous, self._last = self._last, at
        seen = self._rates
        self._rates = {key: tuple(row.daily_rates) for key, row in rows.items()}
        if previous is None:
            return
        interval = (at - previous).total_seconds()
        if not 0 < interval <= MAX_POLL_GAP:
            return
        slot = hour_of_week(at)
        self.watched[slot] = self.watched.get(slot, 0.0) + interval
        for key, rates in self._rates.items():
            before = seen.get(key)
            if before is None:
                continue
            made = grown(before, rates)
            if made:
                self.predictions[key, slot] = self.predictions.get((key, slot), 0.0) + made

    @property
    def baseline(self) -> tuple[datetime, dict[str, tuple[int, ...]]] | None:
        """The last poll observed: its instant and each deployment's daily counts."""
        return None if self._last is None else (self._last, self._rates)

    def resume(self, at: datetime, rates: dict[str, tuple[int, ...]]) -> None:
        """Go on from a baseline an earlier process left."""
        self._last, self._rates = at, rates

    def take(self) -> tuple[dict[tuple[str, int], float], dict[int, float]]:
        """What was tallied, emptied for the next hour (the baseline is kept)."""
        taken = self.predictions, self.watched
        self.predictions, self.watched = {}, {}
        return taken


def grown(before: Sequence[int], after: Sequence[int]) -> int:
    """Predictions made between two readings of `dailyRates` (oldest day first, today last):
    today's growth, or across one day's roll-over yesterday's rest plus today's. 0 when the
    readings do not line up (the series was reset, or more than a day passed)."""
    if len(before) < 2 or len(before) != len(after):
        return 0
    if tuple(before[:-1]) == tuple(after[:-1]) and after[-1] >= before[-1]:
        return after[-1] - before[-1]
    if tuple(before[1:-1]) == tuple(after[:-2]) and after[-2] >= before[-1]:
        return after[-2] - before[-1] + after[-1]
    return 0
