"""One row per id and the instant search, shared by the bundles and custom views' rows."""

from __future__ import annotations

from dataclasses import dataclass

from drtui.core.listing import first_by_id, matching


@dataclass(frozen=True)
class Item:
    id: str
    haystack: str


def test_a_record_read_twice_while_paging_keeps_its_first_reading() -> None:
    rows = [Item("a", "first"), Item("b", "b"), Item("a", "second")]
    assert first_by_id(rows) == [Item("a", "first"), Item("b", "b")]


def test_the_search_is_a_trimmed_substring_in_any_case() -> None:
    rows = [Item("a", "fraud scoring"), Item("b", "churn")]
    assert matching(rows, "  SCOR ") == [rows[0]]
    assert matching(rows, "") == rows
