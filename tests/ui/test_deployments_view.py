"""FleetView without a running app: which rows the deployments table is drawn from while a
search is typed, answered by the server, filtered, sorted, replayed or written to."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from drtui.api.query import DeploymentQuery
from drtui.core.fleet import Fleet
from drtui.core.recorded import Replay
from drtui.core.rows import Row
from drtui.ui.deployments.view import FleetView, narrows
from tests.core.factory import deployment

NOW = datetime(2026, 11, 30, 3, 12, tzinfo=UTC)
LABELS = ["churn model", "churn scorer", "fraud model", "fraud scorer", "credit limit"]


def fleet() -> Fleet:
    return Fleet.from_deployments(
        [
            deployment(f"d{i}", label=label, service="failing" if i == 2 else "passing")
            for i, label in enumerate(LABELS)
        ]
    )


def loaded(typed: str = "", **query: object) -> FleetView:
    view = FleetView(DeploymentQuery(**query), typed, attention=False)  # type: ignore[arg-type]
    view.set_fleet(fleet(), None, None)
    return view


def ids(rows: list[Row] | dict[str, Row]) -> list[str]:
    return [r.id for r in (rows.values() if isinstance(rows, dict) else rows)]


def answer(view: FleetView, search: str) -> dict[str, Row]:
    """The server's narrowing for `search`, as the fleet's own rows."""
    return {k: r for k, r in view.fleet.rows.items() if search in r.haystack}


def test_narrows_is_anything_but_the_sort() -> None:
    assert not narrows(DeploymentQuery(order_by="label"))
    assert narrows(DeploymentQuery(search="x"))
    assert narrows(DeploymentQuery(service_health=("failing",)))


def test_only_plain_text_is_asked_of_the_server() -> None:
    view = loaded()
    for text, asked in [
        ("Churn", "churn"),
        ("", None),
        ("v[0-9]+$", None),  # a regular expression narrows here only
        ("!churn", None),  # so does hiding
        ("d3", None),  # a deployment's id
    ]:
        view.search_text = text
        assert view.typed_search() == asked, text


def test_the_fleet_stands_in_until_the_answer_for_the_typed_text_lands() -> None:
    view = loaded()
    view.search_text = "churn"
    assert view.shown is view.fleet.rows and view.standing_in() == "churn"
    view.query = dataclasses.replace(view.query, search="churn")
    view.set_narrowed(answer(view, "churn"), view.query)
    assert ids(view.shown) == ["d0", "d1"] and view.standing_in() is None
    view.search_text = "chur"  # a letter deleted: the answer is too narrow for it
    assert view.shown is view.fleet.rows and view.standing_in() == "chur"
    assert ids(view.rows()) == ["d0", "d1"]


def test_with_another_filter_the_servers_answer_stays_shown() -> None:
    view = loaded(service_health=("failing",))
    query = dataclasses.replace(view.query, search="fraud")
    view.set_narrowed({"d2": view.fleet.rows["d2"]}, query)
    view.search_text = "frau"
    assert ids(view.shown) == ["d2"] and view.standing_in() is None


def test_a_new_sort_keeps_the_narrowing_and_new_filters_drop_it() -> None:
    view = loaded(search="fraud")
    view.set_narrowed(answer(view, "fraud"), view.query)
    assert not view.requery(dataclasses.replace(view.query, order_by="label"))
    assert view.narrowed is not None
    assert view.requery(DeploymentQuery(order_by="label"))
    assert view.narrowed is None and view.answers is None


def test_a_poll_without_a_narrowing_answers_nothing() -> None:
    view = loaded()
    view.set_fleet(fleet(), None, DeploymentQuery(search="x"))
    assert view.answers is None
    assert view.counts["service"].failing == 1


def test_a_write_changes_the_fleet_and_the_narrowing_alike() -> None:
    view = loaded(search="fraud")
    view.set_narrowed(answer(view, "fraud"), view.query)
    view.change_rows(lambda rows: rows.pop("d2", None))
    assert "d2" not in view.fleet.rows and ids(view.narrowed or {}) == ["d3"]
    assert sum(c for c in dataclasses.astuple(view.counts["service"])) == len(LABELS) - 1


def test_the_attention_view_groups_worst_first_and_says_so() -> None:
    view = loaded(order_by="label")
    view.attention = True
    assert ids(view.rows()) == ["d2"] and view.order is None
    bar = view.bar(drawn=1)
    assert bar.grouped == "worst first, then Label ▲" and bar.total == 5 and bar.fleet == 5
    view.attention = False
    assert view.order == "label" and view.bar(drawn=5).grouped is None


def test_the_bar_counts_what_the_answer_will_hold_while_the_fleet_stands_in() -> None:
    view = loaded()
    view.search_text = "scorer"
    rows = view.rows()
    bar = view.bar(drawn=len(rows))
    assert ids(rows) == ["d1", "d3"]
    assert (bar.shown, bar.total) == (2, 2)
    assert 'search: "scorer"' in bar.chips


def test_an_invalid_pattern_is_named_and_matched_as_text() -> None:
    view = loaded("(churn")
    assert view.bar(drawn=0).notes[0].startswith("invalid pattern")


def test_empty_says_why() -> None:
    view = loaded()
    view.attention = True
    view.change_rows(lambda rows: rows.pop("d2"))
    assert view.empty_message() == "No deployment needs attention. Press a to show all."
    view.search_text = "zzz"
    assert view.empty_message() == "No deployments match."


def test_a_replay_shows_the_recorded_fleet() -> None:
    view = loaded()
    view.replay = Replay(NOW, {}, (NOW, NOW))
    view.replay_rows = {"d4": view.fleet.rows["d4"]}
    view.search_text = "churn"
    assert ids(view.shown) == ["d4"] and view.standing_in() is None
    assert sum(dataclasses.astuple(view.header_counts()["service"])) == 1
