"""The on-call engineer's keyboard: the filter dialog driven blind, one-key sorts, regex and
inverse search with n/N, a footer that keeps help and quit at 80x24, help and palette that list
drtui's own actions, keymap conflicts said at start."""

from __future__ import annotations

from textual.command import Hit
from textual.widgets import Input

from drtui.api.query import DeploymentQuery
from drtui.core.detail import sections
from drtui.core.health import severity
from drtui.core.views import parse_search
from drtui.ui.keymap import keymap_conflicts
from drtui.ui.palette import DeploymentProvider
from drtui.ui.screens.deployments import DeploymentsScreen
from drtui.ui.screens.filter_builder import CheckList, FilterBuilder, normalise_query
from drtui.ui.screens.help import HelpScreen
from drtui.ui.widgets.filter_bar import FilterBar
from drtui.ui.widgets.table_columns import fit_middle
from tests.observe import screen_of, screen_text, until
from tests.ui.harness import harness


def bar_of(screen: DeploymentsScreen) -> str:
    return str(screen.query_one(FilterBar).render())


async def test_the_filter_dialog_is_driven_by_keys_alone() -> None:
    async with harness() as h, h.app.run_test(size=(120, 40)) as pilot:
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        await pilot.press("f")
        await until(pilot, lambda: isinstance(h.app.screen, FilterBuilder), what="dialog")
        dialog = h.app.screen
        await pilot.pause()
        # The first field has the focus: space toggles at once, and reads without colour.
        assert isinstance(dialog.focused, CheckList) and dialog.focused.id == "f-serviceHealth"
        assert "[ ] failing" in screen_text(h.app)
        await pilot.press("space")
        await pilot.pause()
        assert "[x] failing" in screen_text(h.app)
        assert "Service health" in screen_text(h.app) and "serviceHealth" in screen_text(h.app)
        # The dialog's own keys: in its footer and behind `?`.
        assert "Apply" in screen_text(h.app).splitlines()[-1]
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(h.app.screen, HelpScreen), what="dialog help")
        assert "ctrl+r" in screen_text(h.app) and "Toggle" in screen_text(h.app)
        await pilot.press("escape")
        await until(pilot, lambda: h.app.screen is dialog, what="back in the dialog")
        # A typed id is checked as typed; enter does not apply a wrong form.
        dialog.query_one("#f-defaultPredictionServerId", Input).focus()
        await pilot.press(*"abc")
        await pilot.pause()
        assert "not an id (24 hex characters)" in screen_text(h.app)
        await pilot.press("enter")
        await pilot.pause()
        assert h.app.screen is dialog
        await pilot.press("ctrl+a", "ctrl+k")  # emptied
        dialog.query_one("#f-serviceHealth", CheckList).focus()
        await pilot.pause()
        # enter applies from anywhere (here: a checklist, where it used to toggle).
        await pilot.press("enter")
        await until(pilot, lambda: h.app.screen is screen, what="applied")
        assert screen.query_state.service_health == ("failing",)
        await until(pilot, lambda: screen.refreshes == 2, what="filtered refresh")
        assert all(row.health[0] == "failing" for row in screen.table.rows)


def test_lower_case_enum_values_are_normalised() -> None:
    query = DeploymentQuery().with_filter("importance", ["critical", "High"])
    query = query.with_filter("serviceHealth", ["Not_Started"]).with_filter("role", "owner")
    fixed = normalise_query(query)
    assert fixed.importance == ("CRITICAL", "HIGH")
    assert fixed.service_health == ("notStarted",)
    assert ("importance", "CRITICAL,HIGH") in fixed.to_params() and fixed.role == "OWNER"


async def test_one_key_sorts_and_the_attention_view_says_how_it_orders() -> None:
    async with harness() as h, h.app.run_test(size=(160, 48)) as pilot:
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        screen.view.attention = True
        await pilot.press("L")
        await pilot.pause()
        assert screen.query_state.order_by == "label"
        assert "worst first, then Label ▲" in bar_of(screen)
        assert "LABEL▲" not in screen_text(h.app), "no column arrow over rows grouped by health"
        await pilot.press("a")  # all deployments: label order, arrow shown
        await pilot.pause()
        labels = [row.label.lower() for row in screen.table.rows]
        assert labels == sorted(labels) and "LABEL▲" in screen_text(h.app)
        assert screen.table.cursor_index == 0, "a view change lands on the first row"
        await pilot.press("L")
        await pilot.pause()
        assert screen.query_state.order_by == "-label" and "LABEL▼" in screen_text(h.app)
        await pilot.press("H")
        await pilot.pause()
        ranks = [severity(row.health[0]) for row in screen.table.rows]
        assert screen.query_state.order_by == "serviceHealth" and ranks == sorted(ranks)
        assert screen.table.cursor_index == 0


