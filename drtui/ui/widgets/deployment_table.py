"""The deployments table: the generic LineTable configured with the deployment columns."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from drtui.core.rows import Row
from drtui.ui.widgets.columns import COLUMNS, with_strips
from drtui.ui.widgets.line_table import LineTable

NO_STRIP = " " * 8 + "  ·"
"""A deployment the recorder has not seen (yet)."""


class DeploymentTable(LineTable[Row]):
    def __init__(self, *, now: Callable[[], datetime], strips: bool = False, **kwargs: Any) -> None:
        """`strips`: show the LAST 24 H column (the app records a fleet history)."""
        self._strip_text: dict[str, str] = {}
        columns = with_strips(self._strip_of) if strips else COLUMNS
        super().__init__(columns, now=now, empty_message="Loading deployments…", **kwargs)

    def _strip_of(self, deployment_id: str) -> str:
        return self._strip_text.get(deployment_id, NO_STRIP)

    def set_strips(self, texts: dict[str, str]) -> None:
        """New health strips (from the recorder's thread, via the screen): changed cells only."""
        self._strip_text = texts
        self.tick(self._clock)

    @property
    def degraded_ids(self) -> frozenset[str]:
        return self.highlighted_ids

    def set_degraded(self, ids: frozenset[str]) -> None:
        """Deployments that recently got worse: marked until the screen clears them."""
        self.set_highlighted(ids)
