"""Where drtui keeps its state: one directory (``$DRTUI_STATE_DIR`` or the platform's user state
directory), and one history file per profile and installation in it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

import platformdirs

from drtui.core.sanitize import safe_filename

STATE_DIR_ENV = "DRTUI_STATE_DIR"


def state_directory(env: Mapping[str, str] | None = None) -> Path:
    """$DRTUI_STATE_DIR, else the platform's user state directory."""
    environ = os.environ if env is None else env
    override = environ.get(STATE_DIR_ENV, "").strip()
    return Path(override).expanduser() if override else Path(platformdirs.user_state_dir("drtui"))


def history_path(directory: Path, profile: str, endpoint: str) -> Path:
    """One file per profile and installation (the endpoint's host and port)."""
    host = urlsplit(endpoint).netloc.rsplit("@", 1)[-1] or "local"
    name = safe_filename(f"{profile or 'default'}@{host}".replace(":", "_"), default="default")
    return directory / f"history-{name}.sqlite3"
