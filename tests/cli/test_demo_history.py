"""`drtui demo` opens on a day of history: the strips and replay show what the emulator played
before the screen opened, and a new demo does not leave the last one's file behind."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from drtui.cli.demo import _record_the_demo_day
from drtui.emulator.config import DEMO_HISTORY_HOURS, EmulatorConfig
from drtui.emulator.server import EmulatorServer
from drtui.store.history import History
from drtui.store.paths import history_path


def test_the_demo_records_the_day_its_emulator_played(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DRTUI_STATE_DIR", str(tmp_path))
    earlier = tmp_path / "history-demo@127.0.0.1_40001.sqlite3"
    earlier.write_bytes(b"an earlier demo's file")
    config = EmulatorConfig(
        deployments=120, seed=5, clock="manual", history_hours=DEMO_HISTORY_HOURS
    )
    with EmulatorServer(config, host="127.0.0.1", port=0) as server:
        state = server.state
        _record_the_demo_day(state, server.endpoint)
        now = state.clock.now()
        path = history_path(tmp_path, "demo", server.endpoint)
        assert not earlier.exists()
        with History(path) as history:
            [(start, end)] = history.spans()
            assert end == now and now - start == timedelta(hours=DEMO_HISTORY_HOURS)
            strips = history.strips(now)
            _, changes = history.changes(start, now)
            live = history.at(now).states
        docs = {key: record.doc for key, record in state.deployments.items()}
    assert len(strips) == len(docs) == 120
    assert sum(strip.changes for strip in strips.values()) >= 20  # a day of health moving
    assert len({strip.cells for strip in strips.values()}) > 5
    assert all(" " not in strip.cells for strip in strips.values())  # every cell recorded
    # The recording ends where the emulator is: each deployment's health as it is served now.
    for key, doc in docs.items():
        assert live[key].service == (doc.get("serviceHealth") or {}).get("status", "unknown")
    assert changes and all(start < change.at <= now for change in changes)
