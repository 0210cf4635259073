"""The lean data path (issue 20): listing the fleet at the speed of the wire.

    .venv/bin/python tests/benchmarks/bench_data_path.py [--port 18777] [--runs 5] [--official]

Against a running emulator (start one apart: ``.venv/bin/python -m drtui emulator --deployments
10000 --port 18777``; token ``demo-user-token``), it prints, each beside its budget:

- whole processes, best of ``--runs``, interleaved so both see the same load:
  ``drtui deployments --json`` versus a bare concurrent fetch of the same pages (httpx, 4 in
  flight, ``json.loads``, nothing else); with ``--official`` also the official client's
  ``Deployment.list()`` (slow: one run);
- the app's poll build step from fetched page bodies, per 1,000 deployments: the pydantic path
  (every page validated into full models, rows built from them, ``build_fleet``) beside the lean
  path (records split from the bodies, slim rows, ``build_fleet``);
- a full garbage collection with the fleet loaded (no ``gc.freeze``), and objects tracked;
- RSS of a process holding the fleet (the app's modules imported, Textual included).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "demo-user-token"

BARE = r"""
import asyncio, json, sys
import httpx

async def main(endpoint):
    async with httpx.AsyncClient(base_url=endpoint + "/", headers={"Authorization": "Bearer TOKEN_"}) as c:
        first = json.loads((await c.get("deployments/", params={"offset": 0, "limit": 100, "orderBy": "label"})).content)
        offsets = iter(range(100, first["totalCount"], 100))
        records = list(first["data"])
        async def worker():
            got = []
            for offset in offsets:
                r = await c.get("deployments/", params={"offset": offset, "limit": 100, "orderBy": "label"})
                got.append((offset, json.loads(r.content)["data"]))
            return got
        for part in await asyncio.gather(*(worker() for _ in range(4))):
            for _, data in part:
                records.extend(data)
        print(len(records))

