"""The drtui Textual application and the entry point the CLI calls."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import PurePath
from typing import ClassVar

from textual import events
from textual.app import SystemCommand
from textual.binding import BindingType
from textual.screen import Screen

from drtui.api.client import DataRobotClient
from drtui.crash import CrashSafeApp, install_log_file, run_crash_safe
from drtui.ui.heap import COLLECTOR
from drtui.ui.keymap import APP_BINDINGS
from drtui.ui.screens.deployments import DeploymentsScreen
from drtui.ui.screens.help import HelpScreen
from drtui.ui.settings import AppSettings
from drtui.ui.styles import css_paths

GC_CHECK_SECONDS = 30.0
"""How often the app asks whether a deferred full garbage collection is due (see ui/heap.py)."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


class DrtuiApp(CrashSafeApp):
    CSS_PATH: ClassVar[list[str | PurePath]] = [*css_paths()]
    BINDINGS: ClassVar[list[BindingType]] = list(APP_BINDINGS)
    TITLE = "drtui"

    def __init__(
        self,
        settings: AppSettings,
        *,
        client: DataRobotClient | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.crash_secrets = (settings.token,)
        self._owns_client = client is None
        self.client = client or DataRobotClient(
            settings.endpoint, settings.token, verify=settings.verify
        )
        self.now = now or _utc_now
        self._unknown_theme = False
        if settings.theme:
            if settings.theme in self.available_themes:
                self.theme = settings.theme
            else:
                self._unknown_theme = True

    def on_mount(self) -> None:
        self.set_keymap(self.settings.keymap)
        self.set_interval(GC_CHECK_SECONDS, COLLECTOR.collect_if_idle)
        self.push_screen(DeploymentsScreen(self.settings, self.client, self.now))
        for warning in self.settings.startup_warnings:
            self.notify(
                warning, title="Configuration", severity="warning", markup=False, timeout=20
            )
        if self._unknown_theme:
            self.notify(
                f"Unknown theme {self.settings.theme!r}; using the default.",
                severity="warning",
                markup=False,
            )

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown):
            COLLECTOR.user_active()
        await super().on_event(event)

    async def on_unmount(self) -> None:
        if self._owns_client:
            await self.client.aclose()

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(keys_of(self.screen)))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action bound on the current screen, plus Textual's own (theme, keys, quit)."""
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if binding.action in seen or binding.action == "command_palette":
                continue
            seen.add(binding.action)
            node, action = active.node, binding.action

            def run(node: object = node, action: str = action) -> None:
                self.call_later(self.run_action, action, node)

            yield SystemCommand(binding.description, f"key: {self.get_key_display(binding)}", run)
        yield from super().get_system_commands(screen)


def keys_of(screen: Screen) -> list[tuple[str, str]]:
    """(keys, description) for every active binding of `screen`, merged per action."""
    merged: dict[tuple[str, str], list[str]] = {}
    app = screen.app
    for active in screen.active_bindings.values():
        binding = active.binding
        merged.setdefault((binding.action, binding.description), []).append(
            app.get_key_display(binding)
        )
    return [
        (" ".join(dict.fromkeys(keys)), description) for (_, description), keys in merged.items()
    ]


def run_app(settings: AppSettings) -> int:
    """Run the dashboard until the user quits; the exit code for the CLI."""
    with contextlib.suppress(OSError):  # a read-only home must not stop the dashboard
        install_log_file([settings.token])
    return run_crash_safe(DrtuiApp(settings))
