"""The drtui Textual application and the entry point the CLI calls."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path, PurePath
from typing import Any, ClassVar

from textual import events
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from drtui.api.client import DataRobotClient
from drtui.core.alerts import AlertRules, Unseen, notification_text, terminal_notification
from drtui.core.events import EventLog
from drtui.core.fleet import HealthTransition
from drtui.core.recorded import HealthStrip
from drtui.core.sanitize import safe_filename
from drtui.settings import keymap_warnings
from drtui.store.alert_file import AlertFile
from drtui.store.debuglog import install_log_file
from drtui.store.paths import history_path, state_directory
from drtui.store.recorder import BackgroundRecorder
from drtui.ui.crash import CrashSafeApp, run_crash_safe
from drtui.ui.heap import COLLECTOR
from drtui.ui.keymap import (
    ALL_BINDINGS,
    APP_BINDINGS,
    display_key,
    keymap_conflicts,
    usable_keymap,
)
from drtui.ui.palette import DeploymentProvider, action_commands
from drtui.ui.screens.command_line import CommandLine
from drtui.ui.screens.deployments import DeploymentsScreen
from drtui.ui.screens.help import HelpScreen, keys_of
from drtui.ui.settings import AppSettings
from drtui.ui.sources import Sources
from drtui.ui.styles import css_paths
from drtui.ui.textual_compat import acyclic_strips, write_to_terminal
from drtui.ui.views import COMMANDS, DEFAULT_MODE, VIEWS
from drtui.ui.widgets.view_header import Part

POLL_DEADLINE = 120.0
"""One whole listing (every page and retry) ends by then: a trickling server goes STALE."""
GC_CHECK_SECONDS = 30.0
"""How often the app asks whether a deferred full garbage collection is due (see ui/heap.py)."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


HISTORY_LIMIT = 20
TEXTUAL_KEPT = frozenset({"Theme"})


