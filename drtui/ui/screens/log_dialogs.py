"""The log screen's dialogs: the whole line (``enter``), and where to save the log."""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from drtui.core.sanitize import clean
from drtui.ui.keymap import CLOSE_BINDINGS


class LineDialog(ModalScreen[None]):
    """`enter`: the whole line, pretty-printed when it is JSON."""

    BINDINGS: ClassVar[list[BindingType]] = list(CLOSE_BINDINGS)

    def __init__(self, label: str, text: str) -> None:
        super().__init__()
        self._label = label
        self._text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="line-dialog"):
            yield Static(
                Content.assemble(("Whole line", "bold"), f"  {clean(self._label, limit=60)}"),
                classes="title",
            )
            with VerticalScroll(id="line-scroll"):
                yield Static(Content(self._text), id="line-text", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)


class SaveDialog(ModalScreen[Path | None]):
    """Where to save; an existing file is overwritten only after a second enter."""

    BINDINGS: ClassVar[list[BindingType]] = list(CLOSE_BINDINGS)

    def __init__(self, suggested: Path) -> None:
        super().__init__()
        self._suggested = suggested
        self._confirmed: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="save-dialog"):
            yield Static("Save the log to", classes="title")
            yield Input(str(self._suggested), id="save-path", compact=True)
            yield Static("enter saves · esc cancels", id="save-note", markup=False)

    @on(Input.Changed, "#save-path")
    def _changed(self) -> None:
        self._confirmed = None
        self.query_one("#save-note", Static).update("enter saves · esc cancels")

    @on(Input.Submitted, "#save-path")
    def _submitted(self, event: Input.Submitted) -> None:
        path = Path(os.path.expanduser(event.value.strip()))
        note = self.query_one("#save-note", Static)
        if not event.value.strip():
            note.update("Type a file name.")
            return
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
        self.dismiss(path)

    def action_close(self) -> None:
        self.dismiss(None)
