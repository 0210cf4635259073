"""Small keyboard-first dialogs any view uses: pick several values, or pick one column.

`ChooseMany`: a checklist focused on open, `space` toggles, `enter` applies from anywhere, state
readable without colour (`[x]`/`[ ]`). `ChooseOne`: an option list, `enter` picks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, OptionList, SelectionList
from textual.widgets.option_list import Option

from drtui.ui.keymap import CLOSE_BINDINGS
from drtui.ui.screens.closing import close_once


def _mark(on: bool) -> str:
    return "[x]" if on else "[ ]"


class ChooseMany(ModalScreen[frozenset[str] | None]):
    """Dismisses with the chosen values (empty: no filter), or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *CLOSE_BINDINGS,
        Binding("enter", "apply", "Apply", priority=True, id="choose.apply"),
        Binding("c", "clear", "Clear all", id="choose.clear"),
    ]

    def __init__(self, title: str, options: Sequence[tuple[str, str]], chosen: frozenset[str]):
        """`options`: (value, label) pairs."""
        super().__init__()
        self._title = title
        self._options = list(options)
        self._chosen = set(chosen)

    def compose(self) -> ComposeResult:
        with Vertical(id="choose-dialog", classes="dialog"):
            yield Label(
                f"{self._title} (space toggles, enter applies, esc cancels)", classes="title"
            )
            yield SelectionList[str](
                *[(self._label(v, text), v, v in self._chosen) for v, text in self._options],
                id="choices",
            )
        yield Footer()

    def _label(self, value: str, label: str) -> str:
        return f"{_mark(value in self._chosen)} {label}"

    def on_mount(self) -> None:
        for choices in self.query(SelectionList):
            choices.focus()

    def on_selection_list_selection_toggled(
        self, event: SelectionList.SelectionToggled[str]
    ) -> None:
        self._chosen = set(event.selection_list.selected)
        self._relabel()

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        self._chosen = set(event.selection_list.selected)
        self._relabel()

    def _relabel(self) -> None:
        choices = self.query_one(SelectionList)
        for i, (value, label) in enumerate(self._options):
            option = choices.get_option_at_index(i)
            text = self._label(value, label)
            if str(option.prompt) != text:
                choices.replace_option_prompt_at_index(i, text)

    def action_apply(self) -> None:
        close_once(self, frozenset(self._chosen))

    def action_clear(self) -> None:
        self.query_one(SelectionList).deselect_all()

    def action_close(self) -> None:
        close_once(self, None)


class ChooseOne(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = list(CLOSE_BINDINGS)

    def __init__(self, title: str, options: Sequence[tuple[str, str]], current: str | None):
        super().__init__()
        self._title = title
        self._options = list(options)
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="choose-one-dialog", classes="dialog"):
            yield Label(f"{self._title} (enter picks, esc cancels)", classes="title")
            yield OptionList(*[Option(label, id=value) for value, label in self._options])

    def on_mount(self) -> None:
        for options in self.query(OptionList):
            if self._current is not None:
                try:
                    options.highlighted = options.get_option_index(self._current)
                except Exception:  # an unknown current value: start at the top
                    options.highlighted = 0
            options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        close_once(self, event.option.id)

    def action_close(self) -> None:
        close_once(self, None)
