"""Active server filters, the search text and the view, as chips on one line."""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.widgets import Static

from drtui.api.query import LIST_FILTERS, SCALAR_FILTERS, DeploymentQuery
from drtui.core.sanitize import clean


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


class FilterBar(Static):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._plain: str | None = None

    def show(self, query: DeploymentQuery, *, attention: bool, shown: int, total: int) -> None:
        view = "attention" if attention else "all"
        parts: list[str | tuple[str, str]] = [(f" {view} {shown}/{total} ", "reverse"), " "]
        for chip in chips(query):
            parts += [(f" {clean(chip, limit=80)} ", "reverse $primary"), " "]
        if len(parts) == 2:
            parts.append(("no filters · f to filter · / to search", "dim"))
        content = Content.assemble(*parts)
        if content.plain != self._plain:
            self._plain = content.plain
            self.update(content)
