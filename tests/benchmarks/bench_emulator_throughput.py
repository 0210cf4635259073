"""Emulator throughput: 100-item pages of a 10,000 deployment fleet, and startup time.

Run: .venv/bin/python tests/benchmarks/bench_emulator_throughput.py
The client runs in the same process as the server (one interpreter, one GIL), so the figure is a
floor for what the emulator alone can serve on one core.
"""

from __future__ import annotations

import time

import httpx

from drtui.emulator.config import EmulatorConfig
from drtui.emulator.server import EmulatorServer
from drtui.emulator.state import EmulatorState

FLEET = 10_000
PAGES = 500
PAGE_BUDGET = 200.0
STARTUP_BUDGET = 2.0


def main() -> None:
    config = EmulatorConfig(deployments=FLEET)
    started = time.perf_counter()
    EmulatorState(config)
    startup = time.perf_counter() - started
    print(f"state for {FLEET} deployments: {startup:.2f} s (budget {STARTUP_BUDGET:.1f} s)")

    started = time.perf_counter()
    with EmulatorServer(config) as server:
        print(f"EmulatorServer ready:      {time.perf_counter() - started:.2f} s")
        with httpx.Client(
            base_url=server.endpoint + "/",
            headers={"Authorization": f"Bearer {config.user_token}"},
        ) as client:
            for offset in range(0, FLEET, 100):  # warm the per-deployment JSON cache
                client.get("deployments/", params={"limit": 100, "offset": offset})
            for label, extra in (
                ("default order", {}),
                ("filtered + ordered", {"serviceHealth": "passing,warning", "orderBy": "label"}),
            ):
                started = time.perf_counter()
                for page in range(PAGES):
                    response = client.get(
                        "deployments/",
                        params={**extra, "limit": 100, "offset": (page * 100) % 5000},
                    )
                    response.raise_for_status()
                rate = PAGES / (time.perf_counter() - started)
                verdict = "ok" if rate >= PAGE_BUDGET else "BELOW BUDGET"
                print(
                    f"{label:<20} {rate:7.0f} pages/s of 100 over HTTP "
                    f"(budget {PAGE_BUDGET:.0f}) {verdict}"
                )


if __name__ == "__main__":
    main()
