"""The screen's settings in the drtui TOML file: read-only, refresh interval, keymap.

They sit beside the credentials in a profile but belong to the screen, not the API client, so
they are validated here (pydantic, ``extra="forbid"``) and ``drtui.api`` only hands them on.
No Textual: the binding ids live in ``drtui/ui/keymap.py``, and the app passes them to
``keymap_warnings`` at start.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from drtui.api.config import ResolvedConfig
from drtui.api.config_files import ConfigError, suggest

REFRESH_FLOOR_SECONDS = 5.0
"""The shortest refresh interval, for the command line and the file alike."""
DEFAULT_REFRESH_INTERVAL = 30.0

__all__ = [
    "DEFAULT_REFRESH_INTERVAL",
    "REFRESH_FLOOR_SECONDS",
    "SCREEN_KEYS",
    "ScreenSettings",
    "keymap_warnings",
    "screen_settings",
    "screen_settings_of",
]


SCREEN_KEYS = frozenset({"read_only", "refresh_interval", "keymap"})
"""The fields of ``screen_table.ScreenTable`` (a test keeps them equal): written out so that
a start with no file imports no pydantic model."""
KINDS = {
    "read_only": "true or false",
    "refresh_interval": f"a number of seconds (at least {REFRESH_FLOOR_SECONDS:g})",
    "keymap": 'a table of binding id = "key" (e.g. [profiles.NAME.keymap])',
}


@dataclass(frozen=True)
class ScreenSettings:
    """The screen settings after the command line and the file have both had their say."""

    read_only: bool = False
    refresh_interval: float = DEFAULT_REFRESH_INTERVAL
    keymap: Mapping[str, str] = field(default_factory=dict)
    source: str | None = None
    """The file (and profile) the keymap came from, for messages about it."""


def check_refresh(seconds: float) -> float:
    """The one refresh floor: raises ValueError with the reason when ``seconds`` is below it."""
    if not seconds >= REFRESH_FLOOR_SECONDS:  # also refuses NaN
        raise ValueError(f"refresh interval must be at least {REFRESH_FLOOR_SECONDS:g} seconds")
    return seconds


def screen_settings(
    table: Mapping[str, Any],
    source: str | None,
    *,
    read_only: bool | None = None,
    refresh_interval: float | None = None,
) -> ScreenSettings:
    """The file's table validated, with the command line's values on top.

    Raises ``ConfigError`` naming the file and the key for a value of the wrong type (a
    ``keymap`` written as a string, a refresh below the floor).
    """
    where = source or "the drtui config file"
    if "refresh_interval" in table and isinstance(table["refresh_interval"], int | float):
        value = table["refresh_interval"]
        if not isinstance(value, bool) and not value >= REFRESH_FLOOR_SECONDS:
            raise ConfigError(
                f"{where}: refresh_interval must be at least {REFRESH_FLOOR_SECONDS:g} seconds, "
                f"not {value!r}."
            )
    file_read_only: bool | None = None
    file_refresh: float | None = None
    keymap: dict[str, str] = {}
    if table:
        # A file said something: its pydantic model loads now (an empty table has nothing to
        # validate, and its defaults are the ones below).
        from drtui.api.config_tables import validate_table
        from drtui.screen_table import ScreenTable

        parsed, _ = validate_table(ScreenTable, table, where, kinds=KINDS)
        file_read_only, file_refresh, keymap = (
            parsed.read_only,
            parsed.refresh_interval,
            dict(parsed.keymap),
        )
    return ScreenSettings(
        read_only=read_only if read_only is not None else bool(file_read_only),
        refresh_interval=check_refresh(refresh_interval)
        if refresh_interval is not None
        else file_refresh or DEFAULT_REFRESH_INTERVAL,
        keymap=keymap,
        source=source,
    )


def screen_settings_of(
    config: ResolvedConfig, *, read_only: bool | None = None, refresh_interval: float | None = None
) -> ScreenSettings:
    """The screen settings of the drtui file ``config`` was resolved with, flags on top."""
    return screen_settings(
        config.screen_table,
        config.screen_source,
        read_only=read_only,
        refresh_interval=refresh_interval,
    )


def keymap_warnings(
    keymap: Mapping[str, str], known_ids: Collection[str], source: str
) -> list[str]:
    """One warning per binding id in ``keymap`` that no binding has, with the closest id."""
    known = set(known_ids)
    return [
        f"{source}: keymap names an unknown binding id {key!r}{suggest(key, known)}; it is ignored."
        for key in keymap
        if key not in known
    ]
