"""Prediction traffic that moves with the clock itself and follows a working rhythm.

Real traffic has a shape: a model behind a back-office tool predicts during its users' working
day and is quiet at night and at weekends; a customer-facing one predicts around the clock. Each
busy deployment (a typical active day of at least `MIN_DAILY` predictions) gets a `Rhythm`,
hashed from the seed: around the clock, every day's daytime, or working days only, in the local
hours of one of a few time zones. Its predictions fall on a regular beat measured in *on-time*
(seconds the rhythm is on, counted from the Unix epoch), event `k` at on-time
`(k + jitter_k / 2) * period`, jitter in [0, 1) hashed from (seed, deployment, k). So the last
prediction at any instant, and how many fell in any interval, is arithmetic on absolute time: a
few simulated seconds between two page requests reorder `orderBy=-lastPredictionTimestamp`, a
night passes with no prediction, and the world still depends only on the seed and the clock.

`Streams.due(until)` touches only the deployments that had a prediction since the last call
(a heap ordered by next prediction), so a request costs what changed, not the fleet's size.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import heapq
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

MIN_DAILY = 288
"""Fewer predictions a day than this (one per 5 minutes): the minute steps are enough."""
MIN_PERIOD = 2.0
HOUR = 3600
WEEK_HOURS = 168
WEEK = WEEK_HOURS * HOUR
MONDAY = 4 * 86400
"""1970-01-05 00:00 UTC, a Monday: hour-of-week 0 of the week the epoch falls in."""


@dataclass(frozen=True, slots=True)
class Rhythm:
    """Which hours of the week (UTC) a deployment predicts in."""

    name: str
    on: tuple[bool, ...]
    """168 entries, hour-of-week from Monday 00:00 UTC."""
    cumulative: tuple[int, ...] = field(init=False, repr=False, compare=False)
    """On-seconds before each hour of the week (169 entries, the last the week's total)."""

    def __post_init__(self) -> None:
        if len(self.on) != WEEK_HOURS or not any(self.on):
            raise ValueError("a rhythm has 168 hours, some of them on")
        total, sums = 0, [0]
        for hour_on in self.on:
            total += HOUR if hour_on else 0
            sums.append(total)
        object.__setattr__(self, "cumulative", tuple(sums))

    @property
    def active_days(self) -> int:
        return sum(any(self.on[d * 24 : d * 24 + 24]) for d in range(7))

    def on_time(self, t: float) -> float:
        """On-seconds between the epoch's Monday and the absolute instant `t`."""
        cumulative = self.cumulative
        weeks, into = divmod(t - MONDAY, WEEK)
        hour, seconds = divmod(into, HOUR)
        part = seconds if self.on[int(hour)] else 0.0
        return weeks * cumulative[-1] + cumulative[int(hour)] + part

    def instant(self, on_time: float) -> float:
        """The absolute instant at which `on_time` on-seconds have passed (the inverse)."""
        cumulative = self.cumulative
        weeks, into = divmod(on_time, cumulative[-1])
        hour = bisect.bisect_right(cumulative, into) - 1
        while not self.on[hour]:  # land inside an on-hour, never on an off one's start
            hour += 1
        return MONDAY + weeks * WEEK + hour * HOUR + (into - cumulative[hour])


def _hours(days: range, start: int, end: int, offset: int) -> tuple[bool, ...]:
    """A week of hours on in `days` (0 = Monday) from `start` to `end` local, UTC+`offset`."""
    on = [False] * WEEK_HOURS
    for day in days:
        for hour in range(start, end):
            on[(day * 24 + hour - offset) % WEEK_HOURS] = True
    return tuple(on)


OFFSETS = (-8, -5, 0, 1, 5, 9)
"""Time zones (whole hours from UTC) a deployment's users may work in."""


def rhythm_for(seed: int, deployment_id: str) -> Rhythm:
    """The deployment's rhythm: 40 % around the clock, 30 % every day's daytime (07–21 local),
    30 % working days (Monday to Friday, 08–18 local)."""
    roll = _unit(seed, deployment_id, -2)
    offset = OFFSETS[int(_unit(seed, deployment_id, -3) * len(OFFSETS))]
    if roll < 0.4:
        return ALWAYS
    return _shaped("daytime" if roll < 0.7 else "working days", offset)


@functools.cache
def _shaped(kind: str, offset: int) -> Rhythm:
    if kind == "daytime":
        return Rhythm(f"daytime UTC{offset:+d}", _hours(range(7), 7, 21, offset))
    return Rhythm(f"working days UTC{offset:+d}", _hours(range(5), 8, 18, offset))


ALWAYS = Rhythm("around the clock", (True,) * WEEK_HOURS)


def _unit(seed: int, deployment_id: str, k: int) -> float:
    digest = hashlib.blake2b(f"{seed}:{deployment_id}:{k}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


@dataclass(slots=True)
class Stream:
    deployment_id: str
    period: float
    """On-seconds between two predictions."""
    rhythm: Rhythm
    counted: int
    """Index of the last event already counted into the daily rate."""

    def at(self, seed: int, k: int) -> float:
        """Absolute instant (POSIX seconds) of event `k`."""
        return self.rhythm.instant((k + _unit(seed, self.deployment_id, k) / 2) * self.period)

    def last_index(self, seed: int, t: float) -> int:
        """Index of the last event at or before the absolute instant `t`."""
        k = math.floor(self.rhythm.on_time(t) / self.period)
        while self.at(seed, k) > t:
            k -= 1
        return k

    def count(self, seed: int, start: float, end: float) -> int:
        """Events in the absolute interval (start, end]."""
        return self.last_index(seed, end) - self.last_index(seed, start)


def stream_for(seed: int, deployment_id: str, daily_rates: list[int], now: float) -> Stream | None:
    """The deployment's beat, or None when it is too quiet to need one; `now` (POSIX seconds)
    is where counting begins."""
    typical = max(daily_rates[:-1] or [0])
    if typical < MIN_DAILY:
        return None
    rhythm = rhythm_for(seed, deployment_id)
    on_per_day = rhythm.cumulative[-1] / rhythm.active_days
    period = max(MIN_PERIOD, on_per_day / typical)
    stream = Stream(deployment_id, period, rhythm, 0)
    stream.counted = stream.last_index(seed, now)
    return stream


def shape_history(seed: int, stream: Stream, rates: list[int], start: datetime) -> float:
    """Rewrite the complete days of `rates` (a day is 24 h ending at `start`, the newest last but
    one) as the stream's own counts, today's as zero, and return the last prediction before
    `start`: the record then agrees with the traffic it will receive."""
    # the last event before each day's end, newest first: each day's count is a difference
    ends = [
        stream.last_index(seed, (start - timedelta(days=back)).timestamp())
        for back in range(max(1, len(rates)))
    ]
    for back in range(1, len(rates)):
        rates[-1 - back] = ends[back - 1] - ends[back]
    rates[-1] = 0
    return stream.at(seed, ends[0])


class Streams:
    """The busy deployments' beats, with a heap of who predicts next (in elapsed seconds)."""

    def __init__(self, seed: int, origin: float) -> None:
        self.seed = seed
        self.origin = origin
        """The clock's start, POSIX seconds: elapsed 0."""
        self._streams: dict[str, Stream] = {}
        self._heap: list[tuple[float, str]] = []

    def add(self, stream: Stream) -> None:
        self._streams[stream.deployment_id] = stream
        upcoming = stream.at(self.seed, stream.counted + 1) - self.origin
        heapq.heappush(self._heap, (upcoming, stream.deployment_id))

    def __len__(self) -> int:
        return len(self._streams)

    def has(self, deployment_id: str) -> bool:
        return deployment_id in self._streams

    def get(self, deployment_id: str) -> Stream | None:
        return self._streams.get(deployment_id)

    def due(self, until: float) -> list[tuple[Stream, int, float]]:
        """(stream, new events, absolute instant of the last) for every stream with events up to
        `until` elapsed seconds, each counted once; streams are re-armed for their next event."""
        out: list[tuple[Stream, int, float]] = []
        heap = self._heap
        seed = self.seed
        while heap and heap[0][0] <= until:
            _, deployment_id = heapq.heappop(heap)
            stream = self._streams.get(deployment_id)
            if stream is None:
                continue
            last = stream.last_index(seed, self.origin + until)
            out.append((stream, last - stream.counted, stream.at(seed, last)))
            stream.counted = last
            upcoming = stream.at(seed, last + 1) - self.origin
            heapq.heappush(heap, (upcoming, deployment_id))
        return out

    def drop(self, deployment_id: str) -> None:
        """Forget a deployment (deleted); its heap entry is skipped when it comes up."""
        self._streams.pop(deployment_id, None)
