"""The deployments screen through a real pty at 200x50: cold start, keystroke latency, bytes, idle CPU.

Budgets (issue 5): cold start of `drtui demo --deployments 1000` to the first full table ≤ 1.5 s;
search keystroke to finished frame at 10,000 rows p95 ≤ 50 ms; ≤ 8 KB written for a refresh that
changes 20 visible rows and ≈ 0 B for one that changes nothing; ≤ 1 % of a core while idle with a
30 s refresh.

    python tests/benchmarks/bench_ui_terminal.py [--idle-seconds 300] [--skip-idle]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

from terminal import PtyApp

from drtui.emulator.config import EmulatorConfig
from drtui.emulator.server import EmulatorServer

TOKEN = "bench-token"


def _env(endpoint: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATAROBOT_")}
    env.pop("NO_COLOR", None)
    if endpoint:
        env.update(DATAROBOT_ENDPOINT=endpoint, DATAROBOT_API_TOKEN=TOKEN)
    return env


def _drtui(*args: str) -> list[str]:
    return [sys.executable, "-m", "drtui", *args]


def cold_start() -> float:
    app = PtyApp(_drtui("demo", "--deployments", "1000", "--all"), _env()).start()
    try:
        done = app.wait_for(b"/1000", timeout=30)
        return done - app.started
    finally:
        app.stop()


def keystrokes(server: EmulatorServer) -> tuple[float, float, int]:
    app = PtyApp(_drtui("--all"), _env(server.endpoint)).start()
    try:
        app.wait_for(b"10000", timeout=60)
        app.wait_quiet(1.0)
        app.send("/")
        app.wait_quiet(0.5)
        samples: list[float] = []
        for key in ("churn predictor" + "\x7f" * 15) * 2:
            sent = app.send(key)
            end = app.next_frame_end(sent)
            if end is not None:
                samples.append((end - sent) * 1000)
            app.wait_quiet(0.6)  # let the debounced server-side search land before the next key
        print("  samples (ms):", " ".join(f"{s:.0f}" for s in samples))
        p95 = statistics.quantiles(samples, n=20, method="inclusive")[18]
        return statistics.median(samples), p95, len(samples)
    finally:
        app.stop()


def _visible_ids(server: EmulatorServer) -> list[str]:
    state = server.state
    ordered = sorted(state.live_ids, key=lambda i: (state.deployments[i].doc["label"].lower(), i))
    return ordered[1:21]  # on screen, below the cursor row (whose detail pane would redraw)


def _grow_usage(server: EmulatorServer) -> None:
    """The everyday change: predictions keep coming in, so usage cells move."""
    state = server.state
    with state.lock:
        for deployment_id in _visible_ids(server):
            usage = dict(state.deployments[deployment_id].doc["predictionUsage"])
            usage["dailyRates"] = [r * 2 + 1000 for r in usage["dailyRates"]]
            state.update_deployment(deployment_id, {"predictionUsage": usage})


def _degrade(server: EmulatorServer) -> None:
    """The alarming change: 20 rows get worse at once, so each row lights up and a toast shows."""
    state = server.state
    with state.lock:
        for deployment_id in _visible_ids(server):
            current = state.deployments[deployment_id].doc["serviceHealth"]["status"]
            state.set_health(
                deployment_id, "serviceHealth", "failing" if current != "failing" else "warning"
            )


def refresh_bytes(server: EmulatorServer) -> tuple[int, int, int]:
    app = PtyApp(_drtui("--all", "--order-by=label"), _env(server.endpoint)).start()
    try:
        app.wait_for(b"/1000", timeout=60)
        app.wait_quiet(1.0)
        figures = []
        for change in (_grow_usage, lambda _: None, _degrade):
            change(server)
            sent = app.send("r")
            app.wait_quiet(1.0)
            figures.append(app.bytes_since(sent))
        usage, unchanged, degraded = figures
        return usage, unchanged, degraded
    finally:
        app.stop()


def idle_cpu(server: EmulatorServer, seconds: float) -> float:
    app = PtyApp(_drtui("--refresh", "30"), _env(server.endpoint)).start()
    try:
        app.wait_for(b"/1000", timeout=60)
        app.wait_quiet(1.0)
        before, t0 = app.cpu_seconds(), time.perf_counter()
        time.sleep(seconds)
        return (app.cpu_seconds() - before) / (time.perf_counter() - t0) * 100
    finally:
        app.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle-seconds", type=float, default=300.0)
    parser.add_argument("--skip-idle", action="store_true")
    args = parser.parse_args()

    seconds = cold_start()
    print(
        f"cold start, drtui demo --deployments 1000 to full table: {seconds:.2f} s (budget ≤ 1.5 s)"
    )

    with EmulatorServer(EmulatorConfig(deployments=10000, user_token=TOKEN, clock="manual")) as big:
        p50, p95, n = keystrokes(big)
    print(
        f"search keystroke to frame at 10,000 rows: p50 {p50:.1f} ms, p95 {p95:.1f} ms "
        f"over {n} keys (budget p95 ≤ 50 ms)"
    )

    with EmulatorServer(
        EmulatorConfig(deployments=1000, user_token=TOKEN, clock="manual")
    ) as fleet:
        usage, unchanged, degraded = refresh_bytes(fleet)
        print(f"bytes written, refresh changing 20 visible rows: {usage} B (budget ≤ 8192 B)")
        print(f"bytes written, refresh changing nothing: {unchanged} B (budget ≈ 0 B)")
        print(
            f"bytes written, refresh degrading 20 visible rows (rows light up, toast): "
            f"{degraded} B (no budget)"
        )
        if not args.skip_idle:
            share = idle_cpu(fleet, args.idle_seconds)
            print(
                f"idle CPU over {args.idle_seconds:.0f} s with 30 s refresh: {share:.2f} % of a core "
                "(budget ≤ 1 %)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
