"""Which health changes deserve an alert: mutes and acknowledgements, kept across restarts.

An on-call engineer mutes one deployment for a while (a known incident, a maintenance window):
its changes are still logged in the events view, but raise no toast, no bell, no highlight, and
the mute expires by itself. Acknowledging a degradation says "I have seen it": the same status
in the same dimension raises nothing again until the health moves to another verdict (passing,
or a different problem). Both are kept across restarts by an `AlertStore` (store/alert_file.py:
JSON in the user state directory, one file per profile, written atomically).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Protocol

from drtui.core.fleet import HealthTransition
from drtui.core.health import DIMENSIONS, is_problem, look, normalise, severity
from drtui.core.rows import IMPORTANCE_RANK, Row
from drtui.core.sanitize import clean

log = logging.getLogger(__name__)

MUTE_CHOICES: tuple[tuple[str, timedelta], ...] = (
    ("15 minutes", timedelta(minutes=15)),
    ("1 hour", timedelta(hours=1)),
    ("4 hours", timedelta(hours=4)),
    ("24 hours", timedelta(hours=24)),
    ("7 days", timedelta(days=7)),
)
MAX_ENTRIES = 10_000
"""A bound on what the file keeps (oldest mutes and acknowledgements go first)."""


def ranked(
    moves: Iterable[HealthTransition], importance_of: Callable[[str], str]
) -> list[HealthTransition]:
    """Degradations in the order an on-call engineer reads them: the worst new state first
    (to FAIL before to WARN), then the most important deployment (CRITICAL before LOW, none
    last), then by label. `importance_of(deployment id)` is the deployment's importance."""

    def key(move: HealthTransition) -> tuple[int, int, str, str]:
        rank = IMPORTANCE_RANK.get(importance_of(move.deployment_id).upper(), len(IMPORTANCE_RANK))
        return severity(move.new), rank, move.label.lower(), move.deployment_id

    return sorted(moves, key=key)


class Unseen:
    """Deployments that degraded (and alerted) since the user last looked: the header's
    "▲3 new". The toast goes after 10 s and the row's ▲ after a minute; this stays until the
    user says they have seen it (a key, the events view), acknowledges or mutes the
    deployment. A deployment counts once, however many of its dimensions moved."""

    def __init__(self) -> None:
        self._moves: dict[str, HealthTransition] = {}

    def add(self, moves: Iterable[HealthTransition]) -> None:
        for move in moves:
            self._moves[move.deployment_id] = move

    def forget(self, deployment_id: str) -> None:
        self._moves.pop(deployment_id, None)

    def clear(self) -> int:
        """Seen: the count is reset; how many there were."""
        count = len(self._moves)
        self._moves.clear()
        return count

    def __len__(self) -> int:
        return len(self._moves)

    def __contains__(self, deployment_id: object) -> bool:
        return deployment_id in self._moves

    @property
    def badge(self) -> str:
        """`▲3 new`, or "" when there is nothing new."""
        return f"▲{len(self._moves)} new" if self._moves else ""


NOTIFICATION_LIMIT = 200
"""Characters of a terminal notification's text (one line)."""


def notification_text(moves: list[HealthTransition]) -> str:
    """One line for the desktop: the worst move first (`moves` ranked), and how many more."""
    if not moves:
        return ""
    first = moves[0]
    text = f"{first.label}: {first.dimension} {look(first.old).word} → {look(first.new).word}"
    if len(moves) > 1:
        text += f" (+{len(moves) - 1} more)"
    return clean(text, limit=NOTIFICATION_LIMIT)


