"""Issue 21 on screen, at 80x24 and 160x48: the LAST 24 H strips, the detail pane's timeline and
replay mode, from a history file holding a scripted night (tests/ui/test_history_ui.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from drtui.ui.widgets.detail_pane import DetailPane
from tests.observe import screen_of, until
from tests.ui.test_history_ui import _recorded

SIZES = [(80, 24), (160, 48)]


def _snapshot(
    snap_compare: Any,
    size: tuple[int, int],
    tmp_path: Path,
    keys: tuple[str, ...],
    to_end: bool = False,
) -> bool:
    app, victim, _ = _recorded(tmp_path)

    async def run_before(pilot: Pilot[Any]) -> None:
        screen = screen_of(pilot.app)
        await until(pilot, lambda: screen.refreshes >= 1, what="first refresh")
        await until(pilot, lambda: victim in screen.strips, timeout=30, what="strips")
        screen.select_deployment(victim)
        await pilot.press(*keys)
        await pilot.pause()
        if to_end:  # the timeline is the pane's last section
            screen.query_one(DetailPane).scroll_end(animate=False, immediate=True)
            await pilot.pause()

    return bool(snap_compare(app, terminal_size=size, run_before=run_before))


@pytest.mark.parametrize("size", SIZES)
def test_strips(snap_compare: Any, size: tuple[int, int], tmp_path: Path) -> None:
    assert _snapshot(snap_compare, size, tmp_path, ())


@pytest.mark.parametrize("size", SIZES)
def test_timeline(snap_compare: Any, size: tuple[int, int], tmp_path: Path) -> None:
    keys = ("enter",) if size[0] < 120 else ()  # narrow: the pane opens under the table
    assert _snapshot(snap_compare, size, tmp_path, keys, to_end=True)


@pytest.mark.parametrize("size", SIZES)
def test_replay(snap_compare: Any, size: tuple[int, int], tmp_path: Path) -> None:
    keys = ("left_square_bracket", "left_square_bracket")  # -1 h, then -5 h
    assert _snapshot(snap_compare, size, tmp_path, keys)
