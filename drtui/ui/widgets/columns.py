"""The deployments table's columns: fixed widths, priorities for narrow terminals, sort keys.

Widths are fixed (the label column alone takes what is left, within bounds), so new data never
makes the table re-measure: a refresh repaints the rows that changed and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from drtui.core.formatting import age
from drtui.core.health import look
from drtui.core.rows import Row
from drtui.ui.widgets.table_columns import GUTTER, Cell, Column, fit

__all__ = ["COLUMNS", "GUTTER", "Cell", "Column", "fit"]


CLOCK_SKEW = 300.0
"""Seconds a server's clock may run ahead of ours and a last prediction still read "just now"."""


def last_seen(moment: datetime | None, now: datetime) -> str:
    """LAST PRED: `age`, with a timestamp ahead of our clock (the server's clock is ahead)
    read as "just now" for a small skew and "clock skew" beyond (the detail pane has the
    time), never "in future"."""
    if moment is not None and moment > now:
        return "just now" if (moment - now).total_seconds() <= CLOCK_SKEW else "clock skew"
    return age(moment, now)


def last_column(text: Callable[[Row, datetime], str] | None = None) -> Column[Row]:
    """The LAST PRED column; `text` draws it (default `last_seen` of the row's last prediction)."""
    draw = text or (lambda r, now: last_seen(r.last_prediction, now))
    return Column(
        "last",
        "LAST PRED",
        10,
        1,
        lambda r, now: (draw(r, now), ""),
        "lastPredictionTimestamp",
        clock=True,
    )


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
    last_column(),
    Column("owner", "OWNER", 14, 6, lambda r, _: (r.owner, "muted")),
)


STRIP_WIDTH = 11
"""Eight three-hour cells, a space, and the number of health changes (capped at 99)."""
STRIP_CELLS = 8
MIN_STRIP_CELLS = 3


def strip_column(text_of: Callable[[str], str], cells: int = STRIP_CELLS) -> Column[Row]:
    """The last 24 h of health from the flight recorder (`text_of(deployment id)`), its newest
    `cells` three-hour cells (fewer while the history is younger than 24 h: no blank columns
    at 80 wide). Its text is not part of the row, so it is a `clock` column: the line key
    holds the text it was drawn with, and a new strip repaints that cell only."""
    name = "LAST 24H" if cells >= STRIP_CELLS else "24H"
    return Column(
        "strip",
        f"{name:<{cells}}  #",
        STRIP_WIDTH - STRIP_CELLS + cells,
        3,
        lambda r, _: (text_of(r.id), ""),
        clock=True,
    )


def with_strips(text_of: Callable[[str], str], cells: int = STRIP_CELLS) -> tuple[Column[Row], ...]:
    """The deployment columns with the strip after the label."""
    at = next(i for i, c in enumerate(COLUMNS) if c.key == "label") + 1
    return (*COLUMNS[:at], strip_column(text_of, cells), *COLUMNS[at:])


def recorded_cells(texts: Iterable[str]) -> int:
    """How many of the newest cells any strip has recorded (at least MIN_STRIP_CELLS)."""
    used = MIN_STRIP_CELLS
    for text in texts:
        used = max(used, len(text[:STRIP_CELLS].lstrip(" ")))  # from the oldest recorded
        if used >= STRIP_CELLS:
            break
    return min(used, STRIP_CELLS)
