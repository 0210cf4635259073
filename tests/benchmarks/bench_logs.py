"""Issue 16 figures: following a fast log, and memory after a million lines (prints, never asserts).

1. The emulator's log grows at 1,000 lines/s for 60 s with its 1 MB cap; drtui's follow step
   (overlap + parse, core/log_snapshots.py and log_lines.py) runs every poll interval: each poll must leave what is shown
   ending exactly with the server's snapshot (nothing lost), with no record twice, and take far
   less than the interval (so the view is never more than one interval behind).
2. RSS after 1,000,000 lines streamed through the default 100,000-line ring buffer.
3. A search keystroke in a 100,000-line log, through a real pty (terminal.py), against Textual's
   own floor: an app holding only an Input whose handler does nothing, run in the same
   benchmark at the same size, keystrokes alternating between the two apps so both see the
   same machine. Each keystroke is timed from the byte sent to the end of the last frame it
   caused (the app then stays quiet). Budget: p50 and p95 within 1.3x of the floor's.

4. `--rate 1000`: the log view itself (LogScreen, the real client over HTTP, headless) follows a
   `drtui emulator` process whose logs grow at that rate on the wall clock, for `--seconds`
   (default 600), its logs capped at `--log-bytes` (default 1 MiB, "near 1 MB"). Every half
   interval it samples how far the newest line shown is behind the wall clock (budget: one
   poll interval plus the poll itself), the lines appended per second (the log's own rate when
   nothing is repeated), restart markers, and the process's RSS (flat: the last minute's
   against the second's). `--tail-client` first makes the client keep a
   snapshot's tail (core.log_snapshots.clean_log), as the pending client change does.

Run: .venv/bin/python tests/benchmarks/bench_logs.py [--skip-follow] [--rounds 3]
     .venv/bin/python tests/benchmarks/bench_logs.py --rate 1000 [--seconds 600] [--tail-client]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # `tests` as a package

from drtui.core.log_buffer import DEFAULT_CAPACITY, LogBuffer
from drtui.core.log_lines import LineParser
from drtui.core.log_snapshots import overlap
from drtui.emulator.config import EmulatorConfig
from drtui.emulator.state import EmulatorState
from tests.benchmarks.terminal import SYNC_END, PtyApp

INTERVAL = 2.0
RATE = 1000.0
SECONDS = 60


def follow() -> None:
    config = EmulatorConfig(
        deployments=60, seed=7, clock="manual", log_rate=RATE, log_max_bytes=1_000_000
    )
    state = EmulatorState(config)
    target = next(i for i in state.custom_ids if state.custom_log(i) is not None)
    parser, buffer = LineParser(), LogBuffer()
    previous: list[str] = []
    worst = 0.0
    lost = duplicated = 0
    polls = 0
    for _ in range(int(SECONDS / INTERVAL)):
        state.advance(INTERVAL)
        snapshot = (state.custom_log(target) or "").splitlines()
        started = time.perf_counter()
        delta = overlap(previous, snapshot)
        buffer.extend(parser.parse(delta.added))
        worst = max(worst, time.perf_counter() - started)
        previous = snapshot
        polls += 1
        tail = [line.original for line in buffer.lines[-len(snapshot) :]]
        if tail != snapshot:
            lost += 1
    stamped = [line.original for line in buffer.lines if line.stamp_len or line.raw]
    duplicated = len(stamped) - len(set(stamped))
    print(f"follow: {RATE:.0f} lines/s for {SECONDS} s, poll every {INTERVAL:g} s ({polls} polls)")
    print(f"  lines kept {len(buffer):,}, dropped {buffer.dropped:,}")
    print(f"  polls whose result did not end with the server's snapshot: {lost} (budget 0)")
    print(f"  records shown twice: {duplicated} (budget 0)")
    print(
        f"  slowest follow step {worst * 1000:.1f} ms of a {INTERVAL * 1000:.0f} ms interval: "
        f"behind by at most one interval + {worst * 1000:.1f} ms"
    )


def memory() -> None:
    parser, buffer = LineParser(), LogBuffer(capacity=DEFAULT_CAPACITY)
    stamp = "2026-03-02T09:00:{:02d}.{:06d}Z INFO    [model] Prediction request served in {} ms"
    batch: list[str] = []
    for n in range(1_000_000):
        batch.append(stamp.format(n // 1_000_000 % 60, n % 1_000_000, n % 2400))
        if len(batch) == 5_000:
            buffer.extend(parser.parse(batch))
            batch = []
    with open("/proc/self/statm") as f:
        rss = int(f.read().split()[1]) * resource.getpagesize() / 2**20
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"memory: 1,000,000 lines streamed, buffer {buffer.capacity:,} lines")
    print(f"  kept {len(buffer):,}, dropped {buffer.dropped:,} (counted)")
    print(f"  RSS now {rss:.0f} MB, peak {peak:.0f} MB (budget 150 MB)")


# ----- 3. a search keystroke through a pty, against Textual's floor ------------------------------

SEARCH_LINES = 100_000
WORD = "prediction"
BUDGET = 1.3


def generated_log(lines: int = SEARCH_LINES) -> str:
    """The emulator's log of one deployment (text, JSON, tracebacks), `lines` lines of it."""
    config = EmulatorConfig(
        deployments=60, seed=7, clock="manual", log_rate=1000.0, log_max_bytes=200_000_000
    )
    state = EmulatorState(config)
    target = next(
        i
        for i in state.custom_ids
        if state.deployments[i].doc.get("status") == "active" and state.custom_log(i)
    )
    text: list[str] = []
    while len(text) < lines:
        state.advance((lines - len(text)) / 1000 * 1.05)
        text = (state.custom_log(target) or "").splitlines()
    return "\n".join(text[-lines:]) + "\n"


