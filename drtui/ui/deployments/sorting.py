"""The deployments view's sort keys: which order each of them asks for.

An order is an API orderBy (`label`, `-lastPredictionTimestamp`: a `-` descends). The fleet is
fetched in an order traffic cannot move and sorted locally (core.views), so a new order costs
no request; the server's narrowing is fetched in that same steady order.
"""

from __future__ import annotations

from drtui.core.views import DEFAULT_ORDER

DESCENDING_FIRST = frozenset({"recentPredictions", "lastPredictionTimestamp"})
"""One-key sorts that start descending (busiest, latest first); health starts worst first,
importance most important first (their ascending order)."""


def clicked(order_by: str | None, field: str) -> str:
    """A header click: by that column, ascending; a second click descends."""
    return f"-{field}" if (order_by or DEFAULT_ORDER) == field else field


def reversed_order(order_by: str | None) -> str:
    """`S`: the current sort, the other way."""
    current = order_by or DEFAULT_ORDER
    return current[1:] if current.startswith("-") else f"-{current}"


def one_key(order_by: str | None, field: str) -> str:
    """`L`, `H`, `I`…: by that column; again reverses it. Times and counts start with the
    newest / largest, names with A."""
    current = order_by or DEFAULT_ORDER
    if current.lstrip("-") == field:
        return reversed_order(current)
    return f"-{field}" if field in DESCENDING_FIRST else field
