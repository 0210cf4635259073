""":deleted against the emulator: every page without a totalCount, select and erase in batches of
100 with the typed `ERASE <count>`, the list read again, 403 in plain words, the audit trail."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from textual.widgets import Button, Input, Label

from drtui.emulator.clock import iso
from drtui.store.audit import read_entries
from drtui.ui.screens.confirm_dialog import ConfirmDialog
from drtui.ui.screens.deleted import NOT_ALLOWED, DeletedScreen
from tests.observe import screen_text, until
from tests.ui.write_harness import WriteHarness, loaded, write_harness

ERASE = "/api/v2/deletedDeployments/"


def _stage(h: WriteHarness, count: int) -> list[str]:
    now = h.state.clock.now()
    items = [
        {
            "id": f"{i:024x}",
            "label": f"old deployment {i}",
            "deletedAt": iso(now - timedelta(hours=i + 1)),
        }
        for i in range(count)
    ]
    h.state.deleted[:] = items
    return [str(item["id"]) for item in items]


async def _deleted_view(pilot: Any, h: WriteHarness) -> DeletedScreen:
    await loaded(pilot, h.app)
    await pilot.press("colon", *"deleted", "enter")
    await until(pilot, lambda: isinstance(h.app.screen, DeletedScreen), what=":deleted")
    screen = h.app.screen
    assert isinstance(screen, DeletedScreen)
    await until(pilot, lambda: screen.poller.freshness.polling_since is None, what="listed")
    await pilot.pause()
    return screen


async def test_250_selected_are_erased_as_100_100_50_with_progress(tmp_path: Path) -> None:
    async with (
        write_harness(tmp_path, admin=True) as h,
        h.app.run_test(size=(120, 40)) as pilot,
    ):
        ids = _stage(h, 250)
        screen = await _deleted_view(pilot, h)
        assert len(screen.table.rows) == 250, "every page, following next"
        pages = [s for s in h.wire.sent if s.method == "GET" and s.path == ERASE]
        assert len(pages) == 3
        assert "old deployment 0" in screen_text(h.app) and "1 h ago" in screen_text(h.app)
        await pilot.press("asterisk")
        await pilot.pause()
        assert len(screen.table.selected) == 250
        await pilot.press("x")
        await until(pilot, lambda: isinstance(h.app.screen, ConfirmDialog), what="confirmation")
        dialog = h.app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "Type ERASE 250" in screen_text(h.app)
        await pilot.press(*"ERASE 250", "enter")
        seen: set[str] = set()
        for _ in range(400):
            if h.app.screen is screen:
                break
            seen.add(str(dialog.query_one("#action-progress", Label).render()))
            await h.advance(3)  # each batch's job ends on the emulator's clock
            await pilot.pause(0.02)
        assert h.app.screen is screen, "erased"
        assert any("Batch 1 of 3" in s for s in seen) and any("Batch 3 of 3" in s for s in seen)
        patches = [s for s in h.wire.writes() if s.method == "PATCH"]
        assert [len(p.body["deploymentIds"]) for p in patches] == [100, 100, 50]
        assert [i for p in patches for i in p.body["deploymentIds"]] == ids
        assert all(p.body["action"] == "PermanentlyErase" for p in patches)
        await until(pilot, lambda: not screen.table.rows, what="the list read again")
        assert h.state.deleted == []
        entries = read_entries(h.audit.path)
        assert [(e["action"], len(e["ids"]), e["outcome"]) for e in entries] == [
            ("erase", 100, "ok"),
            ("erase", 100, "ok"),
            ("erase", 50, "ok"),
        ]


async def test_the_erase_phrase_cannot_be_bypassed(tmp_path: Path) -> None:
    async with (
        write_harness(tmp_path, admin=True) as h,
        h.app.run_test(size=(120, 40)) as pilot,
    ):
        _stage(h, 3)
        screen = await _deleted_view(pilot, h)
        await pilot.press("space", "down", "space")
        await pilot.press("x")
        await until(pilot, lambda: isinstance(h.app.screen, ConfirmDialog), what="confirmation")
        dialog = h.app.screen
        assert isinstance(dialog, ConfirmDialog)
        box = dialog.query_one("#confirm-text", Input)
        await pilot.press("enter")  # empty
        for wrong in ("ERASE 3", "erase 2", "ERASE  2", "ERASE 2 "):
            box.value = wrong
            await pilot.press("enter")
            await pilot.pause()
            assert dialog.query_one("#action-submit", Button).disabled
        await pilot.press(*"yyyy", "enter", "enter")
        await pilot.pause()
        assert h.wire.writes() == [] and dialog.attempts == 0
        await pilot.press("escape")
        await until(pilot, lambda: h.app.screen is screen, what="cancelled")
        assert len(h.state.deleted) == 3


async def test_a_user_without_the_permission_reads_why(tmp_path: Path) -> None:
    async with (
        write_harness(tmp_path) as h,  # the normal user: no CAN_DELETE_APP_PROJECTS
        h.app.run_test(size=(120, 40)) as pilot,
    ):
        screen = await _deleted_view(pilot, h)
        await until(pilot, lambda: screen.poller.freshness.stopped, what="polling stopped")
        await pilot.pause()
        assert screen.table.empty_message == NOT_ALLOWED
        assert "CAN_DELETE_APP_PROJECTS" in screen_text(h.app)
        # A permission, not an outage: no STALE, and no erase offered.
        header, footer = screen_text(h.app).splitlines()[1], screen_text(h.app).splitlines()[-1]
        assert "STALE" not in screen_text(h.app)
        assert "not available to this account (CAN_DELETE_APP_PROJECTS)" in header
        assert "Erase" not in footer


async def test_a_deployment_deleted_in_the_table_shows_up_in_deleted(tmp_path: Path) -> None:
    async with (
        write_harness(tmp_path, admin=True, attention_first=False) as h,
        h.app.run_test(size=(120, 40)) as pilot,
    ):
        _stage(h, 0)
        screen = await _deleted_view(pilot, h)
        assert not screen.table.rows
        await pilot.press("escape")
        fleet = await loaded(pilot, h.app)
        await until(pilot, lambda: h.app.screen is fleet, what="back")
        row = fleet.table.rows[0]
        await pilot.press("d")
        await until(pilot, lambda: isinstance(h.app.screen, ConfirmDialog), what="confirmation")
        h.app.screen.query_one("#confirm-text", Input).value = row.id
        await pilot.press("enter")
        await until(pilot, lambda: h.app.screen is fleet, what="deleted")
        await pilot.press("colon", *"deleted", "enter")
        await until(pilot, lambda: h.app.screen is screen, what=":deleted again")
        await until(pilot, lambda: [r.id for r in screen.table.rows] == [row.id], what="listed")
