"""Keep the garbage collector's full scans away from keystrokes.

A fleet used to be 10,000 parsed pydantic deployments, some 600,000 container objects, and a
full (oldest-generation) collection scanning them stalled the event loop for half a second.
The lean list path made the fleet plain data: a row per deployment keeping its
record's JSON text, about 1.5 tracked objects per deployment, a few milliseconds of a full
scan at 10,000. The freeze still earns its place for what is left: the app's own objects
(Textual's classes, widgets, styles, some 60,000 at start-up), which a full collection would
otherwise rescan every time (50-60 ms on the project's loaded 2-core machine, over the 50 ms a
keystroke may wait).

Hence: while a refresh builds a new fleet the collector is paused; at its end the young heap is
collected (what was made since the last freeze, some 15,000 objects at 1,000 deployments, most
of them strips drawn meanwhile) and what is alive is frozen out of future scans (`gc.freeze`).
Rows hold no reference cycles, so reference counting frees the old fleet, frozen or not.
Collecting before freezing matters: without it every poll froze the cyclic garbage of that
moment (the pages' HTTP responses, a dismissed toast, a finished worker), which then waited for
a full collection (measured at 1,000 deployments, a 5 s poll and a key every 4 s: 0.3 MB a
second frozen, a 35 MB sawtooth whose high-water mark kept rising). Cyclic garbage frozen
anyway (alive at a freeze, dead in a cycle later) is reclaimed by a full collection, preferably
once the user has been idle for a while; for someone who never stops typing a collection that
is overdue runs anyway: after a short grace when collections are cheap, a longer one when not.

Textual's strips were the one such garbage that scales with drawing: `Strip.divide` caches
`[self]` in the strip's own cache when nothing is cut (every full-width line the compositor
draws), a reference cycle, so every drawn strip alive at a freeze (the table caches 600, each
with the strips derived from it) became frozen garbage once dropped: about 1,000 strips, 1 MB,
a minute of typing. `acyclic_strips()` (ui/textual_compat) returns `[self]` for that case
without caching it (nothing is computed for it); the frozen garbage left is ~0.1 MB a minute.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

FULL_COLLECTION_EVERY = 1800.0
"""Seconds between the full collections that reclaim frozen cyclic garbage. Each build's young
heap is collected before its freeze, so little garbage is ever frozen (~0.1 MB a minute for a
typist at 1,000 deployments), while a full collection scans everything: 0.2-0.5 s of CPU at
10,000 deployments, which every 2 minutes was a third of an idle dashboard's CPU."""
IDLE_BEFORE_COLLECTING = 10.0
"""A due full collection waits until no key or click came for this long..."""
OVERDUE_CHEAP, OVERDUE_COSTLY = 300.0, 1800.0
"""...but no longer than this past due: a short wait when the last one was cheap... (With
each build's young heap collected before its freeze, frozen garbage grows ~0.1 MB a minute
for a typist; a forced full collection stalls the screen 0.3-0.5 s at 1,000 deployments on a
loaded 2-core machine, so for someone who never pauses it comes every 7 to 32 minutes.)"""
COSTLY = 0.1
"""...(under this many seconds), a long one when it was not."""


class QuietCollector:
    def __init__(
        self,
        *,
        full_every: float = FULL_COLLECTION_EVERY,
        idle_after: float = IDLE_BEFORE_COLLECTING,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._full_every = full_every
        self._idle_after = idle_after
        self._clock = clock
        self._depth = 0
        self._resume = False
        self._last_input = clock()
        self._last_full = clock()
        self.full_collections = 0
        self.last_cost = 0.0
        """Seconds the last full collection took (measured, not assumed)."""
        self.last_build_cost = 0.0
        """Seconds the young heap's collection and freeze after the last build took."""

    @contextmanager
    def building(self) -> Iterator[None]:
        """No collection while a fleet is built; once it is done, collect the young heap and
        freeze what is alive (`last_build_cost` says how long that took)."""
        if self._depth == 0:
            self._resume = gc.isenabled()
            gc.disable()
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
            if self._depth == 0:
                started = time.perf_counter()
                gc.collect()
                gc.freeze()
                self.last_build_cost = time.perf_counter() - started
                if self._resume:
                    gc.enable()

    def user_active(self) -> None:
        self._last_input = self._clock()

    def collect_if_due(self) -> bool:
        """Run the deferred full collection when it is due and nobody is typing, or when it is
        overdue whatever the user does (memory stays flat for a typist too)."""
        now = self._clock()
        waited = now - self._last_full
        due = waited >= self._full_every
        idle = now - self._last_input >= self._idle_after
        patience = OVERDUE_COSTLY if self.last_cost >= COSTLY else OVERDUE_CHEAP
        overdue = waited >= self._full_every + patience
        # Not skipped while a fleet is being built: with polls back to back that would be
        # most of the time, and the frozen garbage would never be reclaimed.
        if not (due and (idle or overdue)):
            return False
        started = time.perf_counter()
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self.last_cost = time.perf_counter() - started
        self._last_full = now
        self.full_collections += 1
        return True

    collect_if_idle = collect_if_due


COLLECTOR = QuietCollector()
"""The collector is one per process, and so is this."""
