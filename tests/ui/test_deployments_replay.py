"""ReplayController without a running app: stepping through recorded changes and hours, a typed
time, and what is said when nothing was recorded or the file cannot be read."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from drtui.api.query import DeploymentQuery
from drtui.core.fleet import Fleet
from drtui.core.recorded import NotRecorded, Replay, State
from drtui.ui.deployments.replay import ReplayController
from drtui.ui.deployments.view import FleetView, recorded_section
from drtui.ui.screens.replay import TimeDialog
from tests.core.factory import deployment
from tests.ui.parts import Clock, Dialogs, FakeScreen, Toasts

NOW = datetime(2026, 3, 2, 9, 5, tzinfo=UTC)
HOUR = timedelta(hours=1)


@dataclass
class History:
    """Changes recorded at `changes`; anything from `since` on can be replayed."""

    changes: list[datetime]
    since: datetime = NOW - 24 * HOUR
    broken: bool = False
    closed: bool = False

    def at(self, instant: datetime) -> Replay:
        if self.broken:
            raise sqlite3.DatabaseError("database disk image is malformed")
        if instant < self.since:
            raise NotRecorded("Nothing was recorded then.")
        state = State("fraud (then)", "HIGH", "failing", "passing", "passing", silent=True)
        return Replay(instant, {"d1": state}, (self.since, NOW))

    def before(self, instant: datetime) -> datetime | None:
        if self.broken:
            raise OSError("gone")
        return max((c for c in self.changes if c < instant), default=None)

    def after(self, instant: datetime) -> datetime | None:
        return min((c for c in self.changes if c > instant), default=None)

    def close(self) -> None:
        self.closed = True


@dataclass
class Rig:
    control: ReplayController
    view: FleetView
    history: History
    toasts: Toasts
    dialogs: Dialogs
    shown: list[datetime | None] = field(default_factory=list)

    @property
    def at(self) -> datetime | None:
        return self.view.replay.at if self.view.replay is not None else None


def rig(*changes: datetime) -> Rig:
    view = FleetView(DeploymentQuery(), "", attention=False)
    view.set_fleet(Fleet.from_deployments([deployment("d1", label="fraud")]), None, None)
    history, screen = History(list(changes)), FakeScreen(Clock(NOW))
    made = Rig(None, view, history, screen.toasts, screen.dialogs)  # type: ignore[arg-type]
    made.control = ReplayController(
        history, view, screen.ports, shown=lambda: made.shown.append(made.at)
    )
    return made


def test_brackets_step_through_recorded_changes_and_past_the_last_is_live() -> None:
    r = rig(NOW - 3 * HOUR, NOW - 2 * HOUR)
    r.control.step(1)
    assert r.at is None and "Live already" in r.toasts.texts[-1]
    r.control.step(-1)
    assert r.at == NOW - 2 * HOUR
    assert r.view.replay_rows["d1"].label == "fraud (then)"  # the live row, as recorded
    r.control.step(-1)
    r.control.step(-1)
    assert r.at == NOW - 3 * HOUR and r.toasts.texts[-1] == "No earlier change recorded."
    r.control.step(1)
    r.control.step(1)
    assert r.at is None and r.toasts.texts[-1] == "Live." and r.view.replay_rows == {}
    assert r.shown == [NOW - 2 * HOUR, NOW - 3 * HOUR, NOW - 2 * HOUR, None]


def test_braces_move_by_hours_and_forward_past_now_is_live() -> None:
    r = rig()
    r.control.hour(-1)
    r.control.hour(-1)
    assert r.at == NOW - 2 * HOUR
    r.control.hour(1)
    assert r.at == NOW - HOUR
    r.control.hour(1)
    assert r.at is None and r.toasts.texts[-1] == "Live."


def test_a_typed_time_is_replayed_and_a_bad_one_is_said() -> None:
    r = rig()
    r.control.ask_time()
    dialog, _ = r.dialogs.opened[-1]
    assert isinstance(dialog, TimeDialog)
    r.dialogs.close_last("02:00")
    assert r.at == NOW.replace(hour=2, minute=0)
    r.control.typed_time("not a time")
    assert r.at == NOW.replace(hour=2, minute=0) and "expected 08:15" in r.toasts.texts[-1]
    r.control.typed_time("  ")  # nothing typed: nothing happens
    r.control.typed_time(None)
    assert len(r.shown) == 1


def test_an_instant_nobody_recorded_is_said_and_the_view_stays() -> None:
    r = rig()
    r.control.seek(NOW - 48 * HOUR)
    assert r.at is None and r.toasts.texts == ["Nothing was recorded then."] and not r.shown


def test_a_broken_file_is_one_sentence() -> None:
    r = rig(NOW - HOUR)
    r.history.broken = True
    r.control.seek(NOW - HOUR)
    assert r.toasts.said[-1][1]["severity"] == "error"
    assert "could not be read (database disk image is malformed)" in r.toasts.texts[-1]
    r.control.step(-1)
    assert "could not be read (gone)" in r.toasts.texts[-2] and r.at is None


def test_without_a_recorder_the_keys_do_nothing() -> None:
    view = FleetView(DeploymentQuery(), "", attention=False)
    screen = FakeScreen(Clock(NOW))
    control = ReplayController(None, view, screen.ports, shown=lambda: None)
    control.step(-1)
    control.hour(-1)
    control.ask_time()
    control.close()
    assert not control.available and not screen.toasts.said and not screen.dialogs.opened


def test_close_closes_the_reader_and_the_recorded_section_names_the_instant() -> None:
    r = rig()
    r.control.seek(NOW - HOUR)
    assert r.view.replay is not None
    title, fields = recorded_section("d1", r.view.replay)
    assert title == f"As recorded at {NOW - HOUR:%Y-%m-%d %H:%M:%S} UTC"
    assert ("Predictions", "∅ silent") in fields
    r.control.close()
    assert r.history.closed
