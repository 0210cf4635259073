"""Keys typed right after `/`, faster than the screen handles them (a typist, a paste), are the
search: not lost, not run as the table's commands (`c` opens custom deployments, `n` a dialog)."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from drtui.ui.screens.deployments import DeploymentsScreen
from drtui.ui.screens.events_log import EventsScreen
from tests.observe import until
from tests.ui.harness import harness


def _burst(app: object, text: str) -> None:
    """Every key queued before the app handles the first, as a terminal delivers a paste."""
    for ch in text:
        app.post_message(events.Key("slash" if ch == "/" else ch, ch))  # type: ignore[attr-defined]


async def test_letters_typed_at_once_after_the_slash_are_the_search() -> None:
    async with harness(attention_first=False) as h, h.app.run_test(size=(160, 40)) as pilot:
        screen = h.app.screen
        assert isinstance(screen, DeploymentsScreen)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        typed = "churn"
        _burst(h.app, "/" + typed)
        await pilot.pause()
        await pilot.pause(0.2)
        assert h.app.screen is screen  # `c` did not open the custom deployments view
        search = screen.query_one("#search", Input)
        assert h.app.focused is search
        assert search.value == typed
        # Typed slowly, the same keys do the same.
        await pilot.press("escape")
        await pilot.press("slash", *typed)
        assert search.value == typed


async def test_the_events_view_keeps_a_burst_after_its_slash_too() -> None:
    async with harness(attention_first=False) as h, h.app.run_test(size=(160, 40)) as pilot:
        screen = h.app.screen
        assert isinstance(screen, DeploymentsScreen)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        await pilot.press("E")
        await until(pilot, lambda: isinstance(h.app.screen, EventsScreen), what="events view")
        _burst(h.app, "/fail")
        await pilot.pause()
        await pilot.pause(0.2)
        events_screen = h.app.screen
        assert isinstance(events_screen, EventsScreen)
        assert events_screen.query_one("#search", Input).value == "fail"


async def test_a_remapped_search_key_opens_the_field_for_the_burst_behind_it() -> None:
    async with (
        harness(attention_first=False, keymap={"deployments.search": "ctrl+f"}) as h,
        h.app.run_test(size=(160, 40)) as pilot,
    ):
        screen = h.app.screen
        assert isinstance(screen, DeploymentsScreen)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        h.app.post_message(events.Key("ctrl+f", None))
        _burst(h.app, "churn")
        await pilot.pause()
        await pilot.pause(0.2)
        assert h.app.screen is screen
        assert screen.query_one("#search", Input).value == "churn"
