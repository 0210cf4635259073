"""A log as a Line-API view: draws only the lines on screen, whatever the log's length.

Holds a `LogBuffer` (core/logs.py) the screen appends to, and an optional `FilteredView` (the
rows a filter shows). A cursor line (absolute line number, so appends and dropped heads never
move it) is what `enter` opens and where `n`/`N` search from. Following keeps the last line in
view; moving up stops following and counts the lines that arrive meanwhile. Search matches are
highlighted on the visible lines only, so a keystroke costs a screenful of regex, not the log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from drtui.core.logs import (
    ERROR,
    SEPARATOR,
    WARNING,
    FilteredView,
    LogBuffer,
    LogLine,
)
from drtui.ui.keymap import LOG_VIEW_BINDINGS

SOURCE_COLOURS = (
    "cyan",
    "magenta",
    "green",
    "yellow",
    "blue",
    "bright_red",
    "bright_cyan",
    "white",
)
GUTTER = 2
MAX_WIDTH = 4_000
"""Cells of horizontal scroll room (the longest lines are cut for drawing beyond this)."""


@dataclass(frozen=True, slots=True)
class SourceLabel:
    """A merged log's short label per source, drawn in its colour before each line."""

    text: str
    colour: str


class LogView(ScrollView, can_focus=True, inherit_bindings=False):
    BINDINGS: ClassVar[list[BindingType]] = list(LOG_VIEW_BINDINGS)

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "log-view--cursor",
        "log-view--match",
        "log-view--error",
        "log-view--warn",
        "log-view--debug",
        "log-view--marker",
        "log-view--separator",
        "log-view--empty",
    }

    @dataclass
    class FollowChanged(Message):
        view: LogView
        following: bool

    @dataclass
    class Moved(Message):
        """The cursor or the scroll moved (the screen's status line may change)."""

        view: LogView

    def __init__(
        self,
        buffer: LogBuffer,
        *,
        labels: list[SourceLabel] | None = None,
        empty_message: str = "Loading the log…",
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.buffer = buffer
        self.labels = labels or []
        self._label_width = max((cell_len(lb.text) for lb in self.labels), default=0)
        self.filtered: FilteredView | None = None
        self.following = True
        self.new_lines = 0
        self.show_timestamps = True
        self.search: re.Pattern[str] | None = None
        self.cursor_line: int | None = None
        self.empty_message = empty_message
        self._max_width = 0

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
            width = cell_len(line.text)
            if width > self._max_width:
                self._max_width = min(MAX_WIDTH, width)
        if self.cursor_line is not None and self.cursor_line < self.buffer.dropped:
            self.cursor_line = self.buffer.dropped
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
        self._resize_virtual()
        if self.following:
            self._to_end()
        elif keep is not None and self.row_count:
            self._move_to_row(self.row_of(keep))
        self.refresh()
        self.post_message(self.Moved(self))

    def set_search(self, pattern: re.Pattern[str] | None) -> None:
        if pattern is self.search:
            return
        self.search = pattern
        self.refresh()  # only the visible lines are drawn again

    def toggle_timestamps(self) -> None:
        self.show_timestamps = not self.show_timestamps
        self.refresh()

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
        width = self._max_width + GUTTER + (self._label_width + 1 if self._label_width else 0)
        self.virtual_size = Size(width, self.row_count)

    def _to_end(self) -> None:
        count = self.row_count
        if count:
            number = self.number_at(count - 1)
            self.cursor_line = number if number != SEPARATOR else None
        self.scroll_to(y=max(0, count - self._height), animate=False, immediate=True)
        self.refresh()

    def _move_to_row(self, row: int) -> None:
        number = self.number_at(row)
        if number == SEPARATOR and row + 1 < self.row_count:
            number = self.number_at(row + 1)
        self.cursor_line = number
        top = round(self.scroll_y)
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + self._height:
            self.scroll_to(y=row - self._height + 1, animate=False, immediate=True)
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
            self.go_to_row(round(self.scroll_y) + offset.y)

    def on_resize(self) -> None:
        self._resize_virtual()
        if self.following:
            self._to_end()

    # ----- drawing -----------------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"log-view--{name}")

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        row = round(self.scroll_y) + y
        if self.row_count == 0:
            text = self.empty_message if y == 0 else ""
            return Strip([Segment(f" {text}", base + self._style("empty"))]).adjust_cell_length(
                width, base
            )
        if row >= self.row_count:
            return Strip.blank(width, base)
        number = self.number_at(row)
        if number == SEPARATOR:
            return Strip([Segment("  ⋯", base + self._style("separator"))]).adjust_cell_length(
                width, base
            )
        line = self.buffer.at(number)
        is_cursor = number == self.cursor_line and not self.following
        style = base
        if line.marker:
            style += self._style("marker")
        elif line.level >= ERROR:
            style += self._style("error")
        elif line.level >= WARNING:
            style += self._style("warn")
        elif 0 < line.level < 20:
            style += self._style("debug")
        if is_cursor:
            style += self._style("cursor")
        first = number == self.buffer.dropped or self.buffer.at(number - 1).record != line.record
        if line.marker:
            mark = "» "
        elif line.level >= ERROR:
            mark = "E " if first else "│ "
        elif line.level >= WARNING:
            mark = "W " if first else "│ "
        else:
            mark = "  " if first else "│ "
        segments = [Segment(mark, style)]
        if self.labels:
            label = self.labels[line.source] if line.source < len(self.labels) else None
            if label is not None:
                segments.append(
                    Segment(
                        label.text.ljust(self._label_width) + " ",
                        style + Style(color=label.colour, bold=True),
                    )
                )
        text = self.text_of(line)
        if self.search is not None and not line.marker:
            match_style = style + self._style("match")
            at = 0
            for found in self.search.finditer(text):
                if found.end() == found.start():
                    continue
                if found.start() > at:
                    segments.append(Segment(text[at : found.start()], style))
                segments.append(Segment(found.group(), match_style))
                at = found.end()
            segments.append(Segment(text[at:], style))
        else:
            segments.append(Segment(text, style))
        strip = Strip(segments)
        scroll_x = round(self.scroll_x)
        if scroll_x:
            strip = strip.crop(scroll_x, scroll_x + width)
        return strip.adjust_cell_length(width, style if is_cursor else base)
