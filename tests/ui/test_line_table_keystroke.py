"""What a search keystroke costs the table: no layout of the screen, no scrollbar repainted for
nothing, the cursor found without indexing every row, and the same rows drawn as before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from textual.app import App, ComposeResult
from textual.scrollbar import ScrollBar
from textual.widgets import Input

from drtui.ui.widgets.line_table import LineTable
from drtui.ui.widgets.table_columns import Column

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)


@dataclass(frozen=True)
class Item:
    id: str
    name: str


COLUMNS: list[Column[Item]] = [Column("name", "NAME", 20, 0, lambda r, _: (r.name, ""), flex=True)]
ITEMS = [Item(f"i{n}", f"item {n}") for n in range(500)]


class TableApp(App[None]):
    CSS = "LineTable { height: 1fr; overflow-x: hidden; scrollbar-size-vertical: 1; }"  # as drtui's

    def compose(self) -> ComposeResult:
        yield Input(id="search", compact=True)
        yield LineTable[Item](COLUMNS, now=lambda: NOW, id="table")


def table_of(app: App[Any]) -> LineTable[Item]:
    return app.query_one("#table", LineTable)


async def test_narrowing_moves_the_scrollbar_without_laying_out_the_screen() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = table_of(app)
        table.set_rows(list(ITEMS))
        await pilot.pause()
        layouts: list[object] = []
        original = table.refresh

        def refresh(*regions: Any, **options: Any) -> Any:
            if options.get("layout"):
                layouts.append(regions)
            return original(*regions, **options)

        table.refresh = refresh  # type: ignore[method-assign]
        table.set_rows(ITEMS[:200])
        assert layouts == [], "a new row count is the scrollbar's business, not the screen's"
        assert table.virtual_size.height == 201
        assert table.vertical_scrollbar.window_virtual_size == 201
        await pilot.pause()
        table.set_rows(ITEMS[:3])  # the scrollbar goes: then the screen is laid out
        await pilot.pause()
        assert not table.show_vertical_scrollbar
        table.set_rows(list(ITEMS))
        await pilot.pause()
        assert table.show_vertical_scrollbar
        assert table.vertical_scrollbar.window_virtual_size == 501


async def test_a_keystroke_layout_leaves_the_table_scrollbar_alone(monkeypatch: Any) -> None:
    app = TableApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = table_of(app)
        table.set_rows(list(ITEMS))
        await pilot.pause()
        repaints: list[int] = []
        original = ScrollBar.refresh

        def counted(bar: ScrollBar, *regions: Any, **options: Any) -> Any:
            if bar.parent is table:
                repaints.append(1)
            return original(bar, *regions, **options)

        monkeypatch.setattr(ScrollBar, "refresh", counted)
        app.query_one("#search", Input).focus()
        await pilot.press(*"churn")  # each key lays the screen out (the Input's width)
        await pilot.pause()
        assert repaints == []


async def test_the_cursor_follows_its_row_through_narrowing_and_widening() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = table_of(app)
        table.set_rows(list(ITEMS))
        await pilot.pause()
        assert table.move_cursor_to_id("i120")
        assert table.cursor_index == 120 and table.cursor_row == ITEMS[120]
        table.set_rows([r for r in ITEMS if r.id.endswith("20")])  # i20, i120, i220...
        assert table.cursor_row == ITEMS[120] and table.cursor_index == 1
        table.set_rows(list(ITEMS))
        assert table.cursor_index == 120
        table.set_rows(ITEMS[:50])  # the cursor's row is gone: the nearest row takes it
        assert table.cursor_index == 49 and table.cursor_row == ITEMS[49]
        assert table.move_cursor_to_id("i7") and table.cursor_index == 7
        assert not table.move_cursor_to_id("i300")
