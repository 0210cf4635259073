"""drtui's files for what went wrong: the redacted crash log and the rotating drtui.log.

Textual-free, so the headless commands and the store can use them as well as the dashboard.
A traceback's locals and a log record can hold the token, so everything written here passes
`redact` first; the files are opened as every state file is (`drtui.store.statefile`): 0600,
in the user state directory, never through a symbolic link.
"""

from __future__ import annotations

import io
import logging
import os
import traceback
from collections.abc import Iterable, Sequence
from datetime import datetime
from logging.handlers import RotatingFileHandler
from pathlib import Path

from drtui.store.paths import state_directory
from drtui.store.statefile import open_state_file

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
