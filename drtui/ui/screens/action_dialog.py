"""The base of every write dialog: it runs the write itself and closes only on success.

`ActionDialog` is handed a `submit` coroutine (a `Sources` method wrapped by the view) and runs
it itself, in a worker, so the dialog owns the whole attempt:

- local checks first (`payload()` raises `Invalid` with a sentence): nothing is sent;
- while the request runs, the buttons are disabled and a second `enter` does nothing (a POST is
  never sent twice);
- a failure (403, 404, 422, a timeout, a failed job) shows the server's sentence under the form,
  and the dialog stays open with every field as the user left it;
- only a success dismisses it (through `close_once`), with the submit coroutine's result;
- `esc` cancels when idle; while a request is in flight it first warns, and only a second `esc`
  stops waiting (the audit log then says the outcome is unknown).

The dialogs: edit and create (edit_dialogs.py), the typed confirmation (confirm_dialog.py).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Label
from textual.worker import Worker

from drtui.api.errors import ConnectionFailed, DataRobotError, RequestTimeout
from drtui.core.changes import Invalid
from drtui.core.sanitize import clean
from drtui.ui.keymap import ACTION_BINDINGS
from drtui.ui.screens.closing import close_once

if TYPE_CHECKING:
    from textual.widgets import TextArea
if TYPE_CHECKING:
    from textual.widgets import TextArea

log = logging.getLogger(__name__)

PayloadT = TypeVar("PayloadT")
ResultT = TypeVar("ResultT")


def description_box(text: str = "", *, id: str) -> TextArea:
    """A compact, soft-wrapping description box. Textual's TextArea (its document, history and
    syntax modules: some 1,200 objects every full garbage collection scans) is imported only
    when a dialog opens, not with the dashboard."""
    from textual.widgets import TextArea

    return TextArea(text, id=id, compact=True, soft_wrap=True)


def description_text(screen: ModalScreen[Any], selector: str) -> str:
    from textual.widgets import TextArea

    return screen.query_one(selector, TextArea).text


Progress = Callable[[str], None]
Submit = Callable[[PayloadT, Progress], Awaitable[ResultT]]
"""What a dialog runs: the checked payload, a progress reporter; returns the result."""

IN_FLIGHT = (
    "Still waiting for the server. Press esc again to stop waiting (the change may still "
    "happen), or wait for the answer."
)


class ActionDialog(ModalScreen[ResultT | None], Generic[PayloadT, ResultT]):
    """Runs `submit` itself; dismisses with its result on success only."""

    BINDINGS: ClassVar[list[BindingType]] = list(ACTION_BINDINGS)
    TITLE_TEXT: ClassVar[str] = "Change"
    SUBMIT_TEXT: ClassVar[str] = "Save"
    DIALOG_ID: ClassVar[str] = "action-dialog"

    @dataclass
    class Progressed(Message):
        text: str

    @dataclass
    class Failed(Message):
        sentence: str

    @dataclass
    class Succeeded(Message):
        result: Any

    def __init__(self, submit: Submit[PayloadT, ResultT]) -> None:
        super().__init__()
        self._submit = submit
        self.running = False
        self.attempts = 0
        """Requests started (a test can prove a flood of keys started one)."""
        self.error_text = ""
        self._worker: Worker[None] | None = None
        self._esc_armed = False

    # ----- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id=self.DIALOG_ID, classes="dialog action-dialog"):
            yield Label(self.TITLE_TEXT, classes="title")
            with VerticalScroll(classes="action-body"):
                yield from self.compose_body()
            yield Label("", id="action-error", markup=False)
            yield Label("", id="action-progress", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(self.SUBMIT_TEXT, id="action-submit", variant="primary", compact=True)
                yield Button("Cancel", id="action-cancel", compact=True)

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.check()

    # ----- what subclasses provide ------------------------------------------------------------

    def payload(self) -> PayloadT:
        """The checked values to submit; raises Invalid with a sentence."""
        raise NotImplementedError

    def live_problem(self) -> str | None:
        """A problem to show while the user types (None when the form can be sent)."""
        return None

    # ----- state -------------------------------------------------------------------------------

    def check(self) -> None:
        """Re-check as the user types: show the first problem, enable the button if none."""
        if not self.is_mounted:
            return
        problem = self.live_problem()
        if problem is not None:
            self._show_error(problem)
        elif not self.running:
            self._show_error(self.error_text)
        self._set_buttons()

    def _set_buttons(self) -> None:
        submit = self.query_one("#action-submit", Button)
        submit.disabled = self.running or self.live_problem() is not None
        self.query_one("#action-cancel", Button).disabled = self.running

    def _show_error(self, text: str) -> None:
        self.query_one("#action-error", Label).update(Content(text))

    def _show_progress(self, text: str) -> None:
        self.query_one("#action-progress", Label).update(Content(text))

    # ----- running -----------------------------------------------------------------------------

    def action_submit(self) -> None:
        if self.running:
            return
        try:
            payload = self.payload()
        except Invalid as problem:
            self.error_text = str(problem)
            self._show_error(self.error_text)
            return
        self.running = True
        self.attempts += 1
        self.error_text = ""
        self._show_error("")
        self._show_progress("Sending…")
        self._set_buttons()
        self._worker = self.run_worker(
            self._run(payload), group="action", exclusive=True, exit_on_error=False
        )

    async def _run(self, payload: PayloadT) -> None:
        """The worker: never touches widgets, never raises; one message with the outcome."""
        try:
            result = await self._submit(payload, self._progress)
        except DataRobotError as error:
            sentence = clean(str(error), limit=1000)
            if isinstance(error, RequestTimeout | ConnectionFailed):
                sentence += " The server may have made the change anyway: check before retrying."
            self.post_message(self.Failed(sentence))
        except Exception as error:
            log.exception("a write failed unexpectedly")
            self.post_message(
                self.Failed(f"Unexpected error ({type(error).__name__}); details in the log file.")
            )
        else:
            self.post_message(self.Succeeded(result))

    def _progress(self, text: str) -> None:
        self.post_message(self.Progressed(clean(text, limit=200)))

    def on_action_dialog_progressed(self, message: Progressed) -> None:
        message.stop()
        if self.running:
            self._show_progress(message.text)

    def on_action_dialog_failed(self, message: Failed) -> None:
        message.stop()
        self.running = False
        self._worker = None
        self._esc_armed = False
        self.error_text = message.sentence
        self._show_progress("")
        self._show_error(message.sentence)
        self._set_buttons()

    def on_action_dialog_succeeded(self, message: Succeeded) -> None:
        message.stop()
        self.running = False
        self._worker = None
        close_once(self, message.result)

    def action_cancel(self) -> None:
        if self.running:
            if not self._esc_armed:
                self._esc_armed = True
                self._show_progress(IN_FLIGHT)
                return
            if self._worker is not None:
                self._worker.cancel()
        close_once(self, None)

    @on(Button.Pressed, "#action-submit")
    def _submit_pressed(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#action-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()


def field_label(title: str, hint: str = "") -> Label:
    text = f"{title}  {hint}" if hint else title
    return Label(text, classes="field-label", markup=False)


class MarkedCheckbox(Checkbox):
    """A checkbox whose state reads without colour: `▐X▌` when on, `▐ ▌` when off (Textual's
    shows the X in both, on and off told apart by its colour alone). Textual reads
    `BUTTON_INNER` each time it draws the button: here it follows the value."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # what Textual draws inside
        return "X" if self.value else " "
