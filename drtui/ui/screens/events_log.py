"""`:events` (or `E`): every health transition of the session, newest first, and the changes made
from this terminal (the audit trail, store/audit.py). A view of its own: `esc` goes back.

The transitions are a `LineTable` (the same virtual table as every list): readable at 80
columns (time, label, importance, dimension, from → to; the id joins when there is room),
coloured like the deployments table, live while shown (the log tells the view when it grows),
newest first and, within one poll, the worst first. `/` filters as the deployments search does
(text, a regular expression, `!text` hides) over the label, id, health, importance and the
change itself (`worse`, `better`, `fail`, `ok → fail`); `x` exports what is shown as CSV (the
path is editable; the file is the user's only, every cell inert for a spreadsheet), and `enter`
jumps to the deployment in the deployments view.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar, Protocol

from textual import work
from textual.binding import BindingType
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Label, Static

from drtui.core.events import EventLog, EventRow, event_rows, events_csv, narrow_events, utc_stamp
from drtui.core.formatting import home_relative
from drtui.core.health import look
from drtui.core.sanitize import clean
from drtui.core.views import parse_search
from drtui.store.audit import AuditLog
from drtui.ui.keymap import EVENT_BINDINGS
from drtui.ui.screens.choices import SaveAs, save_folder, write_private
from drtui.ui.screens.list_view import ListSpec, ListView, Wording
from drtui.ui.settings import AppSettings
from drtui.ui.widgets.table_columns import Column


class EventsHost(Protocol):
    """What the events view asks of the app (the app is one; a test may hand another)."""

    def mark_seen(self) -> object:
        """The user looked at what changed: the header's count of new degradations goes."""

    def show_deployment(self, deployment_id: str, label: str = "") -> None:
        """Go to a deployment in the deployments view, even one its filters hide."""


def _move(row: EventRow, _: datetime) -> tuple[str, str]:
    tone = {"worse": "bad", "better": "good"}.get(row.verdict, "")
    return f"{look(row.old).cell} → {look(row.new).cell}", tone


COLUMNS: tuple[Column[EventRow], ...] = (
    Column("at", "TIME (UTC)", 14, 0, lambda r, _: (utc_stamp(r.at), "muted")),
    Column(
        "label",
        "DEPLOYMENT",
        16,
        0,
        lambda r, _: (r.label, ""),
        flex=True,
        comfort=30,
        max_width=60,
        cut_middle=True,
    ),
    Column("importance", "IMPORT.", 8, 2, lambda r, _: (r.importance, "")),
    Column("dimension", "HEALTH", 8, 0, lambda r, _: (r.dimension, "")),
    Column("move", "CHANGE", 15, 0, _move),
    Column("verdict", "", 6, 1, lambda r, _: (r.verdict, "muted")),
    Column("deployment_id", "ID", 24, 4, lambda r, _: (r.deployment_id, "muted")),
)

NONE_YET = "No health changes yet."
NO_MATCH = "No event matches the filter."

SPEC: ListSpec[EventLog, EventRow] = ListSpec(
    name="events",
    title="Events",
    columns=COLUMNS,
    wording=Wording("health changes", "event", loading=NONE_YET, empty=NONE_YET, no_match=NO_MATCH),
    build=event_rows,
    polled=False,  # fed by the app's event log, which the deployments view's polls fill
    search="label, id, health, change (worse, fail) · regex · !text hides",
    search_prompt=True,
    narrow=narrow_events,
)


