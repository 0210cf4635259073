"""The log view's rows, following and scrolling: which line each row and screen line shows.

`LogScroll` holds the `LogBuffer` (core/log_buffer.py) and an optional `FilteredView`, the cursor line
(an absolute line number, so appends and dropped heads never move it), following (the last line
kept in view; moving up stops it and counts the lines that arrive meanwhile) and wrapping. It
draws nothing: `LogView` (log_view.py) is it drawn.

Wrapped (`w`), a row takes as many screen lines as its text needs at the current width: the
view keeps each row's height and their running sum (`_starts`, virtual line of each row), so a
screen line maps to its (row, part) by bisection. Appends extend the heights of the new rows
only; a filter, the timestamps or a new width measures them again (a length per line, no
drawing).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

from rich.cells import cell_len
from textual import events
from textual.geometry import Size
from textual.message import Message

from drtui.core.log_buffer import SEPARATOR, FilteredView, LogBuffer
from drtui.core.log_lines import LogLine
from drtui.ui.textual_compat import SteadySizeScrollView

GUTTER = 2
MAX_WIDTH = 4_000
"""Cells of horizontal scroll room (the longest lines are cut for drawing beyond this)."""


def cells(text: str) -> int:
    """Terminal cells of `text` (plain length for ASCII, the common case: 30x faster)."""
    return len(text) if text.isascii() else cell_len(text)


class LogScroll(SteadySizeScrollView):
    """A log's rows and where the view stands in them; `LogView` draws them."""

    @dataclass
    class FollowChanged(Message, namespace="log_view"):
        view: LogScroll
        following: bool

    @dataclass
    class Moved(Message, namespace="log_view"):
        """The cursor or the scroll moved (the screen's status line may change)."""

        view: LogScroll

    def __init__(self, buffer: LogBuffer, *, label_width: int = 0, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.buffer = buffer
        self._label_width = label_width
        """Cells of the widest source label (0: one log, no labels)."""
        self.filtered: FilteredView | None = None
        self.following = True
        self.new_lines = 0
        self.show_timestamps = True
        self.cursor_line: int | None = None
        self._max_width = 0
        self.wrap = False
        self._heights: list[int] = []
        """Wrapped: screen lines of each row."""
        self._starts: list[int] = [0]
        """Wrapped: the virtual line each row begins on (one more entry: the total)."""
        self._wrap_base = 0
        """Wrapped, unfiltered: the absolute number of the line row 0 was when measured."""
        self._wrap_width = 0
        """Wrapped: the text width the heights were measured for."""
        self._rewrap_pending = False

    # ----- rows ------------------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self.filtered.rows) if self.filtered is not None else len(self.buffer)

    def number_at(self, row: int) -> int:
        """Absolute line number of a row (SEPARATOR for a gap in a filtered view)."""
        if self.filtered is not None:
            return self.filtered.rows[row]
        return self.buffer.dropped + row

    def line_at(self, row: int) -> LogLine | None:
        if not 0 <= row < self.row_count:
            return None
        number = self.number_at(row)
        return None if number == SEPARATOR else self.buffer.at(number)

    def row_of(self, number: int) -> int:
        """The row showing absolute line `number`, or the nearest row after it (clamped)."""
        if self.filtered is None:
            return max(0, min(len(self.buffer) - 1, number - self.buffer.dropped))
        rows = self.filtered.rows
        lo, hi = 0, len(rows)
        while lo < hi:
            mid = (lo + hi) // 2
            value = rows[mid] if rows[mid] != SEPARATOR else rows[mid + 1] - 0.5
            if value < number:
                lo = mid + 1
            else:
                hi = mid
        return max(0, min(len(rows) - 1, lo))

    @property
    def cursor_row(self) -> int | None:
        if self.cursor_line is None or self.row_count == 0:
            return None
        return self.row_of(self.cursor_line)

    @property
    def cursor_log_line(self) -> LogLine | None:
        row = self.cursor_row
        return None if row is None else self.line_at(row)

    def text_of(self, line: LogLine) -> str:
        return line.text if self.show_timestamps else line.text[line.stamp_len :]

    # ----- what the screen calls ---------------------------------------------------------------------

    def lines_changed(self, start: int, added: int) -> None:
        """Lines from absolute `start` on are new; `added` of them arrived (for the count)."""
        if self.filtered is not None:
            before = len(self.filtered.rows)
            self.filtered.changed_from(self.buffer, start)
            added = max(0, len(self.filtered.rows) - before)
        for line in self.buffer.lines[max(0, start - self.buffer.dropped) :]:
            width = cells(line.text)
            if width > self._max_width:
                self._max_width = min(MAX_WIDTH, width)
        if self.cursor_line is not None and self.cursor_line < self.buffer.dropped:
            self.cursor_line = self.buffer.dropped
        if self.wrap:
            self._measure(start if self.filtered is None else None)
        self._resize_virtual()
        if self.following:
            self._to_end()
        else:
            self.new_lines += added
            self.refresh()
        self.post_message(self.Moved(self))

    def reset(self) -> None:
        self._max_width = 0
        self.cursor_line = None
        self.lines_changed(self.buffer.dropped, 0)

    def set_filter(self, filtered: FilteredView | None) -> None:
        keep = self.cursor_line
        self.filtered = filtered
        if filtered is not None:
            filtered.rebuild(self.buffer)
        if self.wrap:
            self._measure()
        self._resize_virtual()
        if self.following:
            self._to_end()
        elif keep is not None and self.row_count:
            self._move_to_row(self.row_of(keep))
        self.refresh()
        self.post_message(self.Moved(self))

    def _lines_on_screen(self, height: int) -> list[tuple[int, LogLine | None]]:
        """(screen y, its line) for each of `height` screen lines showing a row (None: a
        separator)."""
        top = round(self.scroll_y)
        count = self.row_count
        rows = self.filtered.rows if self.filtered is not None else None
        lines, dropped = self.buffer.lines, self.buffer.dropped
        out: list[tuple[int, LogLine | None]] = []
        for y in range(height):
            row = bisect_right(self._starts, top + y) - 1 if self.wrap else top + y
            if row >= count:
                break
            number = rows[row] if rows is not None else dropped + row
            out.append((y, None if number == SEPARATOR else lines[number - dropped]))
        return out

    def set_wrap(self, on: bool) -> None:
        """Wrap long lines (no horizontal scroll) or cut them (scroll with left/right)."""
        if on == self.wrap:
            return
        top = self._row_at(round(self.scroll_y))
        self.wrap = on
        if not on:
            self._heights, self._starts = [], [0]
        self.scroll_to(x=0, animate=False, immediate=True)
        self._rewrap(top)
        self.post_message(self.Moved(self))

    # ----- wrapping --------------------------------------------------------------------------------

    @property
    def _text_width(self) -> int:
        """Cells left for a line's text after the gutter and the label."""
        label = self._label_width + 1 if self._label_width else 0
        return max(1, self.scrollable_content_region.width - GUTTER - label)

    def _row_height(self, row: int, width: int) -> int:
        number = self.number_at(row)
        if number == SEPARATOR:
            return 1
        return max(1, -(-cells(self.text_of(self.buffer.at(number))) // width))

    def _measure(self, start: int | None = None) -> None:
        """Heights of the rows from absolute line `start` on (unfiltered), or of every row."""
        width = self._text_width
        heights = self._heights
        dropped = self.buffer.dropped
        if start is None or width != self._wrap_width:
            heights[:] = [self._row_height(row, width) for row in range(self.row_count)]
        else:
            del heights[: max(0, dropped - self._wrap_base)]  # the head the buffer dropped
            keep = max(0, start - dropped)
            del heights[keep:]
            heights.extend(self._row_height(row, width) for row in range(keep, self.row_count))
        self._wrap_base, self._wrap_width = dropped, width
        self._starts = [0, *accumulate(heights)]

    def _rewrap(self, top_row: int | None = None) -> None:
        """Measure again (a new width, timestamps, wrap toggled), keeping the top row on top."""
        self._rewrap_pending = False
        if self.wrap:
            self._measure()
        self._resize_virtual()
        if self.following:
            self._to_end()
        elif top_row is not None and self.row_count:
            self.scroll_to(y=self._virtual_of(top_row), animate=False, immediate=True)
        self.refresh()

    def _virtual_of(self, row: int) -> int:
        """The first screen line (virtual y) of a row."""
        if not self.wrap:
            return row
        starts = self._starts
        return starts[max(0, min(row, len(starts) - 1))]

    def _row_at(self, y: int) -> int:
        """The row on virtual line `y` (clamped to the rows)."""
        if not self.wrap:
            return max(0, min(y, self.row_count - 1))
        return max(0, min(bisect_right(self._starts, y) - 1, self.row_count - 1))

    @property
    def _virtual_count(self) -> int:
        return self._starts[-1] if self.wrap else self.row_count

    def follow(self, on: bool = True) -> None:
        changed = on != self.following
        self.following = on
        if on:
            self.new_lines = 0
            self._to_end()
        if changed:
            self.post_message(self.FollowChanged(self, on))
        self.post_message(self.Moved(self))

    def go_to_row(self, row: int) -> None:
        """Put the cursor on a row (scrolled into view); stops following unless it is the end."""
        if not self.row_count:
            return
        row = max(0, min(self.row_count - 1, row))
        if row < self.row_count - 1 and self.following:
            self.follow(False)
        self._move_to_row(row)
        self.post_message(self.Moved(self))

    # ----- movement ----------------------------------------------------------------------------------

    @property
    def _height(self) -> int:
        return max(1, self.scrollable_content_region.height)

    def _resize_virtual(self) -> None:
        if self.wrap:
            self.virtual_size = Size(self.scrollable_content_region.width, self._virtual_count)
            return
        width = self._max_width + GUTTER + (self._label_width + 1 if self._label_width else 0)
        self.virtual_size = Size(width, self.row_count)

    def _to_end(self) -> None:
        count = self.row_count
        if count:
            number = self.number_at(count - 1)
            self.cursor_line = number if number != SEPARATOR else None
        bottom = max(0, self._virtual_count - self._height)
        self.scroll_to(y=bottom, animate=False, immediate=True)
        self.refresh()

    def _move_to_row(self, row: int) -> None:
        number = self.number_at(row)
        if number == SEPARATOR and row + 1 < self.row_count:
            number = self.number_at(row + 1)
        self.cursor_line = number
        top = round(self.scroll_y)
        first, after = self._virtual_of(row), self._virtual_of(row + 1) if self.wrap else row + 1
        if first < top:
            self.scroll_to(y=first, animate=False, immediate=True)
        elif after > top + self._height:  # its last line below: scroll, but keep its first
            self.scroll_to(y=min(first, after - self._height), animate=False, immediate=True)
        self.refresh()

    def _step(self, delta: int) -> None:
        row = self.cursor_row
        if row is None:
            return
        target = max(0, min(self.row_count - 1, row + delta))
        if target >= self.row_count - 1 and delta > 0:
            self._move_to_row(target)
            self.follow(True)
            return
        self.go_to_row(target)

    def action_line_down(self) -> None:
        self._step(1)

    def action_line_up(self) -> None:
        self._step(-1)

    def action_page_down(self) -> None:
        self._step(self._height)

    def action_page_up(self) -> None:
        self._step(-self._height)

    def action_top(self) -> None:
        self.go_to_row(0)

    def action_bottom(self) -> None:
        self.follow(True)

    def action_scroll_left(self) -> None:
        self.scroll_to(x=max(0, self.scroll_x - 8), animate=False)

    def action_scroll_right(self) -> None:
        self.scroll_to(x=self.scroll_x + 8, animate=False)

    def on_mouse_scroll_up(self, _: events.MouseScrollUp) -> None:
        if self.following:
            self.follow(False)

    def on_mouse_scroll_down(self, _: events.MouseScrollDown) -> None:
        if not self.following and round(self.scroll_y) >= self.max_scroll_y:
            self.follow(True)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None:
            self.go_to_row(self._row_at(round(self.scroll_y) + offset.y))

    def on_resize(self) -> None:
        if self.wrap and self._text_width != self._wrap_width:
            self._rewrap(self._row_at(round(self.scroll_y)))
            return
        self._resize_virtual()
        if self.following:
            self._to_end()
