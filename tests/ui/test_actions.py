"""Edit, delete and create against the emulator: success, 403/404/422/timeout with the input
kept, the typed confirmation that cannot be bypassed, read-only mode that sends nothing, and the
audit trail of every attempt."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
from textual.widgets import Button, Checkbox, Input, Label, TextArea

from drtui.core.rows import Row
from drtui.store.audit import read_entries
from drtui.ui.screens.action_dialog import ActionDialog
from drtui.ui.screens.confirm_dialog import ConfirmDialog
from drtui.ui.screens.deleted import DeletedScreen
from drtui.ui.screens.deployments import DeploymentsScreen
from drtui.ui.screens.edit_dialogs import CreateDialog, EditDialog
from drtui.ui.screens.events_log import EventsScreen
from tests.observe import screen_text, until
from tests.ui.write_harness import (
    WriteHarness,
    error_response,
    loaded,
    write_harness,
)

LIST = "/api/v2/deployments/"


def _row(screen: DeploymentsScreen, *, can: str | None = None, cannot: str | None = None) -> Row:
    for row in screen.table.rows:
        permissions = row.source.permissions
        if can is not None and can not in permissions:
            continue
        if cannot is not None and cannot in permissions:
            continue
        return row
    raise AssertionError("no such deployment in the fleet")


async def _open(pilot: Any, h: WriteHarness, key: str, kind: type[ActionDialog[Any, Any]]) -> Any:
    await pilot.press(key)
    await until(pilot, lambda: isinstance(h.app.screen, kind), what=f"{kind.__name__} open")
    dialog = h.app.screen
    await pilot.pause()
    return dialog


def _error(dialog: Any) -> str:
    return str(dialog.query_one("#action-error", Label).render())


async def _settled(pilot: Any, dialog: ActionDialog[Any, Any]) -> None:
    await until(pilot, lambda: not dialog.running, what="the request answered")
    await pilot.pause()


# ----- edit -----------------------------------------------------------------------------------


async def test_edit_sends_only_the_changed_field_and_the_row_updates_at_once(
    tmp_path: Path,
) -> None:
    async with (
        write_harness(tmp_path, attention_first=False) as h,
        h.app.run_test(size=(120, 40)) as pilot,
    ):
        screen = await loaded(pilot, h.app)
        row = _row(screen, can="CAN_EDIT_DEPLOYMENT")
        screen.table.move_cursor_to_id(row.id)
        dialog = await _open(pilot, h, "e", EditDialog)
        label = dialog.query_one("#edit-label", Input)
        assert label.value == row.label, "prefilled"
        assert dialog.query_one("#edit-description", TextArea).text == (
            row.source.description or ""
        )
        await pilot.press("end", *" v2")
        await pilot.press("enter")
        await until(pilot, lambda: h.app.screen is screen, what="dialog closed")
        assert screen.fleet.rows[row.id].label == f"{row.label} v2", "row updated at once"
        assert screen.table.cursor_row is not None
        assert screen.table.cursor_row.label == f"{row.label} v2"
        patches = [s for s in h.wire.writes() if s.method == "PATCH"]
        assert [(p.path, p.body) for p in patches] == [
            (f"{LIST}{row.id}/", {"label": f"{row.label} v2"})
        ]
        assert h.state.deployments[row.id].doc["label"] == f"{row.label} v2"
        entries = read_entries(h.audit.path)
        assert [(e["action"], e["ids"], e["outcome"]) for e in entries] == [
            ("edit", [row.id], "ok")
        ]
        assert entries[0]["details"] == {"label": f"{row.label} v2"}


async def test_edit_clears_the_description_to_null_and_changes_importance(
    tmp_path: Path,
) -> None:
    async with (
        write_harness(tmp_path, attention_first=False) as h,
        h.app.run_test(size=(120, 40)) as pilot,
    ):
        screen = await loaded(pilot, h.app)
        row = next(
            r
            for r in screen.table.rows
            if "CAN_EDIT_DEPLOYMENT" in r.source.permissions and r.source.description
        )
        screen.table.move_cursor_to_id(row.id)
        dialog = await _open(pilot, h, "e", EditDialog)
        dialog.query_one("#edit-description", TextArea).text = ""
        new_importance = "CRITICAL" if row.importance.upper() != "CRITICAL" else "LOW"
        dialog.query_one("#edit-importance").value = new_importance
        await pilot.pause()
        dialog.query_one("#action-submit", Button).press()
        await until(pilot, lambda: h.app.screen is screen, what="dialog closed")
        patch = next(s for s in h.wire.writes() if s.method == "PATCH")
        assert patch.body == {"description": None, "importance": new_importance}
        assert h.state.deployments[row.id].doc["description"] is None


async def test_edit_limits_are_checked_as_the_user_types(tmp_path: Path) -> None:
    async with (
        write_harness(tmp_path, attention_first=False) as h,
        h.app.run_test(size=(120, 40)) as pilot,
    ):
        screen = await loaded(pilot, h.app)
        screen.table.move_cursor_to_id(_row(screen, can="CAN_EDIT_DEPLOYMENT").id)
        dialog = await _open(pilot, h, "e", EditDialog)
        label = dialog.query_one("#edit-label", Input)
        label.value = "x" * 513
        await pilot.pause()
        assert "at most 512" in _error(dialog)
        assert dialog.query_one("#action-submit", Button).disabled
        assert "513 / 512" in str(dialog.query_one("#edit-label-count", Label).render())
        await pilot.press("enter")
        label.value = ""
        await pilot.pause()
        assert "label is required" in _error(dialog)
        await pilot.press("enter")
        label.value = "fine"
        dialog.query_one("#edit-description", TextArea).text = "d" * 10_001
        await pilot.pause()
        assert "at most 10,000" in _error(dialog)
        await pilot.press("enter")
        await pilot.pause()
        assert h.wire.writes() == [], "nothing invalid was sent"
        assert isinstance(h.app.screen, EditDialog)


async def test_a_poll_in_flight_cannot_put_the_old_label_back(tmp_path: Path) -> None:
    async with (
        write_harness(tmp_path, attention_first=False) as h,
        h.app.run_test(size=(120, 40)) as pilot,
    ):
        screen = await loaded(pilot, h.app)
        row = _row(screen, can="CAN_EDIT_DEPLOYMENT")
        screen.table.move_cursor_to_id(row.id)
        gate = asyncio.Event()
        h.wire.hold = lambda r: gate if r.method == "GET" and r.url.path == LIST else None
        held = len(h.wire.sent)
        await pilot.press("r")  # a poll reads the old label, and its answer is held back
        await until(
            pilot,
            lambda: any(s.path == LIST for s in h.wire.sent[held:]),
            what="the poll read the server",
        )
        dialog = await _open(pilot, h, "e", EditDialog)
        dialog.query_one("#edit-label", Input).value = "renamed during a poll"
        await pilot.press("enter")
        await until(pilot, lambda: h.app.screen is screen, what="saved")
        assert screen.fleet.rows[row.id].label == "renamed during a poll"
        refreshes = screen.refreshes
        gate.set()  # the old answer arrives now, then the fresh poll's
        await until(pilot, lambda: screen.refreshes > refreshes, what="the fresh poll applied")
        await pilot.pause()
        assert screen.fleet.rows[row.id].label == "renamed during a poll"


async def _edit_fails(
    tmp_path: Path, stage: Any, expected: str, *, permission: str | None = "CAN_EDIT_DEPLOYMENT"
) -> WriteHarness:
    async with (
        write_harness(tmp_path, attention_first=False) as h,
        h.app.run_test(size=(120, 40)) as pilot,
    ):
        screen = await loaded(pilot, h.app)
        row = (
            _row(screen, can=permission)
            if permission
            else _row(screen, cannot="CAN_EDIT_DEPLOYMENT")
        )
        screen.table.move_cursor_to_id(row.id)
        dialog = await _open(pilot, h, "e", EditDialog)
        stage(h, row)
        dialog.query_one("#edit-label", Input).value = "typed by the user"
        dialog.query_one("#edit-description", TextArea).text = "line one\nline two"
        await pilot.press("enter")
        await _settled(pilot, dialog)
        assert h.app.screen is dialog, "the dialog stays open"
        assert expected in _error(dialog), _error(dialog)
        assert "Traceback" not in screen_text(h.app)
        assert dialog.query_one("#edit-label", Input).value == "typed by the user"
        assert dialog.query_one("#edit-description", TextArea).text == "line one\nline two"
        assert not dialog.query_one("#action-submit", Button).disabled, "can try again"
        assert screen.fleet.rows[row.id].label == row.label, "the row keeps the server's value"
        entries = read_entries(h.audit.path)
        assert [(e["action"], e["outcome"]) for e in entries] == [("edit", "failed")]
        assert expected in entries[0]["message"]
        assert h.token not in h.audit.path.read_text()
        return h


async def test_edit_403_says_the_missing_permission_and_keeps_the_input(tmp_path: Path) -> None:
    await _edit_fails(
        tmp_path, lambda h, row: None, "CAN_EDIT_DEPLOYMENT permission", permission=None
    )


async def test_edit_404_when_the_deployment_went_away(tmp_path: Path) -> None:
    await _edit_fails(tmp_path, lambda h, row: h.state.delete_deployment(row.id), "not found")


async def test_edit_422_shows_the_servers_message(tmp_path: Path) -> None:
    def refuse(h: WriteHarness, row: Row) -> None:
        h.wire.fault = lambda r: (
            error_response(r, 422, "label: this label is reserved by policy")
            if r.method == "PATCH"
            else None
        )

    await _edit_fails(tmp_path, refuse, "this label is reserved by policy")


async def test_edit_timeout_is_one_sentence(tmp_path: Path) -> None:
    def slow(h: WriteHarness, row: Row) -> None:
        h.wire.fault = lambda r: (
            httpx.ReadTimeout("timed out", request=r) if r.method == "PATCH" else None
        )

    await _edit_fails(tmp_path, slow, "did not answer in time for PATCH")


# ----- delete ---------------------------------------------------------------------------------


async def test_delete_needs_the_label_typed_exactly_then_the_row_leaves(tmp_path: Path) -> None:
    async with (
        write_harness(tmp_path, attention_first=False) as h,
        h.app.run_test(size=(120, 40)) as pilot,
    ):
        screen = await loaded(pilot, h.app)
        row = _row(screen, can="CAN_DELETE_DEPLOYMENT")
        screen.table.move_cursor_to_id(row.id)
        dialog = await _open(pilot, h, "d", ConfirmDialog)
        shown = screen_text(h.app)
        for fact in (row.label[:30], row.id, "Importance", "Status", "Last prediction"):
            assert fact in shown, fact
        assert "Predictions, 7 days" in shown
        assert f"{sum(row.daily_rates):,}" in shown
        # enter on an empty field, a wrong text, a near miss: nothing is sent.
        await pilot.press("enter")
        await pilot.press(*"wrong", "enter")
        dialog.query_one("#confirm-text", Input).value = row.label + " "
        await pilot.press("enter")
        dialog.query_one("#confirm-text", Input).value = row.label.upper()
        await pilot.press("enter")
        await pilot.pause()
        assert dialog.query_one("#action-submit", Button).disabled
        assert h.wire.writes() == [] and dialog.attempts == 0
        assert h.app.screen is dialog
        dialog.query_one("#confirm-text", Input).value = row.label
        await pilot.press("enter")
        await until(pilot, lambda: h.app.screen is screen, what="deleted")
        assert row.id not in screen.fleet.rows
        assert row.id not in {r.id for r in screen.table.rows}, "the row left the table"
        deletes = [s for s in h.wire.writes() if s.method == "DELETE"]
        assert [(d.path, d.query) for d in deletes] == [(f"{LIST}{row.id}/", "")]
        assert h.state.deleted[0]["id"] == row.id, "in the deleted list"
        entries = read_entries(h.audit.path)
        assert [(e["action"], e["ids"], e["outcome"]) for e in entries] == [
            ("delete", [row.id], "ok")
        ]


async def test_delete_by_id_with_ignore_management_agent(tmp_path: Path) -> None:
    async with (
        write_harness(tmp_path, attention_first=False) as h,
        h.app.run_test(size=(120, 40)) as pilot,
    ):
        screen = await loaded(pilot, h.app)
        row = _row(screen, can="CAN_DELETE_DEPLOYMENT")
        screen.table.move_cursor_to_id(row.id)
        dialog = await _open(pilot, h, "d", ConfirmDialog)
        dialog.query_one("#option-ignore_management_agent", Checkbox).value = True
        dialog.query_one("#confirm-text", Input).value = row.id
        await pilot.press("enter")
        await until(pilot, lambda: h.app.screen is screen, what="deleted")
        deletes = [s for s in h.wire.writes() if s.method == "DELETE"]
        assert [d.query for d in deletes] == ["ignoreManagementAgent=true"]


async def test_a_queued_key_flood_cannot_confirm_a_delete(tmp_path: Path) -> None:
    async with (
        write_harness(tmp_path, attention_first=False) as h,
        h.app.run_test(size=(120, 40)) as pilot,
    ):
        screen = await loaded(pilot, h.app)
        row = _row(screen, can="CAN_DELETE_DEPLOYMENT")
        screen.table.move_cursor_to_id(row.id)
        # d and a burst of keys queued before the dialog has even drawn.
        # (tab reaches Cancel: the flood may close the dialog, never confirm it.)
        await pilot.press("d", "enter", "y", "enter", "space", "enter", "tab", "enter", "enter")
        await pilot.pause()
        assert h.wire.writes() == []
        assert row.id in h.state.deployments
        # The right text, then enter hammered: one DELETE, not three.
        if isinstance(h.app.screen, ConfirmDialog):
            await pilot.press("escape")
        dialog = await _open(pilot, h, "d", ConfirmDialog)
        dialog.query_one("#confirm-text", Input).value = row.id
        await pilot.press("enter", "enter", "enter")
        await until(pilot, lambda: h.app.screen is screen, what="deleted")
        assert len([s for s in h.wire.writes() if s.method == "DELETE"]) == 1
        assert dialog.attempts == 1


async def test_delete_403_keeps_the_dialog_and_the_typed_text(tmp_path: Path) -> None:
    async with (
        write_harness(tmp_path, attention_first=False) as h,
        h.app.run_test(size=(120, 40)) as pilot,
    ):
        screen = await loaded(pilot, h.app)
        row = _row(screen, cannot="CAN_DELETE_DEPLOYMENT")
        screen.table.move_cursor_to_id(row.id)
        dialog = await _open(pilot, h, "d", ConfirmDialog)
        dialog.query_one("#confirm-text", Input).value = row.id
        await pilot.press("enter")
        await _settled(pilot, dialog)
        assert h.app.screen is dialog
        assert "CAN_DELETE_DEPLOYMENT permission" in _error(dialog)
        assert dialog.query_one("#confirm-text", Input).value == row.id
        assert row.id in screen.fleet.rows


# ----- create ---------------------------------------------------------------------------------


async def _fill_create(dialog: Any, **values: str) -> None:
    for key, value in values.items():
        dialog.query_one(f"#create-{key}", Input).value = value


async def test_create_follows_the_job_and_selects_the_new_deployment(tmp_path: Path) -> None:
    async with (
        write_harness(tmp_path) as h,  # the attention view: the new one may pass every check
        h.app.run_test(size=(120, 40)) as pilot,
    ):
        screen = await loaded(pilot, h.app)
        dialog = await _open(pilot, h, "plus", CreateDialog)
        await _fill_create(dialog, model="5e8f0c1a2d3e4f5a6b7c8d90", label="churn v7")
        dialog.query_one("#create-threshold", Input).value = "0.4"
        await pilot.press("enter")
        await until(pilot, lambda: any(s.method == "POST" for s in h.wire.sent), what="POST")
        await until(
            pilot,
            lambda: any(s.path.startswith("/api/v2/status/") for s in h.wire.sent),
            what="job followed",
        )
        assert dialog.running and dialog.query_one("#action-submit", Button).disabled
        await h.advance(5)  # the emulator's job ends on its clock
        await until(pilot, lambda: h.app.screen is screen, what="created", timeout=10)
        posts = [s for s in h.wire.writes() if s.method == "POST"]
        assert len(posts) == 1, "a POST is sent once"
        body = posts[0].body
        assert body["modelId"] == "5e8f0c1a2d3e4f5a6b7c8d90" and body["label"] == "churn v7"
        assert body["predictionThreshold"] == 0.4 and body["status"] == "active"
        assert "defaultPredictionServerId" not in body, "omitted when empty"
        selected = screen.table.cursor_row
        assert selected is not None and selected.label == "churn v7"
        assert selected.id in h.state.deployments
        entries = read_entries(h.audit.path)
        assert [(e["action"], e["ids"], e["outcome"]) for e in entries] == [
            ("create", [selected.id], "ok")
        ]


async def test_create_422_from_the_server_keeps_the_form(tmp_path: Path) -> None:
    async with (
        write_harness(tmp_path) as h,
        h.app.run_test(size=(120, 40)) as pilot,
    ):
        await loaded(pilot, h.app)
        dialog = await _open(pilot, h, "plus", CreateDialog)
        await _fill_create(
            dialog, model="5e8f0c1a2d3e4f5a6b7c8d90", label="churn v7", server="nope"
        )
        await pilot.press("enter")
        await _settled(pilot, dialog)
        assert h.app.screen is dialog
        assert "unknown prediction server" in _error(dialog), _error(dialog)
        assert dialog.query_one("#create-label", Input).value == "churn v7"
        assert dialog.query_one("#create-server", Input).value == "nope"
        assert len([s for s in h.wire.writes() if s.method == "POST"]) == 1, "not retried"


async def test_create_is_validated_locally_first(tmp_path: Path) -> None:
    async with (
        write_harness(tmp_path) as h,
        h.app.run_test(size=(120, 40)) as pilot,
    ):
        await loaded(pilot, h.app)
        dialog = await _open(pilot, h, "plus", CreateDialog)
        await pilot.press("enter")
        assert "model id is required" in _error(dialog)
        await _fill_create(dialog, model="m1", label="x", threshold="1.5")
        await pilot.press("enter")
        await pilot.pause()
        assert "between 0 and 1" in _error(dialog)
        assert h.wire.writes() == []


async def test_redeploy_prefills_the_model_of_the_selected_deployment(tmp_path: Path) -> None:
    async with (
        write_harness(tmp_path, attention_first=False) as h,
        h.app.run_test(size=(120, 40)) as pilot,
    ):
        screen = await loaded(pilot, h.app)
        row = screen.table.rows[3]
        screen.table.move_cursor_to_id(row.id)
        dialog = await _open(pilot, h, "R", CreateDialog)
        assert row.source.model is not None
        assert dialog.query_one("#create-model", Input).value == row.source.model.id


async def test_a_failed_job_keeps_the_form_and_says_why(tmp_path: Path) -> None:
    async with (
        write_harness(tmp_path) as h,
        h.app.run_test(size=(120, 40)) as pilot,
    ):
        await loaded(pilot, h.app)
        dialog = await _open(pilot, h, "plus", CreateDialog)
        await _fill_create(dialog, model="m1", label="doomed")
        h.wire.fault = lambda r: (
            error_response(r, 403, "You do not have permission to deploy this model.")
            if r.method == "POST"
            else None
        )
        await pilot.press("enter")
        await _settled(pilot, dialog)
        assert "You do not have permission to deploy this model" in _error(dialog)
        assert dialog.query_one("#create-label", Input).value == "doomed"


# ----- read-only mode -------------------------------------------------------------------------


async def test_read_only_mode_sends_no_write_whatever_keys_are_pressed(tmp_path: Path) -> None:
    async with (
        write_harness(tmp_path, read_only=True, admin=True, attention_first=False) as h,
        h.app.run_test(size=(120, 40), message_hook=h.heard) as pilot,
    ):
        await loaded(pilot, h.app)
        for key in ("e", "d", "plus", "R"):
            await pilot.press(key, "enter", "y", "enter")
            await pilot.pause()
            assert not isinstance(h.app.screen, ActionDialog), f"{key} opened a dialog"
        assert h.heard.saying("Read-only mode")
        await pilot.press("colon", *"deleted", "enter")
        await until(pilot, lambda: h.app.current_view == "deleted", what=":deleted")
        deleted = h.app.screen
        assert isinstance(deleted, DeletedScreen)
        await until(pilot, lambda: deleted.poller.polls >= 1, what="deleted list")
        await pilot.press("space", "asterisk", "x", *"ERASE 1", "enter", "x", "y", "enter")
        await pilot.pause()
        assert h.app.screen is deleted
        assert "Erase" not in screen_text(h.app), "absent from the footer"
        assert await h.logged("PATCH", "POST", "DELETE", "PUT") == []
        assert h.wire.writes() == []
        assert not h.audit.path.exists(), "nothing was even attempted"


async def test_the_read_only_client_refuses_writes_itself(tmp_path: Path) -> None:
    """Belt and braces: even a write that got past the screens stops in the client."""
    async with (
        write_harness(tmp_path, client_read_only=True, attention_first=False) as h,
        h.app.run_test(size=(120, 40)) as pilot,
    ):
        screen = await loaded(pilot, h.app)
        row = _row(screen, can="CAN_EDIT_DEPLOYMENT")
        screen.table.move_cursor_to_id(row.id)
        dialog = await _open(pilot, h, "e", EditDialog)
        dialog.query_one("#edit-label", Input).value = "never sent"
        await pilot.press("enter")
        await _settled(pilot, dialog)
        assert "read-only" in _error(dialog).lower()
        assert await h.logged("PATCH", "POST", "DELETE") == []


# ----- the audit trail in the events view -----------------------------------------------------


async def test_the_events_view_shows_the_audit_trail(tmp_path: Path) -> None:
    async with (
        write_harness(tmp_path, attention_first=False) as h,
        h.app.run_test(size=(160, 48)) as pilot,
    ):
        screen = await loaded(pilot, h.app)
        row = _row(screen, can="CAN_EDIT_DEPLOYMENT")
        screen.table.move_cursor_to_id(row.id)
        dialog = await _open(pilot, h, "e", EditDialog)
        dialog.query_one("#edit-label", Input).value = "audited"
        await pilot.press("enter")
        await until(pilot, lambda: h.app.screen is screen, what="saved")
        await pilot.press("E")
        await until(pilot, lambda: isinstance(h.app.screen, EventsScreen), what="events")
        await pilot.pause()
        shown = screen_text(h.app)
        assert f"edit {row.id}: ok" in shown
        assert str(h.audit.path.name) in shown
