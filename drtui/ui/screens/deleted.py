"""`:deleted` — deleted deployments, and permanently erasing them.

Polls GET /deletedDeployments/ (every page: the list has no totalCount, so the client follows
`next`). `space` selects, `*` selects all shown; `x` permanently erases the selection (or the row
under the cursor) after the user types `ERASE <count>`: PATCH in batches of at most 100 ids, each
batch's job followed with its progress shown, then the list is read again. The endpoints exist
only on self-managed installations and need CAN_DELETE_APP_PROJECTS; a 403 says so and stops
polling.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import ClassVar

from textual.binding import BindingType

from drtui.api.errors import NotFoundError, PermissionDeniedError
from drtui.api.models import DeletedDeployment
from drtui.core.deleted import DeletedRow, batches, deleted_rows, erase_phrase
from drtui.core.formatting import age, timestamp
from drtui.ui.keymap import DELETED_BINDINGS
from drtui.ui.polling import Freshness
from drtui.ui.screens.action_dialog import Progress
from drtui.ui.screens.confirm_dialog import ConfirmDialog
from drtui.ui.screens.list_view import ListSpec, ListView, Wording
from drtui.ui.settings import AppSettings
from drtui.ui.sources import Sources
from drtui.ui.widgets.table_columns import Column
from drtui.ui.widgets.view_header import Part

NOT_ALLOWED = (
    "Deleted deployments are only listed for accounts with the CAN_DELETE_APP_PROJECTS "
    "permission, on self-managed (on-premise or private cloud) installations; this account "
    "does not have it."
)
FAILED = "Cannot list deleted deployments: {reason}"
SHOWN_IN_CONFIRMATION = 5

COLUMNS: tuple[Column[DeletedRow], ...] = (
    Column(
        "label",
        "LABEL",
        16,
        0,
        lambda r, _: (r.label, ""),
        sort_key=lambda r: r.label.lower(),
        flex=True,
        comfort=30,
        max_width=60,
    ),
    Column("deleted", "DELETED", 11, 0, lambda r, now: (age(r.deleted_at, now), ""), clock=True),
    Column("id", "ID", 24, 1, lambda r, _: (r.id, "muted")),
    Column("at", "DELETED AT", 23, 2, lambda r, _: (timestamp(r.deleted_at), "muted")),
)


def _refused(reason: str) -> bool:
    """The stop was the permission's (a 403), not a missing endpoint."""
    return "CAN_DELETE_APP_PROJECTS" in reason or "403" in reason


SPEC: ListSpec[list[DeletedDeployment], DeletedRow] = ListSpec(
    name="deleted",
    title="Deleted deployments",
    columns=COLUMNS,
    wording=Wording(
        "deleted deployments",
        "deleted deployment",
        failed=FAILED,
        forbidden=lambda reason: NOT_ALLOWED if _refused(reason) else FAILED.format(reason=reason),
    ),
    fetch=Sources.deleted_deployments,
    build=deleted_rows,
    interval_floor=60.0,
    stop_on=(PermissionDeniedError, NotFoundError),
    selectable=True,
)


class DeletedScreen(ListView[list[DeletedDeployment], DeletedRow]):
    BINDINGS: ClassVar[list[BindingType]] = list(DELETED_BINDINGS)

    def __init__(
        self, settings: AppSettings, sources: Sources, now: Callable[[], datetime]
    ) -> None:
        super().__init__(SPEC, settings, now, sources)
        self.refused = False
        """The account may not list deleted deployments: a permission, not an outage."""

    def on_screen_resume(self) -> None:
        """Shown again: a deployment deleted meanwhile should be here."""
        if self.poller.polls:
            self.poller.poll_now()

    def current_freshness(self) -> Freshness | None:
        # Refused for want of a permission: nothing is stale, the data is not ours to see.
        return None if self.refused else self.poller.freshness

    def header_summary(self) -> list[Part]:
        if self.refused:
            return [("not available to this account (CAN_DELETE_APP_PROJECTS)", "bold")]
        selected = len(self.table.selected) if self.is_mounted else 0
        parts: list[Part] = [f"{len(self.rows)} deleted"]
        if selected:
            parts.append(f" · {selected} selected (x erases)")
        return parts

    def poll_state_changed(self, freshness: Freshness) -> None:
        refused = freshness.stopped and _refused(freshness.reason)
        if refused != self.refused and (refused or freshness.fetched_at is not None):
            self.refused = refused
            self.refresh_bindings()  # no `x Erase selected` for an account that may not list

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "erase" and self.refused:
            return False
        return super().check_action(action, parameters)

    # ----- actions -----------------------------------------------------------------------------

    def action_erase(self) -> None:
        chosen = self.chosen()
        if not chosen:
            self.notify("Nothing to erase: select deleted deployments with space.", timeout=4)
            return
        ids = [r.id for r in chosen]
        count = len(ids)
        names = ", ".join(r.label for r in chosen[:SHOWN_IN_CONFIRMATION])
        if count > SHOWN_IN_CONFIRMATION:
            names += f" and {count - SHOWN_IN_CONFIRMATION} more"
        groups = len(batches(ids))
        facts = [
            ("Deleted deployments", f"{count:,}"),
            ("Labels", names),
            ("Requests", f"{groups} (at most 100 ids each, one job each)"),
        ]

        async def submit(_: dict[str, bool], progress: Progress) -> int:
            def report(batch: int, total: int, state: str) -> None:
                progress(f"Batch {batch} of {total}: {state.lower()}")

            return await self.sources.erase_deleted(ids, report)

        self.app.push_screen(
            ConfirmDialog(
                title="Permanently erase deleted deployments",
                facts=facts,
                prompt=f"Type {erase_phrase(count)} to erase them:",
                expected=(erase_phrase(count),),
                submit=submit,
                submit_text="Erase",
                warning="This cannot be undone: their data is erased for good.",
            ),
            self._erased,
        )

    def _erased(self, erased: int | None) -> None:
        if erased is None:
            return
        self.table.clear_selection()
        self.poller.invalidate()
        self.notify(
            f"Permanently erased {erased:,} deleted deployment{'s' if erased != 1 else ''}.",
            timeout=6,
        )
