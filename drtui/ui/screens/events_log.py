"""`:events` (or `E`): every health transition of the session, newest first, and the changes made
from this terminal (the audit trail, core/audit.py). A view of its own: `esc` goes back.

The transitions are a `LineTable` (the same virtual table as every list): readable at 80
columns (time, label, dimension, from → to; the id joins when there is room), coloured like the
deployments table, filtered by typing (`/`), exported as CSV (`x`), and `enter` jumps to the
deployment in the deployments view.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from drtui.core.audit import AuditLog
from drtui.core.events import EventLog
from drtui.core.export import neutralise
from drtui.core.health import look
from drtui.ui.keymap import EVENT_BINDINGS
from drtui.ui.screens.base import typed_ahead
from drtui.ui.widgets.footer import DrtuiFooter
from drtui.ui.widgets.line_table import Column, LineTable
from drtui.ui.widgets.view_header import ViewHeader


@dataclass(frozen=True, slots=True)
class EventRow:
    id: str
    at: datetime
    deployment_id: str
    label: str
    dimension: str
    old: str
    new: str
    verdict: str
    haystack: str


def _when(at: datetime) -> str:
    moment = at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC)
    return moment.strftime("%m-%d %H:%M:%S")


def _move(row: EventRow, _: datetime) -> tuple[str, str]:
    tone = {"worse": "bad", "better": "good"}.get(row.verdict, "")
    return f"{look(row.old).cell} → {look(row.new).cell}", tone


COLUMNS: tuple[Column[EventRow], ...] = (
    Column("at", "TIME (UTC)", 14, 0, lambda r, _: (_when(r.at), "muted")),
    Column(
        "label",
        "DEPLOYMENT",
        16,
        0,
        lambda r, _: (r.label, ""),
        flex=True,
        comfort=30,
        max_width=60,
    ),
    Column("dimension", "HEALTH", 8, 0, lambda r, _: (r.dimension, "")),
    Column("move", "CHANGE", 15, 0, _move),
    Column("verdict", "", 6, 1, lambda r, _: (r.verdict, "muted")),
    Column("deployment_id", "ID", 24, 4, lambda r, _: (r.deployment_id, "muted")),
)


def event_rows(log: EventLog) -> list[EventRow]:
    """Newest first; ids are positions in the whole session (stable while the log grows)."""
    rows = []
    start = log.dropped
    for i, event in enumerate(log):
        t = event.transition
        verdict = "worse" if t.worse else "better" if t.better else "moved"
        rows.append(
            EventRow(
                id=str(start + i),
                at=event.at,
                deployment_id=t.deployment_id,
                label=t.label,
                dimension=t.dimension,
                old=t.old,
                new=t.new,
                verdict=verdict,
                haystack=f"{t.label}\n{t.deployment_id}\n{t.dimension}\n{t.new}".lower(),
            )
        )
    rows.reverse()
    return rows


def events_csv(rows: list[EventRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["time_utc", "deployment_id", "label", "health", "from", "to", "verdict"])
    for r in rows:
        at = r.at.astimezone(UTC) if r.at.tzinfo else r.at.replace(tzinfo=UTC)
        writer.writerow(
            neutralise(
                [at.isoformat(), r.deployment_id, r.label, r.dimension, r.old, r.new, r.verdict]
            )
        )
    return out.getvalue()


class EventTable(LineTable[EventRow]):
    def __init__(self, *, now: Callable[[], datetime], **kwargs: Any) -> None:
        super().__init__(COLUMNS, now=now, empty_message="No health changes yet.", **kwargs)


class EventsScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = list(EVENT_BINDINGS)
    VIEW_TITLE = "Events"

    def __init__(self, events: EventLog, audit: AuditLog | None = None) -> None:
        super().__init__()
        self._events = events
        self._audit = audit
        self.filter_text = ""
        self.export_dir: str | None = None
        """Where `x` saves (None: the user's downloads folder, Textual's default)."""

    def _now(self) -> datetime:
        now = getattr(self.app, "now", None)
        return now() if callable(now) else datetime.now(UTC)

    def compose(self) -> ComposeResult:
        settings = getattr(self.app, "settings", None)
        if settings is not None:
            yield ViewHeader(
                view=self.VIEW_TITLE,
                profile=settings.profile_name,
                endpoint=settings.endpoint,
                read_only=settings.read_only,
                id="view-header",
            )
        if self._audit is not None:
            yield Static(self._changes(), id="events-changes")
        yield Label(self._title(), id="events-title")
        search = Input(placeholder="filter label, id, health, status", id="search", compact=True)
        search.cursor_blink = False
        search.display = False
        yield search
        yield EventTable(now=self._now, id="table")
        yield DrtuiFooter()

    @property
    def table(self) -> EventTable:
        return self.query_one(EventTable)

    def on_mount(self) -> None:
        self._seen()
        self._show_header()
        self._show()
        self.table.focus()

    def _seen(self) -> None:
        """Opening the events view is looking at what changed: the header's count goes."""
        mark_seen = getattr(self.app, "mark_seen", None)
        if callable(mark_seen):
            mark_seen()

    def _show_header(self) -> None:
        for header in self.query(ViewHeader):
            header.show(None, self._now())

    def _title(self) -> str:
        log = self._events
        dropped = f", {log.dropped} older dropped" if log.dropped else ""
        shown = f" · filter {self.filter_text!r}" if self.filter_text else ""
        return (
            f" Health events: {len(log)} kept (of at most {log.capacity}{dropped}){shown}"
            " · enter: go to the deployment · x: export CSV"
        )

    def _show(self) -> None:
        rows = event_rows(self._events)
        needle = self.filter_text.strip().lower()
        if needle:
            rows = [r for r in rows if needle in r.haystack]
            self.table.empty_message = "No event matches the filter."
        self.table.set_rows(rows, clock=self._now())
        self.query_one("#events-title", Label).update(self._title())

    def _changes(self) -> Content:
        """Writes attempted from this terminal, newest first (the audit trail of the session)."""
        audit = self._audit
        if audit is None:
            return Content("")
        entries = list(audit)
        parts: list[str | tuple[str, str]] = [
            (f" Changes made from this terminal: {len(entries)}", "bold"),
            f"  (audit log: {audit.path})",
        ]
        if audit.write_error:
            parts.append(("\n " + audit.write_error, "$error"))
        for entry in list(reversed(entries))[:5]:
            tone = "$success" if entry.outcome == "ok" else "$error"
            parts += [f"\n {_when(entry.at)}  ", (entry.summary(), tone)]
        if len(entries) > 5:
            parts.append(f"\n … {len(entries) - 5} older in the audit log")
        return Content.assemble(*parts)

    def on_screen_resume(self) -> None:
        """Shown again (a view keeps its screen): bring the log up to date."""
        if self.is_mounted:
            self._seen()
            if self._audit is not None:
                self.query_one("#events-changes", Static).update(self._changes())
            self._show()
            self._show_header()

    # ----- actions -------------------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        typed_ahead(self, event)

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        self.set_focus(search)  # now: keys typed right after `/` are the search

    @on(Input.Changed, "#search")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value
        self._show()

    @on(Input.Submitted, "#search")
    def _filter_submitted(self) -> None:
        self.table.focus()

    def action_open(self) -> None:
        """Go to the deployment of the event under the cursor."""
        row = self.table.cursor_row
        if row is None:
            return
        app: Any = self.app
        app.show_deployment(row.deployment_id, row.label)

    def action_export(self) -> None:
        rows = list(self.table.rows)
        if not rows:
            self.notify("No events to export.", timeout=3)
            return
        stamp = self._now().astimezone(UTC).strftime("%Y%m%d-%H%M%S")
        self.app.deliver_text(
            io.StringIO(events_csv(rows)),
            save_directory=self.export_dir,
            save_filename=f"drtui-events-{stamp}.csv",
            mime_type="text/csv",
        )

    def action_back(self) -> None:
        """esc: clear the filter first, then go back to the previous view."""
        search = self.query_one("#search", Input)
        if search.display or self.filter_text:
            search.value = ""
            search.display = False
            self.filter_text = ""
            self.table.focus()
            self._show()
            return
        go_back = getattr(self.app, "go_back", None)
        if callable(go_back):
            go_back()
