"""The deployments screen driven by keys against the emulator, as an on-call engineer would."""

from __future__ import annotations

import asyncio
import functools
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import OptionList, SelectionList

from drtui.core.health import is_passing
from drtui.ui.deployments import alerts as alerts_module
from drtui.ui.screens.deployments import DeploymentsScreen
from drtui.ui.screens.filter_builder import FilterBuilder
from drtui.ui.screens.help import HelpScreen
from drtui.ui.screens.sort_chooser import SortChooser
from drtui.ui.widgets.fleet_header import FleetHeader
from tests.observe import screen_of, until
from tests.ui.harness import FIXED_NOW, harness
from tests.ui.write_harness import write_harness


async def first_fleet(app: App[Any], pilot: Pilot[Any]) -> tuple[DeploymentsScreen, str]:
    """The screen once its first fleet is shown, and a word of a label on it to search for."""
    screen = screen_of(app)
    await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
    return screen, screen.table.rows[3].label.split()[0].lower()


def header_text(screen: DeploymentsScreen) -> str:
    return str(screen.query_one(FleetHeader).render())


async def test_first_view_is_attention_worst_first_and_a_shows_all() -> None:
    async with harness() as h, h.app.run_test(size=(160, 48)) as pilot:
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        rows = screen.table.rows
        assert rows and len(rows) < len(screen.fleet)
        assert all(not all(is_passing(s) for s in row.health) for row in rows)
        worst = [row.worst for row in rows]
        assert worst == sorted(worst)
        await pilot.press("a")
        assert len(screen.table.rows) == len(screen.fleet) == 60


async def test_search_narrows_at_once_then_asks_the_server() -> None:
    async with harness(attention_first=False) as h, h.app.run_test(size=(120, 40)) as pilot:
        screen, word = await first_fleet(h.app, pilot)
        await pilot.press("slash", *word)
        narrowed = screen.table.rows
        assert 0 < len(narrowed) < 60
        assert all(word in row.haystack for row in narrowed)
        before = len(await h.requests())
        await until(pilot, lambda: screen.view_answers is not None, what="server search")
        asked = [parse_qs(r["query"]) for r in (await h.requests())[before:]]
        # Only the narrowed view is asked for: the whole fleet, just loaded, is not fetched again.
        assert asked and all(q.get("search") == [word] for q in asked)
        assert screen.refreshes == 1
        assert {r.id for r in screen.table.rows} == {r.id for r in narrowed}
        await pilot.press("escape")
        assert len(screen.table.rows) == 60


async def test_a_shorter_search_is_not_narrowed_over_the_longer_ones_answer() -> None:
    """Deleting a letter after the server answered: the rows are the whole fleet's narrowing
    for the shorter text at once, not the longer text's answer narrowed again."""
    async with harness(attention_first=False) as h, h.app.run_test(size=(120, 40)) as pilot:
        screen, word = await first_fleet(h.app, pilot)
        longer = word + "zz"
        await pilot.press("slash", *longer)
        await until(pilot, lambda: screen.view_answers is not None, what="answer")
        assert screen.table.rows == []
        await pilot.press("backspace", "backspace")
        expected = {r.id for r in screen.fleet.rows.values() if word in r.haystack}
        assert expected and {r.id for r in screen.table.rows} == expected


async def test_filter_builder_queries_the_server() -> None:
    async with harness(attention_first=False) as h, h.app.run_test(size=(120, 40)) as pilot:
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        target = next(r for r in screen.table.rows if r.health[0] in ("warning", "failing"))
        health, importance = target.health[0], target.importance
        await pilot.press("f")
        assert isinstance(h.app.screen, FilterBuilder)
        h.app.screen.query_one("#f-serviceHealth", SelectionList).select(health)
        h.app.screen.query_one("#f-importance", SelectionList).select(importance)
        await pilot.click("#apply")
        await until(pilot, lambda: screen.refreshes == 2, what="filtered refresh")
        # The server is asked the steady filter; health, which moves while pages are read,
        # is applied to the records as read (api/query.py, DeploymentQuery.steady).
        asked = [parse_qs(r["query"]) for r in await h.requests()]
        assert any(q.get("importance") == [importance] for q in asked)
        assert not any("serviceHealth" in q for q in asked)
        shown = screen.table.rows
        assert target.id in {r.id for r in shown} and len(shown) < 60
        assert all(r.health[0] == health and r.importance == importance for r in shown)
        assert f"serviceHealth: {health}" in str(screen.query_one("#filter-bar").render())


async def test_sort_chooser_and_reverse_sort_sort_locally_without_a_request() -> None:
    async with harness(attention_first=False) as h, h.app.run_test(size=(120, 40)) as pilot:
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        requests = len(await h.requests())
        await pilot.press("s")
        assert isinstance(h.app.screen, SortChooser)
        options = h.app.screen.query_one(OptionList)
        options.highlighted = options.get_option_index("label")
        await pilot.press("enter")
        await until(pilot, lambda: screen.query_state.order_by == "label", what="sorted")
        labels = [r.label.lower() for r in screen.table.rows]
        assert labels == sorted(labels)
        await pilot.press("S")
        await until(pilot, lambda: screen.query_state.order_by == "-label", what="reversed")
        assert [r.label.lower() for r in screen.table.rows] == sorted(labels, reverse=True)
        assert len(await h.requests()) == requests, "a new sort needs no request"
        # Every listing is fetched in the stable order, whatever the table shows.
        await pilot.press("r")
        await until(pilot, lambda: screen.refreshes == 2, what="refresh")
        assert {parse_qs(r["query"])["orderBy"][0] for r in await h.requests()} == {"label"}


