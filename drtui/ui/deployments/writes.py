"""DeploymentWrites: edit, delete, create and redeploy from the deployments view.

Each opens its dialog (ui/screens/action_dialog.py and the dialogs beside it), which sends the
request itself; a success is put in the rows at once (`put_rows`: the poll in flight is made
worthless first, it may have read the server before the write) and said in one toast. Read-only
mode and replay refuse these keys before they reach here (ViewScreen.check_action).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from drtui.api.models import Deployment
from drtui.core.changes import NewDeployment
from drtui.core.formatting import age, timestamp
from drtui.core.rows import Row, row_from_deployment
from drtui.core.sanitize import clean, clean_lines
from drtui.ui.deployments.ports import Ports
from drtui.ui.screens.action_dialog import Progress
from drtui.ui.screens.confirm_dialog import ConfirmDialog, Option
from drtui.ui.screens.edit_dialogs import CreateDefaults, CreateDialog, EditDialog, EditTarget


class Writer(Protocol):
    """The writes of ui/sources.Sources."""

    async def update_deployment(
        self, deployment_id: str, changes: dict[str, str | None], /
    ) -> None: ...
    async def delete_deployment(
        self, deployment_id: str, *, label: str, ignore_management_agent: bool
    ) -> None: ...
    async def create_deployment(self, new: NewDeployment, progress: Progress, /) -> Deployment: ...


RowsChange = Callable[[dict[str, Row]], object]


class DeploymentWrites:
    """The write keys of the deployments view, from the dialog to the rows shown."""

    def __init__(
        self,
        writer: Writer,
        ports: Ports,
        *,
        put_rows: Callable[[RowsChange], None],
        show_created: Callable[[str], None],
    ) -> None:
        """`put_rows(change)`: `change` applied to the rows shown (a dict by id); `show_created`:
        the cursor on a new deployment, which the view may have to widen to show."""
        self._writer = writer
        self._clock = ports.clock
        self._notify = ports.notify
        self._push = ports.push
        self._cursor_row = ports.cursor_row
        self._put_rows = put_rows
        self._show_created = show_created

    def _selected(self) -> Row | None:
        row = self._cursor_row()
        if row is None:
            self._notify("No deployment selected.", timeout=3)
        return row

    def edit(self) -> None:
        """`e`: label, description, importance."""
        row = self._selected()
        if row is None:
            return
        d = row.source
        target = EditTarget(
            row.id,
            clean(d.label, limit=100_000),
            clean_lines(d.description, limit=100_000) if d.description else None,
            d.importance,
        )

        async def submit(changes: dict[str, str | None], _: Progress) -> None:
            await self._writer.update_deployment(row.id, changes)

        def done(changes: dict[str, str | None] | None) -> None:
            if changes is None:
                return

            def change(rows: dict[str, Row]) -> None:
                current = rows.get(row.id)
                if current is not None:
                    rows[row.id] = row_from_deployment(current.source.model_copy(update=changes))

            self._put_rows(change)
            self._notify(f"Saved {', '.join(changes)} of {row.id}.", timeout=4, markup=False)

        self._push(EditDialog(target, submit), done)

    def delete(self) -> None:
        """`d`: shows what goes, and works once the label (or the id) is typed."""
        row = self._selected()
        if row is None:
            return
        now = self._clock()
        last = (
            f"{age(row.last_prediction, now)} ({timestamp(row.last_prediction)})"
            if row.last_prediction
            else "never"
        )
        facts = [
            ("Label", row.label),
            ("Id", row.id),
            ("Importance", row.importance or "—"),
            ("Status", row.status or "—"),
            ("Last prediction", last),
            ("Predictions, 7 days", f"{sum(row.daily_rates):,}"),
        ]

        async def submit(options: dict[str, bool], _: Progress) -> bool:
            await self._writer.delete_deployment(
                row.id,
                label=row.label,
                ignore_management_agent=options.get("ignore_management_agent", False),
            )
            return True

        def done(deleted: bool | None) -> None:
            if deleted:
                self._put_rows(lambda rows: rows.pop(row.id, None))
                self._notify(
                    f"Deleted {row.label} ({row.id}); it is listed in :deleted.",
                    timeout=6,
                    markup=False,
                )

        self._push(
            ConfirmDialog(
                title="Delete deployment",
                facts=facts,
                prompt="Type the label (or the id) to delete it:",
                expected=(row.label, row.id),
                submit=submit,
                submit_text="Delete",
                options=[
                    Option(
                        "ignore_management_agent",
                        "Ignore the management agent",
                        "Delete now instead of waiting for its management agent to delete it first.",
                    )
                ],
            ),
            done,
        )

    def create(self) -> None:
        """`+`: a new deployment from a learning model."""
        self._open_create(CreateDefaults())

    def redeploy(self) -> None:
        """`R`: a new deployment of the model the selected one serves."""
        row = self._selected()
        if row is None:
            return
        model = row.source.model
        if model is None or not model.id:
            self._notify("This deployment does not say which model it serves.", timeout=5)
            return
        self._open_create(
            CreateDefaults(model_id=clean(model.id, limit=64), importance=row.importance.upper())
        )

    def _open_create(self, defaults: CreateDefaults) -> None:
        async def submit(new: NewDeployment, progress: Progress) -> Deployment:
            return await self._writer.create_deployment(new, progress)

        self._push(CreateDialog(submit, defaults), self.created)

    def created(self, deployment: Deployment | None) -> None:
        """The create dialog closed: with the new deployment, or None."""
        if deployment is None or not deployment.id:
            return
        new = row_from_deployment(deployment)
        self._put_rows(lambda rows: rows.__setitem__(new.id, new))
        self._show_created(new.id)
        self._notify(f"Created {new.label} ({new.id}).", timeout=6, markup=False)
