"""A ScrollView that updates its scrollbars only when its size or its content's size moved.

Every layout of the screen (each key typed in an Input makes one) tells each scroll view its
size again, with the arrangement's virtual size (never the one a Line-API view sets itself),
and Textual then updates and repaints its scrollbars: 50 lines of segments rendered anew for
a thumb that did not move (7-10 ms a key at 200x50 for one view). `SteadySizeScrollView` skips
that when its size, its container's and its content's are those it last updated for, and its
`set_content_size` sets a new content size without a layout of the screen (the view's own box
does not change, only its scrollbars; a layout still follows when a scrollbar appears or goes).

Textual internals: `ScrollView._size_updated` (overridden), `Widget._scroll_update` (called).
`SCROLL_OK` says whether they are as expected; when they are not, every size update goes to
Textual and a content size is set as Textual sets it (`virtual_size`, then a layout).
"""

from __future__ import annotations

import inspect
from typing import Any

from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.widget import Widget

SIZE_UPDATED_PARAMETERS = ("self", "size", "virtual_size", "container_size", "layout")
"""`ScrollView._size_updated`'s parameters: the first three are read by name here."""


def check_scroll_sizing() -> list[str]:
    """What the steady scroll view relies on and Textual no longer offers (empty: all there)."""
    problems = []
    expected = {
        (ScrollView, "_size_updated"): SIZE_UPDATED_PARAMETERS,
        (Widget, "_scroll_update"): ("self", "virtual_size"),
    }
    for (cls, name), parameters in expected.items():
        method = getattr(cls, name, None)
        found = () if method is None else tuple(inspect.signature(method).parameters)
        if found != parameters:
            problems.append(f"{cls.__name__}.{name}{found} is not {name}{parameters}")
    return problems


SCROLL_OK = not check_scroll_sizing()
"""Read on each size update: False hands every one to Textual."""


class SteadySizeScrollView(ScrollView):
    """A ScrollView whose scrollbars are updated only when what they depend on moved (see the
    module docstring)."""

    _sized_for: tuple[Size, Size, Size] | None = None
    """(size, content size, container size) the scrollbars were last updated for."""

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, *rest: Any, **named: Any
    ) -> bool:
        if not SCROLL_OK:
            return super()._size_updated(size, virtual_size, container_size, *rest, **named)
        now = (size, self.virtual_size, container_size)
        if now == self._sized_for:
            return False
        changed = super()._size_updated(size, virtual_size, container_size, *rest, **named)
        self._sized_for = now
        return changed

    def set_content_size(self, size: Size) -> None:
        """The content's size, without a layout of the screen (see the module docstring)."""
        if size == self.virtual_size:
            return
        if not SCROLL_OK or not self.is_mounted or self._sized_for is None:
            self.virtual_size = size
            return
        self.set_reactive(ScrollView.virtual_size, size)
        self._scroll_update(size)  # shows or hides the scrollbar (then lays out), moves its thumb
        self._sized_for = (self.size, size, self.container_size)
