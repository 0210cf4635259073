"""The events view (live, importance, worst first) and the header's count of new degradations,
at 80x24 and 160x48. Deterministic as the other snapshots: manual emulator clock, fixed seed,
fixed `now`."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from drtui.ui.screens.events_log import EventsScreen
from tests.observe import screen_of, until
from tests.ui.harness import build_app

SIZES = [(80, 24), (160, 48)]


async def _degrade(pilot: Pilot[Any], emulator: Any) -> None:
    """Four healthy deployments (by id) change in one poll: one CRITICAL to FAIL, two to WARN,
    and a fifth, failing since the poll before, recovers."""
    state = emulator.state.emulator
    fleet = screen_of(pilot.app)
    await until(pilot, lambda: fleet.refreshes >= 1, what="first refresh")
    ids = sorted(k for k, r in fleet.fleet.rows.items() if all(s == "passing" for s in r.health))
    recovering, critical, high, low = ids[:4]
    state.set_health(recovering, "serviceHealth", "failing")
    fleet.refresh_fleet()
    await until(pilot, lambda: fleet.refreshes >= 2, what="second poll")
    state.update_deployment(critical, {"importance": "CRITICAL"})
    state.update_deployment(high, {"importance": "HIGH"})
    state.set_health(recovering, "serviceHealth", "passing")
    state.set_health(low, "modelHealth", "warning")
    state.set_health(high, "accuracyHealth", "warning")
    state.set_health(critical, "serviceHealth", "failing")
    fleet.refresh_fleet()
    await until(pilot, lambda: fleet.refreshes >= 3, what="third poll")


def _snapshot(snap_compare: Any, size: tuple[int, int], events: bool) -> bool:
    app, emulator, _ = build_app(attention_first=False)

    async def run_before(pilot: Pilot[Any]) -> None:
        await _degrade(pilot, emulator)
        pilot.app.clear_notifications()  # the toast would hide what is drawn
        if events:
            await pilot.press("E")
            await until(pilot, lambda: isinstance(pilot.app.screen, EventsScreen), what="events")
        await pilot.pause()

    return bool(snap_compare(app, terminal_size=size, run_before=run_before))


@pytest.mark.parametrize("size", SIZES)
def test_events(snap_compare: Any, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRTUI_STATE_DIR", "/state/drtui")
    assert _snapshot(snap_compare, size, events=True)


@pytest.mark.parametrize("size", SIZES)
def test_new_degradations_in_the_header(snap_compare: Any, size: tuple[int, int]) -> None:
    assert _snapshot(snap_compare, size, events=False)
