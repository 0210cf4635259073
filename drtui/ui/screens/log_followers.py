"""A followed log: what it is (``LogTarget``), its last snapshot and parser (``Follower``),
what one poll adds (``Update``, built in the poll's thread), and how a failure to read it is
said."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from drtui.core.log_lines import LineParser, LogLine
from drtui.core.log_snapshots import overlap
from drtui.core.sanitize import clean
from drtui.ui.polling import Freshness

if TYPE_CHECKING:
    from drtui.ui.sources import LogText

LOG_INTERVAL = 2.0
"""Seconds between polls of a followed log (the view is never more than this behind)."""
RUNNING = frozenset({"active", "errored", "replacingmodel", "launching"})


@dataclass(frozen=True, slots=True)
class LogTarget:
    id: str
    label: str
    status: str = ""

    @property
    def inactive(self) -> bool:
        return bool(self.status) and self.status.lower() not in RUNNING


@dataclass(slots=True)
class Update:
    """What one poll of one log adds (built in the poll's thread)."""

    snapshot: list[str]
    lines: list[LogLine]
    parser: LineParser
    restarted: bool
    filename: str | None


@dataclass
class Follower:
    """One followed log: its last snapshot and its parser (the open record)."""

    index: int
    target: LogTarget
    parser: LineParser
    previous: list[str] = field(default_factory=list)
    filename: str | None = None
    loaded: bool = False
    problem: str = ""

    def build(self, log: LogText) -> Update:
        snapshot = log.text.split("\n")
        if snapshot and snapshot[-1] == "":
            snapshot.pop()  # the log ends with a newline
        delta = overlap(self.previous, snapshot)
        parser = self.parser.copy()
        lines: list[LogLine] = []
        if delta.restarted and self.previous:
            lines.append(
                parser.marker(
                    f"── the log of {self.target.label} began again: its model server "
                    "restarted (or the log was replaced) ──"
                )
            )
        lines += parser.parse(delta.added)
        return Update(
            snapshot, lines, parser, delta.restarted and bool(self.previous), log.filename
        )


def short_label(label: str) -> str:
    text = clean(label, limit=40)
    return text if len(text) <= 12 else text[:11] + "…"


def explain_failure(target: LogTarget, freshness: Freshness) -> str:
    reason = clean(freshness.reason, limit=200)
    name = clean(target.label, limit=40)
    if freshness.stopped:
        return f"You do not have permission to read the logs of {name} (403)."
    if "No logs found" in reason or "404" in reason:
        if target.inactive:
            return f"No logs found for {name}: the deployment is inactive and kept no log."
        return f"No logs found for {name}: its model server has not written any yet."
    return f"Cannot read the log of {name}: {reason}"
