"""What `:pps` and `:bundles` look like, at 80x24 and 160x48 (issue 17).

Deterministic: the emulator's manual clock and seed, the app's fixed `now`, no retries.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from drtui.ui.screens.bundles import BundlesScreen
from drtui.ui.screens.pps import PpsScreen
from tests.observe import until
from tests.ui.harness import build_app

SIZES = [(80, 24), (160, 48)]


@pytest.mark.parametrize("size", SIZES)
def test_pps_image(snap_compare: Any, size: tuple[int, int]) -> None:
    app, _, _ = build_app()

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("colon", *"pps", "enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, PpsScreen), what=":pps")
        screen = pilot.app.screen
        assert isinstance(screen, PpsScreen)
        await until(pilot, lambda: screen.poller.polls >= 1, what="metadata")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_bundles_with_deleted_shown_and_one_opened(
    snap_compare: Any, size: tuple[int, int]
) -> None:
    app, _, _ = build_app()

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("colon", *"bundles", "enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, BundlesScreen), what=":bundles")
        screen = pilot.app.screen
        assert isinstance(screen, BundlesScreen)
        await until(pilot, lambda: screen.poller.polls >= 1, what="bundles")
        await pilot.press("x", "down", "enter")
        await pilot.app.workers.wait_for_complete()  # the fetch `enter` started
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
