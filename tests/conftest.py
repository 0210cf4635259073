"""The whole suite's clock: real by default, or pinned to an instant for the clock guard.

`DRTUI_TEST_NOW=2026-12-06T01:50:00+00:00 pytest ...` runs the suite as if started at that
instant (the clock then ticks on): `.ci/clock-guard` runs the suites that read the time at a
night, a Sunday, a month's end and a daylight-saving change, so no test passes only at the hour
it was written. Subprocesses started through `tests.clock.python_command` travel too.
"""

from __future__ import annotations

import pytest

from tests.clock import Travel, travel_from_environment

_TRAVEL = pytest.StashKey[Travel]()


def pytest_configure(config: pytest.Config) -> None:
    traveller = travel_from_environment()
    if traveller is not None:
        config.stash[_TRAVEL] = traveller
        traveller.start()


def pytest_unconfigure(config: pytest.Config) -> None:
    traveller = config.stash.get(_TRAVEL, None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header() -> str | None:
    traveller = travel_from_environment()
    return None if traveller is None else f"clock pinned: {traveller.destination}"
