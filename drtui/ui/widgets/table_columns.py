"""A table's columns and how they fit: what a `LineTable` is configured with.

A `Column[R]` has a fixed width and a drop-out priority; one `flex` column takes the room left;
`clock` columns depend on the time; `order_by` names a server sort, `sort_key` a client-side one.
`fit` chooses the columns a width holds, `fit_text` and `fit_middle` cut a cell to its width.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from rich.cells import cell_len, set_cell_size


class HasId(Protocol):
    @property
    def id(self) -> str: ...


R = TypeVar("R", bound=HasId)

Cell = tuple[str, str]
"""Text and tone ("bad", "warn", "good", "muted" or "" for plain)."""

GUTTER = 2
"""One column for the row marker (▲ highlighted, ● selected) and one space."""
OPTIONAL_FROM = 4
"""Columns of this priority or higher only join if the flex column keeps its comfort width."""


@dataclass(frozen=True, slots=True)
class Column(Generic[R]):
    key: str
    title: str
    width: int
    priority: int
    """Columns with the highest priority number drop out first when the terminal is narrow."""
    cell: Callable[[R, datetime], Cell]
    order_by: str | None = None
    """The API orderBy field this column sorts by, if the server can."""
    sort_key: Callable[[R], Any] | None = None
    """A client-side sort key, for lists the view sorts itself."""
    flex: bool = False
    """Takes the room the other columns leave, between `width` and `max_width`."""
    comfort: int = 0
    """The flex column's width before optional columns may join."""
    max_width: int = 0
    clock: bool = False
    """The cell's text depends on the time (an age): kept in the line key, redrawn on tick."""
    cut_middle: bool = False
    """Too long a text loses its middle (`Wholesale Tra…ly (prod)`): its end tells rows apart."""
    name: str = ""
    """How a sort chooser names the column (default: its title, capitalised: `Use cases`);
    for titles that are abbreviations (`DEF` is `Default`, `CPU` stays `CPU`)."""

    @property
    def sort_name(self) -> str:
        return self.name or self.title.capitalize()


def fit(columns: Sequence[Column[R]], width: int) -> tuple[list[Column[R]], dict[str, int]]:
    """Columns that fit `width` cells (display order) and each chosen column's width.

    Lower-priority columns drop out first; the flex column keeps at least its own width, and
    optional columns (priority >= OPTIONAL_FROM) join only if it keeps its comfort width.
    """
    room = width - GUTTER
    flex = next((c for c in columns if c.flex), None)
    chosen = {c.key for c in columns if c.priority == 0}
    used = sum(c.width + 1 for c in columns if c.key in chosen)
    comfort_spare = max(0, flex.comfort - flex.width) if flex is not None else 0
    for column in sorted(columns, key=lambda c: c.priority):
        if column.key in chosen:
            continue
        spare = comfort_spare if column.priority >= OPTIONAL_FROM else 0
        if used + column.width + 1 + spare <= room:
            chosen.add(column.key)
            used += column.width + 1
    widths = {c.key: c.width for c in columns if c.key in chosen}
    if flex is not None:
        widths[flex.key] = max(
            flex.width, min(flex.max_width or flex.width, flex.width + room - used)
        )
    return [c for c in columns if c.key in chosen], widths


def sort_rows(rows: Iterable[R], column: Column[R] | None, *, descending: bool = False) -> list[R]:
    """Rows sorted by a column's client-side key (blank values last either way)."""
    out = list(rows)
    if column is None or column.sort_key is None:
        return out
    key = column.sort_key
    present = [r for r in out if key(r) not in (None, "")]
    blank = [r for r in out if key(r) in (None, "")]
    present.sort(key=key, reverse=descending)
    return present + blank


def fit_text(text: str, width: int) -> str:
    """Pad or cut to exactly `width` cells (cells, not characters: wide glyphs count double)."""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


def fit_middle(text: str, width: int) -> str:
    """Pad, or cut the middle out so the start and the end both show (`Wholesale Tr…y (prod)`):
    labels that share a long prefix stay apart by their suffix."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    if width < 8:
        return fit_text(text, width)
    tail = (width - 1) * 2 // 5
    head = width - 1 - tail
    end = text
    while cell_len(end) > tail:
        end = end[1:]
    return set_cell_size(set_cell_size(text, head) + "…" + end, width)
