"""An unexpected exception ends in a restored terminal, one line on stderr and a crash log."""

from __future__ import annotations

import re
import stat
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import ClassVar

import httpx
import pytest
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.pilot import Pilot
from textual.widgets import Static

from drtui.api.client import DataRobotClient
from drtui.api.retry import NO_RETRY
from drtui.emulator.app import create_app
from drtui.emulator.config import EmulatorConfig
from drtui.store.debuglog import crash_message, write_crash_log
from drtui.store.paths import STATE_DIR_ENV, state_directory
from drtui.ui.app import DrtuiApp
from drtui.ui.crash import CrashSafeApp, run_crash_safe
from drtui.ui.screens.deployments import DeploymentsScreen
from drtui.ui.settings import AppSettings
from tests.observe import screen_of, until
from tests.reliability.conftest import TOKEN


@pytest.fixture
def crash_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "state"
    monkeypatch.setenv(STATE_DIR_ENV, str(folder))
    yield folder


def _raise(message: str) -> RuntimeError:
    try:
        raise RuntimeError(message)
    except RuntimeError as error:
        return error


def test_crash_log_holds_the_traceback_redacted_and_private(crash_dir: Path) -> None:
    when = datetime(2026, 11, 23, 12, 30, 5)
    first = write_crash_log(_raise(f"bad header Bearer {TOKEN}"), secrets=[TOKEN], now=when)
    second = write_crash_log(_raise("again"), secrets=[TOKEN], now=when)
    assert state_directory() == crash_dir
    assert first.parent == crash_dir and first.name == "crash-20261123-123005.log"
    assert second != first and second.parent == crash_dir  # same second, still two files
    text = first.read_text()
    assert "Traceback" in text and "RuntimeError: bad header Bearer [redacted]" in text
    assert TOKEN not in text
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    message = crash_message(first)
    assert "\n" not in message and str(first) in message


class Exploding(CrashSafeApp):
    """The smallest app with a handler that fails, as any drtui handler might."""

    crash_secrets = (TOKEN,)
    BINDINGS: ClassVar[list[BindingType]] = [Binding("x", "explode", "explode")]

    def compose(self) -> ComposeResult:
        yield Static("half of a screen")

    def action_explode(self) -> None:
        raise ValueError(f"handler failed near {TOKEN}")


async def _press_x(pilot: Pilot[int]) -> None:
    await pilot.press("x")


def test_a_failing_handler_ends_in_one_line_and_a_log(
    crash_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = Exploding()
    assert run_crash_safe(app, headless=True, size=(80, 24), auto_pilot=_press_x) == 1
    assert not app.is_running and app.return_code == 1
    assert app.crash_log is not None and app.crash_log.parent == crash_dir
    logged = app.crash_log.read_text()
    assert "ValueError: handler failed near [redacted]" in logged and "action_explode" in logged
    err = capsys.readouterr().err
    assert err.strip() == crash_message(app.crash_log)  # one line, no rich traceback
    assert TOKEN not in err


def test_drtui_app_itself_is_crash_safe(
    crash_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real app: a bug in a key handler must leave a crash log, not a traceback."""

    def broken(self: DeploymentsScreen) -> None:
        raise KeyError(f"cursor row vanished ({TOKEN})")

    monkeypatch.setattr(DeploymentsScreen, "action_refresh", broken)
    config = EmulatorConfig(deployments=20, seed=3, clock="manual", user_token=TOKEN)
    endpoint = "http://emulator.test/api/v2"
    client = DataRobotClient(
        endpoint, TOKEN, retry=NO_RETRY, transport=httpx.ASGITransport(app=create_app(config))
    )
    app = DrtuiApp(AppSettings(endpoint=endpoint, token=TOKEN), client=client)
    # the app does not close a client it was handed; it dies with this test's event loop

    async def press_r(pilot: Pilot[int]) -> None:
        screen = screen_of(app)
        await until(pilot, lambda: screen.refreshes >= 1, 5.0, "the first refresh")
        await pilot.press("r")

    assert isinstance(app, CrashSafeApp), "DrtuiApp must derive from drtui.ui.crash.CrashSafeApp"
    assert run_crash_safe(app, headless=True, size=(100, 30), auto_pilot=press_r) == 1
    logs = sorted(crash_dir.glob("crash-*.log"))
    assert len(logs) == 1, "no crash log in the state directory"
    assert "KeyError" in logs[0].read_text() and TOKEN not in logs[0].read_text()
    err = capsys.readouterr().err
    assert err.strip() == crash_message(logs[0])
    assert not re.search(r"Traceback|╭|KeyError", err)
