"""A virtualized table for any kind of row: a Line-API view that draws only the rows on screen.

Textual's DataTable re-measures and rebuilds on change (seconds at 10,000 rows). `LineTable[R]`
keeps a list of rows (frozen dataclasses with an `id`) and draws a line when the compositor asks
for it, caching each drawn line (an LRU of strips) by everything that affects it: the row's
content, the text of clock-dependent cells, cursor, selection, highlight, layout. After any state
change it compares each visible line's key with what it drew last and refreshes only what
differs, down to single cells when the same row stays on its line: a poll that changes nothing
writes nothing, a changed cell repaints one cell.

A view configures it with `Column[R]`s (fixed width and a drop-out priority; one `flex` column
takes the room left; `clock` columns depend on the time; `order_by` names a server sort,
`sort_key` a client-side one), optional multi-select (`space`, select all), a `dim` hook (deleted
items) and a highlight set (recently degraded). Messages are nested: `LineTable.CursorMoved`,
`LineTable.HeaderClicked`, `LineTable.SelectionChanged`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual import events
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from drtui.ui.keymap import TABLE_BINDINGS
from drtui.ui.textual_compat import LineStyles, install_styles
from drtui.ui.widgets.steady_scroll import SteadyScrollView


class HasId(Protocol):
    @property
    def id(self) -> str: ...


R = TypeVar("R", bound=HasId)

Cell = tuple[str, str]
"""Text and tone ("bad", "warn", "good", "muted" or "" for plain)."""

GUTTER = 2
"""One column for the row marker (▲ highlighted, ● selected) and one space."""
STRIP_CACHE_SIZE = 600
OPTIONAL_FROM = 4
"""Columns of this priority or higher only join if the flex column keeps its comfort width."""


@dataclass(frozen=True, slots=True)
class Column(Generic[R]):
    key: str
    title: str
    width: int
    priority: int
    """Columns with the highest priority number drop out first when the terminal is narrow."""
    cell: Callable[[R, datetime], Cell]
    order_by: str | None = None
    """The API orderBy field this column sorts by, if the server can."""
    sort_key: Callable[[R], Any] | None = None
    """A client-side sort key, for lists the view sorts itself."""
    flex: bool = False
    """Takes the room the other columns leave, between `width` and `max_width`."""
    comfort: int = 0
    """The flex column's width before optional columns may join."""
    max_width: int = 0
    clock: bool = False
    """The cell's text depends on the time (an age): kept in the line key, redrawn on tick."""
    cut_middle: bool = False
    """Too long a text loses its middle (`Wholesale Tra…ly (prod)`): its end tells rows apart."""
    name: str = ""
    """How a sort chooser names the column (default: its title, capitalised: `Use cases`);
    for titles that are abbreviations (`DEF` is `Default`, `CPU` stays `CPU`)."""

    @property
    def sort_name(self) -> str:
        return self.name or self.title.capitalize()


def fit(columns: Sequence[Column[R]], width: int) -> tuple[list[Column[R]], dict[str, int]]:
    """Columns that fit `width` cells (display order) and each chosen column's width.

    Lower-priority columns drop out first; the flex column keeps at least its own width, and
    optional columns (priority >= OPTIONAL_FROM) join only if it keeps its comfort width.
    """
    room = width - GUTTER
    flex = next((c for c in columns if c.flex), None)
    chosen = {c.key for c in columns if c.priority == 0}
    used = sum(c.width + 1 for c in columns if c.key in chosen)
    comfort_spare = max(0, flex.comfort - flex.width) if flex is not None else 0
    for column in sorted(columns, key=lambda c: c.priority):
        if column.key in chosen:
            continue
        spare = comfort_spare if column.priority >= OPTIONAL_FROM else 0
        if used + column.width + 1 + spare <= room:
            chosen.add(column.key)
            used += column.width + 1
    widths = {c.key: c.width for c in columns if c.key in chosen}
    if flex is not None:
        widths[flex.key] = max(
            flex.width, min(flex.max_width or flex.width, flex.width + room - used)
        )
    return [c for c in columns if c.key in chosen], widths


def sort_rows(rows: Iterable[R], column: Column[R] | None, *, descending: bool = False) -> list[R]:
    """Rows sorted by a column's client-side key (blank values last either way)."""
    out = list(rows)
    if column is None or column.sort_key is None:
        return out
    key = column.sort_key
    present = [r for r in out if key(r) not in (None, "")]
    blank = [r for r in out if key(r) in (None, "")]
    present.sort(key=key, reverse=descending)
    return present + blank


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


class LineTable(SteadyScrollView, Generic[R], can_focus=True, inherit_bindings=False):
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

    empty_message: reactive[str] = reactive("Loading…")

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
        super().__init__(**kwargs)
        install_styles(self, LineStyles())  # no border or padding: lines go out as drawn
        self._all_columns = list(columns)
        self._now = now
        self._clock = now()
        """The moment ages are computed against; moved on refresh, not per frame."""
        self._rows: list[R] = []
        self._index: dict[str, int] | None = {}
        """Row index by id, built when first needed after `set_rows` (a keystroke that narrows
        10,000 rows does not pay for it: the cursor is found from `_cursor_at`)."""
        self.cursor_id: str | None = None
        self._cursor_at: int | None = None
        """The cursor row's index in `_rows` (None: no cursor)."""
        self.selectable = selectable
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
        self.set_reactive(LineTable.empty_message, empty_message)

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

    def watch_empty_message(self) -> None:
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

    # ----- drawing ------------------------------------------------------------------------------

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self._rows) + 1)
        self._relayout()
        self._scroll_to_cursor()

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


def fit_text(text: str, width: int) -> str:
    """Pad or cut to exactly `width` cells (cells, not characters: wide glyphs count double)."""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


def fit_middle(text: str, width: int) -> str:
    """Pad, or cut the middle out so the start and the end both show (`Wholesale Tr…y (prod)`):
    labels that share a long prefix stay apart by their suffix."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    if width < 8:
        return fit_text(text, width)
    tail = (width - 1) * 2 // 5
    head = width - 1 - tail
    end = text
    while cell_len(end) > tail:
        end = end[1:]
    return set_cell_size(set_cell_size(text, head) + "…" + end, width)
