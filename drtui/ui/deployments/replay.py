"""ReplayController: the deployments view's time cursor over the flight recorder's history.

`[` `]` step between recorded changes, `{` `}` by hours, `T` to a typed instant; stepping past
now, or esc, is live again. What cannot be read (nobody recorded that instant, a broken file)
is one toast, and the view stays where it was.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

from drtui.core.recorded import NotRecorded, Replay
from drtui.ui.deployments.ports import Ports
from drtui.ui.deployments.view import FleetView
from drtui.ui.screens.replay import TimeDialog, parse_typed_time, replay_rows


class Recorded(Protocol):
    """The history file as replay reads it (ui/screens/replay.HistoryReader)."""

    def at(self, instant: datetime) -> Replay: ...
    def before(self, instant: datetime) -> datetime | None: ...
    def after(self, instant: datetime) -> datetime | None: ...
    def close(self) -> None: ...


class ReplayController:
    """Moves `view.replay` (None: live) and tells the screen (`shown`) to draw the change."""

    def __init__(
        self,
        reader: Recorded | None,
        view: FleetView,
        ports: Ports,
        *,
        shown: Callable[[], None],
    ) -> None:
        """`reader`: None when nothing is recorded (every replay key does nothing)."""
        self._reader = reader
        self._view = view
        self._clock = ports.clock
        self._notify = ports.notify
        self._push = ports.push
        self._shown = shown

    @property
    def available(self) -> bool:
        return self._reader is not None

    def seek(self, instant: datetime) -> None:
        """Show the fleet as recorded at `instant`; say so when nobody recorded it."""
        if self._reader is None:
            return
        try:
            replay = self._reader.at(instant)
        except NotRecorded as error:
            self._notify(str(error), title="Replay", severity="warning", timeout=8, markup=False)
            return
        except (sqlite3.Error, OSError) as error:
            self._notify(
                f"The history file could not be read ({error}).",
                title="Replay",
                severity="error",
                timeout=8,
                markup=False,
            )
            return
        self._view.replay = replay
        self._view.replay_rows = replay_rows(replay.states, self._view.fleet.rows)
        self._shown()

    def leave(self) -> None:
        """Live again."""
        self._view.replay = None
        self._view.replay_rows = {}
        self._shown()
        self._notify("Live.", timeout=2)

    def step(self, direction: int) -> None:
        """`[` / `]`: the previous / next instant at which any deployment changed."""
        reader = self._reader
        if reader is None:
            return
        replay = self._view.replay
        if direction > 0 and replay is None:
            self._notify(
                "Live already: ] steps forward through a replay ([ starts one).", timeout=4
            )
            return
        base = replay.at if replay is not None else self._clock()
        try:
            found = reader.before(base) if direction < 0 else reader.after(base)
        except (sqlite3.Error, OSError) as error:
            self._notify(f"The history file could not be read ({error}).", markup=False)
            found = None
        if found is None:
            if direction < 0:
                self._notify("No earlier change recorded.", timeout=4)
            else:
                self.leave()
            return
        self.seek(found)

    def hour(self, direction: int) -> None:
        """`{` / `}`: an hour back / forward (forward past now: live)."""
        if self._reader is None:
            return
        replay = self._view.replay
        if direction > 0 and replay is None:
            self._notify(
                "Live already: } moves forward through a replay ({ starts one).", timeout=4
            )
            return
        base = replay.at if replay is not None else self._clock()
        target = base + timedelta(hours=direction)
        if target >= self._clock():
            self.leave()
            return
        self.seek(target)

    def ask_time(self) -> None:
        """`T`: type the instant to replay."""
        if self._reader is not None:
            self._push(TimeDialog(), self.typed_time)

    def typed_time(self, text: str | None) -> None:
        if not text or not text.strip():
            return
        try:
            instant = parse_typed_time(text, self._clock())
        except ValueError as error:
            self._notify(str(error), title="Replay", severity="warning", timeout=6, markup=False)
            return
        self.seek(instant)

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
