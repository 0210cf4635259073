"""The command palette's commands: every drtui action bound on the current screen (as the
footer and help, from the action table), and a deployment by name (searching loaded labels)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.command import Hit, Hits, Provider
from textual.screen import Screen

from drtui.ui.screens.help import listed

if TYPE_CHECKING:
    from drtui.ui.screens.deployments import DeploymentsScreen

MAX_HITS = 40
"""A palette shows a screenful; 10,000 matching labels would only slow the typing down."""


def action_commands(app: App[Any], screen: Screen[Any]) -> Iterator[SystemCommand]:
    """One command per drtui action active on `screen` (a write refused in read-only mode is
    not active, so not offered), each naming its key."""
    seen: set[str] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        if binding.action in seen or not listed(binding) or binding.action == "command_palette":
            continue
        seen.add(binding.action)
        node, action = active.node, binding.action

        def run(node: object = node, action: str = action) -> None:
            app.call_later(app.run_action, action, node)

        yield SystemCommand(binding.description, f"key: {app.get_key_display(binding)}", run)


class DeploymentProvider(Provider):
    """`Go to deployment: <label>`: the deployments view with the cursor on it."""

    def _screen(self) -> DeploymentsScreen | None:
        from drtui.ui.screens.deployments import DeploymentsScreen
        from drtui.ui.views import DEFAULT_MODE

        try:
            stack = self.app.get_screen_stack(DEFAULT_MODE)
        except Exception:  # the mode was never shown
            return None
        return next((s for s in stack if isinstance(s, DeploymentsScreen)), None)

    async def search(self, query: str) -> Hits:
        screen = self._screen()
        if screen is None or not query.strip():
            return
        matcher = self.matcher(query)
        hits = 0
        for row in list(screen.fleet.rows.values()):
            score = matcher.match(row.label)
            if score <= 0:
                continue
            yield Hit(
                score,
                matcher.highlight(f"Go to deployment: {row.label}"),
                partial(self._go, row.id),
                help=f"{row.id} · {row.status or '—'} · {row.importance or '—'}",
            )
            hits += 1
            if hits >= MAX_HITS:
                return

    def _go(self, deployment_id: str) -> None:
        from drtui.ui.app import DrtuiApp

        app = self.app
        if isinstance(app, DrtuiApp):
            app.switch_view("deployments")
        screen = self._screen()
        if screen is not None:
            screen.select_deployment(deployment_id)
