"""What happens when drtui itself fails: a restored terminal, one line, the traceback in a file.

An engineer who left the dashboard open for days must not come back to a half-drawn screen or
a wall of rich traceback (whose locals could hold the token). Textual already restores the
terminal on exit; `CrashSafeApp` stops it printing the traceback, `write_crash_log` puts the
traceback in a file with every secret redacted, and `run_crash_safe` prints one line naming it.
`install_log_file` gives the rest of the app (``log.exception`` in the refresh worker) the same
redacted file home, since stderr is not visible while Textual owns the terminal; it is opened
as every state file is (`drtui.store.statefile`): 0600, never through a symbolic link.
"""

from __future__ import annotations

import asyncio
import io
import logging
import os
import signal
import sys
import traceback
from collections.abc import Iterable, Sequence
from datetime import datetime
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any

from rich.console import RenderableType
from rich.text import Text
from textual.app import App

from drtui.store.paths import state_directory
from drtui.store.statefile import open_state_file
from drtui.ui.textual_compat import ExitWithoutTraceback

LOG_FILE = "drtui.log"
LOG_BYTES = 1024 * 1024
LOG_BACKUPS = 3
REDACTED = "[redacted]"


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every non-empty secret replaced, longest first (a secret may contain another)."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text


def _private_dir(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    return directory


def write_crash_log(
    exc: BaseException,
    *,
    secrets: Sequence[str] = (),
    directory: Path | None = None,
    now: datetime | None = None,
) -> Path:
    """Write the traceback of `exc`, redacted, to a new crash-YYYYmmdd-HHMMSS.log; its path.

    Readable by the user only; a second crash in the same second gets its own file. Raises
    OSError when the directory cannot be written (the caller then has no file to point at).
    """
    folder = _private_dir(directory if directory is not None else state_directory())
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    body = redact("".join(traceback.format_exception(exc)), secrets)
    for attempt in range(100):
        path = folder / (f"crash-{stamp}.log" if attempt == 0 else f"crash-{stamp}-{attempt}.log")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(body)
        return path
    raise FileExistsError(f"too many crash logs for {stamp} in {folder}")


def crash_message(path: Path) -> str:
    """The one line printed once the terminal is back."""
    return f"drtui hit an unexpected error and stopped; details in {path}"


class RedactingFormatter(logging.Formatter):
    """A formatter whose output, tracebacks included, never holds one of `secrets`."""

    def __init__(self, secrets: Sequence[str], fmt: str | None = None) -> None:
        super().__init__(fmt or "%(asctime)s %(levelname)s %(name)s: %(message)s")
        self._secrets = tuple(secrets)

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self._secrets)


def install_log_file(
    secrets: Sequence[str], *, directory: Path | None = None, level: int = logging.INFO
) -> Path:
    """Send drtui's log records to a rotating, redacted file in the state dir; its path.

    Idempotent: calling it again replaces the handler it added before, so secrets stay current.
    Raises `StateFileError` (an OSError, one sentence) when the file is a symbolic link.
    """
    folder = _private_dir(directory if directory is not None else state_directory())
    path = folder / LOG_FILE
    logger = logging.getLogger("drtui")
    handler = _DrtuiLogFile(path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8")
    for old in [h for h in logger.handlers if isinstance(h, _DrtuiLogFile)]:
        logger.removeHandler(old)
        old.close()
    handler.setFormatter(RedactingFormatter(secrets))
    logger.addHandler(handler)
    logger.setLevel(level)
    return path


class _DrtuiLogFile(RotatingFileHandler):
    """The handler install_log_file owns (so it can be replaced and not duplicated); it opens
    its file, after each rotation too, as a state file: created 0600, never through a link
    (`StateFileError` when the path is one)."""

    def _open(self) -> io.TextIOWrapper:
        fd = open_state_file(Path(self.baseFilename), os.O_WRONLY | os.O_APPEND)
        return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)


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
