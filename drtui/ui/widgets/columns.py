"""The deployments table's columns: fixed widths, priorities for narrow terminals, sort keys.

Widths are fixed (the label column alone takes what is left, within bounds), so new data never
makes the table re-measure: a refresh repaints the rows that changed and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from drtui.core.formatting import age
from drtui.core.health import look
from drtui.core.rows import Row
from drtui.ui.widgets.line_table import GUTTER, Cell, Column, fit

__all__ = ["COLUMNS", "GUTTER", "Cell", "Column", "fit"]


def _health(index: int) -> Callable[[Row, datetime], Cell]:
    def cell(row: Row, now: datetime) -> Cell:
        shown = look(row.health[index])
        return shown.cell, shown.tone

    return cell


LABEL_MIN, LABEL_COMFORT, LABEL_MAX = 20, 30, 72
"""The label keeps LABEL_MIN always, and LABEL_COMFORT before optional columns join."""

COLUMNS: tuple[Column[Row], ...] = (
    Column("service", "SVC", 6, 0, _health(0), "serviceHealth"),
    Column("model", "MDL", 6, 0, _health(1), "modelHealth"),
    Column("accuracy", "ACC", 6, 0, _health(2), "accuracyHealth"),
    Column(
        "label",
        "LABEL",
        LABEL_MIN,
        0,
        lambda r, _: (r.label, ""),
        "label",
        flex=True,
        comfort=LABEL_COMFORT,
        max_width=LABEL_MAX,
        cut_middle=True,
    ),
    Column("status", "STATUS", 9, 4, lambda r, _: (r.status, "")),
    Column("importance", "IMPORT.", 8, 2, lambda r, _: (r.importance, ""), "importance"),
    Column("target", "TARGET", 11, 5, lambda r, _: (r.target_type, "")),
    Column("platform", "PLATFORM", 10, 6, lambda r, _: (r.platform, "")),
    Column("tags", "TAGS", 18, 7, lambda r, _: (r.tags, "muted")),
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
        clock=True,
    ),
    Column("owner", "OWNER", 14, 6, lambda r, _: (r.owner, "muted")),
)


STRIP_WIDTH = 11
"""Eight three-hour cells, a space, and the number of health changes (capped at 99)."""


def strip_column(text_of: Callable[[str], str]) -> Column[Row]:
    """The last 24 h of health from the flight recorder (`text_of(deployment id)`). Its text is
    not part of the row, so it is a `clock` column: the line key holds the text it was drawn
    with, and a new strip repaints that cell only."""
    return Column(
        "strip",
        "LAST 24H  #",
        STRIP_WIDTH,
        3,
        lambda r, _: (text_of(r.id), ""),
        clock=True,
    )


def with_strips(text_of: Callable[[str], str]) -> tuple[Column[Row], ...]:
    """The deployment columns with the strip after the label."""
    at = next(i for i, c in enumerate(COLUMNS) if c.key == "label") + 1
    return (*COLUMNS[:at], strip_column(text_of), *COLUMNS[at:])
