"""SIGTERM or SIGHUP ends drtui as `q` does: the terminal is given back restored.

A real pseudo-terminal and the real console script (`drtui demo`): what is checked is the bytes
the terminal receives and its mode once drtui has gone.
"""

from __future__ import annotations

import os
import signal
import sys
import termios
import time
from pathlib import Path

import pytest

from tests.benchmarks.terminal import PtyApp

ALT_SCREEN_OFF = b"\x1b[?1049l"
MOUSE_OFF = (b"\x1b[?1000l", b"\x1b[?1003l", b"\x1b[?1006l")


def _wait_exit(pid: int, timeout: float = 30.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    raise AssertionError("drtui did not exit after the signal")


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_a_termination_signal_restores_the_terminal(tmp_path: Path, number: int) -> None:
    drtui = Path(sys.executable).with_name("drtui")
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "DRTUI_STATE_DIR": str(tmp_path / "state"),
    }
    app = PtyApp([str(drtui), "demo", "--deployments", "20"], env, columns=100, lines=30)
    app.start()
    try:
        app.wait_for(b"attention", timeout=60)
        sent = time.perf_counter()
        os.kill(app.pid, number)
        code = _wait_exit(app.pid)
        mode = app.terminal_mode()
    finally:
        app.stop()
    app.drained()
    after = app.output_since(sent)
    assert ALT_SCREEN_OFF in after, "the alternate screen is left"
    assert all(sequence in after for sequence in MOUSE_OFF), "mouse tracking is off"
    assert mode[3] & termios.ICANON and mode[3] & termios.ECHO, "no longer in raw mode"
    assert code == 128 + number
    assert not any((tmp_path / "state").glob("crash-*.log")), "a clean exit, not a crash"
