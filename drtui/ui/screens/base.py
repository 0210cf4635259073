"""What every view screen shares: the header, the age tick, going back, the write guard.

A view subclasses `ViewScreen`, yields `self.make_header()` first in `compose`, and usually
mounts a `Poller` (ui/polling.py) whose freshness the header shows. Mutating actions are listed
by binding id in `ui/keymap.WRITE_ACTIONS`; in read-only mode `check_action` hides them (footer,
help and palette are generated from active bindings) and the app answers their keys with
"read-only mode" (ui/app.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input

from drtui.ui.keymap import WRITE_IDS, write_actions
from drtui.ui.polling import Freshness
from drtui.ui.settings import AppSettings
from drtui.ui.textual_compat import screen_bindings
from drtui.ui.widgets.view_header import Part, ViewHeader

if TYPE_CHECKING:
    from drtui.ui.app import DrtuiApp

AGE_TICK = 5.0
"""Coarse clock for 'updated Ns ago' and the retry countdown; lines redraw only if text changed."""


REFUSAL = "refuse_write"


class ViewScreen(Screen[None]):
    VIEW_TITLE: ClassVar[str] = "View"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Every write binding gets a hidden twin on the same key and id (a keymap override
        # moves both): in read-only mode the write is disabled, the key falls through to the
        # twin, and the user reads "read-only mode" instead of nothing happening.
        own = cls.__dict__.get("BINDINGS")
        if own is not None:
            twins = [
                Binding(b.key, f"{REFUSAL}({b.description!r})", b.description, show=False, id=b.id)
                for b in own
                if isinstance(b, Binding) and b.id in WRITE_IDS
            ]
            cls.BINDINGS = [*own, *twins]
        super().__init_subclass__(**kwargs)

    def __init__(self, settings: AppSettings, now: Callable[[], datetime]) -> None:
        super().__init__()
        self._settings = settings
        self._now = now

    @property
    def settings(self) -> AppSettings:
        return self._settings

    @property
    def drtui(self) -> DrtuiApp:
        from drtui.ui.app import DrtuiApp

        app = self.app
        assert isinstance(app, DrtuiApp)
        return app

    def make_header(self, **kwargs: Any) -> ViewHeader:
        s = self._settings
        warnings = [w for w in (s.ssl_warning, s.cleartext_warning) if w]
        kwargs.setdefault("view", self.VIEW_TITLE)
        kwargs.setdefault("id", "view-header")
        return ViewHeader(
            profile=s.profile_name,
            endpoint=s.endpoint,
            read_only=s.read_only,
            warnings=warnings,
            **kwargs,
        )

    def start_ticking(self) -> None:
        self.set_interval(AGE_TICK, self.tick)

    def tick(self) -> None:
        """Every AGE_TICK seconds: redraw what depends on the time (only if its text changed)."""
        self.show_header()

    def current_freshness(self) -> Freshness | None:
        return None

    def header_summary(self) -> list[Part]:
        return []

    def show_header(self) -> None:
        header = self.query("#view-header").first(ViewHeader) if self.is_mounted else None
        if header is not None:
            header.show(self.current_freshness(), self._now(), self.header_summary())

    def write_refusal(self) -> tuple[str, str] | None:
        """(title, sentence with `{what}`) when writes are refused here, else None: read-only
        mode; a view may add its own reason (the deployments view while it replays)."""
        if self._settings.read_only:
            return (
                "Read-only",
                "Read-only mode: {what} is disabled (started with --read-only or "
                "read_only = true).",
            )
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        refused = self.write_refusal() is not None
        if action == REFUSAL:
            return refused
        # A refused write: absent from footer, help and palette.
        return not (refused and action in write_actions(self))

    def action_refuse_write(self, what: str) -> None:
        refusal = self.write_refusal()
        if refusal is None:  # the reason went away meanwhile
            return
        title, sentence = refusal
        self.notify(
            sentence.format(what=what.lower()),
            title=title,
            severity="warning",
            timeout=5,
            markup=False,
        )

    def action_back(self) -> None:
        self.drtui.go_back()


def typed_ahead(screen: Screen[Any], event: events.Key, opens: str = "search") -> None:
    """Keep what is typed right after `/` (call from the screen's `on_key`).

    Keys typed fast (a typist, a paste) are all on their way to the table before the binding of
    the first one runs (Textual runs bindings once a key has bubbled to the app), so the search
    field used to take focus after the letters had gone by: they were lost, or ran the table's
    commands. Here the key bound to `opens` opens the field as it passes the screen, and the
    printable keys that reach the screen after it (no field took them: a focused field stops
    the printable keys it takes) are handed to the focused field, in order."""
    focused = screen.focused
    if isinstance(focused, Input):
        if event.is_printable:
            event.stop()
            event.prevent_default()
            focused.post_message(events.Key(event.key, event.character))
        return
    if any(binding.action == opens for binding in screen_bindings(screen, event.key)):
        event.stop()
        event.prevent_default()
        getattr(screen, f"action_{opens}")()
