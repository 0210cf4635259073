"""What the flight recorder keeps and gives back: a deployment's recorded `State`, a `Change`
from one state to another, a `Replay` of the fleet at an instant, and the health strips and
timeline the screen draws from them. Pure: the store (drtui/store/) reads and writes them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from drtui.core.fleet import Fleet
from drtui.core.health import DIMENSIONS, look, normalise
from drtui.core.rhythm import Rhythm
from drtui.core.silence import DEFAULT_POLICY, SilencePolicy, is_silent


class State(NamedTuple):
    """One deployment as recorded: what replay and the report show of it."""

    label: str
    importance: str
    service: str
    model: str
    accuracy: str
    silent: bool = False

    @property
    def health(self) -> tuple[str, str, str]:
        return (self.service, self.model, self.accuracy)


def fleet_states(
    fleet: Fleet,
    now: datetime,
    policy: SilencePolicy = DEFAULT_POLICY,
    rhythms: Mapping[str, Rhythm] | None = None,
) -> dict[str, State]:
    """The states to record for one poll's fleet (silence judged at `now`)."""
    rhythms = rhythms or {}
    return {
        key: State(
            row.label,
            row.importance,
            row.health[0],
            row.health[1],
            row.health[2],
            is_silent(row, now, policy, rhythms.get(key)),
        )
        for key, row in fleet.rows.items()
    }


@dataclass(frozen=True, slots=True)
class Change:
    """One deployment's state moving at `at` (None: not in the fleet)."""

    at: datetime
    deployment_id: str
    before: State | None
    after: State | None


@dataclass(frozen=True, slots=True)
class Replay:
    """The fleet as recorded at `at`."""

    at: datetime
    states: dict[str, State]
    span: tuple[datetime, datetime]
    """The recorded span holding `at` (its first and last poll)."""


STRIP_SPAN = timedelta(hours=24)


STRIP_BUCKETS = 8
"""A health strip: the last 24 h in 8 three-hour cells, oldest first (narrow enough for 80
columns beside the label, importance and last prediction)."""


STRIP_KEPT = 40
"""Transitions kept per deployment for the detail pane's timeline (the newest)."""


STRIP_GLYPHS = {3: "▇", 2: "▄", 1: "▁", 0: "·", -1: " "}
"""Heights read without colour; never the full block, so rows of failing cells keep a gap."""
"""A cell's worst health over its three hours, by height (readable without colour): failing,
warning, passing, no verdict (unknown, N/A), not recorded."""


def strip_level(state: State | None) -> int:
    """3 failing, 2 warning, 1 passing, 0 no verdict (any dimension; worst wins), -1 absent."""
    if state is None:
        return -1
    found = {normalise(s) for s in state.health}
    if "failing" in found:
        return 3
    if "warning" in found or (found - {"passing", "unknown", "", "unavailable", "notstarted"}):
        return 2
    return 1 if "passing" in found else 0


@dataclass(frozen=True, slots=True)
class HealthStrip:
    """One deployment's recent health, as the table and the detail pane show it."""

    cells: str
    """One glyph per bucket (STRIP_GLYPHS), oldest first."""
    changes: int
    """Health changes in the span (a flapping deployment has many)."""
    transitions: tuple[Change, ...]
    """The newest STRIP_KEPT changes of health, silence or presence, oldest first."""

    @property
    def text(self) -> str:
        return f"{self.cells} {min(self.changes, 99):>2}"


def health_moved(before: State | None, after: State | None) -> bool:
    """Whether a change is one of health or silence (not only a renamed label)."""
    if before is None or after is None:
        return before is not after
    return before.health != after.health or before.silent != after.silent


def describe_change(change: Change) -> str:
    """`service OK → FAIL, predictions silent`; the recorder keeps states, not the server's
    messages, so a change reads from → to."""
    before, after = change.before, change.after
    if after is None:
        return "no longer in the fleet"
    if before is None:
        parts = [f"{name} {look(s).word}" for name, s in zip(DIMENSIONS, after.health, strict=True)]
        return "recorded: " + ", ".join(parts) + (", predictions silent" if after.silent else "")
    parts = [
        f"{name} {look(old).word} → {look(new).word}"
        for name, old, new in zip(DIMENSIONS, before.health, after.health, strict=True)
        if old != new
    ]
    if before.silent != after.silent:
        parts.append("predictions silent" if after.silent else "predictions resumed")
    return ", ".join(parts) or "label or importance changed"


def timeline_section(
    strip: HealthStrip | None, until: datetime | None = None
) -> tuple[str, list[tuple[str, str]]]:
    """The detail pane's timeline: every recorded change of the last 24 h, newest first, up to
    `until` (a replay's instant)."""
    heading = "Timeline (recorded, last 24 h, UTC)"
    if strip is None:
        return heading, [("history", "nothing recorded for this deployment yet")]
    moves = [c for c in strip.transitions if until is None or c.at <= until]
    if not moves:
        return heading, [("history", "no change recorded")]
    fields = [
        (change.at.astimezone(UTC).strftime("%m-%d %H:%M:%S"), describe_change(change))
        for change in reversed(moves)
    ]
    if len(strip.transitions) >= STRIP_KEPT:
        fields.append(("older", f"only the newest {STRIP_KEPT} changes are shown"))
    return heading, fields


class NotRecorded(LookupError):
    """The asked instant is outside every recorded span; str() is one sentence."""
