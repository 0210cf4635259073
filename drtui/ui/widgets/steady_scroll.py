"""A ScrollView whose scrollbar is repainted only when what it shows changed.

Every layout of the screen (each key typed in an Input makes one) tells each scroll view its
size again, and Textual then repaints its scrollbar: 50 lines of segments rendered anew for a
thumb that did not move (7-10 ms a key at 200x50 for one view). `SteadyScrollView` skips that
when nothing the scrollbar depends on changed, and sets a new content size without a layout of
the screen: the view's own box does not change, only its scrollbar (a layout still follows when
the scrollbar appears or goes). Its scrollbar's drawings are kept by what they show
(`BarStyles`). The table and the detail pane are both one.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar

from drtui.ui.widgets.line_styles import kept_bar


class SteadyScrollView(ScrollView):
    _scrollbar_for: tuple[Size, Size, Size] | None = None
    """(size, content size, container size) the scrollbar was last drawn for."""

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        now = (size, self.virtual_size, container_size)
        if now == self._scrollbar_for:
            return False
        changed = super()._size_updated(size, virtual_size, container_size, layout)
        self._scrollbar_for = now
        return changed

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        """The vertical scrollbar, its drawings kept (`BarStyles`): a search's narrowings move
        the thumb back and forth through positions drawn before."""
        return kept_bar(super().vertical_scrollbar)

    def set_content_size(self, size: Size) -> None:
        """The content's size, without a layout of the screen (see the module docstring)."""
        if size == self.virtual_size:
            return
        if not self.is_mounted or self._scrollbar_for is None:
            self.virtual_size = size
            return
        self.set_reactive(ScrollView.virtual_size, size)
        self._scroll_update(size)  # shows or hides the scrollbar (then lays out), moves its thumb
        self._scrollbar_for = (self.size, size, self.container_size)
