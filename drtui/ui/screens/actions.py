"""The write dialogs: edit, delete (typed confirmation), create from a learning model, erase.

`ActionDialog` is the base every write goes through. It is handed a `submit` coroutine (a
`Sources` method wrapped by the view) and runs it itself, in a worker, so the dialog owns the
whole attempt:

- local checks first (`payload()` raises `Invalid` with a sentence): nothing is sent;
- while the request runs, the buttons are disabled and a second `enter` does nothing (a POST is
  never sent twice);
- a failure (403, 404, 422, a timeout, a failed job) shows the server's sentence under the form,
  and the dialog stays open with every field as the user left it;
- only a success dismisses it (through `close_once`), with the submit coroutine's result;
- `esc` cancels when idle; while a request is in flight it first warns, and only a second `esc`
  stops waiting (the audit log then says the outcome is unknown).

`ConfirmDialog` is the typed confirmation shared by delete and erase: what will happen is shown,
and the button only works once the exact text (the label or id, `ERASE <count>`) is typed.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select
from textual.worker import Worker

from drtui.api.errors import ConnectionFailed, DataRobotError, RequestTimeout
from drtui.core.changes import (
    DESCRIPTION_MAX,
    IMPORTANCES,
    LABEL_MAX,
    STATUSES,
    Invalid,
    NewDeployment,
    description_problem,
    edit_changes,
    label_problem,
    new_deployment,
)
from drtui.core.sanitize import clean
from drtui.ui.keymap import ACTION_BINDINGS
from drtui.ui.screens.closing import close_once

if TYPE_CHECKING:
    from textual.widgets import TextArea

log = logging.getLogger(__name__)

PayloadT = TypeVar("PayloadT")
ResultT = TypeVar("ResultT")


def _text_area(text: str = "", *, id: str) -> TextArea:
    """A compact, soft-wrapping description box. Textual's TextArea (its document, history and
    syntax modules: some 1,200 objects every full garbage collection scans) is imported only
    when a dialog opens, not with the dashboard (issue 20)."""
    from textual.widgets import TextArea

    return TextArea(text, id=id, compact=True, soft_wrap=True)


def _description(screen: ModalScreen[Any], selector: str) -> str:
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


def _field(title: str, hint: str = "") -> Label:
    text = f"{title}  {hint}" if hint else title
    return Label(text, classes="field-label", markup=False)


# ----- edit ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EditTarget:
    id: str
    label: str
    description: str | None
    importance: str | None


class EditDialog(ActionDialog[dict[str, str | None], dict[str, str | None]]):
    """Label (required, ≤ 512), description (≤ 10,000, may be cleared), importance.

    Dismisses with the fields that were sent (only the changed ones)."""

    TITLE_TEXT = "Edit deployment"
    SUBMIT_TEXT = "Save"
    DIALOG_ID = "edit-dialog"

    def __init__(self, target: EditTarget, submit: Submit[dict[str, str | None], Any]) -> None:
        async def send(changes: dict[str, str | None], progress: Progress) -> Any:
            await submit(changes, progress)
            return changes

        super().__init__(send)
        self.target = target

    def compose_body(self) -> ComposeResult:
        t = self.target
        yield Label(f"id {t.id}", classes="muted", markup=False)
        yield _field("Label", f"(required, at most {LABEL_MAX})")
        yield Input(t.label, id="edit-label", compact=True, select_on_focus=False)
        yield Label("", id="edit-label-count", classes="count", markup=False)
        yield _field("Description", f"(optional, at most {DESCRIPTION_MAX:,}; empty clears it)")
        area = _text_area(t.description or "", id="edit-description")
        area.cursor_blink = False
        yield area
        yield Label("", id="edit-description-count", classes="count", markup=False)
        yield _field("Importance")
        current = (t.importance or "").upper()
        yield Select(
            [(i.title(), i) for i in IMPORTANCES],
            value=current if current in IMPORTANCES else Select.NULL,
            allow_blank=current not in IMPORTANCES,
            id="edit-importance",
            compact=True,
        )

    def on_mount(self) -> None:
        self.query_one("#edit-label", Input).cursor_blink = False
        self.query_one("#edit-label", Input).focus()
        super().on_mount()

    def _values(self) -> tuple[str, str, str | None]:
        label = self.query_one("#edit-label", Input).value
        description = _description(self, "#edit-description")
        importance = self.query_one("#edit-importance", Select).value
        return label, description, importance if isinstance(importance, str) else None

    def live_problem(self) -> str | None:
        label, description, _ = self._values()
        return label_problem(label) or description_problem(description)

    def check(self) -> None:
        if self.is_mounted:
            label, description, _ = self._values()
            self.query_one("#edit-label-count", Label).update(
                Content(f"{len(label):,} / {LABEL_MAX}")
            )
            self.query_one("#edit-description-count", Label).update(
                Content(f"{len(description):,} / {DESCRIPTION_MAX:,}")
            )
        super().check()

    def payload(self) -> dict[str, str | None]:
        t = self.target
        changes = edit_changes((t.label, t.description, t.importance), *self._values())
        if not changes:
            raise Invalid("Nothing changed.")
        return changes

    @on(Input.Changed)
    @on(Select.Changed)
    def _changed(self) -> None:
        self.check()

    def on_text_area_changed(self) -> None:  # by name: TextArea is imported on first use
        self.check()

    @on(Input.Submitted)
    def _entered(self) -> None:
        self.action_submit()


# ----- typed confirmation --------------------------------------------------------------------


class MarkedCheckbox(Checkbox):
    """A checkbox whose state reads without colour: `▐X▌` when on, `▐ ▌` when off (Textual's
    shows the X in both, on and off told apart by its colour alone). Textual reads
    `BUTTON_INNER` each time it draws the button: here it follows the value."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # what Textual draws inside
        return "X" if self.value else " "


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
        yield _field(self.prompt)
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


