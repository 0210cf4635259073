"""Command palette commands beyond keys: go to a deployment by name (searching loaded labels)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import Hit, Hits, Provider

if TYPE_CHECKING:
    from drtui.ui.screens.deployments import DeploymentsScreen

MAX_HITS = 40
"""A palette shows a screenful; 10,000 matching labels would only slow the typing down."""


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
