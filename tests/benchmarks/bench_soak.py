"""Soak: 1,000 refresh cycles of the deployments screen, ~2 % of the fleet changing each cycle.

Budget (issue 9): ≤ 5 MB of memory growth after warm-up. Prints RSS growth, the growth that
tracemalloc attributes to Python allocations, and the allocation sites holding most of it.

    python tests/benchmarks/bench_soak.py [--cycles 1000] [--warmup 50] [--deployments 500]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # `tests` as a package

from tests.reliability.rig import Probe, chaos_app
from tests.reliability.soak import SoakFigures, remote_fleet, soak

BUDGET = 5 * 1024 * 1024


async def run(cycles: int, warmup: int, deployments: int) -> int:
    with remote_fleet(deployments) as fleet:
        probe = Probe()
        app = chaos_app(fleet.endpoint, fleet.token, probe, interval=3600.0)  # driven, not timed
        started = time.monotonic()

        def progress(cycle: int) -> None:
            if cycle and cycle % 100 == 0:
                print(f"  cycle {cycle}: {time.monotonic() - started:.0f}s", flush=True)

        exit_error: BaseException | None = None
        figures: SoakFigures | None = None
        try:
            async with app.run_test(size=(160, 48)) as pilot:
                figures = await soak(pilot, fleet, cycles=cycles, warmup=warmup, on_cycle=progress)
        except Exception as error:  # failing on exit is a finding; the figures still count
            exit_error = error
        await app.client.aclose()
    if figures is None:  # the soak itself failed, not just the exit
        raise RuntimeError("the soak did not finish") from exit_error
    mib = 1024 * 1024
    print(
        f"deployments: {deployments}  cycles after warm-up: {figures.cycles}  "
        f"warm-up: {warmup}  wall: {time.monotonic() - started:.0f}s"
    )
    print(
        f"RSS growth: {figures.rss_growth / mib:.2f} MiB "
        f"(second half: {figures.rss_growth_second_half / mib:.2f} MiB)  "
        f"tracemalloc growth: {figures.traced_growth / mib:.2f} MiB "
        f"(second half: {figures.traced_growth_second_half / mib:.2f} MiB)  "
        f"(budget {BUDGET / mib:.0f} MiB)  max concurrent refreshes: {probe.max_in_flight}"
    )
    print("largest retained allocation sites:")
    for line in figures.top:
        print(f"  {line}")
    if exit_error is not None:
        print(f"the app failed on exit: {type(exit_error).__name__}: {exit_error}")
    within = max(figures.rss_growth, figures.traced_growth) <= BUDGET
    return 0 if within and exit_error is None else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--deployments", type=int, default=500)
    args = parser.parse_args()
    return asyncio.run(run(args.cycles, args.warmup, args.deployments))


if __name__ == "__main__":
    sys.exit(main())
