"""The deployments view's smaller parts without a running app: what a poll fetches and applies
(FleetPoll), where the row under the cursor leads (RowLinks), and the sort keys' orders."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from drtui.api.query import STABLE_ORDER, DeploymentQuery
from drtui.core.alerts import AlertRules
from drtui.core.events import EventLog
from drtui.core.fleet import Fleet
from drtui.core.rows import Row
from drtui.ui.deployments.alerts import FleetAlerts
from drtui.ui.deployments.links import RowLinks
from drtui.ui.deployments.poll import DROPPED, FleetPoll
from drtui.ui.deployments.sorting import clicked, one_key, reversed_order
from drtui.ui.deployments.view import FleetView
from drtui.ui.settings import AppSettings
from tests.core.factory import deployment
from tests.ui.parts import Clock, FakeScreen

NOW = datetime(2026, 11, 30, 3, 12, tzinfo=UTC)


@dataclass
class Lister:
    """The server's listing: every record, or those holding the query's search."""

    records: list[Any]
    asked: list[DeploymentQuery] = field(default_factory=list)
    dropped_records: int = 0
    unreadable: int = 0
    """Records each listing leaves out (nested too deeply to read)."""

    async def deployments(self, query: DeploymentQuery, known: Mapping[str, Row]) -> list[Any]:
        self.asked.append(query)
        await asyncio.sleep(0)
        self.dropped_records += self.unreadable
        needle = query.search or ""
        return [d for d in self.records if needle in d.label]


@dataclass
class Recorder:
    submitted: list[tuple[Fleet, datetime]] = field(default_factory=list)

    @property
    def rhythms(self) -> dict[str, Any]:
        return {}

    def submit(self, fleet: Fleet, at: datetime) -> None:
        self.submitted.append((fleet, at))


@dataclass
class PollRig:
    poll: FleetPoll
    view: FleetView
    lister: Lister
    recorder: Recorder
    events: EventLog
    screen: FakeScreen
    redraws: int = 0

    def redraw(self) -> None:
        self.redraws += 1


def poll_rig(query: DeploymentQuery) -> PollRig:
    view = FleetView(query, query.search or "", attention=False)
    lister = Lister([deployment("d1", label="churn"), deployment("d2", label="fraud")])
    events, recorder, polls, screen = EventLog(), Recorder(), [0], FakeScreen(Clock(NOW))
    alerts = FleetAlerts(
        AlertRules(),
        events,
        screen.ports,
        show_marked=lambda _: None,
        degraded=lambda _: None,
        forget=lambda _: None,
        seen=lambda: 0,
        bell=lambda: None,
        redraw=lambda: None,
    )
    rig = PollRig(None, view, lister, recorder, events, screen)  # type: ignore[arg-type]
    rig.poll = FleetPoll(
        view,
        lister,
        alerts,
        recorder,
        polls=lambda: polls[0],
        notify=screen.toasts,
        redraw=rig.redraw,
    )
    return rig


async def test_a_poll_fetches_the_whole_fleet_in_a_steady_order_and_applies_it() -> None:
    r = poll_rig(DeploymentQuery(order_by="label"))
    fetched = await r.poll.fetch()
    assert r.lister.asked == [DeploymentQuery(order_by=STABLE_ORDER)] and fetched[1] is None
    r.poll.apply(r.poll.build(fetched), NOW)
    assert set(r.view.fleet.rows) == {"d1", "d2"} and r.view.narrowed is None
    assert r.recorder.submitted == [(r.view.fleet, NOW)] and r.redraws == 1


async def test_a_narrowing_query_fetches_its_answer_beside_the_fleet() -> None:
    r = poll_rig(DeploymentQuery(search="fraud"))
    fetched = await r.poll.fetch()
    assert r.lister.asked[1] == DeploymentQuery(search="fraud", order_by=STABLE_ORDER)
    r.view.query = DeploymentQuery(search="churn")  # typed on while the poll was out
    r.poll.apply(r.poll.build(fetched), NOW)
    assert list(r.view.narrowed or {}) == ["d2"]
    assert r.view.answers == DeploymentQuery(search="fraud"), "what the poll was fetched for"


async def test_the_build_compares_with_the_fleet_shown() -> None:
    r = poll_rig(DeploymentQuery())
    r.poll.apply(r.poll.build(await r.poll.fetch()), NOW)
    r.lister.records[1] = deployment("d2", label="fraud", service="failing")
    update = r.poll.build(await r.poll.fetch())
    moves = [(m.deployment_id, m.dimension, m.new) for m in update.transitions]
    assert moves == [("d2", "service", "failing")]
    r.poll.apply(update, NOW)
    assert [e.transition.deployment_id for e in r.events] == ["d2"]


async def test_a_poll_that_leaves_records_out_says_so_once_while_it_lasts() -> None:
    r = poll_rig(DeploymentQuery())
    toasts = r.screen.toasts
    for unreadable in (0, 2, 2, 0, 1):
        r.lister.unreadable = unreadable
        r.poll.apply(r.poll.build(await r.poll.fetch()), NOW)
    assert toasts.texts == [DROPPED, DROPPED]
    assert toasts.said[0][1]["severity"] == "warning"


def links_rig(row: Row | None) -> tuple[RowLinks, FakeScreen, list[str], list[str]]:
    screen = FakeScreen(Clock(NOW), cursor=row)
    copied: list[str] = []
    custom: list[str] = []
    settings = AppSettings(endpoint="https://app.example.com/api/v2", token="t")
    no_sources: Any = None  # a log is never opened here (tests/ui/test_logs.py opens them)
    links = RowLinks(
        settings, no_sources, screen.ports, copy=copied.append, show_custom=custom.append
    )
    return links, screen, copied, custom


def row(**extra: Any) -> Row:
    return Fleet.from_deployments([deployment("d1", label="fraud", **extra)]).rows["d1"]


def test_y_and_capital_y_copy_the_id_and_the_web_url() -> None:
    links, screen, copied, _ = links_rig(row())
    links.copy_id()
    links.copy_url()
    assert copied == ["d1", "https://app.example.com/deployments/d1/overview"]
    assert screen.toasts.texts[0] == "Sent to the terminal clipboard: d1"


def test_c_and_l_say_why_a_deployment_of_a_datarobot_model_has_neither() -> None:
    links, screen, _, custom = links_rig(row())
    links.custom_model()
    links.logs()
    assert not custom and not screen.dialogs.opened
    assert screen.toasts.texts == [
        "fraud does not run a custom model.",
        "fraud has no log to show: only deployments of custom models have logs (this one "
        "serves a DataRobot model).",
    ]


def test_nothing_under_the_cursor() -> None:
    links, screen, copied, _ = links_rig(None)
    links.copy_id()
    links.custom_model()
    links.logs()
    assert not copied and screen.toasts.texts == ["No deployment selected."]


def test_the_sort_keys_orders() -> None:
    assert clicked(None, "label") == "label"
    assert clicked("label", "label") == "-label"
    assert clicked(None, "lastPredictionTimestamp") == "lastPredictionTimestamp"  # the default ▼
    assert reversed_order(None) == "lastPredictionTimestamp"
    assert reversed_order("label") == "-label"
    assert one_key("label", "recentPredictions") == "-recentPredictions"  # the busiest first
    assert one_key("-recentPredictions", "recentPredictions") == "recentPredictions"
    assert one_key(None, "serviceHealth") == "serviceHealth"  # the worst first
    assert one_key("serviceHealth", "serviceHealth") == "-serviceHealth"
