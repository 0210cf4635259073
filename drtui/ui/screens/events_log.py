"""`E`: every health transition of the session, newest first, with what the bound dropped."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

from drtui.core.events import EventLog
from drtui.core.health import look
from drtui.ui.keymap import CLOSE_BINDINGS
from drtui.ui.screens.closing import close_once


class EventsScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = list(CLOSE_BINDINGS)

    def __init__(self, events: EventLog) -> None:
        super().__init__()
        self._events = events

    def compose(self) -> ComposeResult:
        log = self._events
        dropped = f", {log.dropped} older dropped" if log.dropped else ""
        yield Label(
            f"Health events: {len(log)} kept (of at most {log.capacity}{dropped})", classes="title"
        )
        parts: list[str | tuple[str, str]] = []
        for event in reversed(list(log)):
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
        with VerticalScroll(id="events-scroll"):
            yield Static(
                Content.assemble(*parts).rstrip() if parts else Content("No health changes yet."),
                id="events-body",
            )
        yield Footer()

    def action_close(self) -> None:
        close_once(self, None)
