"""Emulator throughput: 100-item pages of GET /deployments/ in every order and a few filters.

Run: .venv/bin/python tests/benchmarks/bench_emulator_throughput.py [--deployments 100000]
     [--client process|same|both] [--pages 300] [--concurrency 4] [--warm-passes 3] [--only label]

The world runs on the wall clock, so predictions move between any two requests, as in a demo.
Each listing is paged from offset 0 in a first pass (which sorts and renders) and then warm
passes, whose median is reported (other work on a shared machine moves single passes ±2×).
`--client process` reads from a separate process with `--concurrency` requests in flight (as
drtui's client reads pages), so neither the client's CPU nor its latency counts against the
server; `same` reads one page at a time from the server's own process (one interpreter, one
GIL: a floor). Each client mode gets a fresh server, so its first passes start from nothing.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from drtui.emulator.config import EmulatorConfig
from drtui.emulator.filters import ORDER_VALUES
from drtui.emulator.server import EmulatorServer

PAGE_BUDGET = 500.0
STARTUP_BUDGET_PER_10K = 2.0
LIMIT = 100

LISTINGS: list[tuple[str, dict[str, str]]] = [
    ("default order", {}),
    *((f"orderBy={order}", {"orderBy": order}) for order in ORDER_VALUES),
    ("serviceHealth=failing,warning", {"serviceHealth": "failing,warning"}),
    (
        "serviceHealth=passing & label",
        {"serviceHealth": "passing", "orderBy": "label"},
    ),
    (
        "importance=CRITICAL,HIGH & -recent",
        {"importance": "CRITICAL,HIGH", "orderBy": "-recentPredictions"},
    ),
    ("role=OWNER", {"role": "OWNER"}),
    ("search=fraud", {"search": "fraud"}),
    ("status=active & createdAt", {"status": "active", "orderBy": "createdAtTimestamp"}),
    ("dailyAvg>1000 & label", {"predictionUsageDailyAvgGreaterThan": "1000", "orderBy": "label"}),
    (
        "lastPredictionStart=-1h & label",
        {"lastPredictionTimestampStart": "-1h", "orderBy": "label"},
    ),
]
"""(name, query); a lastPredictionTimestampStart of -1h means an hour before the run starts."""


def run_listings(
    endpoint: str,
    token: str,
    pages: int,
    only: str | None,
    an_hour_ago: str,
    concurrency: int = 1,
    warm_passes: int = 3,
) -> list[dict[str, Any]]:
    """Page every listing once cold, then warm; per listing: pages/s first, the median warm
    pass, and the listing's size.

    The first page of a pass is read alone (it gives the total); the rest `concurrency` at a
    time, each worker on its own keep-alive connection."""
    local = threading.local()
    clients: list[httpx.Client] = []

    def get(params: dict[str, Any]) -> httpx.Response:
        client = getattr(local, "client", None)
        if client is None:
            client = local.client = httpx.Client(
                base_url=endpoint + "/", headers={"Authorization": f"Bearer {token}"}, timeout=120
            )
            clients.append(client)
        response = client.get("deployments/", params=params)
        response.raise_for_status()
        return response

    results: list[dict[str, Any]] = []
    with ThreadPoolExecutor(concurrency) as pool:
        for name, query in LISTINGS:
            if only is not None and only not in name:
                continue
            params = {k: (an_hour_ago if v == "-1h" else v) for k, v in query.items()}
            rates: list[float] = []
            total = 0
            for _ in range(1 + warm_passes):
                started = time.perf_counter()
                total = get({**params, "limit": LIMIT, "offset": 0}).json()["totalCount"]
                rest = [
                    {**params, "limit": LIMIT, "offset": page * LIMIT}
                    for page in range(1, min(pages, -(-total // LIMIT)))
                ]
                for _ in pool.map(get, rest):
                    pass
                rates.append((1 + len(rest)) / (time.perf_counter() - started))
            warm = sorted(rates[1:])[len(rates[1:]) // 2]
            results.append({"name": name, "first": rates[0], "warm": warm, "total": total})
    for client in clients:
        client.close()
    return results


def _client_process(
    endpoint: str,
    token: str,
    pages: int,
    only: str | None,
    an_hour_ago: str,
    concurrency: int,
    warm_passes: int,
) -> list[dict[str, Any]]:
    command = [sys.executable, __file__, "--client-for", endpoint, "--token", token]
    command += ["--pages", str(pages), "--an-hour-ago", an_hour_ago]
    command += ["--concurrency", str(concurrency), "--warm-passes", str(warm_passes)]
    if only is not None:
        command += ["--only", only]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    results: list[dict[str, Any]] = json.loads(done.stdout)
    return results


def _report(mode: str, results: list[dict[str, Any]]) -> None:
    print(f"\n{mode}: pages/s of {LIMIT} (budget {PAGE_BUDGET:.0f} warm, median of the passes)")
    print(f"  {'listing':<42} {'total':>7} {'first':>7} {'warm':>7}")
    for row in results:
        verdict = "ok" if row["warm"] >= PAGE_BUDGET else "BELOW BUDGET"
        print(
            f"  {row['name']:<42} {row['total']:>7} {row['first']:>7.0f} {row['warm']:>7.0f}"
            f"  {verdict}"
        )
    warm = sorted(row["warm"] for row in results)
    first = sorted(row["first"] for row in results)
    print(f"  slowest warm {warm[0]:.0f}, median warm {warm[len(warm) // 2]:.0f}; "
          f"slowest first {first[0]:.0f}, median first {first[len(first) // 2]:.0f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deployments", type=int, default=10_000)
    parser.add_argument("--client", choices=("process", "same", "both"), default="both")
    parser.add_argument("--pages", type=int, default=300, help="pages per pass (from offset 0)")
    parser.add_argument(
        "--concurrency", type=int, default=4, help="requests in flight (separate process only)"
    )
    parser.add_argument("--warm-passes", type=int, default=3, help="warm passes (median shown)")
    parser.add_argument("--only", help="only the listings whose name contains this")
    parser.add_argument("--client-for", help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    parser.add_argument("--an-hour-ago", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client_for:
        results = run_listings(
            args.client_for,
            args.token,
            args.pages,
            args.only,
            args.an_hour_ago,
            args.concurrency,
            args.warm_passes,
        )
        print(json.dumps(results))
        return

    config = EmulatorConfig(deployments=args.deployments, clock="wall")
    modes = ("process", "same") if args.client == "both" else (args.client,)
    budget = STARTUP_BUDGET_PER_10K * max(1, args.deployments / 10_000)
    for mode in modes:
        started = time.perf_counter()
        with EmulatorServer(config) as server:
            ready = time.perf_counter() - started
            print(
                f"\n{args.deployments} deployments, client {mode}: EmulatorServer ready in "
                f"{ready:.1f} s (budget {budget:.0f} s)"
            )
            an_hour_ago = (server.state.clock.now().timestamp() - 3600) // 1
            since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(an_hour_ago))
            if mode == "process":
                results = _client_process(
                    server.endpoint,
                    config.user_token,
                    args.pages,
                    args.only,
                    since,
                    args.concurrency,
                    args.warm_passes,
                )
                title = f"client in a separate process, {args.concurrency} requests in flight"
            else:
                results = run_listings(
                    server.endpoint,
                    config.user_token,
                    args.pages,
                    args.only,
                    since,
                    warm_passes=args.warm_passes,
                )
                title = "client in the same process, one request at a time"
        _report(title, results)


if __name__ == "__main__":
    main()
