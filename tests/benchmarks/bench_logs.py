"""Issue 16 figures: following a fast log, and memory after a million lines (prints, never asserts).

1. The emulator's log grows at 1,000 lines/s for 60 s with its 1 MB cap; drtui's follow step
   (overlap + parse, core/logs.py) runs every poll interval: each poll must leave what is shown
   ending exactly with the server's snapshot (nothing lost), with no record twice, and take far
   less than the interval (so the view is never more than one interval behind).
2. RSS after 1,000,000 lines streamed through the default 100,000-line ring buffer.

Run: .venv/bin/python tests/benchmarks/bench_logs.py
"""

from __future__ import annotations

import resource
import time

from drtui.core.logs import DEFAULT_CAPACITY, LineParser, LogBuffer, overlap
from drtui.emulator.config import EmulatorConfig
from drtui.emulator.state import EmulatorState

INTERVAL = 2.0
RATE = 1000.0
SECONDS = 60


def follow() -> None:
    config = EmulatorConfig(
        deployments=60, seed=7, clock="manual", log_rate=RATE, log_max_bytes=1_000_000
    )
    state = EmulatorState(config)
    target = next(i for i in state.custom_ids if state.custom_log(i) is not None)
    parser, buffer = LineParser(), LogBuffer()
    previous: list[str] = []
    worst = 0.0
    lost = duplicated = 0
    polls = 0
    for _ in range(int(SECONDS / INTERVAL)):
        state.advance(INTERVAL)
        snapshot = (state.custom_log(target) or "").splitlines()
        started = time.perf_counter()
        delta = overlap(previous, snapshot)
        buffer.extend(parser.parse(delta.added))
        worst = max(worst, time.perf_counter() - started)
        previous = snapshot
        polls += 1
        tail = [line.original for line in buffer.lines[-len(snapshot) :]]
        if tail != snapshot:
            lost += 1
    stamped = [line.original for line in buffer.lines if line.stamp_len or line.raw]
    duplicated = len(stamped) - len(set(stamped))
    print(f"follow: {RATE:.0f} lines/s for {SECONDS} s, poll every {INTERVAL:g} s ({polls} polls)")
    print(f"  lines kept {len(buffer):,}, dropped {buffer.dropped:,}")
    print(f"  polls whose result did not end with the server's snapshot: {lost} (budget 0)")
    print(f"  records shown twice: {duplicated} (budget 0)")
    print(
        f"  slowest follow step {worst * 1000:.1f} ms of a {INTERVAL * 1000:.0f} ms interval: "
        f"behind by at most one interval + {worst * 1000:.1f} ms"
    )


def memory() -> None:
    parser, buffer = LineParser(), LogBuffer(capacity=DEFAULT_CAPACITY)
    stamp = "2026-03-02T09:00:{:02d}.{:06d}Z INFO    [model] Prediction request served in {} ms"
    batch: list[str] = []
    for n in range(1_000_000):
        batch.append(stamp.format(n // 1_000_000 % 60, n % 1_000_000, n % 2400))
        if len(batch) == 5_000:
            buffer.extend(parser.parse(batch))
            batch = []
    with open("/proc/self/statm") as f:
        rss = int(f.read().split()[1]) * resource.getpagesize() / 2**20
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"memory: 1,000,000 lines streamed, buffer {buffer.capacity:,} lines")
    print(f"  kept {len(buffer):,}, dropped {buffer.dropped:,} (counted)")
    print(f"  RSS now {rss:.0f} MB, peak {peak:.0f} MB (budget 150 MB)")


if __name__ == "__main__":
    follow()
    memory()
    print("search keystroke vs. Textual's floor through a pty: not measured yet (see report)")
