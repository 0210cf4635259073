"""Monitoring you can trust: what the screen says (and does not) when the fleet changes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from drtui.api.query import DeploymentQuery
from drtui.ui.screens.choices import ChooseOne
from drtui.ui.screens.deployments import DeploymentsScreen
from drtui.ui.widgets.fleet_header import FleetHeader
from tests.observe import Heard, row_text, screen_of, until
from tests.ui.harness import build_app, harness


def refreshed(screen: DeploymentsScreen, count: int) -> Callable[[], bool]:
    return lambda: screen.refreshes == count


def header(screen: DeploymentsScreen) -> str:
    return str(screen.query_one(FleetHeader).render())


async def test_a_deployment_filtered_out_of_the_view_still_alerts() -> None:
    query = DeploymentQuery(importance=("CRITICAL",))
    async with (
        harness(attention_first=False, query=query) as h,
        h.app.run_test(size=(160, 48), message_hook=h.heard) as pilot,
    ):
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        shown = {r.id for r in screen.table.rows}
        assert shown and all(r.importance == "CRITICAL" for r in screen.table.rows)
        hidden = next(
            r for r in screen.fleet.rows.values() if r.id not in shown and r.health[0] == "passing"
        )
        # The header counts the whole fleet; the filter bar says how many the view has.
        counts = screen.view.counts["service"]
        assert counts.passing + counts.failing + counts.warning + counts.other == len(screen.fleet)
        assert len(screen.fleet) > len(shown)
        h.state.set_health(hidden.id, "serviceHealth", "failing")
        await pilot.press("r")
        await until(pilot, lambda: screen.refreshes == 2, what="second refresh")
        assert any(
            e.transition.deployment_id == hidden.id and e.transition.worse for e in screen.events
        )
        await until(pilot, lambda: h.heard.saying(hidden.label), what="a toast naming it")
        assert hidden.id not in {r.id for r in screen.table.rows}, "the view is still filtered"


async def test_the_attention_view_is_failing_or_warning_with_unknown_behind_u() -> None:
    async with harness() as h, h.app.run_test(size=(160, 48)) as pilot:
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        rows = list(screen.table.rows)
        assert rows and all(any(s in ("failing", "warning") for s in r.health) for r in rows)
        bar = str(screen.query_one("#filter-bar").render())
        assert "with no verdict hidden (u)" in bar
        await pilot.press("u")
        await pilot.pause()
        assert len(screen.table.rows) > len(rows)
        assert "with no verdict shown (u)" in str(screen.query_one("#filter-bar").render())


async def test_a_muted_deployment_logs_but_does_not_alert_and_the_mute_survives(
    tmp_path: Path,
) -> None:
    app, emulator, _ = build_app(attention_first=False, state=tmp_path)
    query = DeploymentQuery(order_by="label")
    heard = Heard()
    async with app.run_test(size=(160, 48), message_hook=heard) as pilot:
        screen = screen_of(app)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        screen.requery(query)
        target = next(r for r in screen.table.rows if r.health[0] == "passing")
        screen.table.move_cursor_to_id(target.id)
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, ChooseOne), what="mute choices")
        await pilot.press("down", "enter")  # 1 hour
        await until(pilot, lambda: target.id in screen.alerts.mutes, what="muted")
        assert row_text(screen.table, target.id)[0] == "◦", "the row shows the mute"
        emulator.state.emulator.set_health(target.id, "serviceHealth", "failing")
        await pilot.press("r")
        await until(pilot, lambda: screen.refreshes == 2, what="second refresh")
        assert any(e.transition.deployment_id == target.id for e in screen.events), "logged"
        await pilot.pause()
        assert not heard.notifications("Health degraded"), "no toast"
        assert target.id not in screen.table.degraded_ids
    # A restart (a new app, the same state directory) keeps the mute.
    again, _, _ = build_app(attention_first=False, state=tmp_path, emulator=emulator)
    async with again.run_test(size=(160, 48)) as pilot:
        screen = screen_of(again)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh after restart")
        assert target.id in screen.alerts.mutes
        assert row_text(screen.table, target.id)[0] == "◦"


async def test_an_acknowledged_failure_does_not_alert_again_until_it_changes() -> None:
    query = DeploymentQuery(order_by="label")
    async with (
        harness(attention_first=False, query=query) as h,
        h.app.run_test(size=(160, 48)) as pilot,
    ):
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        target = next(r for r in screen.table.rows if r.health[0] == "failing")
        screen.table.move_cursor_to_id(target.id)
        await pilot.press("A")
        await pilot.pause()
        assert screen.alerts.is_acknowledged(target.id, "service", "failing")
        for status, refreshes in (("unknown", 2), ("failing", 3)):
            h.state.set_health(target.id, "serviceHealth", status)
            await pilot.press("r")
            await until(pilot, refreshed(screen, refreshes), what=status)
        assert target.id not in screen.table.degraded_ids, "flapping back: no alert"
        for status, refreshes in (("passing", 4), ("failing", 5)):
            h.state.set_health(target.id, "serviceHealth", status)
            await pilot.press("r")
            await until(pilot, refreshed(screen, refreshes), what=status)
        assert target.id in screen.table.degraded_ids, "a new degradation alerts again"


async def test_a_rejected_token_stops_polling_with_the_message_until_r() -> None:
    async with (
        harness(token="wrong-token") as h,
        h.app.run_test(size=(160, 48), message_hook=h.heard) as pilot,
    ):
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.freshness.stopped, what="stopped on 401")
        assert not screen.poller.armed, "no retry is armed"
        text = header(screen)
        assert "401" in text and "stopped (r retries)" in text
        assert "Cannot load deployments" in screen.table.empty_message
        before = len(await h.requests())
        await pilot.press("r")
        await until(pilot, lambda: len(h.heard.said()) > 0, what="retry said")
        await until(pilot, lambda: screen.poller.failures == 2, what="retried once")
        assert len(await h.requests()) > before


async def test_a_model_going_silent_and_speaking_again_is_an_event(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    silent: set[str] = set()
    monkeypatch.setattr(
        "drtui.ui.deployments.alerts.is_silent", lambda row, now, **_: row.id in silent
    )
    async with harness(attention_first=False) as h, h.app.run_test(size=(160, 48)) as pilot:
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        target = screen.table.rows[0]
        silent.add(target.id)
        await pilot.press("r")
        await until(pilot, lambda: screen.refreshes == 2, what="second refresh")
        moves = [e.transition for e in screen.events if e.transition.dimension == "predictions"]
        assert [(m.deployment_id, m.old, m.new) for m in moves] == [
            (target.id, "flowing", "silent")
        ]
        assert row_text(screen.table, target.id)[0] == "∅"
        silent.clear()
        await pilot.press("r")
        await until(pilot, lambda: screen.refreshes == 3, what="third refresh")
        moves = [e.transition for e in screen.events if e.transition.dimension == "predictions"]
        assert [(m.old, m.new) for m in moves] == [("flowing", "silent"), ("silent", "flowing")]
