"""Key strings from the configuration's keymap never reach the terminal raw.

A keymap value with an escape sequence (`"\\x1b]0;…\\x07"` retitles the window) used to be drawn
as it was in the footer and the help; now such an entry is left out and said, printably.
"""

from __future__ import annotations

from drtui.ui.keymap import display_key, keymap_conflicts, usable_keymap
from drtui.ui.screens.help import HelpScreen
from tests.observe import screen_text, until
from tests.ui.harness import harness

RETITLE = "\x1b]0;pwned\x07"
HOSTILE = {
    "app.help": RETITLE,
    "deployments.filter": "j\x1b[2J",
    "deployments.sort": "s,\u202eo",
    "deployments.refresh": "R",
}
UNSAFE = ("\x1b", "\x07", "\x9b", "\u202e")


def test_entries_that_are_not_key_names_are_left_out_and_said_printably() -> None:
    usable, warnings = usable_keymap(HOSTILE, "drtui.toml [profiles.x]")
    assert usable == {"deployments.refresh": "R"}
    assert len(warnings) == 3
    for warning in warnings:
        assert not any(c in warning for c in UNSAFE) and warning.isprintable()
        assert warning.startswith("drtui.toml [profiles.x]: the keymap gives ")
        assert warning.endswith("; it is ignored.")
    assert "'app.help' the keys '\\x1b]0;pwned\\x07'" in warnings[0], "says what the file holds"
    ok = {"logs.follow": "f, ctrl+f", "app.quit": "exclamation_mark", "table.down": "é"}
    assert usable_keymap(ok, "x") == (ok, [])


def test_a_conflict_names_the_key_printably() -> None:
    messages = keymap_conflicts({"deployments.filter": "j\x1b[2J", "table.down": "j\x1b[2J"})
    assert messages and all(m.isprintable() for m in messages)
    assert "`'j\\x1b[2J'`" in messages[0], "the key as the file holds it"
    assert display_key("ctrl+x") == "ctrl+x"
    assert display_key("\x1b[31mx") == "'\\x1b[31mx'"


async def test_the_footer_help_and_toasts_show_no_escape_from_the_keymap() -> None:
    async with (
        harness(keymap=HOSTILE) as h,
        h.app.run_test(size=(160, 40), message_hook=h.heard) as pilot,
    ):
        await until(pilot, lambda: h.heard.saying("not key names"), what="the keymap warning")
        await pilot.pause()
        footer = screen_text(h.app).splitlines()[-1]
        assert "Help" in footer and not any(c in footer for c in UNSAFE)
        messages = h.heard.said()
        assert any("'app.help'" in m and "not key names" in m for m in messages)
        assert all(m.isprintable() for m in messages)
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(h.app.screen, HelpScreen), what="help")
        body = str(h.app.screen.query_one("#help-body").render())
        assert not any(c in body for c in UNSAFE)
