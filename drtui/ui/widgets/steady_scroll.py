"""A ScrollView whose scrollbar is repainted only when what it shows changed.

Every layout of the screen (each key typed in an Input makes one) tells each scroll view its
size again, and Textual then repaints its scrollbar: 50 lines of segments rendered anew for a
thumb that did not move (7-10 ms a key at 200x50 for one view). `SteadyScrollView` skips that
when nothing the scrollbar depends on changed, and sets a new content size without a layout of
the screen (`SteadySizeScrollView`, ui/textual_compat). Its scrollbar's drawings are kept by
what they show (`BarStyles`). The table and the detail pane are both one.
"""

from __future__ import annotations

from textual.scrollbar import ScrollBar

from drtui.ui.textual_compat import SteadySizeScrollView, kept_bar


class SteadyScrollView(SteadySizeScrollView):
    @property
    def vertical_scrollbar(self) -> ScrollBar:
        """The vertical scrollbar, its drawings kept (`BarStyles`): a search's narrowings move
        the thumb back and forth through positions drawn before."""
        return kept_bar(super().vertical_scrollbar)
