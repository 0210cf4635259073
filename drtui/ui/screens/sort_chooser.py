"""`s`: choose the table's sort (rows are sorted locally; the fleet is fetched in a stable order)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from drtui.core.views import DEFAULT_ORDER, SORT_TITLES
from drtui.ui.keymap import CLOSE_BINDINGS
from drtui.ui.screens.closing import close_once


class SortChooser(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = list(CLOSE_BINDINGS)

    def __init__(self, current: str | None) -> None:
        super().__init__()
        self._current = current or DEFAULT_ORDER

    def compose(self) -> ComposeResult:
        options = []
        for name, title in SORT_TITLES.items():
            for value in (name, f"-{name}"):
                arrow = "▼ descending" if value.startswith("-") else "▲ ascending"
                options.append(Option(f"{title}  {arrow}", id=value))
        with Vertical(id="sort-dialog", classes="dialog"):
            yield Label("Sort by (S reverses the current sort)", classes="title")
            yield OptionList(*options, id="sort-options")

    def on_mount(self) -> None:
        # None left when the dialog was closed (esc) before its mount was processed: a busy
        # app can receive `s` and `esc` in one breath, and that must not end the dashboard.
        for options in self.query(OptionList):
            options.highlighted = options.get_option_index(self._current)
            options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        close_once(self, event.option.id)

    def action_close(self) -> None:
        close_once(self, None)
