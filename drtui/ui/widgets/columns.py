"""The table's columns: fixed widths, priorities for narrow terminals, and the server sort key.

Widths are fixed (the label column alone takes what is left, within bounds), so new data never
makes the table re-measure: a refresh repaints the rows that changed and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from drtui.core.formatting import age
from drtui.core.health import look
from drtui.core.rows import Row

Cell = tuple[str, str]
"""Text and tone ("bad", "warn", "good", "muted" or "" for plain)."""


def _health(index: int) -> Callable[[Row, datetime], Cell]:
    def cell(row: Row, now: datetime) -> Cell:
        shown = look(row.health[index])
        return shown.cell, shown.tone

    return cell


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    title: str
    width: int
    priority: int
    """Columns with the highest priority number drop out first when the terminal is narrow."""
    cell: Callable[[Row, datetime], Cell]
    order_by: str | None = None
    """The API orderBy field this column sorts by, if the API can."""


LABEL_MIN, LABEL_COMFORT, LABEL_MAX = 14, 30, 48
"""The label keeps LABEL_MIN always, and LABEL_COMFORT before optional columns join."""
OPTIONAL_FROM = 4
"""Columns of this priority or lower importance only join if the label stays comfortable."""

COLUMNS: tuple[Column, ...] = (
    Column("service", "SVC", 6, 0, _health(0), "serviceHealth"),
    Column("model", "MDL", 6, 0, _health(1), "modelHealth"),
    Column("accuracy", "ACC", 6, 0, _health(2), "accuracyHealth"),
    Column("label", "LABEL", LABEL_MIN, 0, lambda r, _: (r.label, ""), "label"),
    Column("status", "STATUS", 9, 3, lambda r, _: (r.status, ""), None),
    Column("importance", "IMPORT.", 8, 2, lambda r, _: (r.importance, ""), "importance"),
    Column("target", "TARGET", 11, 5, lambda r, _: (r.target_type, ""), None),
    Column("platform", "PLATFORM", 10, 6, lambda r, _: (r.platform, ""), None),
    Column("tags", "TAGS", 18, 7, lambda r, _: (r.tags, "muted"), None),
    Column(
        "usage",
        "7D PREDS",
        13,
        4,
        lambda r, _: (f"{r.spark} {r.total:>5}", ""),
        "recentPredictions",
    ),
    Column(
        "last",
        "LAST PRED",
        10,
        1,
        lambda r, now: (age(r.last_prediction, now), ""),
        "lastPredictionTimestamp",
    ),
    Column("owner", "OWNER", 14, 6, lambda r, _: (r.owner, "muted"), None),
)

GUTTER = 2
"""One column for the row marker (▲ recently degraded) and one space."""


def fit(width: int) -> tuple[list[Column], int]:
    """Columns that fit `width` cells (display order) and the label column's width.

    Lower-priority columns drop out first; the label keeps at least LABEL_MIN cells.
    """
    room = width - GUTTER
    chosen = {c.key for c in COLUMNS if c.priority == 0}
    used = sum(c.width + 1 for c in COLUMNS if c.key in chosen)
    for column in sorted(COLUMNS, key=lambda c: c.priority):
        if column.key in chosen:
            continue
        spare = LABEL_COMFORT - LABEL_MIN if column.priority >= OPTIONAL_FROM else 0
        if used + column.width + 1 + spare <= room:
            chosen.add(column.key)
            used += column.width + 1
    label_width = max(LABEL_MIN, min(LABEL_MAX, LABEL_MIN + room - used))
    return [c for c in COLUMNS if c.key in chosen], label_width
