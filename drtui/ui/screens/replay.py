"""Replay in the app: the deployments view shows the fleet as the recorder saw it.

The screen keeps a time cursor; this module holds what it needs beside the screen: a reader on
the history file (its own connection, opened at the first seek, used on the event loop: a seek
reads one snapshot and at most an hour of changes), the rows of a recorded fleet, the typed-time
parser, the REPLAY bar and the dialog that asks for a time.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from drtui.core.recorded import Replay, State
from drtui.core.rows import Row, row_from_deployment
from drtui.store.history import History
from drtui.ui.keymap import REPLAY_BINDINGS

_AGO = re.compile(r"^-?\s*(\d+(?:\.\d+)?)\s*(m|min|h|d)\s*(?:ago)?$", re.IGNORECASE)
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


def parse_typed_time(text: str, now: datetime) -> datetime:
    """What `T` accepts: `08:15` (today, UTC; yesterday if that is still to come), `2h` or
    `-90m` or `3h ago` (before now), or a date and time (report.parse_instant). ValueError (one
    sentence) otherwise."""
    value = text.strip()
    now = now.astimezone(UTC)
    relative = _AGO.match(value)
    if relative:
        amount = float(relative.group(1))
        unit = relative.group(2).lower()
        seconds = amount * {"m": 60, "min": 60, "h": 3600, "d": 86400}[unit]
        return now - timedelta(seconds=seconds)
    clock = _CLOCK.match(value)
    if clock:
        hour, minute, second = int(clock.group(1)), int(clock.group(2)), int(clock.group(3) or 0)
        if hour > 23 or minute > 59 or second > 59:
            raise ValueError(f"{value!r} is not a time of day")
        moment = now.replace(hour=hour, minute=minute, second=second, microsecond=0)
        return moment - timedelta(days=1) if moment > now else moment
    from drtui.core.report import parse_instant  # the report's module, only when typed

    try:
        return parse_instant(value)
    except ValueError:
        raise ValueError(
            f"expected 08:15 (UTC), 2h (ago) or 2026-03-02 08:15, not {value!r}"
        ) from None


class HistoryReader:
    """Reads the history file for replay (not the recorder's connection: that one is its
    thread's). Opened lazily; every error is one sentence (sqlite3.Error, OSError)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._history: History | None = None

    def _open(self) -> History:
        if self._history is None:
            self._history = History(self.path)
        return self._history

    def at(self, instant: datetime) -> Replay:
        """Raises NotRecorded when nobody recorded that instant."""
        return self._open().at(instant)

    def before(self, instant: datetime) -> datetime | None:
        return self._open().transition_before(instant)

    def after(self, instant: datetime) -> datetime | None:
        return self._open().transition_after(instant)

    def close(self) -> None:
        if self._history is not None:
            with contextlib.suppress(sqlite3.Error):
                self._history.close()
            self._history = None


def replay_rows(states: Mapping[str, State], live: Mapping[str, Row]) -> dict[str, Row]:
    """The table's rows for a recorded fleet: each live row with its recorded label, importance
    and health; a deployment gone since is drawn from what was recorded of it."""
    from drtui.api.models import Deployment  # pydantic, only for a deployment gone since

    out: dict[str, Row] = {}
    for key, state in states.items():
        row = live.get(key)
        if row is None:
            row = row_from_deployment(
                Deployment.model_validate(
                    {"id": key, "label": state.label, "importance": state.importance or None}
                )
            )
        out[key] = row.replace(label=state.label, importance=state.importance, health=state.health)
    return out


def replay_banner(replay: Replay) -> str:
    at = replay.at.astimezone(UTC)
    # What matters first (when, read-only, the way back): at 80 columns the keys are cut.
    return (
        f" REPLAY  {at:%Y-%m-%d %H:%M:%S} UTC · as recorded, read-only · esc live · "
        "[ ] changes · { } hours · T time"
    )


class ReplayBar(Static):
    """One line over the table while replaying (hidden when live)."""

    DEFAULT_CSS = """
    ReplayBar {
        height: 1;
        background: $warning;
        color: $text;
        text-style: bold;
        display: none;
    }
    ReplayBar.-on {
        display: block;
    }
    """


class TimeDialog(ModalScreen[str | None]):
    """`T`: type the instant to replay."""

    BINDINGS: ClassVar[list[BindingType]] = list(REPLAY_BINDINGS)
    DEFAULT_CSS = """
    TimeDialog {
        align: center middle;
    }
    TimeDialog > Vertical {
        width: 64;
        height: auto;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    """

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Replay the fleet at (UTC): 08:15, 2h, or 2026-03-02 08:15")
            yield Input(placeholder="time", id="replay-time", compact=True)

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.cursor_blink = False
        field.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
