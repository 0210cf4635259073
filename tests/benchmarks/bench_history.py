"""The flight recorder's costs beside their budgets (issue 21). Prints figures; never a test.

    python tests/benchmarks/bench_history.py [--deployments 10000] [--hours 6] [--days 30]

1. Recording cost per poll at 10,000 deployments with 1 % changed (budget 20 ms): the states
   taken from the rows (silence judged) plus the SQLite transaction.
2. Database growth per day with 2 % changing per 30 s poll: `--hours` simulated, scaled to a day.
3. Replay seek to random instants of a `--days` history (budget 200 ms): that history is written
   in bulk (changes at 2 % a poll every 30 s would exceed the 100 MB bound in days, so the bulk
   history thins the polls: a seek reads one snapshot plus at most an hour of changes either way).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from drtui.core.fleet import Fleet
from drtui.core.recorded import State
from drtui.core.rows import row_from_deployment
from drtui.store.history import History
from drtui.store.history_file import MB
from tests.core.factory import deployment

T0 = datetime(2026, 11, 1, tzinfo=UTC)
STATUSES = ("passing", "warning", "failing", "unknown")
RECORD_BUDGET_MS = 20.0
SEEK_BUDGET_MS = 200.0


def fleet(n: int) -> Fleet:
    template = row_from_deployment(deployment())
    rows = {}
    for i in range(n):
        key = f"{i:024x}"
        rows[key] = template.replace(id=key, label=f"model {i}")
    return Fleet(rows)


def churn(base: Fleet, share: float, rng: random.Random) -> Fleet:
    rows = dict(base.rows)
    for key in rng.sample(list(rows), int(len(rows) * share)):
        row = rows[key]
        health = (rng.choice(STATUSES), row.health[1], row.health[2])
        rows[key] = row.replace(health=health)
    return Fleet(rows)


def recording_cost(n: int, folder: Path) -> None:
    rng = random.Random(1)
    history = History(folder / "cost.sqlite3")
    current = fleet(n)
    at = T0
    history.record_fleet(current, at)
    times = []
    for _ in range(60):
        current = churn(current, 0.01, rng)
        at += timedelta(seconds=30)
        started = time.perf_counter()
        history.record_fleet(current, at)
        times.append((time.perf_counter() - started) * 1000)
    history.close()
    median, worst = statistics.median(times), max(times)
    print(
        f"record one poll, {n:,} deployments, 1 % changed: median {median:.1f} ms, "
        f"max {worst:.1f} ms (an hourly snapshot included) — budget {RECORD_BUDGET_MS:g} ms "
        f"{'OK' if median <= RECORD_BUDGET_MS else 'OVER'}"
    )


def growth(n: int, hours: float, folder: Path) -> History:
    rng = random.Random(2)
    path = folder / "growth.sqlite3"
    history = History(path, max_bytes=10_000 * MB)
    keys = [f"{i:024x}" for i in range(n)]
    states = {k: State(f"model {i}", "HIGH", "passing", "passing", "passing") for i, k in
              enumerate(keys)}  # fmt: skip
    polls = int(hours * 120)
    for poll in range(polls):
        for key in rng.sample(keys, n // 50):
            s = states[key]
            states[key] = s._replace(service=rng.choice(STATUSES))
        history.record(dict(states), T0 + timedelta(seconds=30 * poll))
    size = history.size()
    per_day = size / hours * 24
    print(
        f"growth, {n:,} deployments, 2 % changing per 30 s poll: {size / MB:.1f} MB in "
        f"{hours:g} h -> {per_day / MB:.0f} MB a day; the 100 MB bound then keeps "
        f"{100 * MB / per_day:.1f} days (retention 30 days applies below "
        f"{100 / 30:.1f} MB a day)"
    )
    return history


def seek(n: int, days: int, folder: Path) -> None:
    """A `days` history written in bulk: a poll every 10 min, 2 % changing, hourly snapshots."""
    rng = random.Random(3)
    history = History(folder / "seek.sqlite3", max_bytes=10_000 * MB)
    keys = [f"{i:024x}" for i in range(n)]
    states = {k: State(f"model {i}", "HIGH", "passing", "passing", "passing") for i, k in
              enumerate(keys)}  # fmt: skip
    history.record(dict(states), T0)
    step = timedelta(minutes=10)
    at = T0
    while at < T0 + timedelta(days=days):
        at += step
        for key in rng.sample(keys, n // 50):
            states[key] = states[key]._replace(service=rng.choice(STATUSES))
        history.record(dict(states), at)
    size = history.size()
    times = []
    for _ in range(40):
        instant = T0 + timedelta(seconds=rng.uniform(0, days * 86_400))
        started = time.perf_counter()
        replay = history.at(instant)
        times.append((time.perf_counter() - started) * 1000)
        assert len(replay.states) == n
    history.close()
    print(
        f"replay seek, {n:,} deployments, {days} days ({size / MB:.0f} MB): median "
        f"{statistics.median(times):.0f} ms, max {max(times):.0f} ms — budget "
        f"{SEEK_BUDGET_MS:g} ms {'OK' if max(times) <= SEEK_BUDGET_MS else 'OVER'}"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deployments", type=int, default=10_000)
    parser.add_argument("--hours", type=float, default=2.0)
    parser.add_argument("--days", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        recording_cost(args.deployments, Path(folder))
        growth(args.deployments, args.hours, Path(folder)).close()
        seek(args.deployments, args.days, Path(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
