"""State files (audit trail, debug log) are opened 0600 and never through a symbolic link."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest

from drtui.store.debuglog import LOG_FILE, install_log_file
from drtui.store.statefile import StateFileError, open_state_file, refuse_link


def test_a_state_file_is_created_private_and_appended(tmp_path: Path) -> None:
    path = tmp_path / "state.jsonl"
    for text in ("one\n", "two\n"):
        fd = open_state_file(path)
        with os.fdopen(fd, "a") as out:
            out.write(text)
    assert path.read_text() == "one\ntwo\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.chmod(0o644)  # left open by an older version: closed again
    os.close(open_state_file(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_link_is_refused_and_its_target_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "target"
    target.write_text("x")
    target.chmod(0o644)
    link = tmp_path / "link"
    link.symlink_to(target)
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")
    for path in (link, dangling):
        with pytest.raises(StateFileError) as caught:
            open_state_file(path)
        assert str(caught.value).startswith(f"{path} is a symbolic link")
        with pytest.raises(StateFileError):
            refuse_link(path)
    assert target.read_text() == "x" and stat.S_IMODE(target.stat().st_mode) == 0o644
    assert not (tmp_path / "nowhere").exists()
    refuse_link(target)  # a plain file passes
    refuse_link(tmp_path / "not-yet")  # so does a missing one


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "audit.jsonl"
    os.mkfifo(fifo)
    with pytest.raises(StateFileError, match="is not a regular file"):
        open_state_file(fifo, os.O_RDWR)


def test_the_debug_log_is_not_written_or_chmodded_through_a_link(tmp_path: Path) -> None:
    target = tmp_path / "target.txt"
    target.write_text("keep\n")
    target.chmod(0o644)
    state = tmp_path / "state"
    state.mkdir()
    (state / LOG_FILE).symlink_to(target)
    logger = logging.getLogger("drtui")
    before = list(logger.handlers)
    with pytest.raises(StateFileError, match="is a symbolic link"):
        install_log_file(["secret"], directory=state)
    assert logger.handlers == before, "no handler left half installed"
    assert target.read_text() == "keep\n" and stat.S_IMODE(target.stat().st_mode) == 0o644
    (state / LOG_FILE).unlink()
    path = install_log_file(["secret"], directory=state)
    try:
        logging.getLogger("drtui.test").warning("hello secret")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert "hello [redacted]" in path.read_text()
    finally:
        for handler in [h for h in logger.handlers if h not in before]:
            logger.removeHandler(handler)
            handler.close()


def test_a_debug_log_that_cannot_be_opened_is_said_once_at_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from drtui.ui.app import with_debug_log
    from drtui.ui.settings import AppSettings

    monkeypatch.setenv("DRTUI_STATE_DIR", str(tmp_path))
    (tmp_path / LOG_FILE).symlink_to(tmp_path / "elsewhere")
    settings = with_debug_log(AppSettings(endpoint="https://dr.test", token="t-123"))
    [warning] = settings.startup_warnings
    assert warning.startswith("The debug log is off: ") and "symbolic link" in warning
    assert not (tmp_path / "elsewhere").exists()