async def test_refresh_applies_the_diff_and_keeps_the_cursor_on_the_same_deployment() -> None:
    async with harness(attention_first=False) as h, h.app.run_test(size=(120, 40)) as pilot:
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        await pilot.press("j", "j", "j", "j", "j")
        chosen = screen.table.cursor_id
        before = [r.id for r in screen.table.rows]
        await h.advance(6 * 3600)
        await pilot.press("r")
        await until(pilot, lambda: screen.refreshes == 2, what="second refresh")
        after = [r.id for r in screen.table.rows]
        assert after != before  # last-prediction order moved
        assert screen.table.cursor_id == chosen
        assert screen.table.cursor_row is not None and screen.table.cursor_row.id == chosen


async def test_outage_keeps_data_visibly_stale_then_recovers() -> None:
    async with (
        harness(attention_first=False, refresh_interval=0.3) as h,
        h.app.run_test(size=(120, 40)) as pilot,
    ):
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        await h.chaos(outage=True)
        await until(pilot, lambda: screen.freshness.stale_since is not None, what="stale")
        assert "STALE since" in header_text(screen)
        assert "retrying in" in header_text(screen)
        assert len(screen.table.rows) == 60  # last good data kept
        refreshes = screen.refreshes
        await h.calm()
        await until(pilot, lambda: screen.refreshes > refreshes, what="recovery")
        assert screen.freshness.stale_since is None
        assert "updated" in header_text(screen) and "STALE" not in header_text(screen)


