"""Timers that are already due when armed must still fire, and must not crash the exit.

Textual 8.2's `set_timer(0, ...)` never calls back: its timer task dies of a ZeroDivisionError
(timer.py divides by the interval when the first tick is late), which is raised again when the
screen is unmounted, i.e. when the user quits. A delay clamped to 0 is exactly what the screen
computes when an expiry or a retry is already due, which a busy event loop makes happen.
"""

from __future__ import annotations

import httpx
import pytest

from drtui.api.client import DataRobotClient
from drtui.api.retry import NO_RETRY
from drtui.emulator.app import create_app
from drtui.emulator.config import EmulatorConfig
from drtui.ui.app import DrtuiApp
from drtui.ui.deployments import alerts as alerts_module
from drtui.ui.settings import AppSettings
from tests.observe import screen_of, until

ENDPOINT = "http://emulator.test/api/v2"


async def test_a_degraded_mark_already_due_still_expires_and_quitting_is_clean(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Zero models the race: the earliest mark's expiry has passed when the next one is armed.
    monkeypatch.setattr(alerts_module, "DEGRADED_SECONDS", 0.0)
    config = EmulatorConfig(deployments=20, seed=3, clock="manual")
    emulator = create_app(config)
    state = emulator.state.emulator
    target = state.live_ids[0]
    state.set_health(target, "serviceHealth", "passing")
    client = DataRobotClient(
        ENDPOINT, config.user_token, retry=NO_RETRY, transport=httpx.ASGITransport(app=emulator)
    )
    app = DrtuiApp(
        AppSettings(endpoint=ENDPOINT, token=config.user_token, attention_first=False),
        client=client,
    )
    async with app.run_test(size=(120, 40)) as pilot:  # re-raises what broke the exit
        screen = screen_of(app)
        await until(pilot, lambda: screen.refreshes >= 1, 5.0, "the first refresh")
        state.set_health(target, "serviceHealth", "failing")
        await pilot.press("r")
        await until(pilot, lambda: len(screen.events) >= 1, 3.0, "the degradation")
        await until(pilot, lambda: not screen.table.degraded_ids, 1.0, "the mark to expire")
    await client.aclose()
