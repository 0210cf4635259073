"""The `:` command line and the filter builder, each over the deployments view, at 80x24 and
160x48: the two dialogs a user drives by keyboard alone, so what they draw is all they offer."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from drtui.ui.screens.command_line import CommandLine
from drtui.ui.screens.filter_builder import FilterBuilder
from tests.observe import screen_of, until
from tests.ui.harness import build_app

SIZES = [(80, 24), (160, 48)]


def _snapshot(snap_compare: Any, size: tuple[int, int], dialog: type, *keys: str) -> bool:
    """The fleet loaded, `dialog` opened, then `keys` pressed in it."""
    app, _, _ = build_app(attention_first=False)

    async def run_before(pilot: Pilot[Any]) -> None:
        fleet = screen_of(pilot.app)
        await until(pilot, lambda: fleet.refreshes >= 1, what="first refresh")
        await pilot.press("colon" if dialog is CommandLine else "f")
        await until(pilot, lambda: isinstance(pilot.app.screen, dialog), what=dialog.__name__)
        await pilot.press(*keys)
        await pilot.pause()

    return bool(snap_compare(app, terminal_size=size, run_before=run_before))


@pytest.mark.parametrize("size", SIZES)
def test_command_line_completing(snap_compare: Any, size: tuple[int, int]) -> None:
    """Half a name typed: the rest is suggested in place, the placeholder lists every name."""
    assert _snapshot(snap_compare, size, CommandLine, "e", "v")


@pytest.mark.parametrize("size", SIZES)
def test_command_line_unknown_name(snap_compare: Any, size: tuple[int, int]) -> None:
    """An unknown name submitted: the dialog stays and lists the names it knows."""
    assert _snapshot(snap_compare, size, CommandLine, "n", "o", "p", "e", "enter")


@pytest.mark.parametrize("size", SIZES)
def test_filter_builder(snap_compare: Any, size: tuple[int, int]) -> None:
    """One option ticked in the first field: `[x]` against `[ ]`, the labels and API hints."""
    assert _snapshot(snap_compare, size, FilterBuilder, "down", "space")
