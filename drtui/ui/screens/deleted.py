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
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType

from drtui.api.errors import NotFoundError, PermissionDeniedError
from drtui.core.deleted import DeletedRow, batches, deleted_rows, erase_phrase
from drtui.core.formatting import age, timestamp
from drtui.ui.keymap import DELETED_BINDINGS
from drtui.ui.polling import Freshness, Poller
from drtui.ui.screens.actions import ConfirmDialog, Progress
from drtui.ui.screens.base import ViewScreen
from drtui.ui.settings import AppSettings
from drtui.ui.sources import Sources
from drtui.ui.widgets.footer import DrtuiFooter
from drtui.ui.widgets.line_table import Column, LineTable
from drtui.ui.widgets.view_header import Part

if TYPE_CHECKING:
    from drtui.api.models import DeletedDeployment

NOT_ALLOWED = (
    "Deleted deployments are only listed for accounts with the CAN_DELETE_APP_PROJECTS "
    "permission, on self-managed (on-premise or private cloud) installations; this account "
    "does not have it."
)
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


class DeletedTable(LineTable[DeletedRow]):
    def __init__(self, *, now: Callable[[], datetime], **kwargs: object) -> None:
        super().__init__(
            COLUMNS,
            now=now,
            selectable=True,
            empty_message="Loading deleted deployments…",
            **kwargs,  # type: ignore[arg-type]
        )


class DeletedScreen(ViewScreen):
    BINDINGS: ClassVar[list[BindingType]] = list(DELETED_BINDINGS)
    VIEW_TITLE = "Deleted deployments"

    def __init__(
        self, settings: AppSettings, sources: Sources, now: Callable[[], datetime]
    ) -> None:
        super().__init__(settings, now)
        self._sources = sources
        self.rows: list[DeletedRow] = []
        self.refused = False
        """The account may not list deleted deployments: a permission, not an outage."""
        self.poller: Poller[list[DeletedDeployment], list[DeletedRow]] = Poller(
            fetch=sources.deleted_deployments,
            build=deleted_rows,
            apply=self._apply,
            on_state=self._poll_state,
            interval=max(settings.refresh_interval, 60.0),
            now=now,
            stop_on=(PermissionDeniedError, NotFoundError),
            id="deleted-poller",
        )

    def compose(self) -> ComposeResult:
        yield self.make_header()
        yield self.poller
        yield DeletedTable(now=self._now, id="table")
        yield DrtuiFooter()

    @property
    def table(self) -> DeletedTable:
        return self.query_one(DeletedTable)

    def on_mount(self) -> None:
        self.table.focus()
        self.start_ticking()
        self.poller.poll_now()

    def on_screen_resume(self) -> None:
        """Shown again: a deployment deleted meanwhile should be here."""
        if self.poller.polls:
            self.poller.poll_now()

    # ----- data --------------------------------------------------------------------------------

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

    def _apply(self, rows: list[DeletedRow], fetched_at: datetime) -> None:
        if self.refused:
            self.refused = False
            self.refresh_bindings()
        self.rows = rows
        if not rows:
            self.table.empty_message = "No deleted deployments."
        self.table.set_rows(rows, clock=self._now())
        self.show_header()

    def _poll_state(self, freshness: Freshness) -> None:
        refused = freshness.stopped and (
            "CAN_DELETE_APP_PROJECTS" in freshness.reason or "403" in freshness.reason
        )
        if refused != self.refused and (refused or freshness.fetched_at is not None):
            self.refused = refused
            self.refresh_bindings()  # no `x Erase selected` for an account that may not list
        if freshness.stopped and not self.rows:
            self.table.empty_message = (
                NOT_ALLOWED if refused else f"Cannot list deleted deployments: {freshness.reason}"
            )
        elif freshness.stale_since is not None and not self.rows:
            self.table.empty_message = f"Cannot list deleted deployments: {freshness.reason}"
        self.show_header()

    def tick(self) -> None:
        self.table.tick(self._now())
        self.show_header()

    def on_line_table_selection_changed(self, _: LineTable.SelectionChanged) -> None:
        self.show_header()

    # ----- actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "erase" and self.refused:
            return False
        return super().check_action(action, parameters)

    def action_refresh(self) -> None:
        if not self.poller.poll_now():
            self.notify("A refresh is already running.", timeout=3)

    def action_erase(self) -> None:
        table = self.table
        chosen = [r for r in table.rows if r.id in table.selected]
        if not chosen and table.cursor_row is not None:
            chosen = [table.cursor_row]
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

            return await self._sources.erase_deleted(ids, report)

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
