"""Small things a first-run review found: an honest header before any data, LAST PRED when the
server's clock runs ahead, sort names, uncut dialog titles, the status line at 80x24."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import OptionList

from drtui.ui.screens.choices import ChooseMany, ChooseOne
from drtui.ui.widgets.columns import last_seen
from tests.observe import screen_of, screen_text, until
from tests.ui.harness import FIXED_NOW, harness
from tests.ui.test_bundles import _open as open_bundles


async def test_the_header_says_nothing_is_known_before_any_data() -> None:
    async with harness(token="not-the-token") as h, h.app.run_test(size=(120, 30)) as pilot:
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.freshness.stopped, what="the token refused")
        header = screen_text(h.app).splitlines()[1]
        assert "SVC ✗– !– ✓– ?– │ MDL ✗– !– ✓– ?– │ ACC ✗– !– ✓– ?–" in header
        assert "✗0" not in header


def test_a_server_clock_ahead_is_just_now_or_clock_skew_never_in_future() -> None:
    assert last_seen(FIXED_NOW + timedelta(minutes=4), FIXED_NOW) == "just now"
    assert last_seen(FIXED_NOW + timedelta(minutes=40), FIXED_NOW) == "clock skew"
    assert last_seen(FIXED_NOW - timedelta(minutes=3), FIXED_NOW) == "3 min ago"


async def test_last_pred_under_a_server_clock_an_hour_ahead() -> None:
    async with harness(attention_first=False) as h, h.app.run_test(size=(160, 40)) as pilot:
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        await h.advance(3600)  # the server's clock: an hour ahead of ours
        await pilot.press("r")
        await until(pilot, lambda: screen.refreshes == 2, what="a poll of the server ahead")
        text = screen_text(h.app)
        assert "clock skew" in text and "in future" not in text


async def test_the_bundles_sort_chooser_names_columns_properly() -> None:
    async with harness() as h, h.app.run_test(size=(120, 40)) as pilot:
        await open_bundles(pilot, h.app)
        await pilot.press("s")
        await until(pilot, lambda: isinstance(h.app.screen, ChooseOne), what="sort chooser")
        options = h.app.screen.query_one(OptionList)
        names = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert names == ["Name", "Default", "CPU", "Memory", "GPU", "Use cases", "Description"]


async def test_dialog_titles_are_whole_at_80x24() -> None:
    async with harness(attention_first=False) as h, h.app.run_test(size=(80, 24)) as pilot:
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        label = screen.table.cursor_row.label  # type: ignore[union-attr]
        await pilot.press("m")
        await until(pilot, lambda: isinstance(h.app.screen, ChooseOne), what="mute dialog")
        await pilot.pause()
        text = screen_text(h.app)
        assert f"Mute alerts of {label[:40]} for" in text
        assert "enter picks · esc cancels" in text
        await pilot.press("escape")
        await open_bundles(pilot, h.app)
        await pilot.press("u")
        await until(pilot, lambda: isinstance(h.app.screen, ChooseMany), what="use cases")
        await pilot.pause()
        assert "space toggles · enter applies · esc cancels" in screen_text(h.app)


async def test_the_no_verdict_hint_outlives_the_key_hints_at_80x24() -> None:
    async with harness() as h, h.app.run_test(size=(80, 24)) as pilot:
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        await pilot.pause()
        bar = screen_text(h.app).splitlines()[2]
        assert "with no verdict hidden (u)" in bar, bar
