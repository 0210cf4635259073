"""When and how long to wait before trying a request again.

Only requests that are safe to repeat are retried: GET, and PATCH/DELETE of one resource (the
client decides per call), on connection failures and 429/502/503/504. A POST that creates
something never is. Reads alone are also retried on a 500 and on a body that is not valid JSON. Waits grow exponentially with
jitter so a fleet of dashboards does not hammer a recovering server in step, and a server's
``Retry-After`` is honoured as the minimum wait. Attempts and total time are both bounded.
The sleep function, clock and random source are injectable so tests can assert the waits.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

RETRY_STATUSES: frozenset[int] = frozenset({429, 502, 503, 504})
"""Retried for every request that is safe to repeat: the server did not act on it."""
READ_RETRY_STATUSES: frozenset[int] = frozenset({500})
"""Retried for reads (GET) only: a 500 may have half-done a write, but a read it failed is
worth asking again; one transient 500 must not fail a check or a poll."""


@dataclass(frozen=True)
class RetryPolicy:
    """Bounds and timing of retries; ``max_attempts=1`` turns retrying off."""

    max_attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_total: float = 120.0
    """No retry starts later than this many seconds after the first attempt."""
    jitter: float = 0.25
    """Up to this fraction is added to each computed wait."""
    statuses: frozenset[int] = RETRY_STATUSES
    read_statuses: frozenset[int] = READ_RETRY_STATUSES
    """Also retried, for GET only (as is a 2xx body that is not valid JSON)."""
    sleep: Callable[[float], Awaitable[None]] = field(default=asyncio.sleep, repr=False)
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    random: Callable[[], float] = field(default=random.random, repr=False)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        backoff = min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))
        backoff *= 1 + self.jitter * self.random()
        if retry_after is not None:
            return max(retry_after, min(backoff, retry_after + self.base_delay))
        return backoff

    def should_retry(self, attempt: int, started: float, wait: float) -> bool:
        """Whether another attempt fits within the attempt and time bounds."""
        if attempt >= self.max_attempts:
            return False
        return (self.clock() - started) + wait <= self.max_total


NO_RETRY = RetryPolicy(max_attempts=1)