def log_child(path: str) -> None:
    """The log view on a 100,000-line log (no server: the snapshot is handed over once)."""
    from textual.app import App

    from drtui.api.endpoints.custom_models import LogText
    from drtui.ui.app import DrtuiApp
    from drtui.ui.screens.log_followers import LogTarget
    from drtui.ui.screens.logs import LogScreen
    from drtui.ui.settings import AppSettings
    from drtui.ui.textual_compat import acyclic_strips

    with open(path, encoding="utf-8") as f:
        log = LogText(f.read(), "bench.log")

    class OneLog:
        async def custom_log(self, _: str) -> LogText:
            return log

    acyclic_strips()  # as DrtuiApp does

    class LogApp(App[None]):
        CSS_PATH = DrtuiApp.CSS_PATH

        def on_mount(self) -> None:
            settings = AppSettings(endpoint="https://bench.invalid", token="bench-token")
            now: Callable[[], datetime] = lambda: datetime(2026, 3, 2, 9, tzinfo=UTC)  # noqa: E731
            targets = [LogTarget("bench", "bench model", "active")]
            sources: Any = OneLog()
            self.push_screen(LogScreen(settings, sources, now, targets, interval=3600))

    profile = os.environ.get("DRTUI_BENCH_PROFILE")  # a cProfile of the child, to see the cost
    if profile:
        import cProfile

        with cProfile.Profile() as profiler:
            LogApp().run()
        profiler.dump_stats(profile)
    else:
        LogApp().run()


def floor_child() -> None:
    """Textual's floor: one Input whose Changed handler does nothing, at the same size."""
    from textual.app import App, ComposeResult
    from textual.widgets import Input

    class Floor(App[None]):
        def compose(self) -> ComposeResult:
            field = Input(compact=True)
            field.cursor_blink = False
            yield field

        def on_input_changed(self, _: Input.Changed) -> None:
            pass

    Floor().run()


def _keystroke(app: PtyApp, key: str, quiet: float) -> float:
    """Milliseconds from sending `key` to the end of the last frame it caused."""
    sent = app.send(key)
    if app.next_frame_end(sent, timeout=10) is None:
        raise TimeoutError(f"no frame after {key!r}")
    app.wait_quiet(quiet)
    chunks = app.chunks_since(sent)
    # A frame's end marker may be split between two reads: look for it in the joined bytes.
    seen, last = b"", sent
    for chunk in chunks:
        found = seen.count(SYNC_END)
        seen += chunk.data
        if seen.count(SYNC_END) > found:
            last = chunk.at
    return (last - sent) * 1000


def _figures(samples: list[float]) -> tuple[float, float]:
    return statistics.median(samples), statistics.quantiles(samples, n=20, method="inclusive")[18]