def terminal_notification(title: str, body: str) -> str:
    """The escape sequences that ask the terminal for a desktop notification: OSC 9 (iTerm2,
    Windows Terminal, kitty, WezTerm, foot) and OSC 777 (rxvt-unicode, VTE, Ghostty, WezTerm).
    Both texts are one printable line: no escape, control or bidi character can end the
    sequence early or start another, and a `;` cannot shift OSC 777's title into its body.
    OSC 9 text starting with a digit is read by ConEmu as a command, so it starts with the
    title."""
    title = clean(title, limit=60).replace(";", ",") or "drtui"
    body = clean(body, limit=NOTIFICATION_LIMIT)
    return f"\x1b]9;{title}: {body}\x07\x1b]777;notify;{title};{body}\x07"


class AlertStore(Protocol):
    """Where mutes and acknowledgements outlive the process (a file, later a shared store)."""

    def load(self) -> tuple[dict[str, datetime], dict[tuple[str, str], str], str | None]:
        """(mutes, acknowledgements, one sentence if what was kept could not be read)."""
        ...

    def save(self, mutes: dict[str, datetime], acks: dict[tuple[str, str], str]) -> None: ...


class AlertRules:
    """Mutes (deployment id → until) and acknowledgements ((id, dimension) → status)."""

    def __init__(self, store: AlertStore | None = None) -> None:
        self._store = store
        self.mutes: dict[str, datetime] = {}
        self.acks: dict[tuple[str, str], str] = {}
        self.load_error: str | None = None
        if store is not None:
            self.mutes, self.acks, self.load_error = store.load()

    # ----- questions ----------------------------------------------------------------------------

    def muted_until(self, deployment_id: str, now: datetime) -> datetime | None:
        until = self.mutes.get(deployment_id)
        return until if until is not None and until > now else None

    def is_acknowledged(self, deployment_id: str, dimension: str, status: str) -> bool:
        return self.acks.get((deployment_id, dimension)) == normalise(status)

    def wanted(self, move: HealthTransition, now: datetime) -> bool:
        """Alert on this degradation? (It is logged as an event either way.)"""
        if not move.worse or self.muted_until(move.deployment_id, now) is not None:
            return False
        return not self.is_acknowledged(move.deployment_id, move.dimension, move.new)

    def acknowledged_ids(self) -> frozenset[str]:
        return frozenset(key for key, _ in self.acks)

    # ----- changes ------------------------------------------------------------------------------

    def mute(self, deployment_id: str, until: datetime) -> None:
        self.mutes[deployment_id] = until
        self._save()

    def unmute(self, deployment_id: str) -> bool:
        if self.mutes.pop(deployment_id, None) is None:
            return False
        self._save()
        return True

    def acknowledge(self, row: Row) -> list[str]:
        """Acknowledge every problem the row shows now; the dimensions acknowledged."""
        done = []
        for dimension, status in zip(DIMENSIONS, row.health, strict=True):
            if is_problem(status):
                self.acks[(row.id, dimension)] = normalise(status)
                done.append(dimension)
        if done:
            self._save()
        return done

    def unacknowledge(self, deployment_id: str) -> bool:
        keys = [key for key in self.acks if key[0] == deployment_id]
        for key in keys:
            del self.acks[key]
        if keys:
            self._save()
        return bool(keys)

    def observe(self, moves: Iterable[HealthTransition], now: datetime) -> None:
        """Forget what no longer holds: acknowledgements whose status moved to another verdict
        (passing, or another problem; a spell of unknown keeps them), and expired mutes."""
        changed = False
        for move in moves:
            key = (move.deployment_id, move.dimension)
            acked = self.acks.get(key)
            new = normalise(move.new)
            if acked is not None and new != acked and (is_problem(new) or new == "passing"):
                del self.acks[key]
                changed = True
        expired = [mute for mute, until in self.mutes.items() if until <= now]
        for mute in expired:
            del self.mutes[mute]
        if changed or expired:
            self._save()

    def _save(self) -> None:
        if self._store is not None:
            mutes = dict(sorted(self.mutes.items(), key=lambda kv: kv[1])[-MAX_ENTRIES:])
            self._store.save(mutes, dict(list(self.acks.items())[-MAX_ENTRIES:]))
