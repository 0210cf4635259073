"""Issue 21: a day of history played at start, with its health transitions on record."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from drtui.emulator.app import create_app
from drtui.emulator.clock import Clock
from drtui.emulator.config import EmulatorConfig
from drtui.emulator.state import EmulatorState
from tests.emulator.conftest import BASE_URL, USER_TOKEN, fetch_all


@pytest.fixture
async def day(config: EmulatorConfig) -> AsyncIterator[tuple[httpx.AsyncClient, EmulatorState]]:
    app = create_app(config.with_changes(history_hours=24, first_alert_seconds=12.0))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url=BASE_URL,
        headers={"Authorization": f"Bearer {USER_TOKEN}"},
    ) as http:
        yield http, app.state.emulator


async def test_a_day_of_history_is_played_before_the_first_request(
    day: tuple[httpx.AsyncClient, EmulatorState], config: EmulatorConfig
) -> None:
    client, state = day
    assert state.steps_done == 24 * 60  # before any request
    assert state.clock.now().isoformat() == "2026-03-02T09:00:00+00:00"  # now is as usual
    assert state.clock.start.isoformat() == "2026-03-01T09:00:00+00:00"
    log = (await client.get("/_emulator/transitions")).json()["data"]
    assert len(log) > 100
    assert set(log[0]) == {"deploymentId", "dimension", "from", "to", "at"}
    stamps = [entry["at"] for entry in log]
    assert stamps == sorted(stamps)
    assert stamps[0] < "2026-03-01T10:00" and stamps[-1] <= "2026-03-02T09:00:00.000000Z"
    assert all(entry["from"] != entry["to"] for entry in log)
    # The listing reflects the evolution: the last transition of each pair is the current status.
    current = {(d["id"], dim): d[dim]["status"] for d in await fetch_all(client)
               for dim in ("serviceHealth", "modelHealth", "accuracyHealth")}  # fmt: skip
    last: dict[tuple[str, str], str] = {}
    for entry in log:
        last[(entry["deploymentId"], entry["dimension"])] = entry["to"]
    assert all(current[key] == status for key, status in last.items())
    # The same day played without history, from the same start, gives the same world.
    plain = EmulatorState(config, clock=Clock("manual", start=state.clock.start))
    plain.advance(24 * 3600)
    assert [r.doc for r in plain.deployments.values()] == [
        r.doc for r in state.deployments.values()
    ]


async def test_transitions_since_and_the_first_alert_after_the_history(
    day: tuple[httpx.AsyncClient, EmulatorState],
) -> None:
    client, state = day
    assert state.first_alert_id is None  # due 12 s after the history, not 12 s into it
    await client.post("/_emulator/clock/advance", json={"seconds": 12})
    recent = (await client.get("/_emulator/transitions?since=2026-03-02T09:00:01Z")).json()
    assert recent["data"] == [
        {
            "deploymentId": state.first_alert_id,
            "dimension": "serviceHealth",
            "from": "passing",
            "to": "failing",
            "at": "2026-03-02T09:00:12.000000Z",
        }
    ]
    bad = await client.get("/_emulator/transitions?since=yesterday")
    assert bad.status_code == 422
    state.set_health(recent["data"][0]["deploymentId"], "serviceHealth", "passing")
    after = (await client.get("/_emulator/transitions?since=2026-03-02T09:00:12Z")).json()
    assert [(e["from"], e["to"]) for e in after["data"]] == [
        ("passing", "failing"),
        ("failing", "passing"),
    ]
    await client.post("/_emulator/reset")
    assert state.steps_done == 24 * 60 and state.first_alert_id is None
    replayed = (await client.get("/_emulator/transitions")).json()["data"]
    assert replayed and all(e["at"] <= "2026-03-02T09:00:00.000000Z" for e in replayed)
