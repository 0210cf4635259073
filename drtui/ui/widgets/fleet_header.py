"""The deployments view's header: the shared view header plus the fleet's health counts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from drtui.core.fleet import HealthCounts
from drtui.core.health import DIMENSIONS
from drtui.ui.polling import Freshness
from drtui.ui.widgets.view_header import Part, ViewHeader

__all__ = ["FleetHeader", "Freshness"]

_SHORT = {"service": "SVC", "model": "MDL", "accuracy": "ACC"}


def count_parts(counts: dict[str, HealthCounts]) -> list[Part]:
    """`SVC ✗3 !11 ✓41 ?5 │ MDL …`; before any data (no fleet loaded yet) a dash in place of
    each count: zero failing would claim what nobody knows yet."""
    parts: list[Part] = []
    if not counts:
        for i, dimension in enumerate(DIMENSIONS):
            parts += [" │ " if i else "", f"{_SHORT[dimension]} ✗– !– ✓– ?–"]
        return parts
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
    return parts


class FleetHeader(ViewHeader):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("view", "Deployments")
        super().__init__(**kwargs)

    def show_fleet(
        self, counts: dict[str, HealthCounts], freshness: Freshness, now: datetime
    ) -> None:
        self.show(freshness, now, count_parts(counts))
