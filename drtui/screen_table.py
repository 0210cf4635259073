"""The screen settings' table of the drtui TOML as a pydantic model (``extra="forbid"``).

Apart from ``settings_file`` so that it loads only when a file gives screen settings.
"""

from __future__ import annotations

from pydantic import Field

from drtui.api.config_tables import ConfigTable
from drtui.settings_file import REFRESH_FLOOR_SECONDS


class ScreenTable(ConfigTable):
    read_only: bool | None = None
    refresh_interval: float | None = Field(default=None, ge=REFRESH_FLOOR_SECONDS)
    keymap: dict[str, str] = Field(default_factory=dict)
