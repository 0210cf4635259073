"""The deployments table: a Line-API view that draws only the rows on screen.

Textual's DataTable re-measures and rebuilds on change (seconds at 10,000 rows). This widget
keeps a list of precomputed `Row`s and draws a line when the compositor asks for it, caching
each drawn line by everything that affects it (the row's content, its age text, cursor,
highlight, layout). After any state change it compares each visible line's key with what it drew
last and refreshes only the lines that differ, so a refresh that changes nothing writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import fields
from datetime import datetime
from typing import Any, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual import events
from textual.binding import BindingType
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from drtui.core.rows import Row
from drtui.ui.keymap import TABLE_BINDINGS
from drtui.ui.messages import CursorMoved, SortRequested
from drtui.ui.widgets.columns import GUTTER, Column, fit

_STRIP_CACHE_LIMIT = 500


class DeploymentTable(ScrollView, can_focus=True, inherit_bindings=False):
    BINDINGS: ClassVar[list[BindingType]] = list(TABLE_BINDINGS)

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "deployment-table--header",
        "deployment-table--sorted",
        "deployment-table--cursor",
        "deployment-table--degraded",
        "deployment-table--bad",
        "deployment-table--warn",
        "deployment-table--good",
        "deployment-table--muted",
        "deployment-table--empty",
    }

    empty_message: reactive[str] = reactive("Loading deployments…")

    def __init__(self, *, now: Callable[[], datetime], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._now = now
        self._clock = now()
        """The moment ages are computed against; moved on refresh, not per frame."""
        self._rows: list[Row] = []
        self._index: dict[str, int] = {}
        self.cursor_id: str | None = None
        self._degraded: frozenset[str] = frozenset()
        self._order_by: str | None = None
        self._columns: list[Column] = []
        self._label_width = 0
        self._layout_width = -1
        self._strips: dict[tuple[object, ...], Strip] = {}
        self._drawn: dict[int, tuple[object, ...]] = {}

    # ----- state the screen sets -------------------------------------------------------------

    @property
    def rows(self) -> Sequence[Row]:
        return self._rows

    @property
    def cursor_row(self) -> Row | None:
        index = self._index.get(self.cursor_id or "")
        return None if index is None else self._rows[index]

    @property
    def degraded_ids(self) -> frozenset[str]:
        return self._degraded

    @property
    def columns(self) -> list[Column]:
        return self._columns

    def set_rows(self, rows: list[Row], *, clock: datetime | None = None) -> None:
        """Show `rows`, keeping the cursor on the same deployment id and the scroll offset."""
        old_index = self._index.get(self.cursor_id or "", 0)
        cursor_was_visible = self._is_visible(old_index)
        self._rows = rows
        self._index = {row.id: i for i, row in enumerate(rows)}
        if clock is not None:
            self._clock = clock
        self.virtual_size = Size(self.size.width, len(rows) + 1)
        if self.cursor_id not in self._index:
            self._move_cursor_to(min(old_index, len(rows) - 1) if rows else None, announce=True)
        elif cursor_was_visible:
            self._scroll_to_cursor()
        self._repaint_changed()

    def set_degraded(self, ids: frozenset[str]) -> None:
        """Deployments that recently got worse: marked until the screen clears them."""
        self._degraded = ids
        self._repaint_changed()

    def set_order(self, order_by: str | None) -> None:
        self._order_by = order_by
        self._repaint_changed()

    def tick(self, clock: datetime) -> None:
        """Move the age clock; only lines whose age text changed are redrawn."""
        self._clock = clock
        self._repaint_changed()

    def watch_empty_message(self) -> None:
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
        if index is not None:
            self._scroll_to_cursor()
        if changed and announce:
            self.post_message(CursorMoved(new_id))

    def _scroll_to_cursor(self) -> None:
        index = self._index.get(self.cursor_id or "")
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
        current = self._index.get(self.cursor_id or "", 0)
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
            if column is not None and column.order_by is not None:
                self.post_message(SortRequested(column.order_by))
            return
        index = round(self.scroll_y) + offset.y - 1
        if 0 <= index < len(self._rows):
            self._move_cursor_to(index, announce=True)
            self._repaint_changed()

    def _column_at(self, x: int) -> Column | None:
        left = 2
        for column in self._columns:
            width = self._label_width if column.key == "label" else column.width
            if left <= x < left + width:
                return column
            left += width + 1
        return None

    # ----- drawing ------------------------------------------------------------------------------

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self._rows) + 1)
        self._relayout()
        self._scroll_to_cursor()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self._drawn.clear()

    def _relayout(self) -> None:
        width = self.scrollable_content_region.width
        if width != self._layout_width:
            self._layout_width = width
            self._columns, self._label_width = fit(width)
            self._strips.clear()
            self._drawn.clear()

    def _line_key(self, y: int) -> tuple[object, ...]:
        if y == 0:
            return ("header", self._order_by, self._layout_width)
        index = round(self.scroll_y) + y - 1
        if not self._rows:
            return ("empty", y, self.empty_message, self._layout_width)
        if index >= len(self._rows):
            return ("blank", self._layout_width)
        row = self._rows[index]
        last = next((c for c in self._columns if c.key == "last"), None)
        age_text = last.cell(row, self._clock)[0] if last else ""
        return (
            row,
            age_text,
            row.id == self.cursor_id,
            row.id in self._degraded,
            self._layout_width,
        )

    def _repaint_changed(self) -> None:
        """Refresh exactly what differs from what was drawn: whole lines, or only the cells
        that changed when the same deployment stays on a line with the same look (over SSH a
        refresh then costs a few cells, not a 200-column line per changed row)."""
        if not self.is_mounted or self._layout_width < 0:
            return
        width = self.size.width
        for y in range(self.size.height):
            drawn, wanted = self._drawn.get(y), self._line_key(y)
            if drawn == wanted:
                continue
            cells = self._changed_cells(drawn, wanted)
            if cells is None:
                self.refresh(Region(0, y, width, 1))
            else:
                self.refresh(*(Region(x, y, w, 1) for x, w in cells))

    def _changed_cells(
        self, drawn: tuple[object, ...] | None, wanted: tuple[object, ...]
    ) -> list[tuple[int, int]] | None:
        """(x, width) of each cell that differs, or None when the whole line must be redrawn."""
        if drawn is None or not isinstance(drawn[0], Row) or not isinstance(wanted[0], Row):
            return None
        old, new = drawn[0], wanted[0]
        if old.id != new.id or drawn[2:] != wanted[2:]:
            return None  # another deployment, or the cursor / highlight / layout moved
        spans: list[tuple[int, int]] = []
        x = GUTTER
        for column in self._columns:
            cell_width = self._width_of(column)
            if column.key == "last":  # the age: drawn against an older clock, kept in the key
                changed = drawn[1] != wanted[1]
            else:
                changed = column.cell(old, self._clock) != column.cell(new, self._clock)
            if changed:
                spans.append((x, cell_width))
            x += cell_width + 1
        return spans

    def render_line(self, y: int) -> Strip:
        self._relayout()
        key = self._line_key(y)
        self._drawn[y] = key
        cache_key = _cacheable(key)
        strip = self._strips.get(cache_key)
        if strip is None:
            if len(self._strips) > _STRIP_CACHE_LIMIT:
                self._strips.clear()
            strip = self._draw_line(key, y)
            self._strips[cache_key] = strip
        return strip

    def _draw_line(self, key: tuple[object, ...], y: int) -> Strip:
        width = self._layout_width
        base = self.rich_style
        if key[0] == "header":
            return self._render_header(width)
        if key[0] == "empty":
            text = self.empty_message if y == 1 else ""
            style = base + self.get_component_rich_style("deployment-table--empty")
            return Strip([Segment(f"  {text}", style)]).adjust_cell_length(width, base)
        if key[0] == "blank":
            return Strip.blank(width, base)
        row, _, is_cursor, degraded, _ = key
        assert isinstance(row, Row)
        line_style = base
        if degraded:
            line_style += self.get_component_rich_style("deployment-table--degraded")
        if is_cursor:
            line_style += self.get_component_rich_style("deployment-table--cursor")
        segments = [Segment("▲ " if degraded else "  ", line_style)]
        for column in self._columns:
            text, tone = column.cell(row, self._clock)
            style = line_style
            if tone and not is_cursor:
                style = line_style + self.get_component_rich_style(f"deployment-table--{tone}")
            segments.append(Segment(_fit_text(text, self._width_of(column)), style))
            segments.append(Segment(" ", line_style))
        # Adjacent cells in the same style become one segment: fewer escape codes per line.
        return Strip(segments).simplify().adjust_cell_length(width, line_style)

    def _render_header(self, width: int) -> Strip:
        style = self.rich_style + self.get_component_rich_style("deployment-table--header")
        sorted_style = style + self.get_component_rich_style("deployment-table--sorted")
        segments = [Segment("  ", style)]
        field = (self._order_by or "").lstrip("-")
        arrow = "▼" if (self._order_by or "").startswith("-") else "▲"
        for column in self._columns:
            is_sorted = bool(field) and column.order_by == field
            title = f"{column.title}{arrow}" if is_sorted else column.title
            segments.append(
                Segment(
                    _fit_text(title, self._width_of(column)), sorted_style if is_sorted else style
                )
            )
            segments.append(Segment(" ", style))
        return Strip(segments).simplify().adjust_cell_length(width, style)

    def _width_of(self, column: Column) -> int:
        return self._label_width if column.key == "label" else column.width


_ROW_CONTENT = tuple(f.name for f in fields(Row) if f.compare)


def _cacheable(key: tuple[object, ...]) -> tuple[object, ...]:
    """A line key that holds what a row shows, not the Row: a cached strip must not keep a
    superseded deployment (and its whole parsed record) alive."""
    row = key[0]
    if not isinstance(row, Row):
        return key
    return (tuple(getattr(row, name) for name in _ROW_CONTENT), *key[1:])


def _fit_text(text: str, width: int) -> str:
    """Pad or cut to exactly `width` cells (cells, not characters: wide glyphs count double)."""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)
