"""How a widget's lines reach the screen: Textual's per-line styling skipped when there is none.

`LineStyles` hands a Line-API view's lines to the compositor as the view drew them (the log
view, the tables); `StillStyles` hands over a widget's last frame whole while nothing marked
it dirty (chrome a keystroke leaves as it is); `BarStyles` keeps a scrollbar's drawings by
what they show; `KeptStyles` keeps Textual's styling of a bordered view's lines by the line
it styled. All fall back to Textual's own styling for anything they do not handle.

Textual internals: `textual._styles_cache.StylesCache` (subclassed; its `render_widget`,
`render_line`, `set_dirty` and `clear` overridden, its `_cache`, `_dirty_lines` and `_width`
used), `Widget._styles_cache` (replaced by `install_styles`), `Widget._border_title` and
`_border_subtitle` (read). `STYLES_OK` says whether they are as these classes expect; when
they are not, no cache is installed and Textual styles every line itself.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeVar

from rich.style import Style
from textual.cache import LRUCache
from textual.color import Color
from textual.css.styles import StylesBase
from textual.geometry import Region, Size, Spacing
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.widget import Widget

if TYPE_CHECKING:
    from textual._styles_cache import StylesCache as StylesCache
else:
    try:
        from textual._styles_cache import StylesCache
    except ImportError:  # moved: never installed (check_styles_cache says why)
        StylesCache = object

RENDER_LINE_PARAMETERS = (
    "self",
    "styles",
    "y",
    "size",
    "content_size",
    "padding",
    "base_background",
    "background",
    "render_content_line",
    "border_title",
    "border_subtitle",
    "opacity",
    "ansi_theme",
    "native_ansi",
)
"""`StylesCache.render_line`'s parameters, in order: `KeptStyles` mirrors them positionally."""


def check_styles_cache() -> list[str]:
    """What the styles caches rely on and Textual no longer offers (empty: all there)."""
    if StylesCache is object:
        return ["textual._styles_cache.StylesCache cannot be imported"]
    problems = []
    expected: dict[str, tuple[str, ...]] = {
        "render_line": RENDER_LINE_PARAMETERS,
        "render_widget": ("self", "widget", "crop"),
        "set_dirty": ("self", "regions"),
        "clear": ("self",),
    }
    for name, parameters in expected.items():
        method = getattr(StylesCache, name, None)
        found = () if method is None else tuple(inspect.signature(method).parameters)
        if found != parameters:
            problems.append(f"StylesCache.{name}{found} is not {name}{parameters}")
    cache = StylesCache()
    for name, kind in (("_cache", dict), ("_dirty_lines", set), ("_width", int)):
        if not isinstance(getattr(cache, name, None), kind):
            problems.append(f"StylesCache().{name} is not a {kind.__name__}")
    widget = Widget()
    if not isinstance(getattr(widget, "_styles_cache", None), StylesCache):
        problems.append("Widget()._styles_cache is not a StylesCache")
    for name in ("_border_title", "_border_subtitle"):
        if not hasattr(widget, name):
            problems.append(f"Widget has no {name}")
    return problems


STYLES_OK = not check_styles_cache()
"""Read when a cache is installed: False leaves every widget Textual's own cache."""

CacheT = TypeVar("CacheT", bound="StylesCache")
WidgetT = TypeVar("WidgetT", bound=Widget)


def install_styles(widget: Widget, cache: CacheT) -> CacheT:
    """Make `cache` style `widget`'s lines (unless Textual's cache is not what it expects);
    returns `cache`, which the widget may keep and talk to either way."""
    if STYLES_OK:
        widget._styles_cache = cache
    return cache


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


def still(widget: WidgetT) -> WidgetT:
    """`widget`, its lines handed over whole while unchanged (StillStyles): the view's
    scrollbars, the log screen's header, status line and footer."""
    if STYLES_OK and not isinstance(widget._styles_cache, StillStyles):
        widget._styles_cache = StillStyles()
    return widget


BARS = 64
"""Scrollbar drawings kept (a search's narrowings come back as letters are deleted)."""


