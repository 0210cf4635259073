"""The typed search's server round trip, as the screen draws it: quiet when the server agrees.

A typed search narrows the whole fleet at once and asks the server (its `search`) once typing
pauses. While the fleet stands in for the answer, the filter bar already counts and names what
the answer will hold, so the debounce that asks and an answer that agrees with the narrowing
change nothing on screen: no line of the table, the bar or the detail pane is drawn again,
and the cursor stays where the user put it.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.widget import Widget

from drtui.ui.deployments import server_search as server_search_module
from drtui.ui.screens.deployments import DeploymentsScreen
from drtui.ui.widgets.detail_pane import DetailPane
from drtui.ui.widgets.filter_bar import FilterBar
from tests.observe import screen_of, until
from tests.ui.harness import harness


def bar_of(screen: DeploymentsScreen) -> str:
    return str(screen.query_one(FilterBar).render())


@pytest.mark.parametrize("attention", [False, True])
async def test_an_answer_that_agrees_with_the_local_narrowing_draws_nothing(
    monkeypatch: pytest.MonkeyPatch, attention: bool
) -> None:
    async with harness(attention_first=attention) as h, h.app.run_test(size=(160, 48)) as pilot:
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        word = "prod"  # most labels end in (prod), (staging) or (dev)
        await pilot.press("slash", *word)
        await pilot.pause()
        table = screen.table
        rows = list(table.rows)
        assert len(rows) > 1
        table.move_cursor_to_id(rows[1].id)  # not the first row: the answer must not move it
        await pilot.pause()
        bar = bar_of(screen)
        matching = sum(word in r.haystack for r in screen.fleet.rows.values())
        assert f"/{matching} " in bar and f'search: "{word}"' in bar  # what the answer will hold
        assert screen.view_answers is None

        drawn: list[str] = []
        for widget in (table, screen.query_one(FilterBar), screen.query_one(DetailPane)):
            name = type(widget).__name__

            def refresh(
                *regions: Any, _name: str = name, _widget: Widget = widget, **kw: Any
            ) -> Any:
                drawn.append(_name)
                return Widget.refresh(_widget, *regions, **kw)

            monkeypatch.setattr(widget, "refresh", refresh)

        assert screen.server_search.debounce is not None
        screen.server_search.ask()  # the debounce fires: the server is asked
        await until(
            pilot,
            lambda: getattr(screen.view_answers, "search", None) == word,
            what="the server's answer",
        )
        await pilot.pause()
        assert [r.id for r in table.rows] == [r.id for r in rows]  # the server agrees
        assert drawn == []
        assert bar_of(screen) == bar
        assert table.cursor_id == rows[1].id


async def test_an_answer_that_differs_is_drawn() -> None:
    """A deployment deleted on the server since the fleet was read: the answer drops it."""
    async with harness(attention_first=False) as h, h.app.run_test(size=(160, 48)) as pilot:
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        word = "prod"
        await pilot.press("slash", *word)
        await pilot.pause()
        local = {r.id for r in screen.table.rows}
        gone = screen.table.rows[0].id
        with h.state.lock:
            h.state.delete_deployment(gone)  # on the server, after the fleet was read
        assert screen.server_search.debounce is not None
        screen.server_search.ask()
        await until(
            pilot,
            lambda: getattr(screen.view_answers, "search", None) == word,
            what="the server's answer",
        )
        await pilot.pause()
        assert {r.id for r in screen.table.rows} == local - {gone}
        assert f"{len(local) - 1}/{len(local) - 1}" in bar_of(screen)


async def test_a_wide_search_is_asked_of_the_server_after_a_longer_pause(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A search matching more than WIDE_SEARCH_ROWS (a letter or two, most of the fleet) waits
    for a longer pause before the server is asked for pages of rows the fleet already shows."""
    monkeypatch.setattr(server_search_module, "WIDE_SEARCH_ROWS", 20)
    async with harness(attention_first=False) as h, h.app.run_test(size=(160, 48)) as pilot:
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        await pilot.press("slash", "e")  # most of the 60 labels or descriptions
        await pilot.pause()
        assert len(screen.table.rows) > 20
        assert screen.server_search.debounce == server_search_module.WIDE_SEARCH_DEBOUNCE
        await pilot.press(*"ntirely absent")
        await pilot.pause()
        assert len(screen.table.rows) <= 20
        assert screen.server_search.debounce == server_search_module.SEARCH_DEBOUNCE
