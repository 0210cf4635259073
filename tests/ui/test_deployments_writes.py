"""DeploymentWrites without a running app: which dialog each write key opens, for which row, and
what a dialog's result changes in the rows shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from drtui.api.models import Deployment
from drtui.core.changes import NewDeployment
from drtui.core.fleet import Fleet
from drtui.core.rows import Row
from drtui.ui.deployments.ports import Ports
from drtui.ui.deployments.writes import DeploymentWrites, RowsChange
from drtui.ui.screens.action_dialog import Progress
from drtui.ui.screens.confirm_dialog import ConfirmDialog
from drtui.ui.screens.edit_dialogs import CreateDialog, EditDialog
from tests.core.factory import deployment
from tests.ui.parts import Clock, Dialogs, Timers, Toasts

NOW = datetime(2026, 11, 30, 3, 12, tzinfo=UTC)


class Writer:
    """Never called here: the dialogs send the requests (tests/ui/test_actions.py)."""

    async def update_deployment(self, deployment_id: str, changes: dict[str, str | None]) -> None:
        raise AssertionError("the dialog sends it")

    async def delete_deployment(
        self, deployment_id: str, *, label: str, ignore_management_agent: bool
    ) -> None:
        raise AssertionError("the dialog sends it")

    async def create_deployment(self, new: NewDeployment, progress: Progress) -> Deployment:
        raise AssertionError("the dialog sends it")


@dataclass
class Rig:
    rows: dict[str, Row]
    cursor: str | None = "d1"
    toasts: Toasts = field(default_factory=Toasts)
    dialogs: Dialogs = field(default_factory=Dialogs)
    created: list[str] = field(default_factory=list)
    writes: DeploymentWrites = field(init=False)

    def __post_init__(self) -> None:
        ports = Ports(
            clock=Clock(NOW),
            notify=self.toasts,
            push=self.dialogs,
            schedule=Timers(),
            cursor_row=lambda: self.rows.get(self.cursor) if self.cursor else None,
        )
        self.writes = DeploymentWrites(
            Writer(), ports, put_rows=self.put_rows, show_created=self.created.append
        )

    def put_rows(self, change: RowsChange) -> None:
        change(self.rows)

    @property
    def dialog(self) -> Any:
        return self.dialogs.opened[-1][0]


def rig() -> Rig:
    served = deployment("d1", label="fraud", importance="HIGH")
    assert served.model is not None
    served = served.model_copy(update={"model": served.model.model_copy(update={"id": "m1"})})
    unknown = deployment("d2", label="churn").model_copy(update={"model": None})
    return Rig(dict(Fleet.from_deployments([served, unknown]).rows))


def test_edit_opens_on_the_selected_row_and_its_result_is_shown_at_once() -> None:
    r = rig()
    r.writes.edit()
    assert isinstance(r.dialog, EditDialog)
    r.dialogs.close_last({"label": "fraud v2", "importance": "LOW"})
    assert r.rows["d1"].label == "fraud v2" and r.rows["d1"].importance == "LOW"
    assert r.toasts.texts == ["Saved label, importance of d1."]


def test_a_cancelled_dialog_changes_nothing() -> None:
    r = rig()
    before = dict(r.rows)
    for write in (r.writes.edit, r.writes.delete, r.writes.create):
        write()
        r.dialogs.close_last(None)
    assert r.rows == before and not r.toasts.said and not r.created


def test_delete_names_the_row_and_removes_it_once_done() -> None:
    r = rig()
    r.writes.delete()
    dialog = r.dialog
    assert isinstance(dialog, ConfirmDialog)
    r.dialogs.close_last(True)
    assert "d1" not in r.rows
    assert r.toasts.texts == ["Deleted fraud (d1); it is listed in :deleted."]


def test_no_selection_is_said() -> None:
    r = rig()
    r.cursor = None
    for write in (r.writes.edit, r.writes.delete, r.writes.redeploy):
        write()
    assert r.toasts.texts == ["No deployment selected."] * 3 and not r.dialogs.opened


def test_redeploy_prefills_the_model_and_importance() -> None:
    r = rig()
    r.writes.redeploy()
    dialog = r.dialog
    assert isinstance(dialog, CreateDialog)
    assert (dialog.defaults.model_id, dialog.defaults.importance) == ("m1", "HIGH")
    r.cursor = "d2"
    r.writes.redeploy()
    assert r.toasts.texts == ["This deployment does not say which model it serves."]
    assert len(r.dialogs.opened) == 1


def test_a_created_deployment_is_added_and_the_cursor_put_on_it() -> None:
    r = rig()
    r.writes.create()
    assert isinstance(r.dialog, CreateDialog) and r.dialog.defaults.model_id == ""
    r.dialogs.close_last(deployment("d9", label="new one"))
    assert r.rows["d9"].label == "new one" and r.created == ["d9"]
    assert r.toasts.texts == ["Created new one (d9)."]
