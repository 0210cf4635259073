"""The audit trail, the erase batches and the write dialogs' checks, as plain functions."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from drtui.api.models import DeletedDeployment
from drtui.core.changes import Invalid, edit_changes, new_deployment, parse_threshold
from drtui.core.deleted import batches, deleted_rows, erase_phrase
from drtui.store.audit import AUDIT_FILE, AuditEntry, AuditLog, read_entries
from drtui.store.paths import state_directory

AT = datetime(2026, 3, 2, 9, 5, tzinfo=UTC)


def test_each_attempt_is_one_json_line_appended(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "state")
    log.record(AuditEntry(AT, "edit", ("d1",), "ok", details={"label": "new"}))
    log.record(AuditEntry(AT, "delete", ("d2",), "failed", "Deployment d2 not found."))
    lines = (tmp_path / "state" / AUDIT_FILE).read_text().splitlines()
    assert [json.loads(line)["action"] for line in lines] == ["edit", "delete"]
    first = json.loads(lines[0])
    assert first == {
        "at": "2026-03-02T09:05:00+00:00",
        "action": "edit",
        "ids": ["d1"],
        "outcome": "ok",
        "message": "",
        "details": {"label": "new"},
        "endpoint": "",
    }
    assert [e.action for e in log] == ["edit", "delete"]
    mode = stat.S_IMODE((tmp_path / "state" / AUDIT_FILE).stat().st_mode)
    assert mode == 0o600, "readable by the user only"


def test_the_token_and_escapes_never_reach_the_file(tmp_path: Path) -> None:
    token = "sk-live-abcdef0123456789"
    log = AuditLog(tmp_path, secrets=[token])
    log.record(
        AuditEntry(
            AT,
            "edit",
            ("d1",),
            "failed",
            f"server echoed Bearer {token}\x1b[2J",
            details={"label": f"x{token}", "nested": [token]},
        )
    )
    text = (tmp_path / AUDIT_FILE).read_text()
    assert token not in text and "\x1b" not in text and "\\u001b" not in text
    assert "[redacted]" in text
    assert token not in next(iter(log)).summary()


def test_a_file_that_cannot_be_written_never_stops_the_action(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    log = AuditLog(blocker)
    log.record(AuditEntry(AT, "edit", ("d1",), "ok"))
    assert log.write_error is not None and "could not be written" in log.write_error
    assert len(log) == 1, "still shown in the events view"


def test_the_directory_comes_from_the_environment_or_platformdirs(tmp_path: Path) -> None:
    assert state_directory({"DRTUI_STATE_DIR": str(tmp_path)}) == tmp_path
    assert state_directory({}).name == "drtui"


def test_read_entries_skips_broken_lines(tmp_path: Path) -> None:
    path = tmp_path / AUDIT_FILE
    path.write_text('{"action": "edit"}\nnot json\n[1]\n')
    assert read_entries(path) == [{"action": "edit"}]


def test_250_ids_are_batches_of_100_100_50() -> None:
    ids = [f"id{i}" for i in range(250)]
    assert [len(b) for b in batches(ids)] == [100, 100, 50]
    assert [i for b in batches(ids) for i in b] == ids
    assert batches(["a", "a", "b"]) == [["a", "b"]]
    assert batches([]) == []
    assert erase_phrase(250) == "ERASE 250"


def test_deleted_rows_newest_first_and_sanitised() -> None:
    rows = deleted_rows(
        [
            DeletedDeployment(id="a", label="old", deleted_at=datetime(2025, 1, 1, tzinfo=UTC)),
            DeletedDeployment(id="b", label="new\x1b[31m", deleted_at=AT),
            DeletedDeployment(id=None, label="no id"),
            DeletedDeployment(id="c", label=None),
        ]
    )
    assert [r.id for r in rows] == ["b", "a", "c"]
    assert rows[0].label == "new" and rows[2].label == "(no label)"


def test_edit_sends_only_what_changed() -> None:
    before = ("churn", "a model", "LOW")
    assert edit_changes(before, "churn", "a model", "LOW") == {}
    assert edit_changes(before, "churn v2", "a model", "LOW") == {"label": "churn v2"}
    assert edit_changes(before, "churn", "", "HIGH") == {"description": None, "importance": "HIGH"}
    assert edit_changes(("x", None, "LOW"), "x", "", "LOW") == {}, "null stays null"
    with pytest.raises(Invalid, match="required"):
        edit_changes(before, "   ", "", "LOW")
    with pytest.raises(Invalid, match="at most 512"):
        edit_changes(before, "x" * 513, "", "LOW")
    assert edit_changes(before, "x" * 512, "", "LOW")["label"] == "x" * 512
    with pytest.raises(Invalid, match="10,000"):
        edit_changes(before, "x", "d" * 10_001, "LOW")
    with pytest.raises(Invalid, match="importance"):
        edit_changes(before, "x", "", "URGENT")


def test_create_is_checked_before_sending() -> None:
    ok = new_deployment(
        model_id=" m1 ",
        label="l",
        description="",
        importance="LOW",
        threshold="",
        status="active",
        server_id="  ",
        grant_roles=False,
    )
    assert ok.model_id == "m1" and ok.description is None
    assert ok.default_prediction_server_id is None and ok.prediction_threshold is None
    assert parse_threshold("0") == 0.0 and parse_threshold("1") == 1.0
    for bad in ("1.01", "-0.1", "nan", "abc"):
        with pytest.raises(Invalid):
            parse_threshold(bad)
    with pytest.raises(Invalid, match="model id"):
        new_deployment(
            model_id="",
            label="l",
            description="",
            importance="LOW",
            threshold="",
            status="active",
            server_id="",
            grant_roles=False,
        )


def test_an_audit_file_that_is_a_link_is_refused_in_one_sentence(tmp_path: Path) -> None:
    """A link planted in the state directory must not make drtui append to another file."""
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("someone else's file\n")
    state = tmp_path / "state"
    state.mkdir()
    (state / AUDIT_FILE).symlink_to(elsewhere)
    log = AuditLog(state)
    kept = log.record(AuditEntry(AT, "edit", ("d1",), "ok"))
    assert elsewhere.read_text() == "someone else's file\n", "the link's target is untouched"
    assert kept.action == "edit" and list(log) == [kept], "still kept for the events view"
    assert log.write_error is not None
    assert log.write_error.startswith("The audit log was not written: ")
    assert "is a symbolic link" in log.write_error and log.write_error.count(". ") == 0
    (state / AUDIT_FILE).unlink()
    (state / AUDIT_FILE).symlink_to(tmp_path / "missing.txt")  # a dangling link: nothing made
    log.record(AuditEntry(AT, "edit", ("d1",), "ok"))
    assert not (tmp_path / "missing.txt").exists() and log.write_error is not None