# ----- create from a learning model ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CreateDefaults:
    model_id: str = ""
    label: str = ""
    importance: str = "LOW"


class CreateDialog(ActionDialog[NewDeployment, ResultT]):
    """POST /deployments/fromLearningModel/ then the job followed; dismisses with the result."""

    TITLE_TEXT = "New deployment from a learning model"
    SUBMIT_TEXT = "Deploy"
    DIALOG_ID = "create-dialog"

    def __init__(
        self, submit: Submit[NewDeployment, ResultT], defaults: CreateDefaults | None = None
    ) -> None:
        super().__init__(submit)
        self.defaults = defaults or CreateDefaults()

    def compose_body(self) -> ComposeResult:
        d = self.defaults
        with Horizontal(classes="form-row"):
            yield _field("Model id")
            yield Input(d.model_id, id="create-model", compact=True, select_on_focus=False)
        with Horizontal(classes="form-row"):
            yield _field("Label")
            yield Input(d.label, id="create-label", compact=True, select_on_focus=False)
        with Horizontal(classes="form-row"):
            yield _field("Description")
            yield _text_area(id="create-description")
        with Horizontal(classes="form-row"):
            yield _field("Importance")
            yield Select(
                [(i.title(), i) for i in IMPORTANCES],
                value=d.importance if d.importance in IMPORTANCES else "LOW",
                allow_blank=False,
                id="create-importance",
                compact=True,
            )
        with Horizontal(classes="form-row"):
            yield _field("Status")
            yield Select(
                [(s, s) for s in STATUSES],
                value="active",
                allow_blank=False,
                id="create-status",
                compact=True,
            )
        with Horizontal(classes="form-row"):
            yield _field("Threshold", "(0–1, binary)")
            yield Input(id="create-threshold", placeholder="server default", compact=True)
        with Horizontal(classes="form-row"):
            yield _field("Prediction server")
            yield Input(id="create-server", placeholder="default (omitted)", compact=True)
        yield MarkedCheckbox(
            Content("Grant roles from the project"), id="create-grant", compact=True
        )

    def on_mount(self) -> None:
        for box in self.query(Input):
            box.cursor_blink = False
        first = "#create-label" if self.defaults.model_id else "#create-model"
        self.query_one(first, Input).focus()
        super().on_mount()

    def _select(self, selector: str) -> str | None:
        value = self.query_one(selector, Select).value
        return value if isinstance(value, str) else None

    def payload(self) -> NewDeployment:
        return new_deployment(
            model_id=self.query_one("#create-model", Input).value,
            label=self.query_one("#create-label", Input).value,
            description=_description(self, "#create-description"),
            importance=self._select("#create-importance"),
            threshold=self.query_one("#create-threshold", Input).value,
            status=self._select("#create-status"),
            server_id=self.query_one("#create-server", Input).value,
            grant_roles=self.query_one("#create-grant", Checkbox).value,
        )

    def live_problem(self) -> str | None:
        if not self.is_mounted:
            return None
        label = self.query_one("#create-label", Input).value
        description = _description(self, "#create-description")
        problem = description_problem(description)
        if len(label) > LABEL_MAX:
            problem = label_problem(label)
        return problem

    @on(Input.Changed)
    def _changed(self) -> None:
        self.check()

    def on_text_area_changed(self) -> None:  # by name: TextArea is imported on first use
        self.check()

    @on(Input.Submitted)
    def _entered(self) -> None:
        self.action_submit()
