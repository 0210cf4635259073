"""What the rows of every listed resource share: one row per id, and the instant search.

A list read page by page while it changes can hand the same record twice (an offset that moved
under the reader); each view keeps the first, and each searches the same way: a lowercase
substring of the text its rows are found by (`haystack`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar


class Listed(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def haystack(self) -> str: ...


L = TypeVar("L", bound=Listed)


def first_by_id(rows: Iterable[L]) -> list[L]:
    """The rows in their order, a repeated id dropped (the first wins)."""
    kept: dict[str, L] = {}
    for row in rows:
        kept.setdefault(row.id, row)
    return list(kept.values())


def matching(rows: Sequence[L], text: str) -> list[L]:
    """The rows whose haystack holds `text` (trimmed, any case)."""
    needle = text.strip().lower()
    if not needle:
        return list(rows)
    return [row for row in rows if needle in row.haystack]