def search_keystroke(rounds: int) -> bool:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATAROBOT_")}
    env.pop("NO_COLOR", None)
    me = os.path.abspath(__file__)
    path = os.path.join(tempfile.gettempdir(), f"drtui-bench-log-{SEARCH_LINES}.txt")
    if not os.path.exists(path):  # the emulator takes a while to write 100,000 lines: once
        with open(path + ".part", "w", encoding="utf-8") as f:
            f.write(generated_log())
        os.replace(path + ".part", path)
    argv = [sys.executable, me, "--child", "log", "--log-file", path]
    log = PtyApp(argv, env, columns=160, lines=48).start()
    floor = PtyApp([sys.executable, me, "--child", "floor"], env, columns=160, lines=48).start()
    try:
        log.wait_for(b"FOLLOWING", timeout=120)
        log.wait_for(b"100,000 lines", timeout=120)
        log.wait_quiet(1.0)
        floor.wait_quiet(1.0)
        log.send("/")
        log.wait_quiet(0.5)
        keys = (WORD + "\x7f" * len(WORD)) * rounds
        samples: dict[str, list[float]] = {"log": [], "floor": []}
        for key in keys:  # alternate, so both apps see the same machine at the same moment
            samples["floor"].append(_keystroke(floor, key, 0.15))
            samples["log"].append(_keystroke(log, key, 0.15))
    finally:
        for app in (log, floor):
            app.send("\x11")  # ctrl+q: Textual's quit (q would be typed into the prompt)
            app.stop()
    (lp50, lp95), (fp50, fp95) = _figures(samples["log"]), _figures(samples["floor"])
    ok = lp50 <= BUDGET * fp50 and lp95 <= BUDGET * fp95
    print(
        f"search keystroke, {SEARCH_LINES:,}-line log, 160x48 pty, {len(keys)} keys "
        f"(type and delete {WORD!r} x{rounds})"
    )
    print(f"  log view: p50 {lp50:.1f} ms, p95 {lp95:.1f} ms")
    print("  log view samples (ms, in key order):", " ".join(f"{x:.0f}" for x in samples["log"]))
    print(f"  floor (Input, handler does nothing): p50 {fp50:.1f} ms, p95 {fp95:.1f} ms")
    print(
        f"  ratio p50 {lp50 / fp50:.2f}x, p95 {lp95 / fp95:.2f}x (budget <= {BUDGET}x): "
        + ("within budget" if ok else "OVER BUDGET")
    )
    return ok


