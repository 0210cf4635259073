"""Every field of the highlighted deployment, grouped (content from core.detail)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from drtui.api.models import Deployment
from drtui.core.detail import sections


class DetailPane(VerticalScroll, can_focus=False):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._body = Static(id="detail-body")
        self._shown: tuple[Deployment | None, str] | None = None

    def compose(self):  # type: ignore[no-untyped-def]
        yield self._body

    def show(self, deployment: Deployment | None, now: datetime) -> None:
        """Redraw only when the deployment (or the minute the ages are computed from) changed."""
        key = (deployment, now.strftime("%Y%m%d%H%M"))
        if key == self._shown:
            return
        same = self._shown is not None and deployment is not None and \
            self._shown[0] is not None and self._shown[0].id == deployment.id
        self._shown = key
        if deployment is None:
            self._body.update(Content("No deployment selected."))
            return
        parts: list[str | tuple[str, str]] = []
        for title, fields in sections(deployment, now):
            parts += [(title, "bold $accent"), "\n"]
            for name, value in fields:
                parts += [(f"  {name}: ", "dim"), value, "\n"]
        self._body.update(Content.assemble(*parts).rstrip())
        if not same:
            self.scroll_home(animate=False)
