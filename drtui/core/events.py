"""The events log: health transitions over the session, bounded, with what it dropped; and the
rows the events view draws, filters and exports from it.

Left open for days, an unbounded list is a leak; a bound that silently forgets is a lie. So the
log keeps the newest `capacity` events and counts the ones it let go.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from drtui.core.export import csv_text
from drtui.core.fleet import HealthTransition
from drtui.core.health import look, severity
from drtui.core.rows import IMPORTANCE_RANK
from drtui.core.sanitize import clean
from drtui.core.views import parse_search


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


@dataclass(frozen=True, slots=True)
class EventRow:
    """One transition as the events view draws, filters and exports it."""

    id: str
    at: datetime
    deployment_id: str
    label: str
    importance: str
    dimension: str
    old: str
    new: str
    verdict: str
    haystack: str


def utc_stamp(at: datetime) -> str:
    """`03-02 09:05:00`: the events view's TIME (UTC) column, to the second."""
    return _utc(at).strftime("%m-%d %H:%M:%S")


def _utc(at: datetime) -> datetime:
    return at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC)


VERDICT_ORDER = {"worse": 0, "moved": 1, "better": 2}


def _order(row: EventRow) -> tuple[int, int, int, int, str]:
    """Newest first, to the second the TIME column shows; within a second (a poll) the worst:
    degradations, to FAIL before to WARN, then the most important deployment, then by label."""
    return (
        -int(_utc(row.at).timestamp()),
        VERDICT_ORDER.get(row.verdict, 1),
        severity(row.new),
        IMPORTANCE_RANK.get(row.importance.upper(), len(IMPORTANCE_RANK)),
        row.label.lower(),
    )


def event_row(event: Event, position: int) -> EventRow:
    t = event.transition
    verdict = "worse" if t.worse else "better" if t.better else "moved"
    old, new = look(t.old).word, look(t.new).word
    importance = clean(t.importance, limit=40)
    # What the row shows, so what is seen can be typed: the change in its words (`ok → fail`,
    # `ok->fail`) and the verdict (`worse`), beside the raw statuses.
    words = (t.label, t.deployment_id, importance, t.dimension, f"{t.old} → {t.new}")
    return EventRow(
        id=str(position),
        at=event.at,
        deployment_id=t.deployment_id,
        label=t.label,
        importance=importance,
        dimension=t.dimension,
        old=t.old,
        new=t.new,
        verdict=verdict,
        haystack="\n".join((*words, f"{old} → {new}", f"{old}->{new}", verdict)).lower(),
    )


def event_rows(log: EventLog) -> list[EventRow]:
    """Newest first, the worst of each poll first; ids are positions in the whole session
    (stable while the log grows)."""
    rows = [event_row(event, log.dropped + i) for i, event in enumerate(log)]
    rows.sort(key=_order)
    return rows


def narrow_events(rows: Sequence[EventRow], text: str) -> list[EventRow]:
    """The rows the filter keeps: text, a regular expression, `!text` hides (`parse_search`)."""
    search = parse_search(text)
    if not search.text:
        return list(rows)
    return [r for r in rows if search.matches(r.haystack)]


CSV_HEADER = ("time_utc", "deployment_id", "label", "importance", "health", "from", "to", "verdict")


def _csv_row(r: EventRow) -> tuple[str, ...]:
    moved = (r.dimension, r.old, r.new, r.verdict)
    return (_utc(r.at).isoformat(), r.deployment_id, r.label, r.importance, *moved)


def events_csv(rows: Iterable[EventRow]) -> str:
    """The rows as CSV through the one writer every export uses (no cell starts a formula)."""
    return csv_text(CSV_HEADER, map(_csv_row, rows))
