"""The log screen's search and filter prompt: a one-line input that never lays the screen out
while it is shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Self

from textual.geometry import Region

from drtui.ui.textual_compat import LineStyles, SegmentInput, install_styles


class PromptInput(SegmentInput):
    """The search/filter prompt: one line the full width of the screen, whatever its value.

    Textual's Input asks for a layout pass of the whole screen on every keystroke (its virtual
    size follows its value), which for this screen costs more than the search itself; the
    prompt's size never depends on its value, so while it is shown, a repaint is enough.
    Showing or hiding it (no region yet, or hidden) still lays the screen out.

    `on_value` is called as the value changes, in the same pass as the keystroke (an
    `Input.Changed` message would be handled after the prompt's own frame, so the highlights
    would arrive a frame later).

    Its line is made from segments with styles kept until they change (`SegmentInput`), and
    goes out as drawn (`LineStyles`): Textual's way cost ~0.4 ms a keystroke.
    """

    on_value: Callable[[str], None] | None = None

    def __init__(self, *, id: str | None = None, compact: bool = False) -> None:
        super().__init__(id=id, compact=compact)
        install_styles(self, LineStyles())  # no border or padding: its line goes out as drawn

    def watch_value(self, value: str) -> None:
        if self.on_value is not None:
            self.on_value(value)

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        if layout and not regions and not recompose and self.display and self.region:
            layout = False
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
