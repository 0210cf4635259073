"""The events log: health transitions over the session, bounded, with what it dropped.

Left open for days, an unbounded list is a leak; a bound that silently forgets is a lie. So the
log keeps the newest `capacity` events and counts the ones it let go.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from drtui.core.fleet import HealthTransition


@dataclass(frozen=True, slots=True)
class Event:
    at: datetime
    transition: HealthTransition


class EventLog:
    def __init__(self, capacity: int = 1000) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self._events: deque[Event] = deque(maxlen=capacity)
        self.dropped = 0
        self.listeners: list[Callable[[], None]] = []
        """Called after events are added (the events view, while it is shown, redraws)."""

    @property
    def capacity(self) -> int:
        return self._events.maxlen or 0

    def extend(self, at: datetime, transitions: Iterable[HealthTransition]) -> None:
        added = False
        for transition in transitions:
            if len(self._events) == self.capacity:
                self.dropped += 1
            self._events.append(Event(at, transition))
            added = True
        if added:
            for listener in list(self.listeners):
                listener()

    def __len__(self) -> int:
        return len(self._events)

    def __iter__(self) -> Iterator[Event]:
        """Oldest first."""
        return iter(self._events)
