"""What happens when drtui itself fails: a restored terminal, one line, the traceback in a file.

An engineer who left the dashboard open for days must not come back to a half-drawn screen or
a wall of rich traceback (whose locals could hold the token). Textual already restores the
terminal on exit; `CrashSafeApp` stops it printing the traceback, `write_crash_log` puts the
traceback in a file with every secret redacted, and `run_crash_safe` prints one line naming it.
The files themselves (the crash log, the redacted drtui.log) are `drtui.store.debuglog`'s.
"""

from __future__ import annotations

import asyncio
import signal
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import RenderableType
from rich.text import Text
from textual.app import App

from drtui.store.debuglog import crash_message, redact, write_crash_log
from drtui.ui.textual_compat import ExitWithoutTraceback

EXIT_SIGNALS: tuple[signal.Signals, ...] = (signal.SIGTERM, signal.SIGHUP)
"""Signals that end drtui as `q` does (the terminal restored); a second one ends it at once."""


def exit_cleanly_on_signals(
    app: App[Any], signals: Sequence[signal.Signals] = EXIT_SIGNALS
) -> list[signal.Signals]:
    """Make each of `signals` ask `app` to exit as `q` does: raw mode, the alternate screen and
    mouse tracking are undone before the process ends (the default action of SIGTERM or
    SIGHUP kills it on the spot and leaves the terminal unusable). The exit code is 128 plus
    the signal's number, as a shell reports a process the signal ended.

    The first signal puts the default action back, so a second one ends drtui at once should
    the clean exit hang. Call it from the running app (its event loop); signals that cannot be
    handled there (not the main thread, not this platform) are left alone. Returns the signals
    now handled.
    """
    loop = asyncio.get_running_loop()
    handled: list[signal.Signals] = []

    def on_signal(number: signal.Signals) -> None:
        for each in handled:
            loop.remove_signal_handler(each)
        app.exit(return_code=128 + number)

    for number in signals:
        try:
            loop.add_signal_handler(number, on_signal, number)
        except (ValueError, RuntimeError, NotImplementedError):
            continue
        handled.append(number)
    return handled


class CrashSafeApp(ExitWithoutTraceback[int]):
    """A Textual app whose unexpected exceptions end in a crash log instead of a traceback.

    Textual's own handling exits the app, restores the terminal, then prints a rich traceback
    with locals (which can hold the token) to stderr. This keeps the exit and the restore,
    writes the traceback to a file (`crash_log`) and prints nothing; `run_crash_safe` prints the
    one line once the terminal is back. Subclasses set `crash_secrets`. SIGTERM and SIGHUP end
    it as `q` does, the terminal restored (`exit_cleanly_on_signals`).
    """

    crash_secrets: Sequence[str] = ()
    crash_log: Path | None = None

    def on_mount(self) -> None:
        # Textual calls every class's on_mount along the MRO: a subclass's own runs as well.
        if not self.is_headless:
            exit_cleanly_on_signals(self)

    def exit_renderables_for(self, error: Exception) -> list[RenderableType]:
        try:
            path = write_crash_log(error, secrets=self.crash_secrets)
            self.crash_log = self.crash_log or path  # the first error is the one to read
        except OSError as problem:
            body = redact("".join(traceback.format_exception(error)), self.crash_secrets)
            return [Text(f"{body}\ndrtui stopped on an unexpected error; no crash log ({problem})")]
        return []


def run_crash_safe(app: CrashSafeApp, **run_options: Any) -> int:
    """Run `app` (options as for App.run); its exit code, 1 after a crash, with one line said.

    Exceptions outside Textual's message loop (driver start-up, teardown) are caught here and
    logged the same way.
    """
    try:
        app.run(**run_options)
    except Exception as error:
        try:
            app.crash_log = write_crash_log(error, secrets=app.crash_secrets)
        except OSError:
            raise error from None
    if app.crash_log is not None:
        print(crash_message(app.crash_log), file=sys.stderr)
        return app.return_code or 1
    return app.return_code or 0
