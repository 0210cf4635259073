"""A log as a Line-API view: draws only the lines on screen, whatever the log's length.

What each row and screen line shows, following and scrolling are `LogScroll`'s (log_scroll.py);
this module draws them. Search matches are highlighted on the visible lines only, so a
keystroke costs a screenful of regex, not the log.

A keystroke in the search prompt draws only the lines whose highlights change: a pattern's
matches on a line are computed once (`matches`), a drawn line is kept by what it depends on,
and `LineStyles` hands the kept strips to the screen as they are (Textual's per-line styling
would copy and filter each one again). Its scrollbars are updated only when its size or its
virtual size moved (`SteadySizeScrollView`): Textual hands a Line-API view the arrangement's
virtual size, never the one the view sets, so every layout pass on the screen (each keystroke
in the prompt) repainted the whole vertical scrollbar.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.geometry import Region
from textual.scrollbar import ScrollBar, ScrollBarCorner
from textual.strip import Strip

from drtui.core.log_buffer import SEPARATOR, LogBuffer
from drtui.core.log_lines import ERROR, WARNING, LogLine
from drtui.ui.keymap import LOG_VIEW_BINDINGS
from drtui.ui.textual_compat import LineStyles, install_styles, still
from drtui.ui.widgets.log_scroll import GUTTER, LogScroll, cells

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
STRIPS = 1_000
"""Drawn lines kept (a screenful is ~50; the rest are the highlights of recent searches)."""
SPANS = 4_000
"""Search matches kept, by (line, pattern): a keystroke runs the pattern once per line shown."""
CONTINUATION = "↪ "
"""The gutter of a wrapped line's second and later screen lines."""

Spans = tuple[tuple[int, int], ...]
"""Where a pattern matches a line's drawn text: (start, end) character offsets."""

_SPECIAL = frozenset(".^$*+?{}[]\\|()")


def _narrows(old: re.Pattern[str] | None, new: re.Pattern[str] | None) -> bool:
    """`new` only matches inside `old`'s matches: both literal text, `new` extending `old`
    with the same flags (a letter typed at the end of a plain search)."""
    return (
        old is not None
        and new is not None
        and old.flags == new.flags
        and new.pattern.startswith(old.pattern)
        and _SPECIAL.isdisjoint(new.pattern)
    )


def _joined(segments: list[Segment]) -> list[Segment]:
    """`segments` with neighbours of the same style made one (the gutter and the text before a
    match, the text and the padding): a terminal receives one style sequence for them, not
    one each (a search keystroke writes ~40 bytes less per line it changes)."""
    joined = segments[:1]
    for segment in segments[1:]:
        last = joined[-1]
        if segment.style is last.style:
            joined[-1] = Segment(last.text + segment.text, last.style)
        else:
            joined.append(segment)
    return joined


@dataclass(frozen=True, slots=True)
class SourceLabel:
    """A merged log's short label per source, drawn in its colour before each line."""

    text: str
    colour: str


