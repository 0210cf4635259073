"""Pinning the wall clock for the clock guard (see tests/conftest.py)."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime

import time_machine

NOW_ENV = "DRTUI_TEST_NOW"


class Travel:
    """time-machine's travel to one instant, the clock ticking on from there."""

    def __init__(self, destination: datetime) -> None:
        self.destination = destination
        self._travel = time_machine.travel(destination, tick=True)

    def start(self) -> None:
        self._travel.start()

    def stop(self) -> None:
        self._travel.stop()


def travel_from_environment() -> Travel | None:
    text = os.environ.get(NOW_ENV)
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise SystemExit(f"{NOW_ENV} must name its time zone, as in 2026-12-06T01:50:00+00:00")
    return Travel(moment)


_BOOT = (
    "import sys, time_machine\n"
    "from datetime import datetime\n"
    "time_machine.travel(datetime.fromisoformat(sys.argv.pop(1)), tick=True).start()\n"
    "sys.argv[0] = 'drtui'\n"
    "from drtui.cli import main\n"
    "raise SystemExit(main(sys.argv[1:]))\n"
)


def python_command(*args: str) -> list[str]:
    """`python -m drtui ARGS`, or, under a pinned clock, the same at this process's "now"."""
    if not os.environ.get(NOW_ENV):
        return [sys.executable, "-m", "drtui", *args]
    return [sys.executable, "-c", _BOOT, datetime.now(UTC).isoformat(), *args]
