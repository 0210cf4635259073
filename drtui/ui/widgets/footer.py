"""The footer every drtui screen shows: `? Help` and `q Quit` first, so a narrow terminal never
hides the way out; the screen's own keys follow, in binding order, and give way first.

Below `COMPACT_BELOW` columns the keys lose their padding, so more of them fit.
"""

from __future__ import annotations

from textual.events import Resize

from drtui.ui.textual_compat import KeyFooter

FIRST = ("help", "quit", "close")
"""Actions shown before every other key, in this order: how to learn the keys and how to leave."""
COMPACT_BELOW = 100


def footer_order(actions: list[str]) -> list[str]:
    """`actions` with help / quit / close first (in FIRST's order), the rest as they were."""
    first = [a for name in FIRST for a in actions if a == name]
    return first + [a for a in actions if a not in first]


class DrtuiFooter(KeyFooter):
    def on_mount(self) -> None:
        self.compact = self.app.size.width < COMPACT_BELOW

    def on_resize(self, event: Resize) -> None:
        self.compact = self.app.size.width < COMPACT_BELOW

    def key_order(self, actions: list[str]) -> list[str]:
        return footer_order(actions)
