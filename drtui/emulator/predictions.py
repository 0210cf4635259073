"""Prediction traffic that moves with the clock itself, not only at the minute steps.

Busy deployments (a typical day of at least `MIN_DAILY` predictions) receive predictions on a
regular beat of `period = 86400 / typical` seconds (at least `MIN_PERIOD`), event `k` at
`first + (k + jitter_k / 2) * period`, jitter in [0, 1) hashed from (seed, deployment, k). So the
last prediction at any instant, and how many fell in any interval, is arithmetic: a few simulated
seconds between two page requests are enough to reorder `orderBy=-lastPredictionTimestamp`, as on
a real server, and the world still depends only on the seed and the elapsed time.

`Streams.catch_up(until)` touches only the deployments that had a prediction since the last call
(a heap ordered by next prediction), so a request costs what changed, not the fleet's size.
"""

from __future__ import annotations

import hashlib
import heapq
import math
from dataclasses import dataclass

MIN_DAILY = 288
"""Fewer predictions a day than this (one per 5 minutes): the minute steps are enough."""
MIN_PERIOD = 2.0


def _unit(seed: int, deployment_id: str, k: int) -> float:
    digest = hashlib.blake2b(f"{seed}:{deployment_id}:{k}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


@dataclass(slots=True)
class Stream:
    deployment_id: str
    first: float
    period: float
    counted: int
    """Index of the last event already counted into the daily rate (-1: none yet)."""

    def at(self, seed: int, k: int) -> float:
        """Elapsed seconds of event `k`."""
        return self.first + (k + _unit(seed, self.deployment_id, k) / 2) * self.period

    def last_index(self, seed: int, elapsed: float) -> int:
        """Index of the last event at or before `elapsed` (-1 if none)."""
        k = math.floor((elapsed - self.first) / self.period)
        if k < 0:
            return -1
        return k if self.at(seed, k) <= elapsed else k - 1


def stream_for(seed: int, deployment_id: str, daily_rates: list[int]) -> Stream | None:
    """The deployment's beat, or None when it is too quiet to need one."""
    typical = max(daily_rates[:-1] or [0])
    if typical < MIN_DAILY:
        return None
    period = max(MIN_PERIOD, 86400 / typical)
    first = _unit(seed, deployment_id, -1) * period
    return Stream(deployment_id, first, period, -1)


class Streams:
    """The busy deployments' beats, with a heap of who predicts next."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._streams: dict[str, Stream] = {}
        self._heap: list[tuple[float, str]] = []

    def add(self, stream: Stream) -> None:
        self._streams[stream.deployment_id] = stream
        heapq.heappush(self._heap, (stream.at(self.seed, 0), stream.deployment_id))

    def __len__(self) -> int:
        return len(self._streams)

    def due(self, until: float) -> list[tuple[Stream, int, int]]:
        """(stream, new events, index of the last) for every stream with events up to `until`,
        each counted once; streams are re-armed for their next event after `until`."""
        out: list[tuple[Stream, int, int]] = []
        heap = self._heap
        while heap and heap[0][0] <= until:
            _, deployment_id = heapq.heappop(heap)
            stream = self._streams.get(deployment_id)
            if stream is None:
                continue
            last = stream.last_index(self.seed, until)
            out.append((stream, last - stream.counted, last))
            stream.counted = last
            heapq.heappush(heap, (stream.at(self.seed, last + 1), deployment_id))
        return out

    def drop(self, deployment_id: str) -> None:
        """Forget a deployment (deleted); its heap entry is skipped when it comes up."""
        self._streams.pop(deployment_id, None)
