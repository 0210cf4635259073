"""The two header lines: where we are connected, how the fleet is, and how fresh the data is.

Updated only when its text changes, so an idle screen writes nothing to the terminal. Server
text is sanitised and assembled as Content parts, never parsed as markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from textual.content import Content
from textual.widgets import Static

from drtui.core.fleet import HealthCounts
from drtui.core.formatting import age
from drtui.core.health import DIMENSIONS
from drtui.core.sanitize import clean

_SHORT = {"service": "SVC", "model": "MDL", "accuracy": "ACC"}
Part = str | tuple[str, str]


@dataclass(frozen=True, slots=True)
class Freshness:
    """Fresh when `stale_since` is None; otherwise the first failure, its reason, next try."""

    fetched_at: datetime | None = None
    stale_since: datetime | None = None
    reason: str = ""
    retry_at: datetime | None = None
    paused: bool = False


class FleetHeader(Static):
    def __init__(
        self,
        *,
        profile: str,
        endpoint: str,
        read_only: bool,
        ssl_warning: str | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        host = urlsplit(endpoint).netloc or endpoint
        self._where = f"{clean(profile, limit=40)} @ {clean(host, limit=80)}"
        self._read_only = read_only
        self._ssl_warning = clean(ssl_warning, limit=120) if ssl_warning else None
        self._plain: str | None = None

    def show(self, counts: dict[str, HealthCounts], freshness: Freshness, now: datetime) -> None:
        parts: list[Part] = [("drtui ", "bold"), self._where]
        if self._read_only:
            parts += ["  ", (" READ-ONLY ", "reverse bold")]
        if self._ssl_warning:
            parts += ["  ", (f"⚠ {self._ssl_warning}", "bold $warning")]
        parts += ["  ", *_freshness(freshness, now), "\n"]
        for i, dimension in enumerate(DIMENSIONS):
            c = counts.get(dimension, HealthCounts())
            parts += [
                " │ " if i else "",
                f"{_SHORT[dimension]} ",
                (f"✗{c.failing}", "bold $error" if c.failing else ""),
                " ",
                (f"!{c.warning}", "$warning" if c.warning else ""),
                f" ✓{c.passing} ?{c.other}",
            ]
        if freshness.stale_since is not None:
            parts += ["\n", *_stale(freshness, now)]
        content = Content.assemble(*parts)
        if content.plain != self._plain:
            # A new layout only when the line count changes (the STALE line comes or goes):
            # a layout pass repaints every scrollbar on screen, kilobytes for one changed word.
            relayout = self._plain is None or content.plain.count("\n") != self._plain.count("\n")
            self._plain = content.plain
            self.update(content, layout=relayout)


def _freshness(f: Freshness, now: datetime) -> list[Part]:
    """Line one: how old the data is (the STALE details get a line of their own)."""
    paused: list[Part] = ["  ", (" PAUSED ", "reverse bold")] if f.paused else []
    if f.fetched_at is None:
        return ["loading…", *paused]
    label = f"updated {age(f.fetched_at, now)}"
    if f.stale_since is not None:
        return [(" STALE ", "reverse bold $error"), " ", label, *paused]
    return [label, *paused]


def _stale(f: Freshness, now: datetime) -> list[Part]:
    """'STALE since 14:02:31, retrying in 20s: <reason>'."""
    assert f.stale_since is not None
    if f.paused:
        retry = "paused"
    elif f.retry_at is not None:
        retry = f"retrying in {max(0, round((f.retry_at - now).total_seconds()))}s"
    else:
        retry = "retrying"
    return [
        (f"STALE since {f.stale_since:%H:%M:%S}, {retry}: ", "bold $error"),
        clean(f.reason, limit=300),
    ]
