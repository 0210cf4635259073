"""Time to fetch a 10,000-deployment fleet: drtui's client versus the official ``datarobot``.

Both run against the same emulator over real HTTP in the same process, one after the other.
Budget: drtui at least 5x faster. Run: ``.venv/bin/python tests/benchmarks/bench_client_vs_official.py``
(``--deployments N`` to change the fleet size). Exits 1 when the budget is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
import warnings

from drtui.api.client import DataRobotClient
from drtui.emulator.config import EmulatorConfig
from drtui.emulator.server import EmulatorServer

BUDGET = 5.0


async def _drtui(endpoint: str, token: str) -> int:
    async with DataRobotClient(endpoint, token) as client:
        return len(await client.list_all_deployments())


def time_drtui(endpoint: str, token: str) -> tuple[float, int]:
    started = time.perf_counter()
    count = asyncio.run(_drtui(endpoint, token))
    return time.perf_counter() - started, count


def time_official(endpoint: str, token: str) -> tuple[float, int]:
    import datarobot as dr

    started = time.perf_counter()
    dr.Client(endpoint=endpoint, token=token)
    count = len(dr.Deployment.list())
    return time.perf_counter() - started, count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deployments", type=int, default=10_000)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    config = EmulatorConfig(deployments=args.deployments)
    with EmulatorServer(config) as server:
        # Warm the emulator (first serialisation of each record) so neither side pays for it.
        time_drtui(server.endpoint, config.user_token)
        drtui_seconds, drtui_count = time_drtui(server.endpoint, config.user_token)
        official_seconds, official_count = time_official(server.endpoint, config.user_token)
    ratio = official_seconds / drtui_seconds
    print(f"fleet: {args.deployments:,} deployments on the emulator")
    print(f"drtui list_all_deployments:   {drtui_seconds:7.2f} s  ({drtui_count:,} deployments)")
    print(
        f"datarobot Deployment.list():  {official_seconds:7.2f} s  ({official_count:,} deployments)"
    )
    verdict = "within" if ratio >= BUDGET else "MISSES"
    print(f"drtui is {ratio:.1f}x faster; budget >= {BUDGET:g}x: {verdict} budget")
    if drtui_count != official_count:
        print("the two clients saw different fleets", file=sys.stderr)
        return 1
    return 0 if ratio >= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
