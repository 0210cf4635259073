"""The view cache behind a keystroke: the same answers as narrowing afresh, never stale rows."""

from __future__ import annotations

import pytest

from drtui.core.fleet import Fleet
from drtui.core.rows import Row
from drtui.core.views import ViewCache, narrow, sort_rows, visible_rows
from tests.core.factory import deployment

LABELS = ["Churn predictor", "Churn scorer", "Chat router", "Fraud", "churn (eu)", "Credit"]


def rows() -> list[Row]:
    fleet = Fleet.from_deployments(
        [deployment(f"d{i}", label=label) for i, label in enumerate(LABELS)]
    )
    return list(fleet.rows.values())


def ids(found: list[Row]) -> list[str]:
    return [row.id for row in found]


def test_typing_and_deleting_a_word_gives_what_narrowing_afresh_gives() -> None:
    fleet, cache = rows(), ViewCache()
    word = "churn p"
    texts = [word[:n] for n in range(1, len(word) + 1)] + [word[:n] for n in range(len(word))]
    for text in [*texts, "!churn", "ch.rn", "c[", "CHURN", "  churn "]:
        got = visible_rows(fleet, attention=False, search=text, order_by="label", cache=cache)
        assert ids(got) == ids(narrow(sort_rows(fleet, "label"), text)), text


def test_each_answer_is_a_new_list_the_caller_may_keep() -> None:
    fleet, cache = rows(), ViewCache()
    first = visible_rows(fleet, attention=False, search="ch", cache=cache)
    first.clear()
    again = visible_rows(fleet, attention=False, search="ch", cache=cache)
    assert ids(again) == ids(narrow(sort_rows(fleet, None), "ch"))


def test_new_rows_are_never_answered_from_the_old_ones() -> None:
    fleet, cache = rows(), ViewCache()
    visible_rows(fleet, attention=False, search="churn", cache=cache)
    # A poll's row equal in every shown field still replaces the old one (its record may differ).
    renewed = [row.replace() for row in fleet]
    got = visible_rows(renewed, attention=False, search="churn", cache=cache)
    assert all(any(row is new for new in renewed) for row in got)
    relabelled = [fleet[3].replace(label="Churn fraud", haystack="churn fraud")]
    assert ids(visible_rows(relabelled, attention=False, search="churn", cache=cache)) == ["d3"]


def test_another_sort_or_view_sorts_again() -> None:
    fleet, cache = rows(), ViewCache()
    up = visible_rows(fleet, attention=False, search="", order_by="label", cache=cache)
    down = visible_rows(fleet, attention=False, search="", order_by="-label", cache=cache)
    assert ids(down) == list(reversed(ids(up)))
    assert visible_rows(fleet, attention=True, search="", cache=cache) == []


def test_kept_narrowings_stay_within_their_budget() -> None:
    fleet, cache = rows(), ViewCache(budget=1)
    for text in ("c", "ch", "chu", "chur", "churn", "cr", "f"):
        visible_rows(fleet, attention=False, search=text, cache=cache)
        assert cache.kept <= len(fleet) or len(cache.found) == 1
    assert ids(visible_rows(fleet, attention=False, search="c", cache=cache)) == ids(
        narrow(fleet, "c")
    )


def test_the_servers_narrowing_is_ordered_as_sorting_it_would() -> None:
    fleet, cache = rows(), ViewCache()
    for order_by, attention in (("label", False), ("-label", False), (None, True)):
        whole = visible_rows(fleet, attention=attention, search="", order_by=order_by, cache=cache)
        part = [row for row in fleet if "c" in row.haystack]  # the same rows, in fetch order
        got = visible_rows(part, attention=attention, search="", order_by=order_by, cache=cache)
        assert ids(got) == ids(
            visible_rows(part, attention=attention, search="", order_by=order_by)
        )
        assert set(ids(got)) <= set(ids(whole)) or attention
        shuffled = list(reversed(part))  # another relative order: sorted afresh, same answer
        again = visible_rows(
            shuffled, attention=attention, search="", order_by=order_by, cache=cache
        )
        assert ids(again) == ids(
            visible_rows(shuffled, attention=attention, search="", order_by=order_by)
        )


def test_the_fleet_and_the_servers_narrowing_are_both_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fleet, cache = rows(), ViewCache()
    part = fleet[:3]
    visible_rows(fleet, attention=False, search="c", order_by="label", cache=cache)
    visible_rows(part, attention=False, search="c", order_by="label", cache=cache)
    sorted_again: list[int] = []

    def counted(rows: list[Row], order_by: str | None) -> list[Row]:
        sorted_again.append(len(rows))
        return sort_rows(rows, order_by)

    monkeypatch.setattr("drtui.core.views.sort_rows", counted)
    got = visible_rows(fleet, attention=False, search="ch", order_by="label", cache=cache)
    visible_rows(part, attention=False, search="ch", order_by="label", cache=cache)
    assert sorted_again == []
    assert ids(got) == ids(narrow(sort_rows(fleet, "label"), "ch"))
