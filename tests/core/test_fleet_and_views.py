from datetime import UTC, datetime

import pytest

from drtui.api.models import Deployment
from drtui.api.query import ORDER_BY_FIELDS, DeploymentQuery
from drtui.core.events import EventLog
from drtui.core.fleet import Fleet, diff, summary, transitions
from drtui.core.views import (
    SORT_KEYS,
    attention_counts,
    attention_order,
    narrow,
    sort_rows,
    visible_rows,
)
from tests.core.factory import deployment


def fleet(*deployments: Deployment) -> Fleet:
    return Fleet.from_deployments(deployments)


def test_diff_names_changed_added_removed_and_keeps_server_order() -> None:
    old = fleet(deployment("a"), deployment("b"), deployment("c"))
    new = fleet(deployment("a"), deployment("c", label="renamed"), deployment("d"))
    d = diff(old, new)
    assert d.changed == {"c"} and d.added == {"d"} and d.removed == {"b"}
    assert list(d.fleet.rows) == ["a", "c", "d"]
    assert diff(
        new, fleet(deployment("a"), deployment("c", label="renamed"), deployment("d"))
    ).is_empty


def test_transitions_say_worse_or_better_per_dimension() -> None:
    old = fleet(deployment("a", service="passing", model="warning"))
    new = fleet(deployment("a", service="warning", model="passing"))
    moves = transitions(old, new, diff(old, new).changed)
    assert [(m.dimension, m.old, m.new, m.worse, m.better) for m in moves] == [
        ("service", "passing", "warning", True, False),
        ("model", "warning", "passing", False, True),
    ]
    lost = fleet(deployment("a", service="unknown", model="passing"))
    (move,) = transitions(old, lost, ["a"])[:1]
    assert (move.new, move.worse, move.better) == ("unknown", False, False)


def test_attention_view_is_worst_first_then_importance() -> None:
    rows = fleet(
        deployment("ok"),
        deployment("warn-low", model="warning", importance="LOW"),
        deployment("fail-low", accuracy="failing", importance="LOW"),
        deployment("warn-crit", service="warning", importance="CRITICAL"),
        deployment("unknown", accuracy="unknown"),
    ).rows.values()
    # Failing or warning by default (unknown is a new or idle deployment, not a problem)...
    assert [r.id for r in attention_order(rows)] == ["fail-low", "warn-crit", "warn-low"]
    # ...and behind the toggle, after the problems.
    assert [r.id for r in attention_order(rows, include_unknown=True)] == [
        "fail-low",
        "warn-crit",
        "warn-low",
        "unknown",
    ]
    assert attention_counts(rows) == (3, 1)


def test_one_missing_poll_is_not_a_removal() -> None:
    first = fleet(deployment("a"), deployment("b", service="passing"))
    # b moved between two page requests and was missed: kept one poll, marked missing.
    second = Fleet.from_deployments([deployment("a")], previous=first)
    assert set(second.rows) == {"a", "b"} and second.missing == {"b"}
    assert diff(first, second).removed == frozenset()
    # Back with a worse health: a transition, not a "first sighting".
    third = Fleet.from_deployments(
        [deployment("a"), deployment("b", service="failing")], previous=second
    )
    moves = transitions(second, third, diff(second, third).changed)
    assert [(m.deployment_id, m.new, m.worse) for m in moves] == [("b", "failing", True)]
    # Missing twice in a row: gone.
    gone = Fleet.from_deployments([deployment("a")], previous=second)
    assert set(gone.rows) == {"a"} and diff(second, gone).removed == {"b"}


def test_rows_are_sorted_locally_by_any_offered_order() -> None:
    rows = list(
        fleet(
            deployment("b", label="beta", importance="LOW", service="warning"),
            deployment("a", label="Alpha", importance="CRITICAL", service="failing"),
            deployment("c", label="gamma", importance="HIGH", service="passing"),
        ).rows.values()
    )
    assert [r.id for r in sort_rows(rows, "label")] == ["a", "b", "c"]
    assert [r.id for r in sort_rows(rows, "-label")] == ["c", "b", "a"]
    assert [r.id for r in sort_rows(rows, "importance")] == ["a", "c", "b"]
    assert [r.id for r in sort_rows(rows, "serviceHealth")] == ["a", "b", "c"]
    assert set(SORT_KEYS) <= set(ORDER_BY_FIELDS)


