"""The footer every drtui screen shows: `? Help` and `q Quit` first, so a narrow terminal never
hides the way out; the screen's own keys follow, in binding order, and give way first.

Below `COMPACT_BELOW` columns the keys lose their padding, so more of them fit.
"""

from __future__ import annotations

from collections import defaultdict

from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

FIRST = ("help", "quit", "close")
"""Actions shown before every other key, in this order: how to learn the keys and how to leave."""
COMPACT_BELOW = 100


def footer_order(actions: list[str]) -> list[str]:
    """`actions` with help / quit / close first (in FIRST's order), the rest as they were."""
    first = [a for name in FIRST for a in actions if a == name]
    return first + [a for a in actions if a not in first]


class DrtuiFooter(Footer):
    def on_mount(self) -> None:
        self.compact = self.app.size.width < COMPACT_BELOW

    def on_resize(self, event: Resize) -> None:
        self.compact = self.app.size.width < COMPACT_BELOW

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        by_action: defaultdict[str, list[tuple[Binding, bool, str]]] = defaultdict(list)
        for _, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show:
                by_action[binding.action].append((binding, enabled, tooltip))
        self.styles.grid_size_columns = len(by_action)
        for action in footer_order(list(by_action)):
            binding, enabled, tooltip = by_action[action][0]
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                disabled=not enabled,
                tooltip=tooltip,
            ).data_bind(compact=Footer.compact)