asyncio.run(main(sys.argv[1]))
""".replace("TOKEN_", TOKEN)

OFFICIAL = r"""
import sys, warnings
warnings.simplefilter("ignore")
import datarobot as dr
dr.Client(endpoint=sys.argv[1], token="TOKEN_")
print(len(dr.Deployment.list()))
""".replace("TOKEN_", TOKEN)


def _run(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"{argv[:4]} failed: {done.stderr.decode()[-500:]}")
    return elapsed


def whole_processes(endpoint: str, runs: int, official: bool) -> None:
    env = {
        **os.environ,
        "DATAROBOT_ENDPOINT": endpoint,
        "DATAROBOT_API_TOKEN": TOKEN,
        "PYTHONPATH": str(ROOT),
    }
    drtui_cmd = [sys.executable, "-m", "drtui", "deployments", "--json"]
    bare_cmd = [sys.executable, "-c", BARE, endpoint]
    ours, bare = [], []
    _run(bare_cmd, env)  # warm the emulator's caches and the page cache
    for _ in range(runs):
        bare.append(_run(bare_cmd, env))
        ours.append(_run(drtui_cmd, env))
    ratio = min(ours) / min(bare)
    print(
        f"drtui deployments --json      best {min(ours):6.2f} s  (runs: "
        + ", ".join(f"{t:.2f}" for t in ours)
        + ")"
    )
    print(
        f"bare httpx fetch + json.loads best {min(bare):6.2f} s  (runs: "
        + ", ".join(f"{t:.2f}" for t in bare)
        + ")"
    )
    print(
        f"  ratio {ratio:.2f}x the bare fetch; budget <= 1.3x: "
        + ("within" if ratio <= 1.3 else "MISSES")
    )
    if official:
        seconds = _run([sys.executable, "-c", OFFICIAL, endpoint], env)
        speedup = seconds / min(ours)
        print(f"official Deployment.list()         {seconds:6.2f} s")
        print(
            f"  drtui is {speedup:.1f}x faster; budget >= 12x: "
            + ("within" if speedup >= 12 else "MISSES")
        )


async def _bodies(endpoint: str) -> list[bytes]:
    import httpx

    async with httpx.AsyncClient(
        base_url=endpoint + "/", headers={"Authorization": f"Bearer {TOKEN}"}
    ) as client:
        first = await client.get(
            "deployments/", params={"offset": 0, "limit": 100, "orderBy": "label"}
        )
        total = first.json()["totalCount"]
        bodies = [first.content]
        for offset in range(100, total, 100):
            page = await client.get(
                "deployments/", params={"offset": offset, "limit": 100, "orderBy": "label"}
            )
            bodies.append(page.content)
        return bodies


def _pydantic_path(bodies: list[bytes]) -> object:
    from pydantic import TypeAdapter

    from drtui.api.http import _validate_without_gc
    from drtui.api.models import Deployment, Page
    from drtui.core.fleet import Fleet
    from drtui.core.rows import row_from_deployment

    adapter = TypeAdapter(Page[Deployment])
    deployments = [d for body in bodies for d in _validate_without_gc(adapter, body).data]
    return Fleet({(r := row_from_deployment(d)).id: r for d in deployments})


def _lean_records(bodies: list[bytes]) -> list[object]:
    from drtui.api.models.slim import read_page

    return [record for body in bodies for record in read_page(body).data]


def build_step(endpoint: str, runs: int) -> None:
    from drtui.core.fleet import Fleet
    from drtui.ui.refresh import build_fleet

    bodies = asyncio.run(_bodies(endpoint))
    count = sum(body.count(b'"label"') for body in bodies)  # approximate, for the per-1000 unit
    lean = True
    try:
        _lean_records(bodies)
    except ImportError:
        lean = False
    best_old = best_new = float("inf")
    old_fleet: object = None
    for _ in range(runs):
        gc.collect()
        started = time.perf_counter()
        old_fleet = _pydantic_path(bodies)
        best_old = min(best_old, time.perf_counter() - started)
        if lean:
            gc.collect()
            started = time.perf_counter()
            records = _lean_records(bodies)
            update = build_fleet(Fleet(), records)  # type: ignore[arg-type]
            update = build_fleet(update.diff.fleet, records)  # type: ignore[arg-type]
            best_new = min(best_new, (time.perf_counter() - started) / 2)
    per = count / 1000
    print(
        f"poll build, pydantic path (parse + rows)       {best_old * 1000:7.0f} ms "
        f"= {best_old * 1000 / per:5.1f} ms per 1,000"
    )
    if lean:
        print(
            f"poll build, lean path (split + slim rows + diff) {best_new * 1000:5.0f} ms "
            f"= {best_new * 1000 / per:5.1f} ms per 1,000; budget <= 50 ms: "
            + ("within" if best_new * 1000 / per <= 50 else "MISSES")
        )
    del old_fleet
    gc.collect()


RSS = r"""
import asyncio, gc, os, sys, time
sys.path.insert(0, sys.argv[2])
import drtui.ui.app  # the app's modules, Textual included
from drtui.api.client import DataRobotClient
from drtui.api.query import DeploymentQuery
from drtui.core.fleet import Fleet
from drtui.ui.refresh import build_fleet

async def fetch():
    async with DataRobotClient(sys.argv[1], "TOKEN_") as client:
        lister = getattr(client, "list_all_deployment_records", None) or client.list_all_deployments
        return await lister(DeploymentQuery(order_by="label"))

update = build_fleet(Fleet(), asyncio.run(fetch()))
fleet = update.diff.fleet
del update
gc.collect()
started = time.perf_counter()
gc.collect()
collect = time.perf_counter() - started
tracked = len(gc.get_objects())
rss = int(next(l for l in open("/proc/self/status") if l.startswith("VmRSS")).split()[1]) / 1024
print(f"{len(fleet)} {collect * 1000:.1f} {tracked} {rss:.0f}")
""".replace("TOKEN_", TOKEN)


def heap(endpoint: str, runs: int) -> None:
    best = None
    for _ in range(max(1, runs // 2)):
        out = subprocess.run(
            [sys.executable, "-c", RSS, endpoint, str(ROOT)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        figures = (int(out[0]), float(out[1]), int(out[2]), float(out[3]))
        best = figures if best is None or figures[1] < best[1] else best
    assert best is not None
    count, collect, tracked, rss = best
    print(
        f"fleet of {count:,} loaded: full gc.collect() {collect:.1f} ms (budget <= 50 ms), "
        f"{tracked:,} objects tracked; RSS {rss:.0f} MB (budget <= 150 MB at 10,000)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=18777)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--official", action="store_true")
    parser.add_argument("--only", choices=("process", "build", "heap"))
    args = parser.parse_args()
    endpoint = f"http://127.0.0.1:{args.port}/api/v2"
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} on {os.cpu_count()} cores")
    if args.only in (None, "process"):
        whole_processes(endpoint, args.runs, args.official)
    if args.only in (None, "build"):
        build_step(endpoint, args.runs)
    if args.only in (None, "heap"):
        heap(endpoint, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
