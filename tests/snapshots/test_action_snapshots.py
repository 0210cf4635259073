"""The write dialogs and the deleted view at 80x24: edit, delete, create, erase, `:deleted`.

Deterministic like test_snapshots.py: the emulator on its manual clock with a fixed seed, a fixed
`now`, no retries.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from drtui.emulator.clock import iso
from drtui.ui.screens.action_dialog import ActionDialog
from drtui.ui.screens.deleted import DeletedScreen
from drtui.ui.screens.deployments import DeploymentsScreen
from tests.observe import until
from tests.ui.write_harness import Built, build_write_app

SIZE = (80, 24)
Steps = Callable[[Pilot[Any], Built], Awaitable[None]]


def _stage_deleted(built: Built, count: int = 12) -> None:
    now = built.state.clock.now()
    built.state.deleted[:] = [
        {
            "id": f"65a1b2c3d4e5f6a7b8c9{i:04x}",
            "label": f"fraud scoring v{i}",
            "deletedAt": iso(now - timedelta(hours=3 * i + 1)),
        }
        for i in range(count)
    ]


async def _loaded(pilot: Pilot[Any]) -> DeploymentsScreen:
    screen = next(s for s in pilot.app.screen_stack if isinstance(s, DeploymentsScreen))
    await until(pilot, lambda: screen.refreshes >= 1, what="first refresh")
    return screen


async def _dialog(pilot: Pilot[Any], key: str) -> None:
    await pilot.press(key)
    await until(pilot, lambda: isinstance(pilot.app.screen, ActionDialog), what="dialog")
    await pilot.pause()


async def _deleted(pilot: Pilot[Any]) -> DeletedScreen:
    await pilot.press("colon", *"deleted", "enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, DeletedScreen), what=":deleted")
    screen = pilot.app.screen
    assert isinstance(screen, DeletedScreen)
    await until(pilot, lambda: screen.poller.polls >= 1, what="deleted listed")
    return screen


def _snapshot(snap_compare: Any, tmp_path: Path, steps: Steps, **options: Any) -> bool:
    built = build_write_app(tmp_path, **options)
    _stage_deleted(built)

    async def run_before(pilot: Pilot[Any]) -> None:
        await _loaded(pilot)
        await steps(pilot, built)
        await pilot.pause()

    return bool(snap_compare(built.app, terminal_size=SIZE, run_before=run_before))


def test_edit_dialog(snap_compare: Any, tmp_path: Path) -> None:
    async def steps(pilot: Pilot[Any], built: Built) -> None:
        await _dialog(pilot, "e")

    assert _snapshot(snap_compare, tmp_path, steps)


def test_edit_dialog_after_a_403(snap_compare: Any, tmp_path: Path) -> None:
    async def steps(pilot: Pilot[Any], built: Built) -> None:
        screen = await _loaded(pilot)
        row = next(
            r for r in screen.table.rows if "CAN_EDIT_DEPLOYMENT" not in r.source.permissions
        )
        screen.table.move_cursor_to_id(row.id)
        await _dialog(pilot, "e")
        await pilot.press("end", *" v2", "enter")
        dialog = pilot.app.screen
        assert isinstance(dialog, ActionDialog)
        await until(pilot, lambda: dialog.attempts == 1 and not dialog.running, what="403")

    assert _snapshot(snap_compare, tmp_path, steps)


def test_delete_confirmation(snap_compare: Any, tmp_path: Path) -> None:
    async def steps(pilot: Pilot[Any], built: Built) -> None:
        await _dialog(pilot, "d")
        await pilot.press(*"wrong")

    assert _snapshot(snap_compare, tmp_path, steps)


def test_create_dialog(snap_compare: Any, tmp_path: Path) -> None:
    async def steps(pilot: Pilot[Any], built: Built) -> None:
        await _dialog(pilot, "R")

    assert _snapshot(snap_compare, tmp_path, steps)


def test_deleted_view(snap_compare: Any, tmp_path: Path) -> None:
    async def steps(pilot: Pilot[Any], built: Built) -> None:
        await _deleted(pilot)
        await pilot.press("space", "down", "space", "down")

    assert _snapshot(snap_compare, tmp_path, steps, admin=True)


def test_erase_confirmation(snap_compare: Any, tmp_path: Path) -> None:
    async def steps(pilot: Pilot[Any], built: Built) -> None:
        await _deleted(pilot)
        await pilot.press("asterisk")
        await _dialog(pilot, "x")
        await pilot.press(*"ERASE 1")

    assert _snapshot(snap_compare, tmp_path, steps, admin=True)