async def test_degradation_alerts_marks_the_row_and_logs_the_event(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(alerts_module, "DEGRADED_SECONDS", 3.0)
    clock = [FIXED_NOW]  # the app's clock, which the mark expires on
    async with (
        harness(attention_first=False, bell=True, now=lambda: clock[0]) as h,
        h.app.run_test(size=(120, 40), message_hook=h.heard) as pilot,
    ):
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        bells: list[None] = []
        h.app.bell = lambda: bells.append(None)  # type: ignore[method-assign]
        for step in range(2, 12):
            await h.advance(3600)
            await pilot.press("r")
            await until(
                pilot, functools.partial(lambda n: screen.refreshes == n, step), what="refresh"
            )
            if any(e.transition.worse for e in screen.events):
                break
        worse = [e.transition for e in screen.events if e.transition.worse]
        assert worse, "the emulator's clock should degrade some deployment within 10 hours"
        assert worse[-1].deployment_id in screen.table.degraded_ids
        await until(pilot, lambda: h.heard.notifications("Health degraded"), what="the toast")
        assert len(bells) == 1  # once per refresh, however many rows got worse
        await pilot.press("E")
        assert worse[-1].label in [r.label for r in h.app.screen.table.rows]  # type: ignore[attr-defined]
        await pilot.pause()
        assert worse[-1].deployment_id in screen.table.degraded_ids, "not before its time"
        clock[0] += timedelta(seconds=4)
        await until(pilot, lambda: not screen.table.degraded_ids, what="highlight to expire")


async def test_help_lists_the_screen_keys_and_copy_puts_the_id_on_the_clipboard() -> None:
    async with harness(attention_first=False) as h, h.app.run_test(size=(80, 24)) as pilot:
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        await pilot.press("y")
        assert h.app.clipboard == screen.table.cursor_id
        await pilot.press("question_mark")
        assert isinstance(h.app.screen, HelpScreen)
        text = str(h.app.screen.query_one("#help-body").render())
        for description in ("Search", "Filter", "Sort", "Refresh", "Pause", "Events", "Quit"):
            assert description in text
        await pilot.press("escape")
        current: object = h.app.screen
        assert current is screen


async def test_a_search_key_draws_the_detail_once_for_the_row_it_lands_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from drtui.ui.widgets.detail_pane import DetailPane

    async with harness(attention_first=False) as h, h.app.run_test(size=(160, 48)) as pilot:
        screen, word = await first_fleet(h.app, pilot)
        await pilot.press("slash")
        shown: list[str | None] = []
        original = DetailPane.show

        def show(pane: DetailPane, identity: str | None, *args: object, **kw: object) -> None:
            shown.append(identity)
            original(pane, identity, *args, **kw)  # type: ignore[arg-type]

        monkeypatch.setattr(DetailPane, "show", show)
        await pilot.press(word[0])
        await pilot.pause()
        first = screen.table.rows[0].id
        assert screen.table.cursor_id == first
        assert shown == [first]  # not the interim cursor row's, nor the same row twice
        assert screen.query_one(DetailPane).identity == first


async def test_a_key_cancels_the_server_search_for_the_text_it_changed(tmp_path: Path) -> None:
    async with (
        write_harness(tmp_path, attention_first=False) as h,
        h.app.run_test(size=(120, 40)) as pilot,
    ):
        screen, word = await first_fleet(h.app, pilot)
        await pilot.press("slash", *word)
        gate = asyncio.Event()  # the server's answer is held until the next key is typed
        h.wire.hold = lambda request: gate if "search" in request.url.params else None
        screen.server_search.ask()  # the debounce fires: the server is asked for `word`
        asking_for = screen.server_search.asking
        assert asking_for is not None and asking_for.search == word
        (asking,) = [w for w in screen.workers if w.group == "server-search"]
        await pilot.press("z")  # before its answer: that request is of no use any more
        assert screen.server_search.asking is None
        assert asking.is_cancelled and screen.view_answers is None  # it never landed
        gate.set()
        await pilot.press("backspace")  # back to `word`: asked again once the typing pauses
        await until(
            pilot,
            lambda: getattr(screen.view_answers, "search", None) == word,
            what="the answer asked again",
        )
        assert {r.id for r in screen.table.rows} == {
            r.id for r in screen.fleet.rows.values() if word in r.haystack
        }


def bar_text(screen: DeploymentsScreen) -> str:
    from drtui.ui.widgets.filter_bar import FilterBar

    return str(screen.query_one(FilterBar).render())


async def test_an_exact_label_or_an_id_finds_its_deployment_and_the_server_agrees() -> None:
    async with harness(attention_first=False) as h, h.app.run_test(size=(160, 40)) as pilot:
        screen, _ = await first_fleet(h.app, pilot)
        target = next(r for r in screen.fleet.rows.values() if r.label.endswith(")"))
        await pilot.press("slash", *target.label)
        assert target.id in {r.id for r in screen.table.rows}
        assert f'search: "{target.label.lower()}" (text or regex)' in bar_text(screen)
        await pilot.press("escape")
        # The id `y` copies, an alert or a URL carries: that deployment, and the server (whose
        # search reads labels and descriptions) is not asked to contradict it.
        before = len(await h.requests())
        await pilot.press("slash", *target.id, "enter")
        assert [r.id for r in screen.table.rows] == [target.id]
        screen.server_search.ask()  # the debounce fires
        await pilot.pause()
        assert [r.id for r in screen.table.rows] == [target.id]
        assert len(await h.requests()) == before
        await pilot.press("escape")


async def test_regex_and_hiding_searches_are_named_in_the_status_line() -> None:
    async with harness(attention_first=False) as h, h.app.run_test(size=(160, 40)) as pilot:
        screen, word = await first_fleet(h.app, pilot)
        await pilot.press("slash", *"v[0-9]+$")
        assert 'search: "v[0-9]+$" (text or regex)' in bar_text(screen)
        await pilot.press("escape", "slash", "!", *word)
        assert f'hiding: "{word}"' in bar_text(screen)
        assert all(word not in r.haystack for r in screen.table.rows)


async def test_n_after_a_cleared_search_opens_no_dialog() -> None:
    from drtui.ui.screens.edit_dialogs import CreateDialog

    async with (
        harness(attention_first=False) as h,
        h.app.run_test(size=(160, 40), message_hook=h.heard) as pilot,
    ):
        screen, word = await first_fleet(h.app, pilot)
        await pilot.press("slash", *word, "enter", "n")
        await pilot.press("escape", "n", "N")
        await pilot.pause()
        assert h.app.screen is screen, "n and N only move between matches"
        await until(pilot, lambda: h.heard.saying("No search"), what="no search said")
        await pilot.press("plus")
        await until(pilot, lambda: isinstance(h.app.screen, CreateDialog), what="New deployment")


async def test_l_opens_the_log_of_a_custom_model_deployment_or_says_why_not() -> None:
    from drtui.ui.screens.logs import LogScreen

    async with (
        harness(attention_first=False) as h,
        h.app.run_test(size=(160, 40), message_hook=h.heard) as pilot,
    ):
        screen, _ = await first_fleet(h.app, pilot)
        rows = list(screen.fleet.rows.values())
        custom = next(r for r in rows if r.source.model and r.source.model.custom_model_image)
        other = next(r for r in rows if r.source.model and not r.source.model.custom_model_image)
        screen.table.move_cursor_to_id(other.id)
        await pilot.press("l")
        await pilot.pause()
        assert h.app.screen is screen
        await until(pilot, lambda: h.heard.said(), what="why not said")
        said = h.heard.said()
        assert f"{other.label} has no log to show: only deployments of custom models" in said[-1]
        screen.table.move_cursor_to_id(custom.id)
        await pilot.press("l")
        await until(pilot, lambda: isinstance(h.app.screen, LogScreen), what="its log")
        log = h.app.screen
        assert [t.id for t in log.targets] == [custom.id]  # type: ignore[attr-defined]
        await pilot.press("escape")
        await until(pilot, lambda: h.app.screen is screen, what="back on the fleet")
