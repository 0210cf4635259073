"""Small keyboard-first dialogs any view uses: pick several values, pick one, save as.

`ChooseMany`: a checklist focused on open, `space` toggles, `enter` applies from anywhere, state
readable without colour (`[x]`/`[ ]`). `ChooseOne`: an option list, `enter` picks. `SaveAs`:
an editable path, an existing file overwritten only after a second `enter`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, SelectionList, Static
from textual.widgets.option_list import Option

from drtui.ui.keymap import CHOOSE_BINDINGS, CLOSE_BINDINGS
from drtui.ui.screens.closing import close_once


def dialog_title(title: str, keys: str) -> Static:
    """The dialog's title, then its keys on a line of their own: a Static wraps at the dialog's
    width where a Label was cut (`… enter applies, esc ca` at 80 columns)."""
    return Static(Content.assemble(title, "\n", (keys, "dim not bold")), classes="title")


def _mark(on: bool) -> str:
    return "[x]" if on else "[ ]"


class ChooseMany(ModalScreen[frozenset[str] | None]):
    """Dismisses with the chosen values (empty: no filter), or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [*CLOSE_BINDINGS, *CHOOSE_BINDINGS]

    def __init__(self, title: str, options: Sequence[tuple[str, str]], chosen: frozenset[str]):
        """`options`: (value, label) pairs."""
        super().__init__()
        self._title = title
        self._options = list(options)
        self._chosen = set(chosen)

    def compose(self) -> ComposeResult:
        with Vertical(id="choose-dialog", classes="dialog"):
            yield dialog_title(self._title, "space toggles · enter applies · esc cancels")
            yield SelectionList[str](
                *[(self._label(v, text), v, v in self._chosen) for v, text in self._options],
                id="choices",
            )
        yield Footer()

    def _label(self, value: str, label: str) -> Content:
        # Content, not a markup string: as markup, `[x]` is a tag and vanished, leaving the
        # chosen lines unmarked and the others marked `[ ]` (and a label holding brackets
        # would be read as markup too).
        return Content(f"{_mark(value in self._chosen)} {label}")

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
            if str(option.prompt) != text.plain:
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
            yield dialog_title(self._title, "enter picks · esc cancels")
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


def save_folder() -> Path:
    """Where a saved file goes unless the user types another path: ~/Downloads, or the
    current folder where there is none (a jump host rarely has one)."""
    downloads = Path.home() / "Downloads"
    return downloads if downloads.is_dir() else Path.cwd()


def write_private(path: Path, text: str) -> None:
    """`text` to `path`, a new file readable by the user only (0600)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
        out.write(text)


class SaveAs(ModalScreen[Path | None]):
    """Where to save: the suggested path, editable; an existing file is overwritten only after
    a second `enter`; a missing folder or a folder given as the file is said, not raised."""

    BINDINGS: ClassVar[list[BindingType]] = list(CLOSE_BINDINGS)

    def __init__(self, title: str, suggested: Path) -> None:
        super().__init__()
        self._title = title
        self._suggested = suggested
        self._confirmed: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="save-dialog"):
            yield Static(self._title, classes="title", markup=False)
            yield Input(str(self._suggested), id="save-path", compact=True)
            yield Static("enter saves · esc cancels", id="save-note", markup=False)

    def on_mount(self) -> None:
        self.query_one("#save-path", Input).focus()

    @on(Input.Changed, "#save-path")
    def _changed(self) -> None:
        self._confirmed = None
        self.query_one("#save-note", Static).update("enter saves · esc cancels")

    @on(Input.Submitted, "#save-path")
    def _submitted(self, event: Input.Submitted) -> None:
        typed = event.value.strip()
        note = self.query_one("#save-note", Static)
        if not typed:
            note.update("Type a file name.")
            return
        path = Path(os.path.expanduser(typed))
        if path.is_dir():
            note.update(f"{path} is a folder: add a file name.")
            return
        if not path.parent.is_dir():
            note.update(f"The folder {path.parent} does not exist.")
            return
        if path.exists() and self._confirmed != path:
            self._confirmed = path
            note.update(f"{path} exists: enter again overwrites it, or change the name.")
            return
        close_once(self, path)

    def action_close(self) -> None:
        close_once(self, None)
