"""What the refresh worker tells the screen. Workers never touch widgets; they post these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual.message import Message

from drtui.core.fleet import FleetDiff, HealthTransition


@dataclass
class FleetUpdated(Message):
    """A refresh succeeded: apply `diff` in place, alert on `transitions`."""

    diff: FleetDiff
    transitions: list[HealthTransition]
    fetched_at: datetime
    generation: int
    """Which query this answers; an answer to a query since replaced is dropped."""


@dataclass
class FleetStale(Message):
    """A refresh failed: keep the last good data, say why and when the next try is."""

    reason: str
    retry_at: datetime
    generation: int


@dataclass
class SortRequested(Message):
    """A column header was clicked: sort the server query by this orderBy field."""

    order_by: str


@dataclass
class CursorMoved(Message):
    """The highlighted deployment changed (or disappeared: None)."""

    deployment_id: str | None
