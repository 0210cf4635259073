"""`?`: every key of the screen it was opened from (generated from its active bindings, drtui's
own only), then what the screen's symbols mean (a legend the screen provides)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from drtui.core.recorded import STRIP_GLYPHS
from drtui.ui.actions import BY_ID
from drtui.ui.keymap import CLOSE_BINDINGS
from drtui.ui.screens.base import REFUSAL
from drtui.ui.screens.closing import close_once

Legend = Sequence[tuple[str, Sequence[tuple[str, str]]]]
"""(heading, [(symbol, meaning), ...]) groups."""

FLEET_LEGEND: Legend = (
    (
        "Header counts (per health dimension, whole fleet)",
        (
            ("✗", "failing"),
            ("!", "warning"),
            ("✓", "passing"),
            ("?", "no verdict: unknown, N/A or not started"),
            ("▲3 new", "deployments that got worse since you last looked (! or E: seen)"),
        ),
    ),
    (
        "Row marks",
        (
            ("▲", "health got worse in the last minute"),
            ("◦", "alerts muted (m)"),
            ("✓", "degradation acknowledged (A)"),
            ("●", "selected"),
            ("∅", "predictions silent: none for far longer than this model's usual rhythm"),
        ),
    ),
    (
        "LAST 24H strip (the flight recorder: 8 three-hour cells, oldest first, worst health)",
        (
            (STRIP_GLYPHS[3], "failing"),
            (STRIP_GLYPHS[2], "warning"),
            (STRIP_GLYPHS[1], "passing"),
            (STRIP_GLYPHS[0], "no verdict: unknown, N/A or not started"),
            ("blank", "not recorded (drtui was not running)"),
            ("#", "health changes in the 24 hours (capped at 99)"),
        ),
    ),
    (
        "Columns",
        (
            ("SVC MDL ACC", "service, model and accuracy health"),
            ("LABEL", "cut in the middle when narrow: the end tells deployments apart"),
            ("LAST 24H  #", "health over the last 24 hours, and its number of changes"),
            ("STATUS", "active, inactive, launching, errored…"),
            ("IMPORT.", "importance: CRITICAL, HIGH, MODERATE, LOW"),
            ("TARGET", "target type of the current model"),
            ("PLATFORM", "prediction environment platform"),
            ("TAGS", "key=value tags"),
            ("7D PREDS", "predictions a day over the last 7 days, and their total"),
            (
                "LAST PRED",
                "how long ago the last prediction was; clock skew: the server's clock runs "
                "over 5 min ahead; in a replay, counted from the instant shown (later: after it)",
            ),
            ("OWNER", "owners (+N more)"),
        ),
    ),
)
"""What the deployments view's symbols mean."""


def listed(binding: Binding) -> bool:
    """Whether help and the palette list `binding`: an action of drtui's table (ui/actions.py),
    not one of Textual's (focus next, copy selected text…) nor a write's read-only twin."""
    return binding.id in BY_ID and not binding.action.startswith(REFUSAL)


def keys_of(screen: Screen[Any]) -> list[tuple[str, str]]:
    """(keys, description) for every active binding of `screen` help lists, merged per action."""
    merged: dict[tuple[str, str], list[str]] = {}
    app = screen.app
    for active in screen.active_bindings.values():
        binding = active.binding
        if listed(binding):
            merged.setdefault((binding.action, binding.description), []).append(
                app.get_key_display(binding)
            )
    return [
        (" ".join(dict.fromkeys(keys)), description) for (_, description), keys in merged.items()
    ]


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = list(CLOSE_BINDINGS)

    def __init__(
        self,
        keys: list[tuple[str, str]],
        *,
        title: str = "Keys",
        legend: Legend = (),
        status: str = "",
    ) -> None:
        """`keys`: (key as displayed, what it does), in binding order; `status`: how the view's
        polling is doing (last poll's duration, next poll), shown at the top."""
        super().__init__()
        self._status = status
        self._keys = keys
        self._title = title
        self._legend = legend

    def compose(self) -> ComposeResult:
        width = max((len(key) for key, _ in self._keys), default=4) + 2
        parts: list[str | tuple[str, str]] = []
        for key, description in self._keys:
            parts += [(key.ljust(width), "bold $accent"), description, "\n"]
        for heading, entries in self._legend:
            parts += ["\n", (heading, "bold"), "\n"]
            wide = max((len(symbol) for symbol, _ in entries), default=1) + 2
            for symbol, meaning in entries:
                parts += ["  ", (symbol.ljust(wide), "bold"), meaning, "\n"]
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Label(f"{self._title} (esc to close)", classes="title")
            if self._status:
                yield Label(self._status, id="help-status")
            yield Static(Content.assemble(*parts).rstrip(), id="help-body")

    def action_close(self) -> None:
        close_once(self, None)