class EventsScreen(ListView[EventLog, EventRow]):
    BINDINGS: ClassVar[list[BindingType]] = list(EVENT_BINDINGS)

    def __init__(
        self,
        settings: AppSettings,
        now: Callable[[], datetime],
        events: EventLog,
        host: EventsHost,
        audit: AuditLog | None = None,
    ) -> None:
        super().__init__(SPEC, settings, now)
        self._events = events
        self._host = host
        self._audit = audit
        self.export_dir: Path | None = None
        """Where `x` suggests saving (None: ~/Downloads, or the current folder without one)."""

    def compose_above(self) -> Iterator[Widget]:
        if self._audit is not None:
            yield Static(self._changes(), id="events-changes")
        yield Label(self._title(), id="events-title", markup=False)

    def mounted(self) -> None:
        self._events.listeners.append(self._grew)
        self._host.mark_seen()  # opening the events view is looking at what changed
        self.feed(self._events)

    def on_unmount(self) -> None:
        if self._grew in self._events.listeners:
            self._events.listeners.remove(self._grew)

    def _grew(self) -> None:
        """The log grew (a poll of the deployments view): shown now if this view is, else when
        it is shown again."""
        if self.is_current:
            self.feed(self._events)

    def on_screen_resume(self) -> None:
        """Shown again (a view keeps its screen): bring the log up to date."""
        if self.is_mounted:
            self._host.mark_seen()
            if self._audit is not None:
                self.query_one("#events-changes", Static).update(self._changes())
            self.feed(self._events)

    def after_show(self) -> None:
        self.query_one("#events-title", Label).update(self._title())

    def _title(self) -> str:
        log = self._events
        dropped = f", {log.dropped} older dropped" if log.dropped else ""
        shown = ""
        search = parse_search(self.search_text)
        if search.text:
            kind = "pattern" if search.pattern is not None else "filter"
            what = f"{'hiding ' if search.inverse else ''}{kind} {clean(search.text, limit=60)!r}"
            note = f" ({search.error})" if search.error else ""
            shown = f" · {what}{note}: {self.shown} shown"
        # The keys (enter, x) are in the footer: at 80 columns this line has no room for them.
        return f" Health events: {len(log)} kept (of at most {log.capacity}{dropped}){shown}"

    def _changes(self) -> Content:
        """Writes attempted from this terminal, newest first (the audit trail of the session)."""
        audit = self._audit
        if audit is None:
            return Content("")
        entries = list(audit)
        parts: list[str | tuple[str, str]] = [
            (f" Changes made from this terminal: {len(entries)}", "bold"),
            f"  (audit log: {home_relative(audit.path)})",
        ]
        if audit.write_error:
            parts.append(("\n " + audit.write_error, "$error"))
        for entry in list(reversed(entries))[:5]:
            tone = "$success" if entry.outcome == "ok" else "$error"
            parts += [f"\n {utc_stamp(entry.at)}  ", (entry.summary(), tone)]
        if len(entries) > 5:
            parts.append(f"\n … {len(entries) - 5} older in the audit log")
        return Content.assemble(*parts)

    # ----- actions -------------------------------------------------------------------------------

    def action_open(self) -> None:
        """Go to the deployment of the event under the cursor."""
        row = self.table.cursor_row
        if row is not None:
            self._host.show_deployment(row.deployment_id, row.label)

    def action_export(self) -> None:
        """`x`: the events shown, as CSV, to a path the user can edit."""
        rows = list(self.table.rows)
        if not rows:
            self.notify("No events to export.", timeout=3)
            return
        stamp = self._now().astimezone(UTC).strftime("%Y%m%d-%H%M%S")
        folder = self.export_dir if self.export_dir is not None else save_folder()
        text = events_csv(rows)
        count = len(rows)

        def save(path: Path | None) -> None:
            if path is not None:
                self._export(path, text, count)

        self.app.push_screen(
            SaveAs(
                f"Export the {count} events shown (CSV) to", folder / f"drtui-events-{stamp}.csv"
            ),
            save,
        )

    @work(group="export", exclusive=True, exit_on_error=False, thread=True)
    def _export(self, path: Path, text: str, count: int) -> None:
        try:
            write_private(path, text)
        except OSError as error:
            reason = clean(error.strerror or type(error).__name__, limit=80)
            self.app.call_from_thread(
                self.notify,
                f"Could not save {path}: {reason}.",
                severity="error",
                timeout=8,
                markup=False,
            )
            return
        self.app.call_from_thread(
            self.notify, f"Saved {count} events to {path}", timeout=8, markup=False
        )
