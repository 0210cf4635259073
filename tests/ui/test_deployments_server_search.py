"""ServerSearch without a running app: the debounce, the request in flight, its cancellation by
a key typed meanwhile, and what its answer changes, with timers and a server the test holds."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

from drtui.api.errors import ServerError
from drtui.api.query import DeploymentQuery
from drtui.core.fleet import Fleet
from drtui.core.rows import Row
from drtui.ui.deployments import server_search as server_search_module
from drtui.ui.deployments.server_search import SEARCH_DEBOUNCE, WIDE_SEARCH_DEBOUNCE, ServerSearch
from drtui.ui.deployments.view import FleetView
from tests.core.factory import deployment
from tests.ui.parts import Clock, FakeScreen, Timers

NOW = datetime(2026, 11, 30, 3, 12, tzinfo=UTC)
LABELS = ["churn model", "churn scorer", "fraud model", "fraud scorer", "credit limit"]


@dataclass
class Server:
    """Answers a search with the fleet's rows holding it; `gate` holds the answer back."""

    fleet: Fleet
    gate: asyncio.Event = field(default_factory=asyncio.Event)
    asked: list[DeploymentQuery] = field(default_factory=list)
    failing: bool = False

    async def __call__(self, query: DeploymentQuery, known: Mapping[str, Row]) -> list[Any]:
        self.asked.append(query)
        await self.gate.wait()
        if self.failing:
            raise ServerError("503 from the server")
        return [r for r in self.fleet.rows.values() if (query.search or "") in r.haystack]


@dataclass
class Rig:
    view: FleetView
    server: Server
    timers: Timers
    search: ServerSearch = field(init=False)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    requeried: list[DeploymentQuery] = field(default_factory=list)
    polled: bool = True
    bars: int = 0
    redraws: int = 0

    def __post_init__(self) -> None:
        self.search = ServerSearch(
            self.view,
            FakeScreen(Clock(NOW), timers=self.timers).ports,
            fetch=self.server,
            start=self.start,
            cancel=self.cancel,
            polled=lambda: self.polled,
            requery=self.requeried.append,
            redraw_bar=self.bar,
            redraw=self.redraw,
        )

    def start(self, job: Coroutine[Any, Any, None]) -> None:
        self.cancel()  # the one search worker is exclusive
        self.tasks.append(asyncio.ensure_future(job))

    def cancel(self) -> None:
        for task in self.tasks:
            task.cancel()

    def bar(self) -> None:
        self.bars += 1

    def redraw(self) -> None:
        self.redraws += 1

    def type(self, text: str) -> None:
        """What the screen does on each key: the text, the view drawn, then the search told."""
        self.view.search_text = text
        self.search.typed(len(self.view.rows()))

    async def settle(self) -> None:
        await asyncio.gather(*self.tasks, return_exceptions=True)


def rig() -> Rig:
    fleet = Fleet.from_deployments(
        [deployment(f"d{i}", label=label) for i, label in enumerate(LABELS)]
    )
    view = FleetView(DeploymentQuery(), "", attention=False)
    view.set_fleet(fleet, None, None)
    return Rig(view, Server(fleet), Timers())


async def test_a_pause_in_the_typing_asks_the_server_once_and_its_answer_is_shown() -> None:
    r = rig()
    r.type("c")
    r.type("ch")
    assert len(r.timers.armed) == 1 and r.search.debounce == SEARCH_DEBOUNCE
    r.timers.fire()
    assert r.search.debounce is None
    assert r.search.asking == DeploymentQuery(search="ch") == r.view.query
    assert r.bars == 1, "the bar may say something new; the rows are the same"
    r.server.gate.set()
    await r.settle()
    assert r.search.asking is None
    assert r.view.answers == DeploymentQuery(search="ch")
    assert list(r.view.narrowed or {}) == ["d0", "d1"]
    assert r.view.narrowed is not None and r.view.narrowed["d0"] is r.view.fleet.rows["d0"]
    assert r.redraws == 1
    r.search.ask()  # asked already: not again
    assert len(r.server.asked) == 1


async def test_a_wide_search_waits_longer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server_search_module, "WIDE_SEARCH_ROWS", 2)
    r = rig()
    r.type("c")  # churn, churn, credit: wider than 2
    assert r.search.debounce == WIDE_SEARCH_DEBOUNCE
    r.type("churn s")
    assert r.search.debounce == SEARCH_DEBOUNCE


async def test_a_key_cancels_the_request_for_the_text_it_changed_and_back_asks_again() -> None:
    r = rig()
    r.type("churn")
    r.search.ask()
    asking = r.tasks[-1]
    await asyncio.sleep(0)
    r.type("churnz")
    assert r.search.asking is None
    await asyncio.sleep(0)
    assert asking.cancelled()
    r.type("churn")
    r.server.gate.set()
    r.timers.fire()
    await r.settle()
    assert r.view.answers == DeploymentQuery(search="churn")
    assert [q.search for q in r.server.asked] == ["churn", "churn"]


async def test_a_key_that_keeps_the_asked_text_does_not_cancel() -> None:
    r = rig()
    r.type("churn")
    r.search.ask()
    r.type("churn ")  # a trailing space: the same search
    assert r.search.asking == DeploymentQuery(search="churn")
    r.server.gate.set()
    await r.settle()
    assert r.view.answers == DeploymentQuery(search="churn")


async def test_a_regex_or_an_id_is_never_asked_of_the_server() -> None:
    r = rig()
    for text in ("ch[aeiou]rn", "!churn", "d3"):
        r.type(text)
        r.timers.fire()
    assert not r.server.asked and not r.tasks


async def test_before_the_first_poll_the_search_is_a_new_query() -> None:
    r = rig()
    r.polled = False
    r.type("fraud")
    r.timers.fire()
    assert r.requeried == [DeploymentQuery(search="fraud")] and not r.tasks


async def test_clearing_the_text_drops_the_servers_narrowing() -> None:
    r = rig()
    r.type("fraud")
    r.search.ask()
    r.server.gate.set()
    await r.settle()
    r.type("")
    r.timers.fire()
    assert r.view.query == DeploymentQuery() and r.view.narrowed is None
    assert len(r.server.asked) == 1


async def test_an_answer_for_a_query_the_user_left_is_set_aside() -> None:
    r = rig()
    r.type("fraud")
    r.search.ask()
    await asyncio.sleep(0)
    r.view.requery(DeploymentQuery(search="fraud", order_by="label"))  # moved on meanwhile
    r.server.gate.set()
    await r.settle()
    assert r.view.narrowed is None and r.redraws == 0


async def test_a_failed_request_leaves_the_local_narrowing() -> None:
    r = rig()
    r.server.failing = True
    r.type("fraud")
    r.search.ask()
    r.server.gate.set()
    await r.settle()
    assert r.view.narrowed is None and r.search.asking is None and r.redraws == 0
    assert [x.id for x in r.view.rows()] == ["d2", "d3"]


async def test_stop_disarms_the_debounce() -> None:
    r = rig()
    r.type("fraud")
    r.search.stop()
    assert r.search.debounce is None and not r.timers.armed
