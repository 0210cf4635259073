"""Chaos for minutes: the dashboard against an emulator cycling through every fault, over HTTP.

The same app, client and faults as tests/reliability/test_chaos.py, refreshing every 0.4 s:
each fault of the issue alone, then all of them at once, each for a few seconds and each
followed by a calm spell. Prints refreshes, failed refreshes, recoveries (STALE -> fresh),
crashes (the app stopped, or an error was logged) and the most refreshes ever in flight at
once (must be 1).

    python tests/benchmarks/bench_chaos.py [--minutes 10]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # `tests` as a package

from drtui.emulator.config import EmulatorConfig
from drtui.emulator.server import EmulatorServer
from tests.observe import screen_of
from tests.reliability.rig import (
    FAULTS,
    MIXED,
    Probe,
    chaos_app,
    set_chaos,
)

FAULT_SECONDS = 4.0
CALM_SECONDS = 2.0


class ErrorCount(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


async def run(minutes: float) -> int:
    errors = ErrorCount()
    logging.getLogger().addHandler(errors)
    phases = itertools.cycle([*FAULTS.items(), ("all at once", MIXED)])
    config = EmulatorConfig(deployments=200, seed=42, clock="manual")
    recoveries = stale_spells = crashes = 0
    with EmulatorServer(config) as server:
        probe = Probe()
        app = chaos_app(server.endpoint, config.user_token, probe)
        deadline = time.monotonic() + minutes * 60
        async with app.run_test(size=(120, 40)):
            screen = screen_of(app)
            was_stale = False
            while time.monotonic() < deadline and app.is_running:
                name, fault = next(phases)
                for settings, seconds in ((fault, FAULT_SECONDS), (None, CALM_SECONDS)):
                    set_chaos(server, settings)
                    until = time.monotonic() + seconds
                    while time.monotonic() < until and app.is_running:
                        stale = screen.freshness.stale_since is not None
                        stale_spells += stale and not was_stale
                        recoveries += was_stale and not stale
                        was_stale = stale
                        await asyncio.sleep(0.05)
                print(
                    f"  {name}: successful refreshes {screen.refreshes}, failed {probe.failures}",
                    flush=True,
                )
            crashes = int(not app.is_running or app.return_code is not None)
            refreshes = screen.refreshes
        await app.client.aclose()
    crashes += errors.count
    print(
        f"minutes: {minutes:g}  successful refreshes: {refreshes}  failed: {probe.failures}  "
        f"stale spells: {stale_spells}  recoveries: {recoveries}  crashes: {crashes}  "
        f"max concurrent refreshes: {probe.max_in_flight}"
    )
    return 0 if crashes == 0 and probe.max_in_flight == 1 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    return asyncio.run(run(parser.parse_args().minutes))


if __name__ == "__main__":
    sys.exit(main())