# ----- 4. the log view following a fast log over HTTP -------------------------------------------


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def follow_live(rate: float, seconds: float, tail_client: bool, log_bytes: int) -> bool:
    import asyncio
    import subprocess

    port = _free_port()
    token = EmulatorConfig().user_token
    emulator = subprocess.Popen(
        [
            *(sys.executable, "-m", "drtui", "emulator", "--port", str(port)),
            *("--deployments", "60", "--log-rate", f"{rate:g}", "--log-max-bytes", str(log_bytes)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        return asyncio.run(
            _follow_live(
                f"http://127.0.0.1:{port}/api/v2", token, rate, seconds, tail_client, log_bytes
            )
        )
    finally:
        emulator.terminate()
        emulator.wait(10)


async def _follow_live(
    endpoint: str, token: str, rate: float, seconds: float, tail_client: bool, log_bytes: int
) -> bool:
    import asyncio

    from textual.app import App

    import drtui.api.client as client_module
    from drtui.api.client import DataRobotClient
    from drtui.api.errors import DataRobotError
    from drtui.core.log_snapshots import clean_log
    from drtui.ui.app import DrtuiApp
    from drtui.ui.screens.log_followers import LOG_INTERVAL, LogTarget
    from drtui.ui.screens.logs import LogScreen
    from drtui.ui.settings import AppSettings
    from drtui.ui.sources import Sources

    if tail_client:
        client_module.clean_lines = lambda text, **_: clean_log(str(text))  # type: ignore[attr-defined]
    client = DataRobotClient(endpoint, token)
    for _ in range(100):  # the emulator process starting
        try:
            custom = await client.list_all_custom_model_deployments()
            break
        except DataRobotError:
            await asyncio.sleep(0.1)
    target = None
    for deployment in custom:
        if (deployment.status or "") != "active" or not deployment.id:
            continue
        try:
            await client.get_custom_model_deployment_log(deployment.id)
        except DataRobotError:
            continue
        target = LogTarget(deployment.id, deployment.label or deployment.id, "active")
        break
    assert target is not None, "no active custom deployment with a log"
    followed = target
    settings = AppSettings(endpoint=endpoint, token=token)
    sources = Sources(client)

    class LogApp(App[None]):
        CSS_PATH = DrtuiApp.CSS_PATH

        def on_mount(self) -> None:
            now: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731
            self.push_screen(LogScreen(settings, sources, now, [followed]))

    samples: list[tuple[float, float, float, int]] = []  # (elapsed, lag s, RSS MB, lines ever)
    app = LogApp()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = app.screen
        assert isinstance(screen, LogScreen)
        while not screen.followers[0].loaded:
            await pilot.pause(0.1)
        first_end = screen.buffer.end
        started = time.monotonic()
        while (elapsed := time.monotonic() - started) < seconds:
            await pilot.pause(LOG_INTERVAL / 2)
            stamps = [line.stamp for line in screen.buffer.lines[-50:] if line.stamp]
            lag = time.time() - max(stamps) if stamps else float("inf")
            samples.append((elapsed, lag, _rss_mb(), screen.buffer.end))
        lines = screen.buffer.lines
        markers = sum(1 for line in lines if line.marker)
        stamped = [line.original for line in lines if line.stamp_len or line.raw]
        twice = len(stamped) - len(set(stamped))
        kept, dropped = len(lines), screen.buffer.dropped
    await client.aclose()
    lags = sorted(lag for _, lag, _, _ in samples)
    budget = 2 * LOG_INTERVAL
    behind = sum(1 for lag in lags if lag > budget)
    appended = (samples[-1][3] - first_end) / samples[-1][0]
    minute = [rss for at, _, rss, _ in samples if 60 <= at < 120]
    last = [rss for at, _, rss, _ in samples if at >= samples[-1][0] - 60]
    print(
        f"follow over HTTP: {followed.label}, emulator log rate {rate:g} records/s, "
        f"cap {log_bytes:,} bytes, {seconds:.0f} s, {len(samples)} samples"
        + (" (client keeping the tail)" if tail_client else " (client as it is)")
    )
    print(
        f"  newest line behind the wall clock: p50 {statistics.median(lags):.2f} s, "
        f"max {lags[-1]:.2f} s; samples over {budget:g} s (one poll + its fetch): {behind}"
    )
    print(
        f"  lines appended {appended:,.0f}/s; restart markers {markers}; records shown twice {twice}"
    )
    print(f"  buffer {kept:,} lines kept, {dropped:,} dropped")
    if minute and last:
        print(
            f"  RSS second minute {min(minute):.0f}-{max(minute):.0f} MB, "
            f"last minute {min(last):.0f}-{max(last):.0f} MB"
        )
    else:
        print(
            f"  RSS {samples[0][2]:.0f} -> {samples[-1][2]:.0f} MB (run >= 120 s to compare minutes)"
        )
    return behind == 0 and markers == 0 and twice == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", choices=("log", "floor"))
    parser.add_argument("--skip-follow", action="store_true", help="only the keystroke figure")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--log-file", help=argparse.SUPPRESS)
    parser.add_argument("--rate", type=float, help="follow a log growing this fast, over HTTP")
    parser.add_argument("--seconds", type=float, default=600.0, help="how long --rate follows")
    parser.add_argument("--tail-client", action="store_true", help="the client keeps the tail")
    parser.add_argument(
        "--log-bytes", type=int, default=1_048_576, help="the emulator's log cap (1 MiB)"
    )
    args = parser.parse_args()
    if args.rate:
        ok = follow_live(args.rate, args.seconds, args.tail_client, args.log_bytes)
        return 0 if ok else 1
    if args.child == "log":
        log_child(args.log_file)
        return 0
    if args.child == "floor":
        floor_child()
        return 0
    if not args.skip_follow:
        follow()
        memory()
    return 0 if search_keystroke(args.rounds) else 1


if __name__ == "__main__":
    sys.exit(main())
