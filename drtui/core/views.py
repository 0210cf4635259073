"""Which rows the table shows, in which order: the attention view and client-side narrowing.

The server sorts (orderBy); the attention view re-ranks the loaded rows worst first. Narrowing is
a substring test over each row's precomputed haystack, so 10,000 rows refilter per keystroke in a
few milliseconds. It matches what the API's `search` does (case-insensitive, label and
description), so the instant preview and the debounced server answer agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from drtui.api.query import LIST_FILTERS, SCALAR_FILTERS, DeploymentQuery
from drtui.core.health import is_passing
from drtui.core.rows import Row


def needs_attention(row: Row) -> bool:
    """Any health dimension not passing."""
    return not all(is_passing(status) for status in row.health)


def attention_order(rows: Iterable[Row]) -> list[Row]:
    """Rows needing attention, worst health first, then most important; server order breaks ties."""
    chosen = [row for row in rows if needs_attention(row)]
    chosen.sort(key=lambda row: (row.worst, row.importance_rank))  # stable: keeps server order
    return chosen


def narrow(rows: Sequence[Row], text: str) -> list[Row]:
    """Rows whose label or description holds `text`, case-insensitively."""
    needle = text.strip().lower()
    if not needle:
        return list(rows)
    return [row for row in rows if needle in row.haystack]


def visible_rows(rows: Iterable[Row], *, attention: bool, search: str) -> list[Row]:
    """The table's content for the current view and search text."""
    base = attention_order(rows) if attention else list(rows)
    return narrow(base, search)


def chips(query: DeploymentQuery) -> list[str]:
    """`name: values` for every filter set in the query (orderBy shown as `sort`)."""
    out: list[str] = []
    for name, attribute in LIST_FILTERS.items():
        values = getattr(query, attribute)
        if values:
            out.append(f"{name}: {','.join(values)}")
    for name, attribute in SCALAR_FILTERS.items():
        value = getattr(query, attribute)
        if value is None or name in ("orderBy", "search"):
            continue
        out.append(f"{name}: {value}")
    if query.search:
        out.append(f'search: "{query.search}"')
    if query.order_by:
        out.append(f"sort: {query.order_by}")
    return out
