"""The lean data path (issue 20): listing the fleet at the speed of the wire.

    .venv/bin/python tests/benchmarks/bench_data_path.py [--port 18777] [--runs 5] [--official]

Against the emulator on ``--port`` (one is started as a separate process when none answers
there: ``.venv/bin/python -m drtui emulator --deployments 10000 --port 18777``, token
``demo-user-token``), it prints, each beside its budget:

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
from collections.abc import Callable
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


def _full_pages(bodies: list[bytes]) -> list[object]:
    from pydantic import TypeAdapter

    from drtui.api.http_bodies import validate_without_gc
    from drtui.api.models import Deployment, Page

    adapter = TypeAdapter(Page[Deployment])
    return [d for body in bodies for d in validate_without_gc(adapter, body).data]


def _slim_pages(bodies: list[bytes]) -> list[object]:
    from drtui.api.models.slim import read_page

    gc.disable()  # as the client reads a page (HttpCore.read / parse)
    try:
        return [record for body in bodies for record in read_page(body).data]
    finally:
        gc.enable()


def _best(runs: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def build_step(endpoint: str, runs: int) -> None:
    """Two polls' bodies (a few seconds apart, the world moving in between): the read (in the
    fetch, on the event loop) and build_fleet (the poll's thread) of the second poll on top of
    the first, and of a first poll (every row new)."""
    import json

    from drtui.core.fleet import Fleet
    from drtui.ui.refresh import build_fleet

    first, second = asyncio.run(_bodies(endpoint)), None
    time.sleep(3)
    second = asyncio.run(_bodies(endpoint))
    per = sum(len(json.loads(body)["data"]) for body in second) / 1000
    loads = _best(runs, lambda: [json.loads(body) for body in second])
    old_read = _best(runs, lambda: _full_pages(second))
    new_read = _best(runs, lambda: _slim_pages(second))
    old_a, old_b = _full_pages(first), _full_pages(second)
    new_a, new_b = _slim_pages(first), _slim_pages(second)
    old_base = build_fleet(Fleet(), old_a).diff.fleet  # type: ignore[arg-type]
    new_base = build_fleet(Fleet(), new_a).diff.fleet  # type: ignore[arg-type]
    old_first = _best(runs, lambda: build_fleet(Fleet(), old_b))  # type: ignore[arg-type]
    new_first = _best(runs, lambda: build_fleet(Fleet(), new_b))  # type: ignore[arg-type]
    old_next = _best(runs, lambda: build_fleet(old_base, old_b))  # type: ignore[arg-type]
    new_next = _best(runs, lambda: build_fleet(new_base, new_b))  # type: ignore[arg-type]
    changed = len(build_fleet(new_base, new_b).diff.changed)  # type: ignore[arg-type]

    def line(what: str, seconds: float, budget: float | None = None) -> None:
        ms = seconds * 1000 / per
        verdict = (
            ""
            if budget is None
            else f"; budget <= {budget:g}: " + ("within" if ms <= budget else "MISSES")
        )
        print(f"  {what:52} {ms:6.1f} ms per 1,000{verdict}")

    print(f"per poll of {per * 1000:,.0f} deployments ({changed:,} changed between the polls):")
    line("read, json.loads only (what a bare fetch pays)", loads)
    line("read, before: pydantic full models", old_read)
    line("read, after: slim (msgspec, read fields only)", new_read)
    line("build_fleet, before, next poll (full models)", old_next)
    line("build_fleet, after, next poll (slim)", new_next, 50)
    line("build_fleet, before, first poll", old_first)
    line("build_fleet, after, first poll", new_first, 50)


RSS = r"""
import asyncio, gc, os, sys, time
sys.path.insert(0, sys.argv[2])
from drtui.cli import skip_httpx_cli
skip_httpx_cli()  # as the console script does: httpx's own CLI (click, pygments) stays out
import drtui.ui.app  # the app's modules, Textual included
from drtui.api.client import DataRobotClient
from drtui.api.query import DeploymentQuery
from drtui.core.fleet import Fleet
from drtui.ui.refresh import build_fleet

async def fetch():
    async with DataRobotClient(sys.argv[1], "TOKEN_") as client:
        lister = getattr(client, "list_all_deployment_records", None) or client.list_all_deployments
        return await lister(DeploymentQuery(order_by="label"))

def full_collection():
    best = 1e9
    for _ in range(7):
        started = time.perf_counter()
        gc.collect()
        best = min(best, time.perf_counter() - started)
    return best

empty_collect = full_collection()
empty_tracked = len(gc.get_objects())
if sys.argv[3] == "freeze":  # as the app does: start-up's objects out of every later scan
    gc.freeze()
update = build_fleet(Fleet(), asyncio.run(fetch()))
fleet = update.diff.fleet
del update
# As the app does with its first fleet: the cursor row's detail pane reads its full record
# (pydantic and the full model, built on first use).
shown = next(iter(fleet.rows.values())).source
collect = full_collection()
tracked = len(gc.get_objects())
rss = int(next(l for l in open("/proc/self/status") if l.startswith("VmRSS")).split()[1]) / 1024
print(f"{len(fleet)} {collect * 1000:.1f} {tracked} {rss:.0f} {empty_collect * 1000:.1f} {empty_tracked}")
""".replace("TOKEN_", TOKEN)


def _heap_figures(endpoint: str, mode: str) -> tuple[int, float, int, float, float, int]:
    out = subprocess.run(
        [sys.executable, "-c", RSS, endpoint, str(ROOT), mode],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return int(out[0]), float(out[1]), int(out[2]), float(out[3]), float(out[4]), int(out[5])


def heap(endpoint: str, runs: int) -> None:
    best = frozen = None
    for _ in range(max(1, runs // 2)):
        figures = _heap_figures(endpoint, "plain")
        best = figures if best is None or figures[1] < best[1] else best
        figures = _heap_figures(endpoint, "freeze")
        frozen = figures if frozen is None or figures[1] < frozen[1] else frozen
    assert best is not None and frozen is not None
    count, collect, tracked, rss, empty_collect, empty_tracked = best
    print(
        f"fleet of {count:,} loaded: full gc.collect() {collect:.1f} ms (budget <= 50 ms), "
        f"{tracked:,} objects tracked; RSS {rss:.0f} MB (budget <= 150 MB at 10,000)"
    )
    print(
        f"  the same process before fetching: gc.collect() {empty_collect:.1f} ms, "
        f"{empty_tracked:,} objects tracked (the fleet adds "
        f"{(tracked - empty_tracked) / max(count, 1):.1f} per deployment)"
    )
    print(
        f"  with start-up's objects frozen before fetching (what the app does): "
        f"gc.collect() {frozen[1]:.1f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=18777)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--official", action="store_true")
    parser.add_argument("--only", choices=("process", "build", "heap"))
    parser.add_argument(
        "--deployments",
        type=int,
        default=10_000,
        help="fleet of the emulator started when none answers on --port",
    )
    args = parser.parse_args()
    endpoint = f"http://127.0.0.1:{args.port}/api/v2"
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} on {os.cpu_count()} cores")
    server = None if _answers(endpoint) else _start_emulator(args.port, args.deployments)
    try:
        _measure(args, endpoint)
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
    return 0


def _answers(endpoint: str) -> bool:
    import httpx

    try:
        httpx.get(f"{endpoint}/version/", headers={"Authorization": f"Bearer {TOKEN}"})
    except httpx.HTTPError:
        return False
    return True


def _start_emulator(port: int, deployments: int) -> subprocess.Popen[bytes]:
    """No emulator on the port: start one as a separate process (as the issue measures)."""
    print(f"starting an emulator of {deployments:,} deployments on port {port}")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "drtui",
            "emulator",
            "--deployments",
            str(deployments),
            "--port",
            str(port),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    while not _answers(f"http://127.0.0.1:{port}/api/v2"):
        if time.monotonic() > deadline or server.poll() is not None:
            server.terminate()
            raise SystemExit("the emulator did not start")
        time.sleep(1)
    return server


def _measure(args: argparse.Namespace, endpoint: str) -> None:
    if args.only in (None, "process"):
        whole_processes(endpoint, args.runs, args.official)
    if args.only in (None, "build"):
        build_step(endpoint, args.runs)
    if args.only in (None, "heap"):
        heap(endpoint, args.runs)


if __name__ == "__main__":
    sys.exit(main())
