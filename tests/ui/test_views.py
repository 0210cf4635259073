"""One app, many views: `:` navigation, esc back, pollers that do not interfere, the write guard."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Footer

from drtui.ui.app import DrtuiApp
from drtui.ui.screens.bundles import BundlesScreen
from drtui.ui.screens.deployments import DeploymentsScreen
from drtui.ui.screens.events_log import EventsScreen
from drtui.ui.screens.help import keys_of
from drtui.ui.views import VIEWS, resolve
from tests.observe import screen_of, screen_text, until
from tests.ui.harness import harness


def showing(app: DrtuiApp, name: str) -> Callable[[], bool]:
    return lambda: app.current_view == name


def test_names_resolve_by_alias_and_unique_prefix() -> None:
    assert resolve(":bundles") == "bundles" and resolve("bun") == "bundles"
    assert resolve("dep") == "deployments" and resolve("EV") == "events"
    assert resolve("nosuch") is None and resolve("") is None


async def test_colon_reaches_every_view_and_esc_returns() -> None:
    async with harness() as h, h.app.run_test(size=(120, 40)) as pilot:
        app = h.app
        await until(pilot, lambda: screen_of(app).refreshes == 1, what="first refresh")
        for name in VIEWS:
            if name == "deployments":
                continue
            await pilot.press("colon", *name, "enter")
            await until(pilot, showing(app, name), what=f":{name}")
            assert f"drtui {VIEWS[name].title}" in screen_text(app), "the header names the view"
            await pilot.press("escape")
            await until(pilot, lambda: app.current_view == "deployments", what="esc back")
            assert app.screen is screen_of(app)
        # An unknown name is said, not obeyed; esc cancels.
        await pilot.press("colon", *"nosuch", "enter")
        await pilot.pause()
        assert "No view named 'nosuch'" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen_of(app)


async def test_tab_completes_a_view_name() -> None:
    async with harness() as h, h.app.run_test(size=(120, 40)) as pilot:
        await pilot.press("colon", "b", "u", "right", "enter")
        await until(pilot, lambda: h.app.current_view == "bundles", what="completed :bundles")


async def test_two_views_each_have_their_own_poller() -> None:
    async with harness() as h, h.app.run_test(size=(160, 48)) as pilot:
        app = h.app
        fleet = screen_of(app)
        await until(pilot, lambda: fleet.refreshes == 1, what="deployments loaded")
        await pilot.press("colon", *"bundles", "enter")
        await until(pilot, lambda: isinstance(app.screen, BundlesScreen), what="bundles view")
        bundles = app.screen
        assert isinstance(bundles, BundlesScreen)
        await until(pilot, lambda: bundles.poller.polls == 1, what="bundles loaded")
        assert len(bundles.table.rows) > 0
        fleet_generation = fleet.poller.generation
        await pilot.press("r")
        await until(pilot, lambda: bundles.poller.polls == 2, what="bundles refreshed")
        assert fleet.refreshes == 1 and fleet.poller.generation == fleet_generation
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is fleet, what="back on deployments")
        await pilot.press("r")
        await until(pilot, lambda: fleet.refreshes == 2, what="deployments refreshed")
        assert bundles.poller.polls == 2, "the hidden view's poll did not run for the other"
        # A deployments outage leaves the bundles' freshness alone.
        await h.chaos(outage=True)
        await pilot.press("r")
        await until(pilot, lambda: fleet.freshness.stale_since is not None, what="stale fleet")
        assert bundles.poller.freshness.stale_since is None


async def test_the_events_view_shows_what_happened_since_it_was_last_open() -> None:
    async with harness(attention_first=False) as h, h.app.run_test(size=(120, 40)) as pilot:
        app = h.app
        fleet = screen_of(app)
        await until(pilot, lambda: fleet.refreshes == 1, what="first refresh")
        await pilot.press("E")
        await until(pilot, lambda: isinstance(app.screen, EventsScreen), what="events view")
        assert "No health changes yet." in screen_text(app)
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is fleet, what="back")
        target = fleet.table.rows[0]
        h.state.set_health(target.id, "serviceHealth", "failing")
        await pilot.press("r")
        await until(pilot, lambda: fleet.refreshes == 2, what="second refresh")
        await pilot.press("E")
        await until(pilot, lambda: isinstance(app.screen, EventsScreen), what="events again")
        await pilot.pause()
        assert target.label[:20] in screen_text(app)


class WriteScreen(DeploymentsScreen):
    """The deployments view plus one write action, as later issues add them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit_deployment", "Edit", id="deployments.edit"),
    ]
    edits = 0

    def action_edit_deployment(self) -> None:
        WriteScreen.edits += 1


async def _write_screen(app: DrtuiApp) -> WriteScreen:
    screen = WriteScreen(app.settings, app.sources, app.now, app.events)
    await app.push_screen(screen)
    return screen


async def test_read_only_hides_writes_and_their_key_says_so() -> None:
    WriteScreen.edits = 0
    async with (
        harness(read_only=True) as h,
        h.app.run_test(size=(160, 48), message_hook=h.heard) as pilot,
    ):
        app = h.app
        screen = await _write_screen(app)
        await until(pilot, lambda: screen.refreshes == 1, what="loaded")
        footer_keys = {b.binding.action for b in screen.active_bindings.values()}
        assert "edit_deployment" not in footer_keys
        assert not any("Edit" in d for _, d in keys_of(screen)), "absent from help"
        commands = [c.title for c in app.get_system_commands(screen)]
        assert not any("Edit" in c for c in commands), "absent from the palette"
        await pilot.press("e")
        await pilot.pause()
        assert WriteScreen.edits == 0
        await until(pilot, lambda: h.heard.saying("Read-only mode"), what="read-only said")
        assert "READ-ONLY" in screen_text(app)
        assert app.screen.query_one(Footer) is not None


async def test_without_read_only_the_write_key_runs_and_is_listed() -> None:
    WriteScreen.edits = 0
    async with harness() as h, h.app.run_test(size=(160, 48), message_hook=h.heard) as pilot:
        screen = await _write_screen(h.app)
        await until(pilot, lambda: screen.refreshes == 1, what="loaded")
        assert any("Edit" in d for _, d in keys_of(screen))
        await pilot.press("e")
        await pilot.pause()
        assert WriteScreen.edits == 1
        assert not h.heard.saying("Read-only")
