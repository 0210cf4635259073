"""Issue 21: the app records every applied fleet in the history file, off the event loop."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from drtui.core.recorded import fleet_states
from drtui.store.history import History
from drtui.ui.screens.deployments import DeploymentsScreen
from tests.observe import until
from tests.ui.harness import ENDPOINT, FIXED_NOW, build_app


async def test_the_app_records_each_poll_and_a_failure_replays(tmp_path: Path) -> None:
    app, emulator, _ = build_app(attention_first=False, state=tmp_path)
    path = tmp_path / "history-test@emulator.test.sqlite3"
    async with app.run_test(size=(160, 48)) as pilot:
        screen = app.screen
        assert isinstance(screen, DeploymentsScreen)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        first = fleet_states(screen.fleet, FIXED_NOW)
        victim = next(key for key, s in first.items() if s.service == "passing")
        emulator.state.emulator.set_health(victim, "serviceHealth", "failing")
        await pilot.press("r")
        await until(pilot, lambda: screen.refreshes == 2, what="second refresh")
        second = fleet_states(screen.fleet, FIXED_NOW)
    assert app.recorder is not None and app.recorder.path == path
    # The app closed the recorder on exit: every submitted poll is on disk.
    with History(path) as history:
        replay = history.at(FIXED_NOW + timedelta(seconds=1))
        assert replay.states == second and replay.states[victim].service == "failing"
        _, moves = history.changes(FIXED_NOW - timedelta(seconds=1), FIXED_NOW)
    assert [m.deployment_id for m in moves if m.before is not None] == [victim]
    assert ENDPOINT.startswith("http://emulator.test")


async def test_no_state_directory_records_nothing() -> None:
    app, _, _ = build_app()
    assert app.recorder is None