class LogView(LogScroll, can_focus=True, inherit_bindings=False):
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

    def __init__(
        self,
        buffer: LogBuffer,
        *,
        labels: list[SourceLabel] | None = None,
        empty_message: str = "Loading the log…",
        **kwargs: object,
    ) -> None:
        labels = labels or []
        width = max((cell_len(lb.text) for lb in labels), default=0)
        super().__init__(buffer, label_width=width, **kwargs)
        install_styles(self, LineStyles())
        self.labels = labels
        self.search: re.Pattern[str] | None = None
        self.empty_message = empty_message
        self._drawing_width: int | None = None
        """While a frame's lines are drawn: the width they are drawn at."""
        self._style_cache: dict[str, Style] = {}
        self._strips: LRUCache[tuple[object, ...], tuple[LogLine, Strip]] = LRUCache(STRIPS)
        """Drawn lines by (line, what its drawing depends on, its highlights): a search
        keystroke that gives a line highlights it had before (a letter deleted) draws nothing."""
        self._spans: dict[tuple[int, int], tuple[LogLine, re.Pattern[str], Spans]] = {}
        """Where a pattern highlights a line, by their ids (both kept with it: an id is not
        reused while its object lives); emptied when it reaches SPANS entries or the drawn text
        changes (timestamps). A plain dict: a keystroke reads ~100 of them."""

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        return still(super().vertical_scrollbar)

    @property
    def horizontal_scrollbar(self) -> ScrollBar:
        return still(super().horizontal_scrollbar)

    @property
    def scrollbar_corner(self) -> ScrollBarCorner:
        return still(super().scrollbar_corner)

    def matches(self, line: LogLine, pattern: re.Pattern[str] | None) -> Spans:
        """Where `pattern` highlights a line's drawn text (computed once per line and pattern:
        a keystroke compares the old pattern's spans with the new one's, then draws)."""
        if pattern is None or line.marker:
            return ()
        key = (id(line), id(pattern))
        cached = self._spans.get(key)
        if cached is not None and cached[0] is line and cached[1] is pattern:
            return cached[2]
        spans = tuple(m.span() for m in pattern.finditer(self.text_of(line)) if m.end() > m.start())
        if len(self._spans) >= SPANS:
            self._spans.clear()
        self._spans[key] = (line, pattern, spans)
        return spans

    # ----- what the screen calls ---------------------------------------------------------------------
    # ----- highlights and timestamps ---------------------------------------------------------------

    def set_search(self, pattern: re.Pattern[str] | None) -> None:
        """Highlight `pattern`: only the cells whose highlights change are drawn again (a
        keystroke in the prompt costs the words it changes, not a screenful of lines)."""
        if pattern is self.search:
            return
        old, self.search = self.search, pattern
        width, height = self.scrollable_content_region.size
        prefix = GUTTER + (self._label_width + 1 if self._label_width else 0)
        scroll_x = round(self.scroll_x)
        whole = self.wrap
        matches = self.matches
        narrower = _narrows(old, pattern)
        regions: list[Region] = []
        span: tuple[int, int] | None = None
        seen: LogLine | None = None
        for y, line in self._lines_on_screen(max(1, height)):
            if line is not seen:  # a wrapped row's later screen lines repeat its first's
                seen, span = line, None
                if line is not None and not line.marker:
                    before = matches(line, old)
                    if narrower and not before:
                        continue  # a longer literal cannot match where a shorter did not
                    after = matches(line, pattern)
                    if before != after:
                        if whole:
                            span = (0, width)  # wrapped: the row's screen lines
                        else:  # only the columns that change
                            moved = set(before).symmetric_difference(after)
                            low = min(start for start, _ in moved)
                            high = max(end for _, end in moved)
                            if not line.text.isascii():  # a character is not always a cell
                                text = self.text_of(line)
                                low, high = cells(text[:low]), cells(text[:high])
                            low, high = prefix + low - scroll_x, prefix + high - scroll_x
                            span = (max(0, low), min(width, high))
            if span is not None and span[1] > span[0]:
                regions.append(Region(span[0], y, span[1] - span[0], 1))
        if regions:
            self.refresh(*regions)

    def toggle_timestamps(self) -> None:
        top = self._row_at(round(self.scroll_y))
        self.show_timestamps = not self.show_timestamps
        self._spans.clear()  # matches are found in the drawn text
        if self.wrap:
            self._rewrap(top)
        self.refresh()

    # ----- drawing -----------------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        """A component's style, or the widget's own for "" (cached until the styles change:
        computing them walks the ancestors, which was most of drawing a line)."""
        style = self._style_cache.get(name)
        if style is None:
            style = (
                self.rich_style if not name else self.get_component_rich_style(f"log-view--{name}")
            )
            self._style_cache[name] = style
        return style

    def notify_style_update(self) -> None:
        self._style_cache.clear()
        self._strips.clear()
        super().notify_style_update()

    def render_lines(self, crop: Region) -> list[Strip]:
        # The width is read once for the lines of a frame (Textual computes it anew each time).
        self._drawing_width = self.scrollable_content_region.width
        try:
            return super().render_lines(crop)
        finally:
            self._drawing_width = None

    def render_line(self, y: int) -> Strip:
        width = self._drawing_width or self.scrollable_content_region.width
        base = self._style("")
        part = 0
        if self.wrap:
            if self._text_width != self._wrap_width and not self._rewrap_pending:
                # A scrollbar came or went: wrap again once this frame is drawn.
                self._rewrap_pending = True
                self.call_later(self._rewrap, self._row_at(round(self.scroll_y)))
            virtual = round(self.scroll_y) + y
            if virtual >= self._virtual_count:
                row = self.row_count
            else:
                row = bisect_right(self._starts, virtual) - 1
                part = virtual - self._starts[row]
        else:
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
        first = number == self.buffer.dropped or self.buffer.at(number - 1).record != line.record
        text = self.text_of(line)
        key = (
            id(line),
            part,
            width,
            0 if self.wrap else round(self.scroll_x),
            self._wrap_width if self.wrap else 0,
            is_cursor,
            first,
            self.show_timestamps,
            spans := self.matches(line, self.search),
        )
        cached = self._strips.get(key)
        if cached is not None and cached[0] is line:
            return cached[1]
        strip = self._draw(line, part, width, is_cursor, first, text, spans)
        self._strips[key] = (line, strip)  # the line is kept with it: its id is not reused
        return strip

    def _draw(
        self,
        line: LogLine,
        part: int,
        width: int,
        is_cursor: bool,
        first: bool,
        text: str,
        spans: Spans,
    ) -> Strip:
        base = self._style("")
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
        if part:
            mark = CONTINUATION
        elif line.marker:
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
                        (label.text if not part else "").ljust(self._label_width) + " ",
                        style + Style(color=label.colour, bold=True),
                    )
                )
        if self.wrap:  # this screen line's share of the text (a search match may span two)
            text_width = self._wrap_width
            if len(text) > text_width or not text.isascii():
                start = part * text_width
                body = Strip(self._text_segments(text, spans, style)).crop(
                    start, start + text_width
                )
                segments.extend(body)
            else:
                segments.extend(self._text_segments(text, spans, style))
            return Strip(segments).adjust_cell_length(width, style if is_cursor else base)
        scroll_x = round(self.scroll_x)
        if text.isascii():  # a character is a cell: draw only the characters on screen
            prefix = sum(cell_len(segment.text) for segment in segments)
            if not scroll_x and prefix <= width:  # the usual line: made at its width at once
                shown = self._text_segments(text, spans, style, 0, width - prefix)
                segments.extend(shown)
                pad = width - prefix - min(len(text), width - prefix)
                if pad:
                    segments.append(Segment(" " * pad, style if is_cursor else base))
                return Strip(_joined(segments), width)
            low = max(0, scroll_x - prefix)
            segments.extend(self._text_segments(text, spans, style, low, low + width))
            strip = Strip(segments)
            if scroll_x:  # the text is cut already: only the gutter may need cutting
                cut = min(scroll_x, prefix)
                strip = strip.crop(cut, cut + width)
            return strip.adjust_cell_length(width, style if is_cursor else base)
        segments.extend(self._text_segments(text, spans, style))
        strip = Strip(_joined(segments))
        if scroll_x:
            strip = strip.crop(scroll_x, scroll_x + width)
        return strip.adjust_cell_length(width, style if is_cursor else base)

    def _text_segments(
        self, text: str, spans: Spans, style: Style, low: int = 0, high: int | None = None
    ) -> list[Segment]:
        """A line's text from character `low` to `high`, its search matches highlighted (the
        spans are the pattern's on the whole line, so a match is the same wherever it is cut)."""
        high = len(text) if high is None else min(high, len(text))
        if low >= high:
            return []
        if not spans:
            return [Segment(text[low:high], style)]
        segments: list[Segment] = []
        match_style = style + self._style("match")
        at = low
        for found_start, found_end in spans:
            start, end = max(found_start, low), min(found_end, high)
            if end <= at:
                continue
            if start >= high:
                break
            if start > at:
                segments.append(Segment(text[at:start], style))
            segments.append(Segment(text[start:end], match_style))
            at = end
        if at < high:
            segments.append(Segment(text[at:high], style))
        return segments
