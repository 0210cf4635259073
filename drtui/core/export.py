"""The one CSV writer every export uses: cells a spreadsheet cannot run, values spelt plainly.

A label, tag or owner name comes from other people. Written to CSV as it is, ``=HYPERLINK(...)``
or ``@SUM(...)`` becomes a live formula when the file is opened in Excel, LibreOffice or Google
Sheets (CSV formula injection). Spreadsheet-safe exporters (OWASP's advice) prefix such a cell
with a single quote, which the spreadsheet shows as text. A tab, carriage return or blank in
front of the formula character counts too.

Every exporter (``drtui deployments --csv``, ``drtui bundles --csv``, the events view's ``x``)
writes through `write_csv` or `csv_text`, so each cell passes `csv_cell`: strings neutralised,
booleans ``true``/``false`` (not Python's ``True``), None an empty cell, numbers as numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""Characters a spreadsheet reads as the start of a formula (with their full-width forms)."""

_LEADING_BLANKS = " \t\r\n\u3000\u00a0"


def neutralise(value: Any) -> Any:
    """``value`` made inert for a spreadsheet: a string starting a formula gets a ``'`` prefix
    (also when blanks come before the formula character).

    Anything that is not a string (counts, None) is returned unchanged, so numbers stay numbers.
    """
    if isinstance(value, str) and (
        value.startswith(FORMULA_STARTS) or value.lstrip(_LEADING_BLANKS).startswith(FORMULA_STARTS)
    ):
        return "'" + value
    return value


def neutralise_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """Every cell of one CSV row through `neutralise`."""
    return {key: neutralise(value) for key, value in row.items()}


def csv_cell(value: Any) -> str | int | float:
    """One value as its CSV cell: None empty, a boolean ``true``/``false``, a number as it is,
    anything else its text made inert (`neutralise`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    return str(neutralise(value if isinstance(value, str) else str(value)))


Record = Sequence[Any] | Mapping[str, Any]
"""A row: values in the header's order, or a mapping from header name to value (missing: empty)."""


def write_csv(
    out: TextIO,
    header: Sequence[str],
    rows: Iterable[Record],
    *,
    lineterminator: str = "\n",
) -> None:
    """``header`` then every row as CSV on ``out``, each cell through `csv_cell`.

    A row may be a sequence (in the header's order) or a mapping keyed by the header's names.
    """
    # The csv module quotes a cell holding a character of its line terminator only: written with
    # "\n" alone, a cell with a carriage return would go out unquoted and split the row for a
    # reader. So each row is made with "\r\n" (every CR and LF quoted), then ends as asked.
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(cells: list[str | int | float]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        return buffer.getvalue()[:-2] + lineterminator

    out.write(line([csv_cell(name) for name in header]))
    for row in rows:
        values = [row.get(name) for name in header] if isinstance(row, Mapping) else row
        out.write(line([csv_cell(value) for value in values]))


def csv_text(header: Sequence[str], rows: Iterable[Record], *, lineterminator: str = "\n") -> str:
    """`write_csv` into a string."""
    out = io.StringIO()
    write_csv(out, header, rows, lineterminator=lineterminator)
    return out.getvalue()
