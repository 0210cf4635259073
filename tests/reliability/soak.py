"""Days of refreshes in minutes: the screen refreshed back to back while ~2 % of the fleet changes.

Shared by tests/reliability/test_soak.py (a short run) and tests/benchmarks/bench_soak.py (1,000
cycles). Time is compressed: each refresh is started as soon as the last one ended, and the
app's deferred full garbage collection (every 300 s of a 30 s refresh, i.e. every 10 refreshes)
is run on that same compressed schedule, as it would run on a real clock. The emulator runs in
its own process, so its memory is not counted as the app's.
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import os
import random
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from textual.pilot import Pilot

from drtui.emulator.config import EmulatorConfig
from drtui.emulator.server import EmulatorServer
from drtui.emulator.state import EmulatorState
from drtui.ui.heap import FULL_COLLECTION_EVERY
from tests.observe import screen_of, until

PRODUCTION_INTERVAL = 30.0
FULL_COLLECTION_CYCLES = max(1, round(FULL_COLLECTION_EVERY / PRODUCTION_INTERVAL))
CHANGED_SHARE = 0.02
STATUSES = ("passing", "warning", "failing", "unknown")
DIMENSIONS = ("serviceHealth", "modelHealth", "accuracyHealth")


def rss_bytes() -> int:
    """Resident set size of this process now (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def full_collection() -> None:
    """What ui/heap.py's idle collector does: reclaim cyclic garbage, refreeze the rest."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


@dataclass
class SoakFigures:
    cycles: int
    rss_growth: int
    rss_growth_second_half: int
    """The allocator's high-water mark settles slowly: the second half says if it still climbs."""
    traced_growth: int
    traced_growth_second_half: int
    """A leak keeps growing; a cache or a bigger fleet levels off: compare the halves."""
    top: list[str]
    """The allocation sites holding most of the growth (tracemalloc, file:line and size)."""


def change_fleet(state: EmulatorState, rng: random.Random, cycle: int) -> int:
    """Change ~2 % of the deployments: health, label or usage, as a live fleet does."""
    ids = list(state.live_ids)
    chosen = rng.sample(ids, max(1, round(len(ids) * CHANGED_SHARE)))
    for n, deployment_id in enumerate(chosen):
        kind = n % 3
        if kind == 0:
            state.set_health(deployment_id, rng.choice(DIMENSIONS), rng.choice(STATUSES))
        elif kind == 1:
            state.update_deployment(deployment_id, {"label": f"soak {deployment_id} #{cycle}"})
        else:
            state.update_deployment(
                deployment_id,
                {
                    "predictionUsage": {
                        "dailyRates": [rng.randrange(10_000) for _ in range(7)],
                        "lastTimestamp": "2026-11-23T12:00:00Z",
                    }
                },
            )
    return len(chosen)


def _serve(deployments: int, conn: Connection) -> None:
    """The emulator process: serve, and change the fleet each time the parent asks."""
    config = EmulatorConfig(deployments=deployments, seed=42, clock="manual")
    rng = random.Random(20261123)
    with EmulatorServer(config) as server:
        conn.send((server.endpoint, config.user_token))
        while (cycle := conn.recv()) is not None:
            conn.send(change_fleet(server.state, rng, cycle))


@dataclass
class RemoteFleet:
    """The emulator in a child process: its endpoint, token, and a pipe to change its fleet."""

    endpoint: str
    token: str
    conn: Connection

    async def change(self, cycle: int) -> int:
        self.conn.send(cycle)
        return int(await asyncio.to_thread(self.conn.recv))


@contextmanager
def remote_fleet(deployments: int) -> Iterator[RemoteFleet]:
    parent, child = multiprocessing.get_context("spawn").Pipe()
    process = multiprocessing.get_context("spawn").Process(
        target=_serve, args=(deployments, child), daemon=True
    )
    process.start()
    try:
        if not parent.poll(60):
            raise RuntimeError("the emulator process did not start")
        endpoint, token = parent.recv()
        yield RemoteFleet(endpoint, token, parent)
    finally:
        parent.send(None)
        process.join(10)
        if process.is_alive():
            process.kill()


async def soak(
    pilot: Pilot[Any],
    fleet: RemoteFleet,
    *,
    cycles: int,
    warmup: int,
    on_cycle: Callable[[int], None] | None = None,
) -> SoakFigures:
    """Run `warmup` then `cycles` refreshes in a running app; memory growth after warm-up.

    Tracing runs from the start, so the fleet alive at the end is compared with the fleet
    alive after warm-up (it is replaced every refresh, so it is "new" either way). RSS growth
    leaves out what tracemalloc itself allocated meanwhile.
    """
    screen = screen_of(pilot.app)
    await until(pilot, lambda: screen.refreshes >= 1, 10.0, "the first refresh")
    tracemalloc.start(1)
    rss_before, rss_middle, baseline, middle = 0, 0, None, None
    for cycle in range(warmup + cycles):
        if cycle == warmup:
            full_collection()
            baseline = tracemalloc.take_snapshot()
            rss_before = rss_bytes() - tracemalloc.get_tracemalloc_memory()
        if cycle == warmup + cycles // 2:
            full_collection()
            middle = tracemalloc.take_snapshot()
            rss_middle = rss_bytes() - tracemalloc.get_tracemalloc_memory()
        await fleet.change(cycle)
        seen, stale = screen.refreshes, screen.freshness.stale_since
        screen.refresh_fleet()

        def ended(seen: int = seen, stale: object = stale) -> bool:
            return screen.refreshes > seen or screen.freshness.stale_since != stale

        await until(pilot, ended, 30.0, f"refresh {cycle}")
        if cycle % FULL_COLLECTION_CYCLES == 0:
            full_collection()
        if on_cycle is not None:
            on_cycle(cycle)
    full_collection()
    rss_after = rss_bytes() - tracemalloc.get_tracemalloc_memory()
    assert baseline is not None and middle is not None, "the run needs at least two cycles"
    end = tracemalloc.take_snapshot()
    tracemalloc.stop()
    growth = end.compare_to(baseline, "lineno")
    late = sum(stat.size_diff for stat in end.compare_to(middle, "lineno"))
    top = [str(stat) for stat in sorted(growth, key=lambda s: -s.size_diff)[:8]]
    return SoakFigures(
        cycles,
        rss_after - rss_before,
        rss_after - rss_middle,
        sum(s.size_diff for s in growth),
        late,
        top,
    )
