"""The write dialogs with a form: edit a deployment (label, description, importance), and
create one from a learning model."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Checkbox, Input, Label, Select

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
from drtui.ui.screens.action_dialog import (
    ActionDialog,
    MarkedCheckbox,
    Progress,
    ResultT,
    Submit,
    description_box,
    description_text,
    field_label,
)

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
        yield field_label("Label", f"(required, at most {LABEL_MAX})")
        yield Input(t.label, id="edit-label", compact=True, select_on_focus=False)
        yield Label("", id="edit-label-count", classes="count", markup=False)
        yield field_label(
            "Description", f"(optional, at most {DESCRIPTION_MAX:,}; empty clears it)"
        )
        area = description_box(t.description or "", id="edit-description")
        area.cursor_blink = False
        yield area
        yield Label("", id="edit-description-count", classes="count", markup=False)
        yield field_label("Importance")
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
        description = description_text(self, "#edit-description")
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
            yield field_label("Model id")
            yield Input(d.model_id, id="create-model", compact=True, select_on_focus=False)
        with Horizontal(classes="form-row"):
            yield field_label("Label")
            yield Input(d.label, id="create-label", compact=True, select_on_focus=False)
        with Horizontal(classes="form-row"):
            yield field_label("Description")
            yield description_box(id="create-description")
        with Horizontal(classes="form-row"):
            yield field_label("Importance")
            yield Select(
                [(i.title(), i) for i in IMPORTANCES],
                value=d.importance if d.importance in IMPORTANCES else "LOW",
                allow_blank=False,
                id="create-importance",
                compact=True,
            )
        with Horizontal(classes="form-row"):
            yield field_label("Status")
            yield Select(
                [(s, s) for s in STATUSES],
                value="active",
                allow_blank=False,
                id="create-status",
                compact=True,
            )
        with Horizontal(classes="form-row"):
            yield field_label("Threshold", "(0–1, binary)")
            yield Input(id="create-threshold", placeholder="server default", compact=True)
        with Horizontal(classes="form-row"):
            yield field_label("Prediction server")
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
            description=description_text(self, "#create-description"),
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
        description = description_text(self, "#create-description")
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
