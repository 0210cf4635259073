"""A virtualized table for any kind of row: a Line-API view that draws only the rows on screen.

Textual's DataTable re-measures and rebuilds on change (seconds at 10,000 rows). `LineTable[R]`
keeps a list of rows (frozen dataclasses with an `id`) and draws only the lines on screen,
repainting only what changed (`TableLines`, table_lines.py, its drawing half). This module is
what a view calls and what the keys do: rows set keeping the cursor by id, the cursor, the
selection.

A view configures it with `Column[R]`s (table_columns.py), optional multi-select (`space`,
select all), a `dim` hook (deleted items) and a highlight set (recently degraded). Messages
are nested: `LineTable.CursorMoved`, `LineTable.HeaderClicked`, `LineTable.SelectionChanged`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from textual import events
from textual.binding import BindingType
from textual.geometry import Size
from textual.message import Message

from drtui.ui.keymap import TABLE_BINDINGS
from drtui.ui.widgets.table_columns import GUTTER, Column, R
from drtui.ui.widgets.table_lines import TableLines


class LineTable(TableLines[R], can_focus=True, inherit_bindings=False):
    BINDINGS: ClassVar[list[BindingType]] = list(TABLE_BINDINGS)

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "line-table--header",
        "line-table--sorted",
        "line-table--cursor",
        "line-table--highlight",
        "line-table--selected",
        "line-table--dim",
        "line-table--bad",
        "line-table--warn",
        "line-table--good",
        "line-table--muted",
        "line-table--empty",
    }

    @dataclass
    class CursorMoved(Message):
        """The row under the cursor changed (or disappeared: None)."""

        table: LineTable[Any]
        row_id: str | None

        @property
        def control(self) -> LineTable[Any]:
            return self.table

    @dataclass
    class HeaderClicked(Message):
        """A column title was clicked: the view sorts by it."""

        table: LineTable[Any]
        column: Column[Any]

        @property
        def control(self) -> LineTable[Any]:
            return self.table

    @dataclass
    class SelectionChanged(Message):
        table: LineTable[Any]
        selected: frozenset[str]

        @property
        def control(self) -> LineTable[Any]:
            return self.table

    def __init__(
        self,
        columns: Sequence[Column[R]],
        *,
        now: Callable[[], datetime],
        selectable: bool = False,
        dim: Callable[[R], bool] | None = None,
        empty_message: str = "Loading…",
        **kwargs: Any,
    ) -> None:
        super().__init__(columns, now=now, dim=dim, empty_message=empty_message, **kwargs)
        self._index: dict[str, int] | None = {}
        """Row index by id, built when first needed after `set_rows` (a keystroke that narrows
        10,000 rows does not pay for it: the cursor is found from `_cursor_at`)."""
        self._cursor_at: int | None = None
        """The cursor row's index in `_rows` (None: no cursor)."""
        self.selectable = selectable

    # ----- state the view sets ---------------------------------------------------------------

    @property
    def rows(self) -> Sequence[R]:
        return self._rows

    @property
    def cursor_row(self) -> R | None:
        index = self._cursor_at
        return None if index is None else self._rows[index]

    @property
    def cursor_index(self) -> int | None:
        return self._cursor_at

    def _ids(self) -> dict[str, int]:
        if self._index is None:
            self._index = {row.id: i for i, row in enumerate(self._rows)}
        return self._index

    def _find(self, row_id: str | None, *hints: int | None) -> int | None:
        """The index of `row_id`: the hinted indices are tried before the whole index."""
        if row_id is None:
            return None
        rows = self._rows
        for hint in hints:
            if hint is not None and 0 <= hint < len(rows) and rows[hint].id == row_id:
                return hint
        return self._ids().get(row_id)

    @property
    def columns(self) -> list[Column[R]]:
        return self._columns

    @property
    def all_columns(self) -> list[Column[R]]:
        return self._all_columns

    @property
    def highlighted_ids(self) -> frozenset[str]:
        return self._highlighted

    def set_rows(self, rows: list[R], *, clock: datetime | None = None, home: bool = False) -> None:
        """Show `rows`, keeping the cursor on the same row id and the scroll offset; `home`:
        the cursor on the first row, scrolled home, instead (a search lands there: the old
        cursor row is not looked for among 10,000)."""
        old_index = self._cursor_at if self._cursor_at is not None else 0
        cursor_was_visible = self._is_visible(old_index)
        self._rows = rows
        self._index = None
        if clock is not None and abs((clock - self._clock).total_seconds()) >= 1.0:
            self.set_clock(clock)  # ages are whole seconds: a keystroke's clock need not move
        if self.selected and not self.selected <= self._ids().keys():
            self.selected = self.selected & self._ids().keys()
            self.post_message(self.SelectionChanged(self, self.selected))
        self.set_content_size(Size(self.size.width, len(rows) + 1))  # no screen layout
        if home:
            self.scroll_home(animate=False, immediate=True)
            self._move_cursor_to(0 if rows else None, announce=True)
            self._repaint_changed()
            return
        self._cursor_at = self._find(self.cursor_id, old_index, 0)
        if self._cursor_at is None:
            self._move_cursor_to(min(old_index, len(rows) - 1) if rows else None, announce=True)
        elif cursor_was_visible:
            self._scroll_to_cursor()
        self._repaint_changed()

    def set_clock(self, clock: datetime) -> None:
        if clock != self._clock:
            self._clock = clock
            self._clock_texts.clear()

    def move_cursor_to_id(self, row_id: str) -> bool:
        """Put the cursor on a row by id (scrolled into view); False if it is not shown."""
        index = self._find(row_id, self._cursor_at, 0)
        if index is None:
            return False
        self._move_cursor_to(index, announce=True)
        self._repaint_changed()
        return True

    def set_highlighted(self, ids: frozenset[str]) -> None:
        """Rows marked ▲ (e.g. recently degraded) until the view clears them."""
        self._highlighted = ids
        self._repaint_changed()

    def set_marks(self, marks: dict[str, str]) -> None:
        """One-character gutter marks by row id (e.g. muted, acknowledged)."""
        if marks != self._marks:
            self._marks = marks
            self._repaint_changed()

    def set_order(self, order_by: str | None) -> None:
        """The sort shown in the header: a column key or orderBy field, `-` for descending."""
        if order_by != self._order_by:
            self._order_by = order_by
            self._repaint_changed()

    def tick(self, clock: datetime) -> None:
        """Move the age clock; only lines whose age text changed are redrawn."""
        self.set_clock(clock)
        self._clock_texts.clear()  # a subclass's cells may depend on more than the clock
        self._repaint_changed()

    # ----- selection -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("toggle_select", "select_all"):
            return self.selectable
        return True

    def action_toggle_select(self) -> None:
        row = self.cursor_row
        if row is None:
            return
        self.selected = self.selected ^ {row.id}
        self.post_message(self.SelectionChanged(self, self.selected))
        self._step(1)
        self._repaint_changed()

    def action_select_all(self) -> None:
        """Select every row shown, or clear the selection when all are already selected."""
        every = frozenset(self._ids())
        self.selected = frozenset() if self.selected >= every else every
        self.post_message(self.SelectionChanged(self, self.selected))
        self._repaint_changed()

    def clear_selection(self) -> None:
        if self.selected:
            self.selected = frozenset()
            self.post_message(self.SelectionChanged(self, self.selected))
            self._repaint_changed()

    # ----- cursor -------------------------------------------------------------------------------

    @property
    def _body_height(self) -> int:
        return max(1, self.size.height - 1)

    def _is_visible(self, index: int) -> bool:
        top = round(self.scroll_y)
        return top <= index < top + self._body_height

    def _move_cursor_to(self, index: int | None, *, announce: bool) -> None:
        new_id = None if index is None or not self._rows else self._rows[index].id
        changed = new_id != self.cursor_id
        self.cursor_id = new_id
        self._cursor_at = None if new_id is None else index
        if index is not None:
            self._scroll_to_cursor()
        if changed and announce:
            self.post_message(self.CursorMoved(self, new_id))

    def _scroll_to_cursor(self) -> None:
        index = self._cursor_at
        if index is None:
            return
        top = round(self.scroll_y)
        if index < top:
            self.scroll_to(y=index, animate=False, immediate=True)
        elif index >= top + self._body_height:
            self.scroll_to(y=index - self._body_height + 1, animate=False, immediate=True)

    def _step(self, delta: int) -> None:
        if not self._rows:
            return
        current = self._cursor_at if self._cursor_at is not None else 0
        self._move_cursor_to(max(0, min(len(self._rows) - 1, current + delta)), announce=True)
        self._repaint_changed()

    def action_cursor_down(self) -> None:
        self._step(1)

    def action_cursor_up(self) -> None:
        self._step(-1)

    def action_page_down(self) -> None:
        self._step(self._body_height)

    def action_page_up(self) -> None:
        self._step(-self._body_height)

    def action_first(self) -> None:
        self._step(-len(self._rows))

    def action_last(self) -> None:
        self._step(len(self._rows))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            column = self._column_at(offset.x)
            if column is not None and (column.order_by or column.sort_key):
                self.post_message(self.HeaderClicked(self, column))
            return
        index = round(self.scroll_y) + offset.y - 1
        if 0 <= index < len(self._rows):
            self._move_cursor_to(index, announce=True)
            self._repaint_changed()

    def _column_at(self, x: int) -> Column[R] | None:
        left = GUTTER
        for column in self._columns:
            width = self._widths[column.key]
            if left <= x < left + width:
                return column
            left += width + 1
        return None

    # ----- size --------------------------------------------------------------------------------

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self._rows) + 1)
        self._relayout()
        self._scroll_to_cursor()
