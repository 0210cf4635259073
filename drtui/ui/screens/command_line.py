"""`:` — k9s-style: type a view's name (completed as you type), enter goes there."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label

from drtui.ui.keymap import CLOSE_BINDINGS
from drtui.ui.screens.closing import close_once
from drtui.ui.views import COMMANDS, VIEWS, resolve


class CommandLine(ModalScreen[str | None]):
    """Dismisses with the resolved view/command name, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [b for b in CLOSE_BINDINGS if "escape" in b.key]

    def compose(self) -> ComposeResult:
        names = [*VIEWS, *COMMANDS]
        with Vertical(id="command-line", classes="dialog"):
            yield Label("Go to (tab completes, enter goes, esc cancels)", classes="title")
            prompt = Input(
                placeholder=" ".join(names),
                suggester=SuggestFromList(names, case_sensitive=False),
                id="command-input",
            )
            prompt.cursor_blink = False
            yield prompt
            yield Label("", id="command-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        name = resolve(event.value)
        if name is None:
            known = ", ".join([*VIEWS, *COMMANDS])
            typed = event.value.strip()[:40]
            self.query_one("#command-error", Label).update(
                f"No view named {typed!r}. Known: {known}." if typed else f"Known: {known}."
            )
            return
        close_once(self, name)

    def action_close(self) -> None:
        close_once(self, None)
