"""The lists behind GET /deployments/ are kept up to date from what changed (selections.py):
after every kind of change they must equal a full sort and filter of the world as it is now."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from drtui.emulator import selections
from drtui.emulator.clock import iso
from drtui.emulator.config import EmulatorConfig
from drtui.emulator.filters import ORDER_VALUES, SORT_KEYS, DeploymentQuery
from drtui.emulator.mutations import deployment_create
from drtui.emulator.selections import inverted
from drtui.emulator.state import EmulatorState
from drtui.emulator.users import ADMIN_USER, NORMAL_USER, ROLE_PERMISSIONS, Account
from tests.emulator.conftest import fetch_all

FILTERED_ORDERS = (
    "-lastPredictionTimestamp", "lastPredictionTimestamp", "-recentPredictions", "label",
    "-label", "serviceHealth", "-createdAtTimestamp",
)  # fmt: skip


def _queries(state: EmulatorState) -> list[DeploymentQuery]:
    start = state.clock.start.timestamp()
    return [
        DeploymentQuery(service_health=frozenset({"failing", "warning"})),
        DeploymentQuery(role="OWNER"),
        DeploymentQuery(status=frozenset({"active"}), importance=frozenset({"CRITICAL", "HIGH"})),
        DeploymentQuery(search="fraud"),
        DeploymentQuery(last_prediction_start=start - 60),  # moves with traffic
        DeploymentQuery(last_prediction_end=start + 30, usage_above=300.0),
        DeploymentQuery(created_by_me=True),
    ]


def expected(
    state: EmulatorState, query: DeploymentQuery, order: str, account: Account
) -> list[str]:
    """The reference: every deployment sorted afresh, ties by id ascending either way."""
    records = sorted(state.deployments.values(), key=lambda record: record.id)
    records.sort(key=SORT_KEYS[order.lstrip("-")], reverse=order.startswith("-"))
    return [r.id for r in records if query.matches(r, state.role_of(r, account), account.id)]


def check(state: EmulatorState) -> None:
    checks = [(DeploymentQuery(), order, NORMAL_USER) for order in ORDER_VALUES]
    for query in _queries(state):
        checks += [(query, order, NORMAL_USER) for order in FILTERED_ORDERS]
    checks += [(query, "-lastPredictionTimestamp", ADMIN_USER) for query in _queries(state)]
    for query, order, account in checks:
        with state.lock:
            listing = state.select(query, order, account)
            want = expected(state, query, order, account)
            assert listing.ids() == want, (query, order, account.email)
            assert len(listing) == len(want)
            for offset in (0, 7, max(0, len(want) - 3), len(want) + 5):
                assert listing.page(offset, 7) == want[offset : offset + 7], (order, offset)
    for record in state.deployments.values():  # what was rendered is forgotten on change too
        role = state.role_of(record, NORMAL_USER)
        shown = json.loads(state.render(record, NORMAL_USER))
        assert shown == {**record.doc, "permissions": list(ROLE_PERMISSIONS[role])}


def changes(state: EmulatorState) -> Iterator[str]:
    """Every kind of change the world goes through, one at a time."""
    yield "start"
    state.advance(3)
    yield "three seconds of traffic"
    state.advance(0.25)
    yield "a quarter of a second"
    state.advance(61)
    yield "a minute's evolution"
    victim = sorted(state.deployments)[5]
    state.set_health(victim, "serviceHealth", "failing")
    yield "health forced"
    state.update_deployment(victim, {"label": "aaa first of all", "importance": "CRITICAL"})
    yield "label and importance edited"
    fields = deployment_create(
        {"label": "Fraud Detection fresh", "modelId": "5f0000000000000000000abc"}, set()
    )
    created, _ = state.create_deployment(fields, NORMAL_USER)
    yield "created"
    state.advance(state.config.job_seconds + 1)
    assert state.deployments[created].doc["status"] == "active"
    yield "launched"
    state.delete_deployment(sorted(state.deployments)[10])
    yield "deleted"
    busy = next(i for i in state.deployments if state.streams.has(i))
    state.hush(busy)
    state.advance(30)
    yield "hushed"
    state.advance(3600)
    yield "an hour: health windows slide"
    state.advance(86400 - state.clock.elapsed() - 1)
    yield "a second before midnight"
    state.advance(2)
    yield "the day rolled over: every live deployment's daily rates moved"


@pytest.mark.parametrize("replay", ["incremental", "rebuilt"])
def test_lists_equal_a_full_sort_after_every_kind_of_change(
    replay: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if replay == "rebuilt":  # a list more than two changes behind is sorted afresh
        monkeypatch.setattr(selections, "REPLAY_FLOOR", 2)
        monkeypatch.setattr(selections, "REPLAY_SHARE", 10**9)
    state = EmulatorState(EmulatorConfig(deployments=300, seed=3, clock="manual"))
    for step in changes(state):
        try:
            check(state)
        except AssertionError as error:
            raise AssertionError(f"after {step}: {error}") from error


def test_traffic_moves_the_lists_between_two_requests_a_second_apart() -> None:
    """The default order really is replayed, not rebuilt, and still moves with the traffic."""
    state = EmulatorState(EmulatorConfig(deployments=300, seed=3, clock="manual"))
    listing = state.select(DeploymentQuery(), "-lastPredictionTimestamp", NORMAL_USER)
    before = listing.ids()
    state.advance(1)
    again = state.select(DeploymentQuery(), "-lastPredictionTimestamp", NORMAL_USER)
    assert again is listing
    assert again.ids() != before
    assert again.ids() == expected(
        state, DeploymentQuery(), "-lastPredictionTimestamp", NORMAL_USER
    )


async def test_a_filter_on_prediction_times_follows_traffic_under_any_order(
    client: httpx.AsyncClient, state: EmulatorState
) -> None:
    """orderBy=label does not move with traffic, but this filter does: it was once served from a
    list cached across predictions."""
    since = state.clock.now()
    params: dict[str, str | list[str]] = {
        "orderBy": "label",
        "lastPredictionTimestampStart": iso(since),
    }

    def predicted() -> list[str]:
        cut = since.timestamp()
        return sorted(r.id for r in state.deployments.values() if (r.last_prediction or 0) >= cut)

    first = [item["id"] for item in await fetch_all(client, params)]
    assert sorted(first) == predicted()
    state.advance(5)
    later = [item["id"] for item in await fetch_all(client, params)]
    assert len(later) > len(first)
    assert sorted(later) == predicted()


@given(st.text(), st.text())
def test_an_inverted_id_sorts_the_other_way(a: str, b: str) -> None:
    a, b = a.replace("\0", ""), b.replace("\0", "")
    assert (a < b) == (inverted(a) > inverted(b))
    assert (a == b) == (inverted(a) == inverted(b))


def test_cached_lists_stay_within_their_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selections, "LISTS_KEPT", 5)
    state = EmulatorState(EmulatorConfig(deployments=300, seed=3, clock="manual"))
    for order in ORDER_VALUES:
        state.select(DeploymentQuery(role="OWNER"), order, NORMAL_USER)
    kept = state._selections._lists
    assert len(kept) == 5
    assert list(kept)[-1] == (ORDER_VALUES[-1], DeploymentQuery(role="OWNER"), NORMAL_USER.id)
