"""`:events` (or `E`): every health transition of the session, newest first, with what the bound
dropped, and the changes made from this terminal (the audit trail, core/audit.py). A view of its
own: `esc` goes back to the view it was opened from."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

from drtui.core.audit import AuditLog
from drtui.core.events import EventLog
from drtui.core.health import look
from drtui.ui.keymap import VIEW_BINDINGS
from drtui.ui.widgets.view_header import ViewHeader


class EventsScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = list(VIEW_BINDINGS)
    VIEW_TITLE = "Events"

    def __init__(self, events: EventLog, audit: AuditLog | None = None) -> None:
        super().__init__()
        self._events = events
        self._audit = audit

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
        yield Label(self._title(), classes="title", id="events-title")
        with VerticalScroll(id="events-scroll"):
            if self._audit is not None:
                yield Static(self._changes(), id="events-changes")
            yield Static(self._body(), id="events-body")
        yield Footer()

    def on_mount(self) -> None:
        self._show_header()

    def _show_header(self) -> None:
        now = getattr(self.app, "now", None)
        for header in self.query(ViewHeader):
            if now is not None:
                header.show(None, now())

    def _title(self) -> str:
        log = self._events
        dropped = f", {log.dropped} older dropped" if log.dropped else ""
        return f"Health events: {len(log)} kept (of at most {log.capacity}{dropped})"

    def _body(self) -> Content:
        parts: list[str | tuple[str, str]] = []
        for event in reversed(list(self._events)):
            t = event.transition
            tone = "$error" if t.worse else "$success" if t.better else ""
            verdict = "worse" if t.worse else "better" if t.better else "changed"
            parts += [
                f"{event.at:%Y-%m-%d %H:%M:%S}  ",
                (t.label, "bold"),
                f"  [{t.deployment_id}]  ",
                f"{t.dimension}: {look(t.old).cell} → ",
                (look(t.new).cell, tone),
                f"  ({verdict})\n",
            ]
        return Content.assemble(*parts).rstrip() if parts else Content("No health changes yet.")

    def _changes(self) -> Content:
        """Writes attempted from this terminal, newest first (the audit trail of the session)."""
        audit = self._audit
        if audit is None:
            return Content("")
        entries = list(audit)
        parts: list[str | tuple[str, str]] = [
            (f"Changes made from this terminal: {len(entries)}", "bold"),
            f"  (audit log: {audit.path})\n",
        ]
        if audit.write_error:
            parts.append((audit.write_error + "\n", "$error"))
        for entry in reversed(entries):
            tone = "$success" if entry.outcome == "ok" else "$error"
            parts += [f"{entry.at:%Y-%m-%d %H:%M:%S}  ", (entry.summary(), tone), "\n"]
        return Content.assemble(*parts)

    def on_screen_resume(self) -> None:
        """Shown again (a view keeps its screen): bring the log up to date."""
        if self.is_mounted:
            if self._audit is not None:
                self.query_one("#events-changes", Static).update(self._changes())
            self.query_one("#events-title", Label).update(self._title())
            self.query_one("#events-body", Static).update(self._body())
            self._show_header()

    def action_back(self) -> None:
        go_back = getattr(self.app, "go_back", None)
        if callable(go_back):
            go_back()
