"""The events view: readable rows, a filter, CSV export, and enter goes to the deployment."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from drtui.api.query import DeploymentQuery
from drtui.ui.app import DrtuiApp
from drtui.ui.screens.choices import SaveAs
from drtui.ui.screens.events_log import EventsScreen
from tests.observe import screen_of, screen_text, until
from tests.ui.harness import harness


async def test_enter_on_an_event_goes_to_its_deployment_even_when_the_view_hid_it(
    tmp_path: Path,
) -> None:
    query = DeploymentQuery(order_by="label")
    async with (
        harness(attention_first=False, query=query) as h,
        h.app.run_test(size=(120, 40), message_hook=h.heard) as pilot,
    ):
        app = h.app
        fleet = screen_of(app)
        await until(pilot, lambda: fleet.refreshes == 1, what="first refresh")
        first, second = [r for r in fleet.table.rows if r.health[1] == "passing"][-2:]
        for row in (first, second):
            h.state.set_health(row.id, "modelHealth", "failing")
        await pilot.press("r")
        await until(pilot, lambda: fleet.refreshes == 2, what="second refresh")
        # Narrow the table so the deployment is not on it: enter must still find it.
        await pilot.press("a")
        fleet.table.move_cursor_to_id(fleet.table.rows[0].id)
        await pilot.press("E")
        await until(pilot, lambda: isinstance(app.screen, EventsScreen), what="events view")
        events = app.screen
        assert isinstance(events, EventsScreen)
        labels = [r.label for r in events.table.rows]
        assert first.label in labels and second.label in labels
        # The filter narrows the list; the export writes what is shown, spreadsheet-safe.
        await pilot.press("slash", *second.label[:12].lower())
        await pilot.pause()
        assert {r.deployment_id for r in events.table.rows} == {second.id}
        await pilot.press("enter")
        events.export_dir = tmp_path
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, SaveAs), what="the save dialog")
        await pilot.press("enter")
        await until(pilot, lambda: list(tmp_path.glob("drtui-events-*.csv")), what="export")
        (exported,) = tmp_path.glob("drtui-events-*.csv")
        table = list(csv.DictReader(exported.open(encoding="utf-8")))
        assert [r["deployment_id"] for r in table] == [second.id]
        assert table[0]["to"] == "failing" and table[0]["health"] == "model"
        await until(pilot, lambda: h.heard.saying("Saved"), what="saved said")
        await pilot.press("enter")
        await until(pilot, lambda: app.current_view == "deployments", what="back on the fleet")
        assert fleet.table.cursor_id == second.id


def events_screen(app: DrtuiApp) -> EventsScreen:
    screen = app.screen
    assert isinstance(screen, EventsScreen)
    return screen


async def poll(app: DrtuiApp, pilot: Pilot[Any]) -> None:
    """The deployments view's next poll, from behind the events view (as its timer does)."""
    fleet = screen_of(app)
    polls = fleet.refreshes
    fleet.refresh_fleet()
    await until(pilot, lambda: fleet.refreshes > polls, what="a poll")


def healthy(app: DrtuiApp, count: int) -> list[str]:
    rows = screen_of(app).fleet.rows.values()
    return sorted(r.id for r in rows if all(s == "passing" for s in r.health))[:count]


async def test_the_events_view_grows_while_open_and_filters_by_change() -> None:

    async with harness(attention_first=False) as h, h.app.run_test(size=(120, 40)) as pilot:
        app = h.app
        fleet = screen_of(app)
        await until(pilot, lambda: fleet.refreshes == 1, what="first refresh")
        low, critical = healthy(app, 2)
        await pilot.press("E")
        await until(pilot, lambda: isinstance(app.screen, EventsScreen), what="events view")
        view = events_screen(app)
        assert not view.table.rows
        h.state.update_deployment(critical, {"importance": "CRITICAL"})
        h.state.update_deployment(low, {"importance": "LOW"})
        h.state.set_health(low, "serviceHealth", "warning")
        h.state.set_health(critical, "serviceHealth", "failing")
        await poll(app, pilot)
        # Shown as it happens, without leaving the view; to FAIL first, importance shown.
        assert [r.deployment_id for r in view.table.rows] == [critical, low]
        first = next(line for line in screen_text(app).splitlines() if "FAIL" in line)
        assert "CRITICAL" in first and "✓ OK → ✗ FAIL" in first and "worse" in first
        h.state.set_health(critical, "serviceHealth", "passing")
        await poll(app, pilot)
        assert len(view.table.rows) == 3
        await pilot.press("slash", *"worse")
        assert "/worse" in screen_text(app).replace(" ", "")  # the prompt glyph, as in deployments
        assert {r.verdict for r in view.table.rows} == {"worse"} and len(view.table.rows) == 2
        assert "filter 'worse': 2 shown" in screen_text(app)
        await pilot.press(*["backspace"] * 5, *"!worse")
        assert [r.verdict for r in view.table.rows] == ["better"]
        assert "hiding filter 'worse': 1 shown" in screen_text(app)
        await pilot.press(*["backspace"] * 6, *"ok->fail")
        assert [r.deployment_id for r in view.table.rows] == [critical]
        await pilot.press(*["backspace"] * 8, *"critical")
        assert {r.deployment_id for r in view.table.rows} == {critical}


