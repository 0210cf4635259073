"""The deployments table: the generic LineTable configured with the deployment columns."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from drtui.core.rows import Row
from drtui.ui.widgets.columns import COLUMNS
from drtui.ui.widgets.line_table import LineTable


class DeploymentTable(LineTable[Row]):
    def __init__(self, *, now: Callable[[], datetime], **kwargs: Any) -> None:
        super().__init__(COLUMNS, now=now, empty_message="Loading deployments…", **kwargs)

    @property
    def degraded_ids(self) -> frozenset[str]:
        return self.highlighted_ids

    def set_degraded(self, ids: frozenset[str]) -> None:
        """Deployments that recently got worse: marked until the screen clears them."""
        self.set_highlighted(ids)
