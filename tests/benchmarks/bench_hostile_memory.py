"""Peak memory of `drtui check` (and a log read) against bodies that never end or inflate to a
gibibyte, each in a child process under an address-space limit (RLIMIT_AS), so a regression
fails with a MemoryError instead of taking the machine.

Before the cap: an endless body took `check --timeout 10` to 3.7 GB, a 1 MB gzip bomb (1 GiB
inflated) to 3.2 GB, an endless log to 3.6 GB. Budget: every run exits 3 with one sentence and
a peak RSS under 300 MB.

    python tests/benchmarks/bench_hostile_memory.py [--limit-mb 1024]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # `tests` as a package

from tests.reliability.hostile_server import HostileServer, Reply, gzip_bomb

TOKEN = "bench-hostile-token-0451"
BUDGET_MB = 300
PAGE_START = b'{"count": 1, "totalCount": 1, "next": null, "data": [{"id": "d1", "label": "'

CHILD = """
import resource, sys
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
mode = sys.argv[2]
if mode == "check":
    from drtui.cli import main
    sys.exit(main(["check", "--timeout", "60"]))
import asyncio
from drtui.api.client import DataRobotClient
from drtui.api.errors import DataRobotError
async def read_log():
    async with DataRobotClient(sys.argv[3], sys.argv[4]) as client:
        await client.get_custom_model_deployment_log("c1")
try:
    asyncio.run(read_log())
except DataRobotError as error:
    print(f"drtui: {error}", file=sys.stderr)
    sys.exit(3)
"""


def run_child(mode: str, endpoint: str, limit: int) -> tuple[int, float, float, str]:
    """Exit code, peak RSS in MB, seconds, stderr of one child run."""
    env = {**os.environ, "DATAROBOT_ENDPOINT": endpoint, "DATAROBOT_API_TOKEN": TOKEN}
    started = time.monotonic()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(limit), mode, endpoint, TOKEN],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stderr is not None
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, usage.ru_maxrss / 1024, time.monotonic() - started, err.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit-mb", type=int, default=1024, help="the child's RLIMIT_AS")
    parser.add_argument("--bomb-mb", type=int, default=1024, help="the gzip bomb's inflated size")
    args = parser.parse_args()
    limit = args.limit_mb << 20
    bomb = gzip_bomb(args.bomb_mb << 20)
    scenarios = {
        "endless page": ("check", Reply(body=PAGE_START, endless=b"x" * 65536)),
        f"gzip bomb {len(bomb) >> 10} KiB -> {args.bomb_mb} MiB": (
            "check",
            Reply(body=bomb, headers={"Content-Encoding": "gzip"}),
        ),
        "endless log": ("log", Reply(body=b"line\n", endless=b"more log\n" * 8192)),
    }
    worst = 0
    ok = True
    for name, (mode, reply) in scenarios.items():

        def route(method: str, path: str, query: dict[str, str], reply: Reply = reply) -> Reply:
            return reply

        with HostileServer(route) as server:
            code, peak, seconds, err = run_child(mode, server.endpoint, limit)
        worst = max(worst, int(peak))
        fine = code == 3 and peak < BUDGET_MB and "Traceback" not in err and "\n" not in err
        ok = ok and fine
        print(f"{name:32} exit {code}  peak RSS {peak:6.1f} MB  {seconds:5.2f} s  {err[:110]}")
    print(f"worst peak {worst} MB (budget {BUDGET_MB} MB, address space limit {args.limit_mb} MB)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
