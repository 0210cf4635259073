"""Mutes and acknowledgements kept as JSON in the state directory: one file per profile, written
atomically (a temporary file renamed over it) and readable by the user only."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger(__name__)


class AlertFile:
    """An `AlertStore` (core/alerts.py) on one JSON file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> tuple[dict[str, datetime], dict[tuple[str, str], str], str | None]:
        mutes: dict[str, datetime] = {}
        acks: dict[tuple[str, str], str] = {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return mutes, acks, None
        except (OSError, ValueError) as error:
            return (
                mutes,
                acks,
                f"Mutes and acknowledgements could not be read ({self.path}): {error}",
            )
        if not isinstance(data, dict):
            return mutes, acks, f"Mutes and acknowledgements file {self.path} is not an object."
        kept = data.get("mutes")
        for key, value in kept.items() if isinstance(kept, dict) else ():
            with contextlib.suppress(TypeError, ValueError):
                until = datetime.fromisoformat(str(value))
                mutes[str(key)] = until if until.tzinfo else until.replace(tzinfo=UTC)
        listed = data.get("acks")
        for item in listed if isinstance(listed, list) else ():
            if isinstance(item, list) and len(item) == 3 and all(isinstance(x, str) for x in item):
                acks[(item[0], item[1])] = item[2]
        return mutes, acks, None

    def save(self, mutes: dict[str, datetime], acks: dict[tuple[str, str], str]) -> None:
        payload = {
            "mutes": {key: until.isoformat() for key, until in mutes.items()},
            "acks": [[key[0], key[1], status] for key, status in acks.items()],
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".alerts-")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(payload, out)
            os.chmod(temporary, 0o600)
            os.replace(temporary, self.path)
        except OSError as error:  # a read-only state dir must not stop monitoring
            log.warning("could not save mutes and acknowledgements: %s", error)