def test_narrowing_matches_label_or_description_like_the_api_search() -> None:
    rows = list(
        fleet(
            deployment("a", label="Fraud scorer"),
            deployment("b", label="churn", description="catches FRAUD rings"),
        ).rows.values()
    )
    assert [r.id for r in narrow(rows, "fraud ")] == ["a", "b"]
    assert [r.id for r in narrow(rows, "Fraud Sc")] == ["a"]
    assert [r.id for r in narrow(rows, "  ")] == ["a", "b"]
    assert [r.id for r in visible_rows(rows, attention=True, search="")] == []


def test_summary_counts_each_dimension() -> None:
    counts = summary(
        fleet(deployment("a", service="failing"), deployment("b", service="odd")).rows.values()
    )
    assert (counts["service"].failing, counts["service"].other) == (1, 1)
    assert counts["model"].passing == 2


def test_events_log_is_bounded_and_counts_what_it_dropped() -> None:
    log = EventLog(capacity=2)
    old = fleet(deployment("a"), deployment("b"), deployment("c"))
    new = fleet(*(deployment(i, service="failing") for i in "abc"))
    log.extend(datetime(2026, 1, 1, tzinfo=UTC), transitions(old, new, ["a", "b", "c"]))
    assert [e.transition.deployment_id for e in log] == ["b", "c"]
    assert log.dropped == 1
    with pytest.raises(ValueError):
        EventLog(capacity=0)


def test_narrowing_ten_thousand_rows_finds_exactly_the_substring_matches() -> None:
    # Its speed is measured by tests/benchmarks/bench_ui_terminal.py, not asserted here.
    rows = list(
        fleet(*(deployment(f"id{i}", label=f"model {i}") for i in range(10_000))).rows.values()
    )
    found = narrow(rows, "MODEL 123")
    assert {r.id for r in found} == {"id123", *(f"id123{i}" for i in range(10))}


def test_transitions_follow_the_server_order_whatever_order_the_ids_come_in() -> None:
    old = fleet(*(deployment(f"d{i}") for i in range(5)))
    new = fleet(*(deployment(f"d{i}", service="failing") for i in (4, 2, 0, 1, 3)))
    ids = ["d1", "d3", "d0", "d2", "d4"]
    assert [m.deployment_id for m in transitions(old, new, ids)] == ["d4", "d2", "d0", "d1", "d3"]
    assert [m.deployment_id for m in transitions(old, new, reversed(ids))] == [
        "d4",
        "d2",
        "d0",
        "d1",
        "d3",
    ]


def test_a_label_with_regex_characters_finds_itself_and_an_id_finds_its_deployment() -> None:
    from drtui.core.views import ViewCache, chips, parse_search

    rows = list(
        fleet(
            deployment("5f3a9c0e1b2d4c6e8a0b1c2d", label="Agent Tool Router (prod)"),
            deployment("b", label="Agent Tool Router prod"),
            deployment("c", label="Churn v12"),
        ).rows.values()
    )
    # The exact label (the parentheses a group as a pattern) and the pattern both match.
    assert [r.id for r in narrow(rows, "Agent Tool Router (prod)")] == [rows[0].id, "b"]
    assert [r.id for r in narrow(rows, "v[0-9]+$")] == ["c"]
    # A deployment's id finds it; `!id` hides it; the cached narrowing agrees.
    assert [r.id for r in narrow(rows, "5F3A9C0E1B2D4C6E8A0B1C2D")] == [rows[0].id]
    assert [r.id for r in narrow(rows, "!5f3a9c0e1b2d4c6e8a0b1c2d")] == ["b", "c"]
    cache = ViewCache()
    for typed in ("5f3a", "5f3a9c0e1b2d4c6e8a0b1c2d"):  # typed key by key: 5f3a matched nothing
        shown = visible_rows(rows, attention=False, search=typed, order_by="label", cache=cache)
    assert [r.id for r in shown] == [rows[0].id]
    # The filter bar names every kind of search, not only the plain one.
    assert chips(DeploymentQuery(), "churn") == ['search: "churn"']
    assert chips(DeploymentQuery(order_by="label"), "v[0-9]+$") == [
        'search: "v[0-9]+$" (text or regex)',
        "sort: Label ▲",
    ]
    assert chips(DeploymentQuery(), "!churn") == ['hiding: "churn"']
    assert parse_search("(x").chip == 'search: "(x"'


def test_deployments_with_no_importance_sort_last_both_ways() -> None:
    rows = list(
        fleet(
            deployment("none", importance=None),  # type: ignore[arg-type]
            deployment("low", importance="LOW"),
            deployment("crit", importance="CRITICAL"),
        ).rows.values()
    )
    assert [r.id for r in sort_rows(rows, "importance")] == ["crit", "low", "none"]
    assert [r.id for r in sort_rows(rows, "-importance")] == ["low", "crit", "none"]
