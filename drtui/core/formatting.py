"""Compact text for numbers, ages and the 7-day usage sparkline, sized for table cells."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

_BARS = "▁▂▃▄▅▆▇"
"""Seven heights, the full block left out: a busy day drawn as `█` touches the row above, and
a column of them reads as one solid smear (in a terminal as in an SVG export), while `▇` keeps
a thin gap between the rows."""


def sparkline(rates: Sequence[int]) -> str:
    """One bar per day, scaled to the busiest day; an idle week is a flat floor, not blank."""
    if not rates:
        return ""
    peak = max(rates)
    if peak <= 0:
        return _BARS[0] * len(rates)
    top = len(_BARS) - 1
    return "".join(_BARS[max(0, min(top, round(max(0, r) / peak * top)))] for r in rates)


def compact_number(value: int) -> str:
    """12, 3.4k, 12M: fits a six-character column whatever the traffic."""
    sign = "-" if value < 0 else ""
    n = abs(value)
    for limit, suffix in ((1_000_000_000, "G"), (1_000_000, "M"), (1_000, "k")):
        if n >= limit:
            scaled = n / limit
            text = f"{scaled:.1f}" if scaled < 10 else f"{scaled:.0f}"
            return f"{sign}{text.removesuffix('.0')}{suffix}"
    return f"{sign}{n}"


def as_utc(moment: datetime | None) -> datetime | None:
    """Servers send naive or offset timestamps; compare them all as UTC."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # year 1 or 9999 with an offset has no UTC equivalent
        return None


def age(moment: datetime | None, now: datetime) -> str:
    """'just now', '40s ago', '3 min ago', '5 h ago', '12 d ago'; 'never' when there is none.

    Coarse on purpose (seconds in steps of ten): the text changes rarely, so a repaint, and the
    bytes it sends over SSH, is only needed when it does.
    """
    moment = as_utc(moment)
    if moment is None:
        return "never"
    seconds = int((as_utc(now) or now).timestamp() - moment.timestamp())
    if seconds < 0:
        return "in future"
    if seconds < 10:
        return "just now"
    if seconds < 60:
        return f"{seconds // 10 * 10}s ago"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} d ago"


def timestamp(moment: datetime | None) -> str:
    """Full UTC time for the detail pane, where precision matters more than width."""
    moment = as_utc(moment)
    return "—" if moment is None else moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def home_relative(path: Path, home: Path | None = None) -> str:
    """A path as a user reads it: under the home directory it starts with `~`, so a screen
    (or a screenshot) does not spell out whose home it is."""
    home = Path.home() if home is None else home
    try:
        return str(Path("~") / path.relative_to(home))
    except ValueError:
        return str(path)