class DrtuiApp(CrashSafeApp):
    CSS_PATH: ClassVar[list[str | PurePath]] = [*css_paths()]
    BINDINGS: ClassVar[list[BindingType]] = list(APP_BINDINGS)
    TITLE = "drtui"
    DEFAULT_MODE: ClassVar[str] = DEFAULT_MODE
    COMMANDS = CrashSafeApp.COMMANDS | {DeploymentProvider}

    def __init__(
        self,
        settings: AppSettings,
        *,
        client: DataRobotClient | None = None,
        now: Callable[[], datetime] | None = None,
        state: Path | None = None,
        terminal_notify: bool | None = None,
    ) -> None:
        """`state`: where mutes and acknowledgements persist (None: this session only);
        `terminal_notify`: ask the terminal for a desktop notification when a deployment
        degrades while the terminal is not focused (default: the settings', on)."""
        super().__init__()
        acyclic_strips()  # drawn lines freed by reference counting, never frozen (ui/heap.py)
        self.settings = settings
        self.crash_secrets = (settings.token,)
        self._owns_client = client is None
        self.client = client or DataRobotClient(
            settings.endpoint,
            settings.token,
            verify=settings.verify,
            read_only=settings.read_only,  # no screen can forget: the client refuses writes
            deadline=POLL_DEADLINE,
        )
        self.now = now or _utc_now
        # Textual cannot switch back to its built-in "_default" mode: name the default one.
        self.add_mode(DEFAULT_MODE, self.get_default_screen)
        self.sources = Sources(self.client)
        self.alerts = AlertRules(
            AlertFile(
                state / f"alerts-{safe_filename(settings.profile_name, default='default')}.json"
            )
            if state is not None
            else None
        )
        self.recorder = (
            BackgroundRecorder(
                history_path(state, settings.profile_name, settings.endpoint),
                on_message=self._history_message,
                on_strips=self._history_strips,
            )
            if state is not None
            else None
        )
        """Records every poll's fleet in the history file; None without a state dir."""
        self.events = EventLog()
        """Health changes (and, with write actions, the audit of this session), app-wide."""
        self.unseen = Unseen()
        """Deployments that degraded since the user last looked (every header's "▲3 new")."""
        self.terminal_notify = (
            settings.terminal_notify if terminal_notify is None else terminal_notify
        )
        self._history: list[str] = []
        self._strips_loop: asyncio.AbstractEventLoop | None = None
        self._unknown_theme = False
        if settings.theme:
            if settings.theme in self.available_themes:
                self.theme = settings.theme
            else:
                self._unknown_theme = True

    def on_mount(self) -> None:
        self._strips_loop = asyncio.get_running_loop()
        source = self.settings.keymap_source or "the configuration file"
        keymap, refused = usable_keymap(self.settings.keymap, source)
        self.set_keymap(keymap)
        self.set_interval(GC_CHECK_SECONDS, COLLECTOR.collect_if_due)
        for view in VIEWS.values():
            if view.factory is not None:
                self.add_mode(view.name, lambda view=view: view.factory(self))  # type: ignore[misc]
        self.push_screen(
            DeploymentsScreen(
                self.settings,
                self.sources,
                self.now,
                self.events,
                self.alerts,
                recorder=self.recorder,
            )
        )
        if self.alerts.load_error:
            self.notify(self.alerts.load_error, severity="warning", markup=False, timeout=20)
        known = {b.id for b in ALL_BINDINGS if b.id}
        for warning in (
            *self.settings.startup_warnings,
            *refused,
            *keymap_warnings(keymap, known, source),
            *keymap_conflicts(keymap),
        ):
            self.notify(
                warning, title="Configuration", severity="warning", markup=False, timeout=20
            )
        if self._unknown_theme:
            self.notify(
                f"Unknown theme {self.settings.theme!r}; using the default.",
                severity="warning",
                markup=False,
            )

    def get_key_display(self, binding: Binding) -> str:
        """A key as the footer and help show it: printable whatever the keymap file held."""
        return display_key(super().get_key_display(binding))

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown):
            COLLECTOR.user_active()
        await super().on_event(event)

    def _history_message(self, message: str) -> None:
        """From the recorder's thread: a damaged file moved aside, a write that failed."""
        with contextlib.suppress(RuntimeError):  # the app has already stopped
            self.call_from_thread(
                self.notify, message, title="History", severity="warning", markup=False, timeout=20
            )

    def _history_strips(self, strips: dict[str, HealthStrip], _: datetime) -> None:
        """From the recorder's thread: new health strips. Handed over without waiting for the
        event loop (which may be closing the recorder)."""
        loop = self._strips_loop
        if loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop has already stopped
                loop.call_soon_threadsafe(self._deliver_strips, strips)

    def _deliver_strips(self, strips: dict[str, HealthStrip]) -> None:
        with contextlib.suppress(KeyError):  # the mode is gone (the app is closing)
            for screen in self.get_screen_stack(DEFAULT_MODE):
                if isinstance(screen, DeploymentsScreen):
                    screen.show_strips(strips)

    async def on_unmount(self) -> None:
        if self.recorder is not None:
            self.recorder.close()
        if self._owns_client:
            await self.client.aclose()

    # ----- degradations ------------------------------------------------------------------------

    def degraded(self, moves: list[HealthTransition]) -> None:
        """Degradations that alert (muted and acknowledged ones left out), worst first: they
        count as new until the user looks (`mark_seen`), and while the terminal is not
        focused (it reports focus: AppBlur / AppFocus) the desktop is told."""
        if not moves:
            return
        if self.current_view != "events" or not self.app_focus:  # the events view shows them
            self.unseen.add(moves)
        if self.terminal_notify and not self.app_focus:
            write_to_terminal(self, terminal_notification("drtui", notification_text(moves)))

    def mark_seen(self) -> int:
        """The user has looked: the count of new degradations goes; how many there were."""
        count = self.unseen.clear()
        if count:
            for screen in self.get_screen_stack(DEFAULT_MODE):
                if isinstance(screen, DeploymentsScreen):
                    screen.show_header()
        return count

    def header_badges(self) -> list[Part]:
        """What every view's header shows beside its name: the count of new degradations."""
        badge = self.unseen.badge
        return [(f" {badge} ", "reverse bold $warning")] if badge else []

    def on_app_focus(self, _: events.AppFocus) -> None:
        if self.current_view == "events":
            self.mark_seen()  # back at the terminal, on the events view: they are seen

    # ----- navigation ---------------------------------------------------------------------------

    @property
    def current_view(self) -> str:
        return self.current_mode

    def switch_view(self, name: str) -> None:
        """Show a view by name (`:name`), remembering where we came from for `esc`."""
        if name in COMMANDS:
            self.call_later(self.run_action, name)
            return
        view = VIEWS.get(name)
        if view is None or view.name == self.current_view:
            return
        self._history.append(self.current_mode)
        del self._history[:-HISTORY_LIMIT]
        self.switch_mode(view.mode)

    def show_deployment(self, deployment_id: str, label: str = "") -> None:
        """Go to the deployments view with this deployment under the cursor (from an event)."""
        if self.current_view != DEFAULT_MODE:
            self.switch_view(DEFAULT_MODE)
        target = next(
            (s for s in self.get_screen_stack(DEFAULT_MODE) if isinstance(s, DeploymentsScreen)),
            None,
        )
        if target is None or not target.select_deployment(deployment_id):
            name = label or deployment_id
            self.notify(
                f"{name} is not in the fleet any more (deleted, or no longer visible to you).",
                timeout=6,
                markup=False,
            )

    def on_delivery_complete(self, event: events.DeliveryComplete) -> None:
        where = str(event.path) if event.path is not None else "your downloads folder"
        self.notify(f"Saved {where}", timeout=8, markup=False)

    def on_delivery_failed(self, event: events.DeliveryFailed) -> None:
        self.notify(
            f"Could not save the file: {event.exception}", severity="error", timeout=8, markup=False
        )

    def go_back(self) -> None:
        """`esc` on a view with nothing left to clear: the view shown before it."""
        while self._history:
            mode = self._history.pop()
            if mode != self.current_mode:
                self.switch_mode(mode)
                return
        if self.current_mode != DEFAULT_MODE:
            self.switch_mode(DEFAULT_MODE)

    def action_command_line(self) -> None:
        if isinstance(self.screen, CommandLine):
            return
        self.push_screen(CommandLine(), self._command_chosen)

    def _command_chosen(self, name: str | None) -> None:
        if name is not None:
            self.switch_view(name)

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        legend = getattr(self.screen, "HELP_LEGEND", ())
        self.push_screen(
            HelpScreen(
                keys_of(self.screen), legend=legend, status=poll_status(self.screen, self.now())
            )
        )

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Views, every drtui action bound on the current screen, and the theme (Textual's other
        entries, keys and screenshot, have no place here: `?` lists the keys)."""
        for view in VIEWS.values():
            if view.name == self.current_view:
                continue

            def go(name: str = view.name) -> None:
                self.call_later(self.switch_view, name)

            yield SystemCommand(f"View: {view.title}", f":{view.name} — {view.description}", go)
        yield from action_commands(self, screen)
        yield from (c for c in super().get_system_commands(screen) if c.title in TEXTUAL_KEPT)


def poll_status(screen: Screen[Any], now: datetime) -> str:
    """One line on the view's polling for the help screen: last duration, next poll."""
    freshness = getattr(screen, "freshness", None)
    if callable(freshness) or freshness is None:
        current = getattr(screen, "current_freshness", None)
        freshness = current() if callable(current) else None
    if freshness is None:
        return ""
    parts = []
    if freshness.last_duration is not None:
        parts.append(f"last poll took {freshness.last_duration:.1f} s")
    if freshness.polling_since is not None:
        parts.append(
            f"a poll is running ({int((now - freshness.polling_since).total_seconds())} s)"
        )
    elif freshness.paused:
        parts.append("polling paused (p resumes)")
    elif freshness.stopped:
        parts.append("polling stopped (r retries)")
    elif freshness.retry_at is not None:
        parts.append(f"retry in {max(0, int((freshness.retry_at - now).total_seconds()))} s")
    return "Polling: " + "; ".join(parts) if parts else ""


def run_app(settings: AppSettings) -> int:
    """Run the dashboard until the user quits; the exit code for the CLI."""
    return run_crash_safe(DrtuiApp(with_debug_log(settings), state=state_directory()))


def with_debug_log(settings: AppSettings) -> AppSettings:
    """The debug log installed, or, when it cannot be (a read-only home, a link planted where
    it goes), the settings with one start-up warning saying so: the dashboard runs either way."""
    try:
        install_log_file([settings.token])
    except OSError as error:
        warning = f"The debug log is off: {error}."
        return dataclasses.replace(settings, startup_warnings=(*settings.startup_warnings, warning))
    return settings
