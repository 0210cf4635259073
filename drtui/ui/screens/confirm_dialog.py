"""The typed confirmation shared by delete and erase: what will happen is shown, and the button
only works once the exact text (the label or id, `ERASE <count>`) is typed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Button, Checkbox, Input, Label

from drtui.core.changes import Invalid
from drtui.ui.screens.action_dialog import (
    ActionDialog,
    MarkedCheckbox,
    ResultT,
    Submit,
    field_label,
)


@dataclass(frozen=True, slots=True)
class Option:
    key: str
    title: str
    explanation: str


class ConfirmDialog(ActionDialog[dict[str, bool], ResultT]):
    """Shows what will happen; works only once one of `expected` is typed exactly.

    The payload is the options' values ({key: checked})."""

    TITLE_TEXT = "Confirm"
    DIALOG_ID = "confirm-dialog"

    def __init__(
        self,
        *,
        title: str,
        facts: Sequence[tuple[str, str]],
        prompt: str,
        expected: Iterable[str],
        submit: Submit[dict[str, bool], ResultT],
        submit_text: str = "Confirm",
        options: Sequence[Option] = (),
        warning: str = "",
    ) -> None:
        super().__init__(submit)
        self._title = title
        self.facts = list(facts)
        self.prompt = prompt
        self.expected = frozenset(e for e in expected if e)
        self.options = list(options)
        self.warning = warning
        self._submit_text = submit_text

    def compose_body(self) -> ComposeResult:
        width = max((len(k) for k, _ in self.facts), default=0)
        lines = "\n".join(f"{k.ljust(width)}  {v}" for k, v in self.facts)
        yield Label(Content(lines), id="confirm-facts")
        if self.warning:
            yield Label(Content(self.warning), classes="warning", id="confirm-warning")
        for option in self.options:
            yield MarkedCheckbox(Content(option.title), id=f"option-{option.key}", compact=True)
            yield Label(Content(option.explanation), classes="muted option-help")
        yield field_label(self.prompt)
        yield Input(id="confirm-text", compact=True, select_on_focus=False)

    def on_mount(self) -> None:
        self.query_one(".title", Label).update(Content(self._title))
        self.query_one("#action-submit", Button).label = self._submit_text
        box = self.query_one("#confirm-text", Input)
        box.cursor_blink = False
        box.focus()
        super().on_mount()

    @property
    def typed(self) -> str:
        return self.query_one("#confirm-text", Input).value

    def live_problem(self) -> str | None:
        return None if self.typed in self.expected else ""

    def payload(self) -> dict[str, bool]:
        if self.typed not in self.expected:
            raise Invalid("The text typed does not match: nothing was done.")
        return {o.key: self.query_one(f"#option-{o.key}", Checkbox).value for o in self.options}

    @on(Input.Changed, "#confirm-text")
    def _typed(self) -> None:
        self.check()

    @on(Input.Submitted, "#confirm-text")
    def _entered(self) -> None:
        self.action_submit()
