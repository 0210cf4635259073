"""Custom model deployments' server logs, growing with the clock and computed, not stored.

Each deployment's log is a sequence of runs (the server restarts now and then; a restart begins
the log again with a startup banner). Within run `k`, which starts at `s_k` seconds after the
world's start, record `n` appears at `s_k + n / rate` and is stamped a little before that (never
before record `n - 1`). So how many records a log holds at an instant is arithmetic, and advancing
a running deployment's clock by `T` seconds adds exactly `T * rate` records when `T * rate` is a
whole number and no restart falls in between. Text is generated on demand from
`logtext.log_record`; the newest records that fit in `max_bytes` are served (the head is cut at a
line boundary, like the real server caps its logs). A small LRU keeps the latest window of the
most recently read logs so a client tailing a log costs only the new records.

Inactive deployments' logs stopped growing before the world began; some custom deployments
(never started, or launching) have no log at all, which the API answers with 404 "No logs found".
Errored deployments crash-loop: short runs with more errors.
"""

from __future__ import annotations

import math
import random
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from drtui.emulator.logtext import BANNER_RECORDS, log_record, log_seed, record_jitter

RUNNING_STATUSES = frozenset({"active", "errored", "replacingModel"})
_CACHED_LOGS = 64


@dataclass(slots=True)
class LogPlan:
    """When one deployment's server runs began, whether it still runs, and its log's style."""

    base: int
    running: bool
    stopped_at: float | None
    json_share: float
    error_share: float
    crash_loop: bool
    first_end: float
    run_starts: list[float] = field(default_factory=list)

    def _next_length(self, seed: int, deployment_id: str, run: int) -> float:
        rng = random.Random(f"logrun:{seed}:{deployment_id}:{run}")
        return rng.uniform(120, 600) if self.crash_loop else rng.uniform(1800, 8 * 3600)

    def run_at(self, seed: int, deployment_id: str, elapsed: float) -> tuple[int, float]:
        """(run index, run start) of the run live at `elapsed` (seconds since the world began)."""
        starts = self.run_starts
        while True:
            last = len(starts) - 1
            following = (
                starts[last] + self._next_length(seed, deployment_id, last)
                if last > 0
                else self.first_end
            )
            if following > elapsed:
                return last, starts[last]
            starts.append(following)


def make_plan(seed: int, deployment_id: str, status: str | None) -> LogPlan | None:
    """The deployment's log plan, or None when it has no log at all."""
    rng = random.Random(f"logplan:{seed}:{deployment_id}")
    status = status or "active"
    running = status in RUNNING_STATUSES
    has_log = running or (status in ("inactive", "stopping", "archived") and rng.random() < 0.6)
    if not has_log:
        return None
    structured = rng.random() < 0.25
    crash_loop = status == "errored"
    stopped_at = None if running else -rng.uniform(3600, 10 * 86400)
    if stopped_at is None:
        first_start = -rng.uniform(60, 600) if crash_loop else -rng.uniform(300, 3600)
        first_end = rng.uniform(30, 300) if crash_loop else rng.uniform(1200, 8 * 3600)
    else:
        first_start, first_end = stopped_at - rng.uniform(600, 6 * 3600), math.inf
    return LogPlan(
        base=log_seed(seed, deployment_id),
        running=running,
        stopped_at=stopped_at,
        json_share=0.7 if structured else 0.05,
        error_share=0.3 if crash_loop else 0.04,
        crash_loop=crash_loop,
        first_end=first_end,
        run_starts=[first_start],
    )


@dataclass(slots=True)
class _Window:
    run: int
    records: int
    lines: deque[str]
    size: int


class LogBook:
    """Every custom deployment's log as a function of time, with a small cache of windows."""

    def __init__(self, seed: int, start: datetime, rate: float, max_bytes: int) -> None:
        self.seed = seed
        self.start = start
        self.rate = rate
        self.max_bytes = max_bytes
        self._plans: dict[str, LogPlan | None] = {}
        self._windows: OrderedDict[str, _Window] = OrderedDict()

    def plan(self, deployment_id: str, status: str | None) -> LogPlan | None:
        if deployment_id in self._plans:
            return self._plans[deployment_id]
        plan = make_plan(self.seed, deployment_id, status)
        if status != "launching":  # a launching deployment gets its log once it runs
            self._plans[deployment_id] = plan
        return plan

    def position(self, deployment_id: str, plan: LogPlan, elapsed: float) -> tuple[int, float, int]:
        """(run, run start, records so far) of the log at `elapsed`."""
        if plan.stopped_at is not None:
            elapsed = min(elapsed, plan.stopped_at)
        run, began = plan.run_at(self.seed, deployment_id, elapsed)
        if self.rate <= 0:
            return run, began, BANNER_RECORDS
        return run, began, math.floor((elapsed - began) * self.rate) + 1

    def text(self, deployment_id: str, status: str | None, elapsed: float) -> str | None:
        """The log as served at `elapsed`, newline-terminated, or None if there is none."""
        plan = self.plan(deployment_id, status)
        if plan is None:
            return None
        run, began, records = self.position(deployment_id, plan, elapsed)
        cached = window = self._windows.get(deployment_id)
        if window is not None and window.run == run and window.records <= records:
            self._windows.move_to_end(deployment_id)
            self._extend(window, deployment_id, plan, began, records)
        else:
            window = self._backward(deployment_id, plan, run, began, records)
            if cached is None or (run, records) > (cached.run, cached.records):
                self._windows[deployment_id] = window
                self._windows.move_to_end(deployment_id)
                while len(self._windows) > _CACHED_LOGS:
                    self._windows.popitem(last=False)
        return "".join(line + "\n" for line in window.lines)

    def _record(self, deployment_id: str, plan: LogPlan, run: int, began: float, n: int) -> str:
        slot = began + n / self.rate if self.rate > 0 else began
        stamped = slot - record_jitter(plan.base, run, n) / self.rate if self.rate > 0 else slot
        at = self.start + timedelta(seconds=stamped)
        return log_record(plan.base, deployment_id, run, n, at, plan.json_share, plan.error_share)

    def _extend(
        self, window: _Window, deployment_id: str, plan: LogPlan, began: float, records: int
    ) -> None:
        for n in range(window.records, records):
            for line in self._record(deployment_id, plan, window.run, began, n).split("\n"):
                window.lines.append(line)
                window.size += len(line.encode()) + 1
        window.records = records
        while window.size > self.max_bytes and window.lines:
            window.size -= len(window.lines.popleft().encode()) + 1

    def _backward(
        self, deployment_id: str, plan: LogPlan, run: int, began: float, records: int
    ) -> _Window:
        kept: list[str] = []
        size = 0
        for n in range(records - 1, -1, -1):
            lines = self._record(deployment_id, plan, run, began, n).split("\n")
            for line in reversed(lines):
                cost = len(line.encode()) + 1
                if size + cost > self.max_bytes:
                    kept.reverse()
                    return _Window(run, records, deque(kept), size)
                kept.append(line)
                size += cost
        kept.reverse()
        return _Window(run, records, deque(kept), size)
