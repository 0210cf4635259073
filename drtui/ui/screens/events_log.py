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

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from drtui.core.events import EventLog
from drtui.core.export import csv_text
from drtui.core.formatting import home_relative
from drtui.core.health import look, severity
from drtui.core.rows import IMPORTANCE_RANK
from drtui.core.sanitize import clean
from drtui.core.views import parse_search
from drtui.store.audit import AuditLog
from drtui.ui.keymap import EVENT_BINDINGS
from drtui.ui.screens.base import typed_ahead
from drtui.ui.screens.choices import SaveAs, save_folder, write_private
from drtui.ui.widgets.footer import DrtuiFooter
from drtui.ui.widgets.line_table import Column, LineTable
from drtui.ui.widgets.view_header import ViewHeader


@dataclass(frozen=True, slots=True)
class EventRow:
    id: str
    at: datetime
    deployment_id: str
    label: str
    importance: str
    dimension: str
    old: str
    new: str
    verdict: str
    haystack: str


def _when(at: datetime) -> str:
    moment = at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC)
    return moment.strftime("%m-%d %H:%M:%S")


def _change(old: str, new: str) -> str:
    return f"{look(old).cell} → {look(new).cell}"


def _move(row: EventRow, _: datetime) -> tuple[str, str]:
    tone = {"worse": "bad", "better": "good"}.get(row.verdict, "")
    return _change(row.old, row.new), tone


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
        cut_middle=True,
    ),
    Column("importance", "IMPORT.", 8, 2, lambda r, _: (r.importance, "")),
    Column("dimension", "HEALTH", 8, 0, lambda r, _: (r.dimension, "")),
    Column("move", "CHANGE", 15, 0, _move),
    Column("verdict", "", 6, 1, lambda r, _: (r.verdict, "muted")),
    Column("deployment_id", "ID", 24, 4, lambda r, _: (r.deployment_id, "muted")),
)

VERDICT_ORDER = {"worse": 0, "moved": 1, "better": 2}


def _order(row: EventRow) -> tuple[int, int, int, int, str]:
    """Newest first, to the second the TIME column shows; within a second (a poll) the worst:
    degradations, to FAIL before to WARN, then the most important deployment, then by label."""
    at = row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC)
    return (
        -int(at.timestamp()),
        VERDICT_ORDER.get(row.verdict, 1),
        severity(row.new),
        IMPORTANCE_RANK.get(row.importance.upper(), len(IMPORTANCE_RANK)),
        row.label.lower(),
    )


def event_rows(log: EventLog) -> list[EventRow]:
    """Newest first, the worst of each poll first; ids are positions in the whole session
    (stable while the log grows)."""
    rows = []
    start = log.dropped
    for i, event in enumerate(log):
        t = event.transition
        verdict = "worse" if t.worse else "better" if t.better else "moved"
        old, new = look(t.old).word, look(t.new).word
        importance = clean(t.importance, limit=40)
        rows.append(
            EventRow(
                id=str(start + i),
                at=event.at,
                deployment_id=t.deployment_id,
                label=t.label,
                importance=importance,
                dimension=t.dimension,
                old=t.old,
                new=t.new,
                verdict=verdict,
                # What the row shows, so what is seen can be typed: the change in its words
                # (`ok → fail`, `ok->fail`) and the verdict (`worse`), beside the raw statuses.
                haystack="\n".join(
                    (
                        t.label,
                        t.deployment_id,
                        importance,
                        t.dimension,
                        f"{t.old} → {t.new}",
                        f"{old} → {new}",
                        f"{old}->{new}",
                        verdict,
                    )
                ).lower(),
            )
        )
    rows.sort(key=_order)
    return rows


HEADER = ["time_utc", "deployment_id", "label", "importance", "health", "from", "to", "verdict"]


def events_csv(rows: list[EventRow]) -> str:
    """The rows as CSV through the one writer every export uses (no cell starts a formula)."""
    return csv_text(
        HEADER,
        (
            [
                (r.at.astimezone(UTC) if r.at.tzinfo else r.at.replace(tzinfo=UTC)).isoformat(),
                r.deployment_id,
                r.label,
                r.importance,
                r.dimension,
                r.old,
                r.new,
                r.verdict,
            ]
            for r in rows
        ),
    )


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
        self.export_dir: Path | None = None
        """Where `x` suggests saving (None: ~/Downloads, or the current folder without one)."""
        self._behind = False
        """Events arrived while another view was shown: drawn when this one is shown again."""

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
        yield Label(self._title(), id="events-title", markup=False)
        search = Input(
            placeholder="label, id, health, change (worse, fail) · regex · !text hides",
            id="search",
            compact=True,
        )
        search.cursor_blink = False
        with Horizontal(id="search-line") as line:
            line.display = False
            yield Label("/", id="search-prompt")
            yield search
        yield EventTable(now=self._now, id="table")
        yield DrtuiFooter()

    @property
    def table(self) -> EventTable:
        return self.query_one(EventTable)

    def on_mount(self) -> None:
        self._events.listeners.append(self._grew)
        self._seen()
        self._show_header()
        self._show()
        self.table.focus()

    def on_unmount(self) -> None:
        if self._grew in self._events.listeners:
            self._events.listeners.remove(self._grew)

    def _grew(self) -> None:
        """The log grew (a poll of the deployments view): shown now if this view is."""
        if self.is_current:
            self._show()
        else:
            self._behind = True

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
        shown = ""
        search = parse_search(self.filter_text)
        if search.text:
            kind = "pattern" if search.pattern is not None else "filter"
            what = f"{'hiding ' if search.inverse else ''}{kind} {clean(search.text, limit=60)!r}"
            note = f" ({search.error})" if search.error else ""
            shown = f" · {what}{note}: {len(self.table.rows)} shown"
        # The keys (enter, x) are in the footer: at 80 columns this line has no room for them.
        return f" Health events: {len(log)} kept (of at most {log.capacity}{dropped}){shown}"

    def _show(self) -> None:
        self._behind = False
        rows = event_rows(self._events)
        search = parse_search(self.filter_text)
        if search.text:
            rows = [r for r in rows if search.matches(r.haystack)]
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
            f"  (audit log: {home_relative(audit.path)})",
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
        self.query_one("#search-line").display = True
        self.set_focus(self.query_one("#search", Input))  # now: keys typed after `/` are the search

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
        """`x`: the events shown, as CSV, to a path the user can edit."""
        rows = list(self.table.rows)
        if not rows:
            self.notify("No events to export.", timeout=3)
            return
        stamp = self._now().astimezone(UTC).strftime("%Y%m%d-%H%M%S")
        folder = self.export_dir if self.export_dir is not None else save_folder()
        text = events_csv(rows)
        count = len(rows)

        def chosen(path: Path | None) -> None:
            if path is not None:
                self._export(path, text, count)

        self.app.push_screen(
            SaveAs(
                f"Export the {count} events shown (CSV) to", folder / f"drtui-events-{stamp}.csv"
            ),
            chosen,
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

    def action_back(self) -> None:
        """esc: clear the filter first, then go back to the previous view."""
        line = self.query_one("#search-line")
        if line.display or self.filter_text:
            self.query_one("#search", Input).value = ""
            line.display = False
            self.filter_text = ""
            self.table.focus()
            self._show()
            return
        go_back = getattr(self.app, "go_back", None)
        if callable(go_back):
            go_back()
