"""The deployments table: the generic LineTable configured with the deployment columns."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from drtui.core.formatting import age
from drtui.core.rows import Row
from drtui.ui.widgets.columns import (
    COLUMNS,
    STRIP_CELLS,
    last_column,
    last_seen,
    recorded_cells,
    with_strips,
)
from drtui.ui.widgets.line_table import LineTable
from drtui.ui.widgets.table_columns import Column

LATER = "later"
"""LAST PRED in a replay, when the deployment's last prediction came after the instant shown:
what it was at that instant was not recorded."""

NO_STRIP = " " * 8 + "  ·"
"""A deployment the recorder has not seen (yet)."""


class DeploymentTable(LineTable[Row]):
    def __init__(self, *, now: Callable[[], datetime], strips: bool = False, **kwargs: Any) -> None:
        """`strips`: show the LAST 24 H column (the app records a fleet history)."""
        self._strip_text: dict[str, str] = {}
        self._strip_cells = STRIP_CELLS
        self._strips_shown = strips
        self._replay_at: datetime | None = None
        super().__init__(
            self._made_columns(), now=now, empty_message="Loading deployments…", **kwargs
        )

    def _made_columns(self) -> tuple[Column[Row], ...]:
        base = with_strips(self._strip_of, self._strip_cells) if self._strips_shown else COLUMNS
        return tuple(last_column(self._last_text) if c.key == "last" else c for c in base)

    def _last_text(self, row: Row, now: datetime) -> str:
        at = self._replay_at
        if at is None:
            return last_seen(row.last_prediction, now)
        # The recorder keeps health, not traffic: the live last prediction is the one at the
        # replayed instant only if it came before it (then its age is counted from there).
        moment = row.last_prediction
        return LATER if moment is not None and moment > at else age(moment, at)

    def set_replay(self, at: datetime | None) -> None:
        """Replaying the fleet as it was at `at` (None: live): LAST PRED is counted from then."""
        if at != self._replay_at:
            self._replay_at = at
            self.tick(self._clock)

    def _strip_of(self, deployment_id: str) -> str:
        return self._strip_text.get(deployment_id, NO_STRIP)[STRIP_CELLS - self._strip_cells :]

    def set_strips(self, texts: dict[str, str]) -> None:
        """New health strips (from the recorder's thread, via the screen): changed cells only.
        While the history is younger than 24 h the column shows only the cells recorded (at
        least three): the label keeps the room the blank cells took."""
        self._strip_text = texts
        cells = recorded_cells(texts.values())
        if self._strips_shown and cells != self._strip_cells:
            self._strip_cells = cells
            self._all_columns = list(self._made_columns())
            self._layout_width = -1  # laid out again at the next draw, as on a resize
            self._relayout()
            self.refresh()
        self.tick(self._clock)

    @property
    def degraded_ids(self) -> frozenset[str]:
        return self.highlighted_ids

    def set_degraded(self, ids: frozenset[str]) -> None:
        """Deployments that recently got worse: marked until the screen clears them."""
        self.set_highlighted(ids)