async def test_regex_and_inverse_search_with_n_between_matches() -> None:
    async with harness() as h, h.app.run_test(size=(160, 48)) as pilot:
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        await pilot.press("a")
        await pilot.press("G")
        await pilot.press("slash")
        await pilot.pause()
        assert "/" in screen_text(h.app).splitlines()[3][:3], "the search line has a prompt"
        await pilot.press(*"v[0-9]$")
        await pilot.pause()
        rows = screen.table.rows
        assert rows and all(row.label[-2] == "v" for row in rows)
        assert screen.table.cursor_index == 0, "the cursor goes to the first match"
        await pilot.press("enter", "n")
        await pilot.pause()
        assert screen.table.cursor_index == 1
        await pilot.press("N", "N")
        await pilot.pause()
        assert screen.table.cursor_index == len(rows) - 1, "N wraps round"
        # Inverse.
        screen.query_one("#search", Input).value = "!prod"
        await pilot.pause()
        assert screen.table.rows and not any("prod" in r.haystack for r in screen.table.rows)
        # An invalid pattern is said, not raised.
        screen.query_one("#search", Input).value = "(prod"
        await pilot.pause()
        assert "invalid pattern" in bar_of(screen)
        # No match: the fleet's total stays visible.
        screen.query_one("#search", Input).value = "no such deployment anywhere"
        await pilot.pause(0.6)
        await until(
            pilot,
            lambda: getattr(screen.view_answers, "search", None) == "no such deployment anywhere",
            what="server search",
        )
        assert "0/" in bar_of(screen) and "fleet 60" in bar_of(screen)


def test_parse_search_keeps_a_plain_fast_path() -> None:
    assert parse_search("Fraud").plain and parse_search("Fraud").text == "fraud"
    assert not parse_search("!fraud").plain and parse_search("!fraud").inverse
    assert parse_search("v[0-9]").pattern is not None
    assert parse_search("(x").error and parse_search("(x").matches("a (x b")


async def test_the_footer_keeps_help_and_quit_at_80x24() -> None:
    async with harness() as h, h.app.run_test(size=(80, 24)) as pilot:
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        await pilot.pause()
        footer = screen_text(h.app).splitlines()[-1]
        assert "? Help" in footer and "q Quit" in footer


async def test_help_and_palette_list_drtui_actions_and_the_legend() -> None:
    async with harness() as h, h.app.run_test(size=(120, 48)) as pilot:
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(h.app.screen, HelpScreen), what="help")
        body = str(h.app.screen.query_one("#help-body").render())
        assert "Copy selected text" not in body and "Focus Next" not in body
        assert "Sort by label" in body and "no verdict" in body and "acknowledged" in body
        assert "7D PREDS" in body
        await pilot.press("escape")
        titles = [c.title for c in h.app.get_system_commands(screen)]
        assert "Keys" not in titles and "Screenshot" not in titles
        provider = DeploymentProvider(screen)
        label = next(iter(screen.fleet.rows.values())).label
        hits = [hit async for hit in provider.search(label)]
        assert hits and isinstance(hits[0], Hit) and label in str(hits[0].match_display)


async def test_a_keymap_conflict_is_said_at_start() -> None:
    assert keymap_conflicts({}) == []
    async with (
        harness(keymap={"deployments.filter": "j"}) as h,
        h.app.run_test(size=(120, 40), message_hook=h.heard) as pilot,
    ):
        await until(
            pilot,
            lambda: any("`j`" in m and "Filter" in m and "Down" in m for m in h.heard.said()),
            what="the conflict said",
        )


async def test_overflowing_filters_are_counted() -> None:
    async with harness() as h, h.app.run_test(size=(80, 24)) as pilot:
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        query = DeploymentQuery()
        for name in ("serviceHealth", "modelHealth", "accuracyHealth", "importance"):
            query = query.with_filter(name, ["failing"] if "Health" in name else ["LOW"])
        screen.requery(query)
        await pilot.pause()
        assert "more" in bar_of(screen) and "+" in bar_of(screen)


def test_labels_lose_their_middle_and_secrets_are_masked() -> None:
    cut = fit_middle("Wholesale Transaction Anomaly Detector (prod)", 24)
    assert len(cut) == 24 and cut.startswith("Wholesale") and cut.endswith("(prod)")
    from drtui.api.models import Deployment

    d = Deployment.model_validate(
        {
            "id": "a" * 24,
            "label": "x",
            "defaultPredictionServer": {"id": "b" * 24, "url": "u", "datarobot-key": "s3cr3t"},
        }
    )
    text = repr(sections(d, __import__("datetime").datetime.now()))
    assert "s3cr3t" not in text and "hidden" in text and "— [—]" not in text
