"""Memory while someone keeps typing: RSS of the real app through a pty, a key every 4 s.

The budget (issue 14): with 1,000 deployments, a 5 s poll and a key every 4 s for 10 minutes,
RSS grows by at most 5 MB over the last 5 minutes. Before the fix, frozen cyclic garbage was
reclaimed only after 10 s without a key, so a steady typist grew RSS without bound (122 → 451 MB
in 480 s). The same run without typing is printed beside it as the baseline.

    python tests/benchmarks/bench_typist.py [--minutes 10] [--deployments 1000]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.terminal import PtyApp

BUDGET_MB = 5.0


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run(minutes: float, deployments: int, typing: bool) -> list[tuple[float, float]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATAROBOT_")}
    argv = [sys.executable, "-m", "drtui", "demo", "--deployments", str(deployments)]
    app = PtyApp([*argv, "--refresh", "5", "--all"], env).start()
    samples: list[tuple[float, float]] = []
    try:
        app.wait_for(b"updated", timeout=120)  # the first full table
        if not Path(f"/proc/{app.pid}").exists():
            raise RuntimeError("the app ended at start")
        start = time.monotonic()
        next_key = start
        next_sample = start
        keys = "jk"
        i = 0
        while (now := time.monotonic()) - start < minutes * 60:
            if typing and now >= next_key:
                app.send(keys[i % 2])
                i += 1
                next_key += 4.0
            if now >= next_sample:
                samples.append((now - start, rss_mb(app.pid)))
                next_sample += 15.0
            time.sleep(0.2)
        samples.append((time.monotonic() - start, rss_mb(app.pid)))
    finally:
        app.stop()
    return samples


def growth_last_half(samples: list[tuple[float, float]]) -> tuple[float, float, float]:
    end = samples[-1][0]
    half = [mb for t, mb in samples if t >= end / 2]
    return half[0], half[-1], max(half) - half[0]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--deployments", type=int, default=1000)
    args = parser.parse_args()
    results = {}
    for typing in (True, False):
        samples = run(args.minutes, args.deployments, typing)
        results[typing] = samples
        first, last, grew = growth_last_half(samples)
        label = "typist (a key every 4 s)" if typing else "baseline (no keys)"
        print(
            f"{label}: RSS {samples[0][1]:.0f} → {samples[-1][1]:.0f} MB over "
            f"{args.minutes:g} min; last half {first:.0f} → {last:.0f} MB, "
            f"peak growth {grew:.1f} MB (budget ≤ {BUDGET_MB:g} MB)",
            flush=True,
        )
    _, _, grew = growth_last_half(results[True])
    return 0 if grew <= BUDGET_MB else 1


if __name__ == "__main__":
    raise SystemExit(main())
