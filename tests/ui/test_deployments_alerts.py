"""FleetAlerts without a running app: toasts, bell, ▲ marks on the app's clock, silences,
mute and acknowledge, driven by a clock and timers the test moves."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from drtui.core.alerts import AlertRules
from drtui.core.events import EventLog
from drtui.core.fleet import Fleet, HealthTransition
from drtui.core.rows import Row
from drtui.ui.deployments import alerts as alerts_module
from drtui.ui.deployments.alerts import DEGRADED_SECONDS, MAX_TOASTED, FleetAlerts
from drtui.ui.screens.choices import ChooseOne
from tests.core.factory import deployment
from tests.ui.parts import Clock, Dialogs, FakeScreen, Timers, Toasts

NOW = datetime(2026, 11, 30, 3, 12, tzinfo=UTC)


@dataclass
class Rig:
    alerts: FleetAlerts
    clock: Clock
    timers: Timers
    toasts: Toasts
    dialogs: Dialogs
    marked: list[frozenset[str]] = field(default_factory=list)
    degraded: list[list[HealthTransition]] = field(default_factory=list)
    forgotten: list[str] = field(default_factory=list)
    bells: int = 0
    unseen: int = 0
    redraws: int = 0

    def bell(self) -> None:
        self.bells += 1

    def seen(self) -> int:
        count, self.unseen = self.unseen, 0
        return count

    def redraw(self) -> None:
        self.redraws += 1


def rig() -> Rig:
    screen = FakeScreen(Clock(NOW))
    made = Rig(None, screen.clock, screen.timers, screen.toasts, screen.dialogs)  # type: ignore[arg-type]
    made.alerts = FleetAlerts(
        AlertRules(),
        EventLog(),
        screen.ports,
        show_marked=made.marked.append,
        degraded=made.degraded.append,
        forget=made.forgotten.append,
        seen=made.seen,
        bell=made.bell,
        redraw=made.redraw,
    )
    return made


def fleet(*failing: str, count: int = 6) -> dict[str, Row]:
    return Fleet.from_deployments(
        [
            deployment(
                f"d{i}", label=f"model {i}", service="failing" if f"d{i}" in failing else "passing"
            )
            for i in range(count)
        ]
    ).rows


def worse(*keys: str) -> list[HealthTransition]:
    return [HealthTransition(k, f"model {k[1:]}", "service", "passing", "failing") for k in keys]


def poll(r: Rig, rows: dict[str, Row], moves: list[HealthTransition]) -> None:
    r.alerts.poll(rows, moves, r.clock(), rhythms={}, first=False)


def test_a_degradation_toasts_rings_and_marks_its_row_until_the_app_clock_says() -> None:
    r = rig()
    poll(r, fleet("d1"), worse("d1"))
    assert r.alerts.marked == {"d1"} and r.marked[-1] == {"d1"}
    assert r.toasts.texts == ["model 1: service OK → FAIL"]
    assert r.toasts.said[0][1]["title"] == "Health degraded"
    assert r.bells == 1 and [m.deployment_id for m in r.degraded[0]] == ["d1"]
    assert [e.transition.deployment_id for e in r.alerts.events] == ["d1"]
    (timer,) = r.timers.armed
    assert timer.delay == DEGRADED_SECONDS
    r.timers.fire()  # early (the wall clock is not the app's): still marked, armed again
    assert r.alerts.marked == {"d1"}
    r.clock.advance(DEGRADED_SECONDS)
    r.timers.fire()
    assert r.alerts.marked == frozenset() and r.marked[-1] == frozenset()
    assert not r.timers.armed


def test_one_timer_for_the_earliest_mark() -> None:
    r = rig()
    poll(r, fleet("d1"), worse("d1"))
    r.clock.advance(20)
    poll(r, fleet("d1", "d2"), worse("d2"))
    assert len(r.timers.armed) == 1 and r.timers.armed[0].delay == DEGRADED_SECONDS - 20
    r.clock.advance(DEGRADED_SECONDS - 20)
    r.timers.fire()
    assert r.alerts.marked == {"d2"} and r.timers.armed[0].delay == 20
    r.alerts.stop()
    assert not r.timers.armed


def test_a_due_mark_is_expired_soon_not_never() -> None:
    r = rig()
    poll(r, fleet("d1"), worse("d1"))
    r.clock.advance(DEGRADED_SECONDS + 5)
    poll(r, fleet("d1", "d2"), worse("d2"))  # d1's expiry has passed when d2's is armed
    assert r.timers.armed[0].delay > 0
    r.timers.fire()
    assert r.alerts.marked == {"d2"}


def test_many_degradations_are_one_toast_and_one_bell() -> None:
    r = rig()
    keys = [f"d{i}" for i in range(MAX_TOASTED + 2)]
    poll(r, fleet(*keys), worse(*keys))
    (text,) = r.toasts.texts
    assert len(text.splitlines()) == MAX_TOASTED + 1
    assert text.endswith("… and 2 more (E: events)")
    assert r.bells == 1


def test_better_moves_are_logged_but_raise_nothing() -> None:
    r = rig()
    better = [HealthTransition("d1", "model 1", "service", "failing", "passing")]
    poll(r, fleet(), better)
    assert len(r.alerts.events) == 1
    assert not r.toasts.said and r.bells == 0 and not r.alerts.marked


def test_silences_are_events_after_the_first_poll_and_marked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    silent = {"d2"}
    monkeypatch.setattr(alerts_module, "is_silent", lambda row, now, **_: row.id in silent)
    r = rig()
    rows = fleet()
    r.alerts.poll(rows, [], NOW, rhythms={}, first=True)
    assert r.alerts.silent == {"d2"} and not r.alerts.events, "a first sighting is no change"
    assert r.alerts.marks()["d2"] == "∅"
    silent.clear()
    silent.add("d3")
    poll(r, rows, [])
    moves = [(e.transition.deployment_id, e.transition.new) for e in r.alerts.events]
    assert moves == [("d3", "silent"), ("d2", "flowing")]


def test_mute_asks_for_how_long_then_logs_without_alerting() -> None:
    r = rig()
    rows = fleet("d1")
    poll(r, rows, worse("d1"))
    r.alerts.ask_mute(rows["d1"])
    dialog, _ = r.dialogs.opened[-1]
    assert isinstance(dialog, ChooseOne)
    r.dialogs.close_last("1 hour")
    assert r.alerts.rules.muted_until("d1", NOW) is not None
    assert r.forgotten == ["d1"] and not r.alerts.marked
    assert r.alerts.marks()["d1"] == "◦"
    assert "muted for 1 hour" in r.toasts.texts[-1] and r.redraws == 1
    poll(r, rows, worse("d1"))
    assert r.bells == 1 and not r.alerts.marked, "muted: logged, no alert"
    r.alerts.ask_mute(rows["d1"])
    r.dialogs.close_last(None)  # closed: nothing changes
    assert r.alerts.rules.muted_until("d1", NOW) is not None and r.redraws == 1
    r.alerts.ask_mute(rows["d1"])
    r.dialogs.close_last("unmute")
    assert r.alerts.rules.muted_until("d1", NOW) is None and "unmuted" in r.toasts.texts[-1]
    r.clock.advance(3600)
    poll(r, rows, worse("d1"))
    assert r.bells == 2


def test_acknowledge_quiets_a_degradation_and_again_withdraws_it() -> None:
    r = rig()
    rows = fleet("d1")
    poll(r, rows, worse("d1"))
    r.alerts.acknowledge(rows["d1"])
    assert "service acknowledged" in r.toasts.texts[-1]
    assert not r.alerts.marked and r.alerts.marks()["d1"] == "✓" and r.forgotten == ["d1"]
    r.alerts.acknowledge(rows["d1"])
    assert "withdrawn" in r.toasts.texts[-1] and "d1" not in r.alerts.marks()
    r.alerts.acknowledge(rows["d0"])
    assert r.toasts.texts[-1] == "model 0 has no degradation to acknowledge."
    assert r.redraws == 2


def test_marking_seen_says_how_many_or_that_nothing_is_new() -> None:
    r = rig()
    r.unseen = 2
    r.alerts.mark_seen()
    r.alerts.mark_seen()
    assert r.toasts.texts == [
        "2 degraded deployments marked seen (E lists every change).",
        "Nothing new since you last looked.",
    ]
