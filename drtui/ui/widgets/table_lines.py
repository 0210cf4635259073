"""A table's lines: what each screen line shows, drawn once and repainted only where it changed.

`TableLines[R]` holds the rows, the cursor, the selection and the marks as `LineTable` (its
subclass, line_table.py) sets them, and draws a line when the compositor asks for it, caching
each drawn line (an LRU of strips) by everything that affects it: the row's content, the text
of clock-dependent cells, cursor, selection, highlight, layout. After any state change it
compares each visible line's key with what it drew last and refreshes only what differs, down
to single cells when the same row stays on its line: a poll that changes nothing writes
nothing, a changed cell repaints one cell.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Generic

from rich.segment import Segment
from textual.cache import LRUCache
from textual.geometry import Region
from textual.reactive import reactive
from textual.strip import Strip

from drtui.ui.textual_compat import LineStyles, install_styles
from drtui.ui.widgets.steady_scroll import SteadyScrollView
from drtui.ui.widgets.table_columns import GUTTER, Column, R, fit, fit_middle, fit_text

STRIP_CACHE_SIZE = 600

_CONTENT_FIELDS: dict[type, tuple[str, ...]] = {}


def content_of(row: object) -> tuple[object, ...]:
    """What a row shows (its compared dataclass fields), not the row object: a cached strip must
    not keep a superseded record (and whatever it references) alive."""
    content = getattr(row, "content", None)
    if content is not None:  # a row that says what it shows (core.rows.Row)
        return tuple(content())
    kind = type(row)
    names = _CONTENT_FIELDS.get(kind)
    if names is None:
        names = (
            tuple(f.name for f in dataclasses.fields(row) if f.compare)
            if dataclasses.is_dataclass(row)
            else ()
        )
        _CONTENT_FIELDS[kind] = names
    if not names:
        return (row,)
    return tuple(getattr(row, name) for name in names)


class TableLines(SteadyScrollView, Generic[R]):
    """The drawing half of `LineTable`: the state it reads, its line keys, strips and repaints."""

    empty_message: reactive[str] = reactive("Loading…")

    def __init__(
        self,
        columns: Sequence[Column[R]],
        *,
        now: Callable[[], datetime],
        dim: Callable[[R], bool] | None = None,
        empty_message: str = "Loading…",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        install_styles(self, LineStyles())  # no border or padding: lines go out as drawn
        self._all_columns = list(columns)
        self._now = now
        self._clock = now()
        """The moment ages are computed against; moved on refresh, not per frame."""
        self._rows: list[R] = []
        self.cursor_id: str | None = None
        self.selected: frozenset[str] = frozenset()
        self._dim = dim
        self._highlighted: frozenset[str] = frozenset()
        self._marks: dict[str, str] = {}
        self._order_by: str | None = None
        self._columns: list[Column[R]] = []
        self._widths: dict[str, int] = {}
        self._clock_columns: list[Column[R]] = []
        self._layout_width = -1
        self._strips: LRUCache[tuple[object, ...], Strip] = LRUCache(STRIP_CACHE_SIZE)
        self._drawn: dict[int, tuple[object, ...]] = {}
        self._clock_texts: dict[int, tuple[R, tuple[str, ...]]] = {}
        """The clock cells' texts by row identity, for the current clock and layout."""
        self._styles: dict[str, Any] = {}
        """Component styles by name ("": the widget's own), until the styles change."""
        self.set_reactive(TableLines.empty_message, empty_message)

    def watch_empty_message(self) -> None:
        self._repaint_changed()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self._drawn.clear()
        self._clock_texts.clear()
        self._styles.clear()

    def _relayout(self) -> None:
        width = self.scrollable_content_region.width
        if width != self._layout_width:
            self._layout_width = width
            self._columns, self._widths = fit(self._all_columns, width)
            self._clock_columns = [c for c in self._columns if c.clock]
            self._strips.clear()
            self._drawn.clear()
            self._clock_texts.clear()

    def width_of(self, column: Column[R]) -> int:
        return self._widths.get(column.key, column.width)

    def _line_key(self, y: int) -> tuple[object, ...]:
        if y == 0:
            return ("header", self._order_by, self._layout_width)
        index = round(self.scroll_y) + y - 1
        if not self._rows:
            return ("empty", y, self.empty_message, self._layout_width)
        if index >= len(self._rows):
            return ("blank", self._layout_width)
        row = self._rows[index]
        clock_text = self._clock_text(row)
        row_id = row.id
        return (
            row,
            clock_text,
            row_id == self.cursor_id,
            row_id in self._highlighted,
            (row_id in self.selected, self._marks.get(row_id, "")),
            self._layout_width,
        )

    def _clock_text(self, row: R) -> tuple[str, ...]:
        """The clock cells' texts of `row` (kept until the clock or the layout moves: a key
        that repaints compares 50 line keys several times, not 50 ages formatted each time)."""
        kept = self._clock_texts.get(id(row))
        if kept is not None and kept[0] is row:
            return kept[1]
        if len(self._clock_texts) > 4 * self.size.height + 64:  # a few screens' rows at most
            self._clock_texts.clear()
        text = tuple(c.cell(row, self._clock)[0] for c in self._clock_columns)
        self._clock_texts[id(row)] = (row, text)
        return text

    def _repaint_changed(self) -> None:
        """Refresh exactly what differs from what was drawn: whole lines, or only the cells
        that changed when the same row stays on a line with the same look (over SSH a poll
        then costs a few cells, not a 200-column line per changed row)."""
        if not self.is_mounted or self._layout_width < 0:
            return
        width = self._layout_width  # the lines, not the scrollbar beside them
        height = self.size.height
        dirty: list[Region] = []
        whole = 0
        for y in range(height):
            drawn, wanted = self._drawn.get(y), self._line_key(y)
            if drawn == wanted:
                continue
            cells = self._changed_cells(drawn, wanted)
            if cells is None:
                dirty.append(Region(0, y, width, 1))
                whole += 1
            else:
                dirty += (Region(x, y, w, 1) for x, w in cells)
        if whole == height:
            self.refresh(Region(0, 0, width, height))
        elif dirty:  # one call: each refresh also drops the widget's cached styles
            self.refresh(*dirty)

    def _is_row_key(self, key: tuple[object, ...] | None) -> bool:
        return key is not None and len(key) == 6 and not isinstance(key[0], str)

    def _changed_cells(
        self, drawn: tuple[object, ...] | None, wanted: tuple[object, ...]
    ) -> list[tuple[int, int]] | None:
        """(x, width) of each cell that differs, or None when the whole line must be redrawn."""
        if drawn is None or not self._is_row_key(drawn) or not self._is_row_key(wanted):
            return None
        old: Any = drawn[0]
        new: Any = wanted[0]
        if old.id != new.id or drawn[2:] != wanted[2:]:
            return None  # another row, or the cursor / highlight / selection / layout moved
        if self._dim is not None and self._dim(old) != self._dim(new):
            return None
        spans: list[tuple[int, int]] = []
        x = GUTTER
        for column in self._columns:
            cell_width = self._widths[column.key]
            if column.clock:  # drawn against an older clock: compare the texts kept in the key
                i = self._clock_columns.index(column)
                changed = drawn[1][i] != wanted[1][i]  # type: ignore[index]
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
        cache_key = (content_of(key[0]), *key[1:]) if self._is_row_key(key) else key
        strip = self._strips.get(cache_key)
        if strip is None:
            strip = self._draw_line(key, y)
            self._strips[cache_key] = strip
        return strip

    def _style(self, name: str) -> Any:
        """A component's style, kept until the styles change (`notify_style_update`, which
        also drops the strips drawn with it): Textual forgets its own copy at every refresh,
        and a key that changes the visible rows draws 50 lines with several styles each."""
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(f"line-table--{name}")
        return style

    @property
    def _base_style(self) -> Any:
        """`self.rich_style` (a walk up the DOM for colours), kept as `_style` keeps."""
        style = self._styles.get("")
        if style is None:
            style = self._styles[""] = self.rich_style
        return style

    def _draw_line(self, key: tuple[object, ...], y: int) -> Strip:
        width = self._layout_width
        base = self._base_style
        if key[0] == "header":
            return self._render_header(width)
        if key[0] == "empty":
            text = self.empty_message if y == 1 else ""
            return Strip([Segment(f"  {text}", base + self._style("empty"))]).adjust_cell_length(
                width, base
            )
        if key[0] == "blank":
            return Strip.blank(width, base)
        row: Any = key[0]
        is_cursor, highlighted = key[2], key[3]
        selection: Any = key[4]
        selected: bool = selection[0]
        mark: str = selection[1]
        dim = self._dim is not None and self._dim(row)
        line_style = base
        if dim:
            line_style += self._style("dim")
        if highlighted:
            line_style += self._style("highlight")
        if selected:
            line_style += self._style("selected")
        if is_cursor:
            line_style += self._style("cursor")
        marker = "● " if selected else "▲ " if highlighted else f"{mark[:1] or ' '} "
        segments = [Segment(marker, line_style)]
        for column in self._columns:
            text, tone = column.cell(row, self._clock)
            style = line_style
            if tone and not is_cursor and not dim:
                style = line_style + self._style(tone)
            cut = fit_middle if column.cut_middle else fit_text
            segments.append(Segment(cut(text, self._widths[column.key]), style))
            segments.append(Segment(" ", line_style))
        # Adjacent cells in the same style become one segment: fewer escape codes per line.
        return Strip(segments).simplify().adjust_cell_length(width, line_style)

    def _render_header(self, width: int) -> Strip:
        style = self._base_style + self._style("header")
        sorted_style = style + self._style("sorted")
        segments = [Segment(" " * GUTTER, style)]
        field = (self._order_by or "").lstrip("-")
        arrow = "▼" if (self._order_by or "").startswith("-") else "▲"
        for column in self._columns:
            is_sorted = bool(field) and field in (column.order_by, column.key)
            title = f"{column.title}{arrow}" if is_sorted else column.title
            segments.append(
                Segment(
                    fit_text(title, self._widths[column.key]), sorted_style if is_sorted else style
                )
            )
            segments.append(Segment(" ", style))
        return Strip(segments).simplify().adjust_cell_length(width, style)
