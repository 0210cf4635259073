"""The emulator's notion of time.

Wall mode follows real time from the moment the world was built, so a demo left open for days keeps
evolving; manual mode stands still until told to move, so tests are deterministic. Both can be
pushed forward (`POST /_emulator/clock/advance`).
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

from drtui.emulator.config import ClockMode

MANUAL_EPOCH = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
"""Where a manual clock starts: fixed, so a seed gives byte-identical fleets across runs."""


class Clock:
    """Simulated time: a start instant plus elapsed seconds (real ones in wall mode) plus advances."""

    def __init__(
        self, mode: ClockMode = "wall", start: datetime | None = None, history: float = 0.0
    ) -> None:
        """`history` seconds are already behind the clock: it starts that much before the usual
        instant (MANUAL_EPOCH, or now) and is advanced by as much, so `now()` is the usual one."""
        if mode not in ("wall", "manual"):
            raise ValueError(f"unknown clock mode {mode!r}")
        if history < 0:
            raise ValueError("history must not be negative")
        self.mode: ClockMode = mode
        if start is None:
            start = MANUAL_EPOCH if mode == "manual" else datetime.now(UTC).replace(microsecond=0)
            start -= timedelta(seconds=history)
        self.start = start
        self._origin = time.monotonic()
        self._advanced = float(history)
        self._lock = threading.Lock()

    def elapsed(self) -> float:
        """Simulated seconds since `start`."""
        with self._lock:
            real = time.monotonic() - self._origin if self.mode == "wall" else 0.0
            return real + self._advanced

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.elapsed())

    def advance(self, seconds: float) -> datetime:
        """Move simulated time forward; returns the new now."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._advanced += seconds
        return self.now()


def iso(moment: datetime) -> str:
    """The API's timestamp form: UTC, `Z` suffix, fixed width (so strings sort chronologically)."""
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return moment.isoformat(timespec="microseconds")[:-6] + "Z"
