"""Exported cells a spreadsheet cannot run.

A label, tag or owner name comes from other people. Written to CSV as it is, ``=HYPERLINK(...)``
or ``@SUM(...)`` becomes a live formula when the file is opened in Excel, LibreOffice or Google
Sheets (CSV formula injection). Spreadsheet-safe exporters (OWASP's advice) prefix such a cell
with a single quote, which the spreadsheet shows as text. A tab or carriage return in front of
the formula character counts too: `clean` strips them, which would otherwise leave a live ``=``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""Characters a spreadsheet reads as the start of a formula (with their full-width forms)."""


def neutralise(value: Any) -> Any:
    """``value`` made inert for a spreadsheet: a string starting a formula gets a ``'`` prefix.

    Anything that is not a string (counts, None) is returned unchanged, so numbers stay numbers.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """Every cell of one CSV row through `neutralise`."""
    return {key: neutralise(value) for key, value in row.items()}
