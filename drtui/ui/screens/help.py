"""`?`: every key of the screen it was opened from, generated from its active bindings."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from drtui.ui.keymap import CLOSE_BINDINGS
from drtui.ui.screens.closing import close_once


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = list(CLOSE_BINDINGS)

    def __init__(self, keys: list[tuple[str, str]]) -> None:
        """`keys`: (key as displayed, what it does), in binding order."""
        super().__init__()
        self._keys = keys

    def compose(self) -> ComposeResult:
        width = max((len(key) for key, _ in self._keys), default=4) + 2
        parts: list[str | tuple[str, str]] = []
        for key, description in self._keys:
            parts += [(key.ljust(width), "bold $accent"), description, "\n"]
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Label("Keys (esc to close)", classes="title")
            yield Static(Content.assemble(*parts).rstrip(), id="help-body")

    def action_close(self) -> None:
        close_once(self, None)
