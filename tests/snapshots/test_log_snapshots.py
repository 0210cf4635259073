"""What `:custom` and the log viewer look like, at 80x24 and 160x48 (issue 16).

Deterministic: the emulator's manual clock and seed, the app's fixed `now`, no retries.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from drtui.ui.screens.custom import CustomScreen
from drtui.ui.screens.logs import LogScreen
from tests.observe import until
from tests.ui.harness import build_app

SIZES = [(80, 24), (160, 48)]


async def _custom(pilot: Pilot[Any]) -> CustomScreen:
    await pilot.press("colon", *"custom", "enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, CustomScreen), what=":custom")
    screen = pilot.app.screen
    assert isinstance(screen, CustomScreen)
    await until(pilot, lambda: screen.poller.polls >= 1, what="loaded")
    return screen


@pytest.mark.parametrize("size", SIZES)
def test_custom_deployments(snap_compare: Any, size: tuple[int, int]) -> None:
    app, _, _ = build_app()

    async def run_before(pilot: Pilot[Any]) -> None:
        await _custom(pilot)
        await pilot.press("down", "space", "space")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_log_viewer_following_with_a_search(snap_compare: Any, size: tuple[int, int]) -> None:
    app, _, _ = build_app()

    async def run_before(pilot: Pilot[Any]) -> None:
        screen = await _custom(pilot)
        row = next(r for r in screen.table.rows if r.status == "active")
        screen.table.move_cursor_to_id(row.id)
        await pilot.press("l")
        await until(pilot, lambda: isinstance(pilot.app.screen, LogScreen), what="logs")
        logs = pilot.app.screen
        assert isinstance(logs, LogScreen)
        await until(pilot, lambda: logs.followers[0].loaded, what="log loaded")
        await pilot.press("slash", *"predictions", "enter", "k")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
