"""Keys beyond the main flows: palette, pause, keymap overrides, header sort, narrow detail;
and the SSH-bandwidth promise that an unchanged refresh repaints nothing."""

from __future__ import annotations

from typing import Any

from textual.geometry import Region

from drtui.api.query import DeploymentQuery
from drtui.ui.screens.events_log import EventsScreen
from drtui.ui.widgets.fleet_header import FleetHeader
from tests.observe import screen_of, until
from tests.ui.harness import harness


async def test_command_palette_runs_screen_actions() -> None:
    async with harness() as h, h.app.run_test(size=(120, 40)) as pilot:
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        await pilot.press("ctrl+p", *"Events", "enter")
        await until(pilot, lambda: isinstance(h.app.screen, EventsScreen), what="events screen")


async def test_pause_stops_refreshing_and_resume_refreshes_at_once() -> None:
    async with harness(refresh_interval=0.1) as h, h.app.run_test(size=(120, 40)) as pilot:
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.refreshes >= 2, what="timed refreshes")
        await pilot.press("p")
        await pilot.pause(0.15)  # let an in-flight refresh land
        paused_at = screen.refreshes
        await pilot.pause(0.4)
        assert screen.refreshes == paused_at
        assert "PAUSED" in str(screen.query_one("#fleet-header").render())
        await pilot.press("p")
        await until(pilot, lambda: screen.refreshes > paused_at, what="resumed refresh")


async def test_keymap_from_config_rebinds_by_id() -> None:
    async with (
        harness(keymap={"deployments.refresh": "R"}) as h,
        h.app.run_test(size=(120, 40)) as pilot,
    ):
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        await pilot.press("r")
        await pilot.pause(0.1)
        assert screen.refreshes == 1
        await pilot.press("R")
        await until(pilot, lambda: screen.refreshes == 2, what="rebound refresh")


async def test_clicking_a_column_header_sorts_the_table() -> None:
    async with harness(attention_first=False) as h, h.app.run_test(size=(120, 40)) as pilot:
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        await pilot.pause()  # the screen laid out with the first fleet's header and bar
        label = next(c for c in screen.table.columns if c.key == "label")
        x = 2 + sum(c.width + 1 for c in screen.table.columns[: screen.table.columns.index(label)])
        await pilot.click("#table", offset=(x + 1, 0))
        await until(pilot, lambda: screen.query_state.order_by == "label", what="sorted")
        labels = [r.label.lower() for r in screen.table.rows]
        assert labels == sorted(labels)
        await pilot.click("#table", offset=(x + 1, 0))
        await until(pilot, lambda: screen.query_state.order_by == "-label", what="reversed")


async def test_narrow_terminal_toggles_the_detail_below_the_table() -> None:
    async with harness() as h, h.app.run_test(size=(80, 24)) as pilot:
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        detail = screen.query_one("#detail")
        assert not detail.display or detail.region.height == 0
        await pilot.press("enter")
        await pilot.pause()
        assert detail.region.height > 0 and detail.region.y > screen.table.region.y
        await pilot.press("escape")
        await pilot.pause()
        assert detail.region.height == 0


async def test_a_refresh_that_changes_nothing_repaints_nothing() -> None:
    # A stable order: under the default (last prediction) the emulator's traffic reorders rows
    # and a moved cursor scrolls the table, which is a whole repaint by design.
    query = DeploymentQuery(order_by="label")
    async with (
        harness(attention_first=False, query=query) as h,
        h.app.run_test(size=(160, 48)) as pilot,
    ):
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        await pilot.pause(0.2)
        painted: list[tuple[Region, ...]] = []
        table, header = screen.table, screen.query_one("#fleet-header", FleetHeader)
        original = table.refresh

        def spy(*regions: Region, **kwargs: Any) -> Any:
            painted.append(regions)
            return original(*regions, **kwargs)

        table.refresh = spy  # type: ignore[method-assign]
        header_updates: list[object] = []
        header.update = lambda *a, **k: header_updates.append(a)  # type: ignore[method-assign]
        await pilot.press("r")
        await until(pilot, lambda: screen.refreshes == 2, what="second refresh")
        assert painted == [] and header_updates == []
        await h.advance(3600)
        await pilot.press("r")
        await until(pilot, lambda: screen.refreshes == 3, what="third refresh")
        assert painted, "a refresh with changes repaints the changed lines"
        regions = [region for call in painted for region in call]
        assert regions and all(region.height == 1 for region in regions), [
            r for r in regions if r.height != 1
        ]


async def test_a_health_change_in_place_repaints_only_that_cell() -> None:
    query = DeploymentQuery(order_by="label")  # stable order: the row stays on its line
    async with (
        harness(attention_first=False, query=query) as h,
        h.app.run_test(size=(160, 48)) as pilot,
    ):
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        await pilot.pause(0.2)
        table = screen.table
        target = next(r for r in table.rows[5:40] if r.health[0] == "warning")
        h.state.set_health(target.id, "serviceHealth", "passing")  # better: no highlight
        painted: list[tuple[Region, ...]] = []
        original = table.refresh

        def spy(*regions: Region, **kwargs: Any) -> Any:
            painted.append(regions)
            return original(*regions, **kwargs)

        table.refresh = spy  # type: ignore[method-assign]
        await pilot.press("r")
        await until(pilot, lambda: screen.refreshes == 2, what="second refresh")
        regions = [region for call in painted for region in call]
        line = table.rows.index(next(r for r in table.rows if r.id == target.id)) + 1
        svc = table.columns[0]
        assert regions == [Region(2, line - round(table.scroll_y), svc.width, 1)]


async def test_configuration_warnings_are_shown_once_the_screen_is_up() -> None:
    warning = "/home/me/.config/drtui/config.toml holds a token and is readable by others"
    async with (
        harness(startup_warnings=(warning,)) as h,
        h.app.run_test(size=(120, 40), message_hook=h.heard) as pilot,
    ):
        await until(pilot, lambda: h.heard.said(), what="the warning")
        await pilot.pause()
        assert h.heard.said() == [warning], "said once, and nothing else"


async def test_closing_a_dialog_twice_never_closes_the_deployments_screen() -> None:
    # A busy app can hold two esc presses for one dialog; the second must not pop the screen
    # underneath (that left a blank app).
    async with harness() as h, h.app.run_test(size=(120, 40)) as pilot:
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        for key in ("question_mark", "s", "f", "E"):
            await pilot.press(key)
            await pilot.pause()
            dialog = h.app.screen
            assert dialog is not screen
            # The events view goes back instead of closing; twice must still land here.
            close = getattr(dialog, "action_close", None) or dialog.action_back  # type: ignore[attr-defined]
            close()
            close()
            await pilot.pause()
            assert h.app.screen is screen, key
