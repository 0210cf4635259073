"""How a widget's lines reach the screen: Textual's per-line styling skipped when there is none.

`LineStyles` hands a Line-API view's lines to the compositor as the view drew them (the log
view, the tables); `StillStyles` hands over a widget's last frame whole while nothing marked
it dirty (chrome a keystroke leaves as it is). Both fall back to Textual's own styling for any
rule they do not handle.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TypeVar

from rich.style import Style
from textual._styles_cache import StylesCache
from textual.color import Color
from textual.geometry import Region, Spacing
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.widget import Widget


class LineStyles(StylesCache):
    """Textual's per-widget line cache, without its per-line styling when there is none to do.

    For each line it draws again, Textual's `StylesCache` reads a dozen style rules (border,
    padding, outline, tint, opacity, hatch) and copies the line into a new `Strip`, whose
    filters (the ANSI-to-truecolor pass) then run again: about 80 µs a line, most of a search
    keystroke's frame. The log view has none of these rules, so its lines go out as the view
    drew them (cut or padded to the width, the filters applied), the same objects each time:
    Textual's own caches of a strip (its filtered form, its division at the screen's cuts, its
    terminal sequences) then serve a line drawn before. With any such rule set, Textual draws.
    """

    def __init__(self) -> None:
        super().__init__()
        self._frame: tuple[object, ...] = ()

    def render_widget(self, widget: Widget, crop: Region) -> list[Strip]:
        styles = widget.styles
        if (
            styles.gutter != NO_SPACING  # border or padding
            or any(edge for edge, _ in styles.outline)
            or styles.tint.a
            or styles.opacity != 1.0
            or styles.text_opacity != 1.0
            or (styles.has_rule("hatch") and styles.hatch != "none")
            or widget._border_title is not None
            or widget._border_subtitle is not None
        ):
            self._frame = ()
            return super().render_widget(widget, crop)
        base_background, background = widget.background_colors
        width = widget.region.width
        # The column(s) under a vertical scrollbar are not drawn: the scrollbar covers them, and
        # a line that ends where the scrollbar begins is not cut in two for each frame.
        shown = width - (styles.scrollbar_size_vertical if widget.show_vertical_scrollbar else 0)
        filters = tuple(widget.get_line_filters())
        inner = _inner_style(base_background, background)
        frame = (width, shown, inner, background, filters)
        if frame != self._frame:  # the lines kept were made for another width or colours
            self._frame = frame
            self._cache.clear()
            self._width = width
        cache, dirty = self._cache, self._dirty_lines
        render_line = widget.render_line
        strips: list[Strip] = []
        for y in crop.line_range:
            strip = None if y in dirty else cache.get(y)
            if strip is None:
                strip = render_line(y).adjust_cell_length(shown, inner)
                for line_filter in filters:
                    strip = strip.apply_filter(line_filter, background)
                cache[y] = strip
            strips.append(strip)
        dirty.difference_update(crop.line_range)
        if crop.column_span != (0, width):
            x1, x2 = crop.column_span
            strips = [strip.crop(x1, min(x2, shown)) for strip in strips]
        return strips


class StillStyles(StylesCache):
    """Textual's line cache, handing over the last frame's lines whole while none is dirty.

    Every frame, the compositor asks each widget on screen for all its lines, whichever lines
    changed: Textual's `StylesCache` reads the widget's styles, walks its ancestors and filters
    each kept line again (~0.1 ms a widget). For the log screen itself and the view's
    scrollbars, which a search keystroke leaves as they are, the previous frame's lines are
    handed over when nothing marked them dirty since and the size, colours and filters they
    were made with are the same.
    """

    def __init__(self) -> None:
        super().__init__()
        self._last: tuple[tuple[object, ...], list[Strip]] | None = None

    def clear(self) -> None:
        self._last = None
        super().clear()

    def set_dirty(self, *regions: Region) -> None:
        self._last = None
        super().set_dirty(*regions)

    def render_widget(self, widget: Widget, crop: Region) -> list[Strip]:
        key = (crop, widget.region.size, widget.background_colors, *widget.get_line_filters())
        if self._last is not None and self._last[0] == key:
            return list(self._last[1])
        strips = super().render_widget(widget, crop)
        self._last = (key, strips)
        return list(strips)


NO_SPACING = Spacing(0, 0, 0, 0)


@lru_cache(maxsize=64)
def _inner_style(base_background: Color, background: Color) -> Style:
    """The style that pads a line to the widget's width (as Textual's styles cache pads it)."""
    return VisualStyle(background=base_background + background).rich_style


ChromeT = TypeVar("ChromeT", bound=Widget)


def still(widget: ChromeT) -> ChromeT:
    """`widget`, its lines handed over whole while unchanged (StillStyles): the view's
    scrollbars, the log screen's header, status line and footer."""
    if not isinstance(widget._styles_cache, StillStyles):
        widget._styles_cache = StillStyles()
    return widget
