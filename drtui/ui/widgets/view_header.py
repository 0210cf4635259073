"""The header every view shows: where we are, which view, how fresh its data is.

Line one: `drtui <View>  profile @ host  [READ-ONLY] [warnings]  updated 40s ago`; an optional
summary line of the view's own (the fleet's health counts); and, while the data is stale, a
line saying since when, when the next try is and why. Updated only when its text changes, so an
idle screen writes nothing; a poll in flight shows only once it has taken a while, so a quick
poll that changes nothing costs no bytes either. Server text is sanitised and assembled as
Content parts, never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from textual.content import Content
from textual.widgets import Static

from drtui.core.formatting import age
from drtui.core.sanitize import clean
from drtui.ui.polling import Freshness

Part = str | tuple[str, str]

SLOW_POLL = 2.0
"""A poll in flight is shown once it has run this long (quick polls stay invisible)."""


def where(profile: str, endpoint: str) -> str:
    """`profile @ host`, never the path, query or any credentials of the endpoint."""
    parts = urlsplit(endpoint)
    host = parts.hostname or endpoint
    if parts.port:
        host = f"{host}:{parts.port}"
    return f"{clean(profile, limit=40)} @ {clean(host, limit=80)}"


def freshness_parts(f: Freshness, now: datetime, *, noun: str = "data") -> list[Part]:
    """Line one's freshness: `updated 40s ago`, ` STALE  updated 3m ago`, `connecting… 12 s`."""
    paused: list[Part] = ["  ", (" PAUSED ", "reverse bold")] if f.paused else []
    polling: list[Part] = []
    if f.polling_since is not None:
        running = (now - f.polling_since).total_seconds()
        if running >= SLOW_POLL:
            verb = "connecting" if f.fetched_at is None else "refreshing"
            polling = ["  ", (f"{verb}… {int(running)} s", "italic")]
    if f.fetched_at is None:
        if f.stale_since is not None:
            return [(" STALE ", "reverse bold $error"), f" no {noun} yet", *polling, *paused]
        return [*(polling[1:] or ["loading…"]), *paused]
    if f.stale_since is not None:
        # "STALE, updated just now" reads as a contradiction: say what is old and what is not.
        label = f"last success {age(f.fetched_at, now)}"
        return [(" STALE ", "reverse bold $error"), " ", label, *polling, *paused]
    label = f"updated {age(f.fetched_at, now)}"
    return [label, *polling, *paused]


def stale_parts(f: Freshness, now: datetime) -> list[Part]:
    """'STALE since 14:02:31 UTC, retrying in 20s: <reason>'."""
    assert f.stale_since is not None
    if f.stopped:
        retry = "stopped (r retries)"
    elif f.paused:
        retry = "paused"
    elif f.polling_since is not None:
        retry = "retrying now"
    elif f.retry_at is not None:
        retry = f"retrying in {max(0, round((f.retry_at - now).total_seconds()))}s"
    else:
        retry = "retrying"
    return [
        (f"STALE since {f.stale_since:%H:%M:%S %Z}".rstrip() + f", {retry}: ", "bold $error"),
        clean(f.reason, limit=300),
    ]


class ViewHeader(Static):
    """The header of one view; `show` redraws only when the text changed."""

    def __init__(
        self,
        *,
        view: str,
        profile: str,
        endpoint: str,
        read_only: bool,
        warnings: Sequence[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._view = view
        self._where = where(profile, endpoint)
        self._read_only = read_only
        self._warnings = [clean(w, limit=120) for w in warnings if w]
        self._plain: str | None = None

    def show(
        self,
        freshness: Freshness | None,
        now: datetime,
        summary: Sequence[Part] = (),
        *,
        badges: Sequence[Part] = (),
    ) -> None:
        parts: list[Part] = [("drtui ", "bold"), (self._view, "bold $accent"), "  ", self._where]
        if self._read_only:
            parts += ["  ", (" READ-ONLY ", "reverse bold")]
        app_badges = getattr(self.app, "header_badges", None)  # the app's, in every view
        if callable(app_badges):
            badges = [*app_badges(), *badges]
        for badge in badges:
            parts += ["  ", badge]
        if freshness is not None:
            parts += ["  ", *freshness_parts(freshness, now)]
        for warning in self._warnings:
            parts += ["  ", (f"⚠ {warning}", "bold $warning")]
        if summary:
            parts += ["\n", *summary]
        if freshness is not None and freshness.stale_since is not None:
            parts += ["\n", *stale_parts(freshness, now)]
        content = Content.assemble(*parts)
        if content.plain != self._plain:
            # A new layout only when the line count changes (the STALE line comes or goes):
            # a layout pass repaints every scrollbar on screen, kilobytes for one changed word.
            relayout = self._plain is None or content.plain.count("\n") != self._plain.count("\n")
            self._plain = content.plain
            self.update(content, layout=relayout)
