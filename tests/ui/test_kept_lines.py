"""What a search key that redraws the table and the detail pane reuses from the keys before it:
the table's scrollbar drawn for a row count it showed before, the pane's styled lines for a
deployment it showed before, and a search landing on the first row without indexing them all."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from drtui.ui.textual_compat import StylesCache
from drtui.ui.widgets.detail_pane import DetailPane
from drtui.ui.widgets.line_table import LineTable
from tests.ui.test_line_table_keystroke import COLUMNS, ITEMS, NOW, Item

CSS = """
LineTable { height: 1fr; overflow-x: hidden; scrollbar-size-vertical: 1; }
DetailPane { height: 12; border-top: solid $primary; padding: 0 1; scrollbar-size-vertical: 1; }
"""  # as drtui's (its narrow layout)


class PaneApp(App[None]):
    CSS = CSS

    def __init__(self) -> None:
        super().__init__()
        self.moved: list[str | None] = []

    def compose(self) -> ComposeResult:
        yield LineTable[Item](COLUMNS, now=lambda: NOW, id="table")
        yield DetailPane(id="detail")

    def on_line_table_cursor_moved(self, message: LineTable.CursorMoved) -> None:
        self.moved.append(message.row_id)


def sections(name: str) -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        ("Deployment", [("Label", name), ("Importance", "HIGH"), ("Status", "active")]),
        ("Health", [("Service", "passing"), ("Model", "warning " + name)]),
    ]


async def test_a_scrollbar_drawn_before_is_not_drawn_again(monkeypatch: pytest.MonkeyPatch) -> None:
    app = PaneApp()
    async with app.run_test(size=(80, 40)) as pilot:
        table = app.query_one(LineTable)
        table.set_rows(list(ITEMS))
        await pilot.pause()
        bar = table.vertical_scrollbar
        drawn: list[Widget] = []
        original = StylesCache.render_widget

        def render_widget(cache: StylesCache, widget: Widget, crop: Region) -> list[Strip]:
            drawn.append(widget)
            return original(cache, widget, crop)

        monkeypatch.setattr(StylesCache, "render_widget", render_widget)
        table.set_rows(ITEMS[:200])  # a narrowing: the thumb grows, the bar is drawn
        await pilot.pause()
        assert bar in drawn
        table.set_rows(list(ITEMS))  # widened again: the thumb as it was
        await pilot.pause()
        drawn.clear()
        table.set_rows(ITEMS[:200])  # and narrowed again: its drawing is kept
        await pilot.pause()
        assert bar.window_virtual_size == 201
        assert bar not in drawn


async def test_the_pane_hands_over_the_lines_it_styled_for_an_item_shown_before() -> None:
    app = PaneApp()
    async with app.run_test(size=(80, 40)) as pilot:
        pane = app.query_one(DetailPane)

        def lines() -> list[Strip]:
            return pane.render_lines(Region(0, 0, pane.size.width, pane.size.height))

        pane.show("a", sections("alpha"))
        await pilot.pause()
        first = lines()
        pane.show("b", sections("beta"))
        await pilot.pause()
        other = lines()
        pane.show("a", sections("alpha"))
        await pilot.pause()
        again = lines()
        assert [s.text for s in again] == [s.text for s in first]
        inner = range(2, 7)  # below the top border: the fields (the last line is styled anew)
        assert all(again[y] is first[y] for y in inner), "the same styled strips"
        assert any(other[y] is not first[y] for y in inner)
        # A field both items share is kept too: "Importance: HIGH" is the same line for both.
        assert other[3] is first[3]


class Counted:
    """A row that counts how often any row's id is read: indexing the rows reads every one."""

    reads = 0

    def __init__(self, item: Item) -> None:
        self.item = item
        self.name = item.name

    @property
    def id(self) -> str:
        Counted.reads += 1
        return self.item.id


async def test_a_search_lands_on_the_first_row_without_indexing_the_rows() -> None:
    app = PaneApp()
    rows = [Counted(Item(f"i{n}", f"item {n}")) for n in range(10_000)]
    async with app.run_test(size=(80, 40)) as pilot:
        table: LineTable[Any] = app.query_one(LineTable)
        table.set_rows(rows)
        await pilot.pause()
        assert table.move_cursor_to_id("i120")
        await pilot.pause()
        app.moved.clear()
        narrowed = [r for r in rows if "2" in r.name]
        Counted.reads = 0
        table.set_rows(narrowed, home=True)
        assert Counted.reads < 100 < len(narrowed), "no index of the rows was built"
        assert table.cursor_index == 0 and table.cursor_id == "i2"
        assert round(table.scroll_y) == 0
        await pilot.pause()
        assert app.moved == ["i2"]