class BarStyles(StylesCache):
    """A scrollbar's lines kept by what they show: its thumb, size, style and colours.

    A search key that changes the number of rows moves the table's thumb, and Textual then
    draws the whole bar again (a Rich renderable split into 50 lines, each styled: ~3 ms at
    200x50). The lines of a bar drawn before are handed over again instead: the narrowings a
    search goes through come back as its letters are deleted. Anything else (a screen that
    hides scrollbars, an unknown renderer) is drawn by Textual as usual.
    """

    def __init__(self) -> None:
        super().__init__()
        self._drawn: LRUCache[tuple[object, ...], list[Strip]] = LRUCache(BARS)

    def render_widget(self, widget: Widget, crop: Region) -> list[Strip]:
        bar = widget.render()
        if not isinstance(bar, ScrollBarRender):
            return super().render_widget(widget, crop)
        key = (
            crop,
            widget.region.size,
            bar.virtual_size,
            bar.window_size,
            bar.position,
            bar.thickness,
            bar.vertical,
            bar.style,
            widget.background_colors,
            *widget.get_line_filters(),
        )
        strips = self._drawn.get(key)
        if strips is None:
            strips = self._drawn[key] = super().render_widget(widget, crop)
        return list(strips)


def kept_bar(bar: ScrollBar) -> ScrollBar:
    """`bar`, its drawings kept by what they show (BarStyles)."""
    if STYLES_OK and not isinstance(bar._styles_cache, BarStyles):
        bar._styles_cache = BarStyles()
    return bar


STYLED = 2_000
"""Lines kept styled by `KeptStyles` (the detail pane's ~50 lines of the last ~40 items)."""


class KeptStyles(StylesCache):
    """Textual's styling of a widget's content lines (its border and padding around each), kept
    by the content line it styled.

    The detail pane has a border and padding, so Textual styles each of its lines, and a search
    key that lands the cursor on another deployment restyles all ~50 of them (~0.1 ms each,
    then the colour filter again on each new line). The pane hands over the same strip for a
    field it showed before, so the styled line made for it is handed over again, the same
    object, whose filtered form Textual has kept too. Kept while the size, colours, border,
    outline, padding, tint and opacity are the same; the first and last lines (borders,
    outlines) are always styled by Textual. The widget calls `forget` when its styles change.
    """

    def __init__(self) -> None:
        super().__init__()
        self._styled: dict[int, tuple[Strip, tuple[object, ...], Strip]] = {}

    def forget(self) -> None:
        self._styled.clear()

    def render_line(
        self,
        styles: StylesBase,
        y: int,
        size: Size,
        content_size: Size,
        padding: Spacing,
        base_background: Color,
        background: Color,
        render_content_line: Callable[[int], Strip],
        border_title: Any,
        border_subtitle: Any,
        opacity: float,
        ansi_theme: Any,
        native_ansi: bool,
    ) -> Strip:
        gutter = styles.gutter
        content_y = y - gutter.top
        rest = (border_title, border_subtitle, opacity, ansi_theme, native_ansi)
        if (
            y == 0
            or y >= size.height - max(1, gutter.bottom)
            or not 0 <= content_y < content_size.height
            or border_title is not None
            or border_subtitle is not None
        ):
            return super().render_line(
                styles, y, size, content_size, padding, base_background, background,
                render_content_line, *rest,
            )  # fmt: skip
        content = render_content_line(content_y)
        frame = (
            size,
            content_size,
            padding,
            base_background,
            background,
            styles.border,
            styles.outline,
            styles.tint,
            styles.text_opacity,
            opacity,
            ansi_theme,
            native_ansi,
        )
        kept = self._styled.get(id(content))
        if kept is not None and kept[0] is content and kept[1] == frame:
            return kept[2]
        strip = super().render_line(
            styles, y, size, content_size, padding, base_background, background,
            lambda _: content, *rest,
        )  # fmt: skip
        if len(self._styled) >= STYLED:
            self._styled.clear()
        self._styled[id(content)] = (content, frame, strip)
        return strip