async def test_export_falls_back_to_the_current_folder_and_writes_inert_cells(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import stat

    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    monkeypatch.setenv("HOME", str(home))  # a jump host: no ~/Downloads
    monkeypatch.chdir(work)
    hostile = ['=HYPERLINK("http://evil.example","click")', "+1+cmd|' /C calc'!A0"]
    async with (
        harness(attention_first=False) as h,
        h.app.run_test(size=(120, 40), message_hook=h.heard) as pilot,
    ):
        app = h.app
        fleet = screen_of(app)
        await until(pilot, lambda: fleet.refreshes == 1, what="first refresh")
        for key, label in zip(healthy(app, 2), hostile, strict=True):
            h.state.update_deployment(key, {"label": label})
            h.state.set_health(key, "modelHealth", "failing")
        await poll(app, pilot)
        await pilot.press("E")
        await until(pilot, lambda: isinstance(app.screen, EventsScreen), what="events view")
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, SaveAs), what="the save dialog")
        from textual.widgets import Input

        field = app.screen.query_one("#save-path", Input)
        assert field.value == str(work / "drtui-events-20260302-090500.csv")
        # The path is the user's to edit.
        await pilot.press("end", *["backspace"] * len("drtui-events-20260302-090500.csv"))
        await pilot.press(*"handoff.csv", "enter")
        target = work / "handoff.csv"
        await until(pilot, target.exists, what="the file")
        await until(pilot, lambda: h.heard.saying("Saved 2 events"), what="saved said")
        assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
        table = list(csv.DictReader(target.open(encoding="utf-8")))
        assert sorted(r["label"] for r in table) == sorted("'" + label for label in hostile)
        assert {r["verdict"] for r in table} == {"worse"}


class Host:
    """The events view's port, without the app: what it was asked."""

    def __init__(self) -> None:
        self.seen = 0
        self.shown: list[tuple[str, str]] = []

    def mark_seen(self) -> None:
        self.seen += 1

    def show_deployment(self, deployment_id: str, label: str = "") -> None:
        self.shown.append((deployment_id, label))


async def test_the_events_view_asks_the_app_only_through_its_port() -> None:
    from textual.app import App

    from drtui.core.events import EventLog
    from drtui.core.fleet import HealthTransition
    from drtui.ui.settings import AppSettings
    from tests.ui.harness import FIXED_NOW

    log = EventLog()
    log.extend(FIXED_NOW, [HealthTransition("a", "Alpha", "service", "passing", "failing")])
    host = Host()
    settings = AppSettings(endpoint="https://example.invalid", token="t", profile_name="test")
    screen = EventsScreen(settings, lambda: FIXED_NOW, log, host)

    class Bare(App[None]):
        def on_mount(self) -> None:
            self.push_screen(screen)

    async with Bare().run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: screen.is_current and bool(screen.table.rows), what="shown")
        assert host.seen >= 1, "opening the view is looking at what changed"
        log.extend(FIXED_NOW, [HealthTransition("b", "Bravo", "model", "passing", "warning")])
        assert {r.deployment_id for r in screen.table.rows} == {"a", "b"}, "live while shown"
        screen.table.move_cursor_to_id(next(r.id for r in screen.table.rows if r.label == "Alpha"))
        await pilot.press("enter")
        assert host.shown == [("a", "Alpha")]
