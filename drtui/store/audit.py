"""The audit trail: every change attempted from this terminal, as JSON lines on disk.

An on-call engineer must be able to say afterwards exactly what was changed from here: what
(edit, delete, create, erase), which ids, when, the outcome and the server's message. Each
attempt is one JSON object on one line of `audit.jsonl` in the user state directory
(platformdirs; `$DRTUI_STATE_DIR` or the `directory` argument override it), appended and flushed
at once, readable by the user only, never through a symbolic link. The newest entries are also kept in memory for the events
view.

The only I/O of `core`: appending a line to a file, no network. The token never gets here: the
client's error sentences are scrubbed where they are built, and `secrets` are replaced once more
before a line is written, whatever a caller passes.
"""

from __future__ import annotations

import json
import os
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from drtui.core.sanitize import clean
from drtui.store.paths import state_directory
from drtui.store.statefile import StateFileError, open_state_file

AUDIT_FILE = "audit.jsonl"
REDACTED = "[redacted]"
MEMORY = 500
"""Entries kept in memory for the events view (the file keeps everything)."""

Outcome = Literal["ok", "failed", "abandoned"]


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    action: str
    """edit, delete, create, erase."""
    ids: tuple[str, ...]
    outcome: Outcome
    message: str = ""
    """The server's sentence on failure (or what happened); empty on a plain success."""
    details: Mapping[str, Any] = field(default_factory=dict)
    """What was asked: the changed fields, the label confirmed, the batch number."""
    endpoint: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at.astimezone(UTC).isoformat(),
            "action": self.action,
            "ids": list(self.ids),
            "outcome": self.outcome,
            "message": self.message,
            "details": dict(self.details),
            "endpoint": self.endpoint,
        }

    def summary(self) -> str:
        """One line for the events view."""
        ids = ", ".join(self.ids[:3]) + (
            f" and {len(self.ids) - 3} more" if len(self.ids) > 3 else ""
        )
        text = f"{self.action} {ids or '(new)'}: {self.outcome}"
        return f"{text} — {self.message}" if self.message else text


def _scrub(value: Any, secrets: tuple[str, ...]) -> Any:
    if isinstance(value, str):
        text = clean(value, limit=20_000)
        for secret in secrets:
            text = text.replace(secret, REDACTED)
        return text
    if isinstance(value, Mapping):
        return {str(_scrub(k, secrets)): _scrub(v, secrets) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(v, secrets) for v in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return _scrub(str(value), secrets)


class AuditLog:
    """Append-only; `record` never raises (a failed write is remembered in `write_error`)."""

    def __init__(
        self,
        directory: Path | None = None,
        *,
        secrets: Iterable[str] = (),
        memory: int = MEMORY,
    ) -> None:
        self._directory = directory
        self.secrets = tuple(sorted({s for s in secrets if s}, key=len, reverse=True))
        self._entries: deque[AuditEntry] = deque(maxlen=memory)
        self.write_error: str | None = None

    @property
    def path(self) -> Path:
        return (self._directory or state_directory()) / AUDIT_FILE

    def record(self, entry: AuditEntry) -> AuditEntry:
        """Scrub, keep in memory, append to the file. Returns the entry as kept."""
        data = _scrub(entry.to_json(), self.secrets)
        kept = AuditEntry(
            entry.at,
            data["action"],
            tuple(data["ids"]),
            entry.outcome,
            data["message"],
            data["details"],
            data["endpoint"],
        )
        self._entries.append(kept)
        line = json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n"
        try:
            path = self.path
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = open_state_file(path, os.O_WRONLY | os.O_APPEND)  # 0600, never through a link
            with os.fdopen(fd, "a", encoding="utf-8") as handle:
                handle.write(line)
                handle.flush()
            self.write_error = None
        except StateFileError as error:
            self.write_error = f"The audit log was not written: {error}."
        except OSError as error:
            self.write_error = f"The audit log {self.path} could not be written: {error.strerror}."
        return kept

    def __iter__(self) -> Iterator[AuditEntry]:
        """Oldest first (this session's, bounded)."""
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


def read_entries(path: Path) -> list[dict[str, Any]]:
    """Every entry of an audit file (lines that are not JSON objects are skipped)."""
    out: list[dict[str, Any]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            out.append(value)
    return out
