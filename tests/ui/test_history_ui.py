"""Issue 21 in the app: health strips, the detail pane's timeline, replay (`[` `]` `{` `}` `T`,
esc), and writes refused while replaying."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from drtui.core.recorded import STRIP_GLYPHS, State, fleet_states, strip_level
from drtui.store.history import History
from drtui.ui.app import DrtuiApp
from drtui.ui.screens.deployments import DeploymentsScreen
from drtui.ui.screens.replay import TimeDialog
from drtui.ui.widgets.detail_pane import DetailPane
from tests.observe import Heard, row_text, until
from tests.ui.harness import FIXED_NOW, build_app

HOUR = timedelta(hours=1)
OK = ("passing", "passing", "passing")
FAIL = ("failing", "passing", "passing")
WARN = ("passing", "warning", "passing")


def _state(record: Any, health: tuple[str, str, str]) -> State:
    return State(record.doc["label"], record.doc.get("importance") or "", *health)


def _recorded(tmp_path: Path) -> tuple[DrtuiApp, str, str]:
    """An app whose history file already holds a night: `victim` passing at -10 h, failing at
    -9 h, passing at -8 h, warning at -1 h; `other` failing at -5 h (one recorded stretch)."""
    app, emulator, _ = build_app(attention_first=False, state=tmp_path)
    world = emulator.state.emulator
    victim, other = world.live_ids[0], world.live_ids[1]
    v, o = world.deployments[victim], world.deployments[other]
    path = tmp_path / "history-test@emulator.test.sqlite3"
    with History(path, max_gap=timedelta(hours=12)) as history:
        for hours, mine, theirs in (
            (-10, OK, OK),
            (-9, FAIL, OK),
            (-8, OK, OK),
            (-5, OK, FAIL),
            (-1, WARN, FAIL),
        ):
            states = {victim: _state(v, mine), other: _state(o, theirs)}
            history.record(states, FIXED_NOW + hours * HOUR)
    return app, victim, other


async def _started(app: DrtuiApp, pilot: Pilot[Any], victim: str) -> DeploymentsScreen:
    screen = app.screen
    assert isinstance(screen, DeploymentsScreen)
    await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
    await until(pilot, lambda: victim in screen.strips, timeout=30, what="strips from the recorder")
    return screen


async def test_the_strip_column_shows_the_recorded_transitions(tmp_path: Path) -> None:
    app, victim, _ = _recorded(tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await _started(app, pilot, victim)
        live = fleet_states(screen.fleet, FIXED_NOW)[victim]
        # Eight three-hour cells since 09:05 yesterday: nothing recorded before -10 h; passing
        # from -10 h, the failure of -9 h..-8 h (its cell's worst), passing, then the warning.
        last = STRIP_GLYPHS[max(2, strip_level(live))]
        cells = " " * 4 + "▁▇▁" + last
        changes = 3 + (live.health != WARN or live.silent)
        text = f"{cells} {changes:>2}"
        assert screen.strips[victim].text == text
        # Ten hours recorded: the column shows the four cells they fill, not four blank ones.
        assert f"{cells[4:]} {changes:>2}" in row_text(screen.table, victim)
        assert "24H   # " in "".join(s.text for s in screen.table.render_line(0))


async def test_the_detail_pane_lists_every_transition_newest_first(tmp_path: Path) -> None:
    app, victim, _ = _recorded(tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await _started(app, pilot, victim)
        screen.select_deployment(victim)
        await pilot.pause()
        sections = app.screen.query_one(DetailPane).sections
        assert sections is not None
        heading, fields = sections[-1]
        assert heading.startswith("Timeline")
        moves = [value for _, value in fields]
        assert moves[-4:] == [
            "model OK → WARN",
            "service FAIL → OK",
            "service OK → FAIL",
            moves[-1],
        ]
        assert moves[-1].startswith("recorded: service OK, model OK, accuracy OK")
        assert fields[-2][0] == (FIXED_NOW - 9 * HOUR).strftime("%m-%d %H:%M:%S")


async def test_brackets_land_on_every_fleet_wide_transition_and_show_what_replay_returns(
    tmp_path: Path,
) -> None:
    app, victim, other = _recorded(tmp_path)
    path = tmp_path / "history-test@emulator.test.sqlite3"
    heard = Heard()
    async with app.run_test(size=(160, 48), message_hook=heard) as pilot:
        screen = await _started(app, pilot, victim)
        seen = []
        for _ in range(4):
            await pilot.press("left_square_bracket")
            assert screen.replay is not None
            seen.append(screen.replay.at)
            with History(path) as history:
                expected = history.at(screen.replay.at).states
            shown = {row.id: row.health for row in screen.table.rows}
            assert shown == {key: s.health for key, s in expected.items()}
        assert seen == [FIXED_NOW + h * HOUR for h in (-1, -5, -8, -9)]
        assert {r.id: r.health for r in screen.table.rows} == {victim: FAIL, other: OK}
        assert "REPLAY" in str(screen.query_one("#replay-bar").render())
        await pilot.press("left_square_bracket", "left_square_bracket")  # -10 h, then nothing
        assert screen.replay is not None and screen.replay.at == FIXED_NOW - 10 * HOUR
        await until(pilot, lambda: "No earlier change recorded." in heard.said(), what="said")
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert screen.replay is not None and screen.replay.at == FIXED_NOW - 8 * HOUR
        await pilot.press("right_curly_bracket")  # an hour on: between two changes
        assert screen.replay is not None and screen.replay.at == FIXED_NOW - 7 * HOUR
        assert {r.id: r.health for r in screen.table.rows} == {victim: OK, other: OK}
        await pilot.press("escape")
        assert screen.replay is None
        assert len(screen.table.rows) == len(screen.fleet.rows) > 2


async def test_t_replays_a_typed_time_and_says_when_nobody_recorded_it(tmp_path: Path) -> None:
    app, victim, other = _recorded(tmp_path)
    heard = Heard()
    async with app.run_test(size=(160, 48), message_hook=heard) as pilot:
        screen = await _started(app, pilot, victim)
        await pilot.press("T")
        await until(pilot, lambda: isinstance(app.screen, TimeDialog), what="time dialog")
        await pilot.press(*"02:00", "enter")  # 7 h 05 min before 09:05: after the -8 h change
        await until(pilot, lambda: screen.replay is not None, what="replay")
        assert screen.replay is not None
        assert screen.replay.at == FIXED_NOW.replace(hour=2, minute=0)
        assert {r.id: r.health for r in screen.table.rows} == {victim: OK, other: OK}
        await pilot.press("T")
        await until(pilot, lambda: isinstance(app.screen, TimeDialog), what="time dialog")
        await pilot.press(*"2026-02-01 00:00", "enter")
        await until(pilot, lambda: heard.saying("No recording covers"), what="not recorded")
        assert screen.replay.at == FIXED_NOW.replace(hour=2, minute=0)  # unchanged
        await pilot.press("T")
        await until(pilot, lambda: isinstance(app.screen, TimeDialog), what="time dialog")
        await pilot.press(*"soon", "enter")
        await until(pilot, lambda: heard.saying("not 'soon'"), what="not a time")


async def test_writes_are_refused_in_replay_and_come_back_live(tmp_path: Path) -> None:
    app, victim, _ = _recorded(tmp_path)
    heard = Heard()
    async with app.run_test(size=(160, 48), message_hook=heard) as pilot:
        screen = await _started(app, pilot, victim)
        assert screen.check_action("edit", ()) is True
        await pilot.press("left_square_bracket")
        assert screen.replay is not None
        for action in ("edit", "delete", "create", "redeploy", "mute", "acknowledge"):
            assert not screen.check_action(action, ()), action
        await pilot.press("e", "d")
        assert app.screen is screen  # no dialog opened
        await until(pilot, lambda: len(heard.said()) >= 2, what="both refusals said")
        assert any(m.startswith("Replay: edit is disabled") for m in heard.said())
        assert any(m.startswith("Replay: delete is disabled") for m in heard.said())
        await pilot.press("escape")
        assert screen.replay is None
        assert screen.check_action("edit", ()) is True
        assert not screen.check_action("refuse_write", ())


def test_a_single_poll_fills_the_strips_last_cell(tmp_path: Path) -> None:
    with History(tmp_path / "h.sqlite3") as history:
        history.record({"a": State("A", "LOW", *OK), "b": State("B", "LOW", *FAIL)}, FIXED_NOW)
        strips = history.strips(FIXED_NOW)
    assert strips["a"].text == " " * 7 + "▁" + "  0"
    assert strips["b"].text == " " * 7 + "▇" + "  0"


async def test_a_replay_counts_last_pred_from_the_instant_shown(tmp_path: Path) -> None:
    app, victim, _ = _recorded(tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await _started(app, pilot, victim)
        live = screen.fleet.rows[victim].last_prediction
        assert live is not None and live > FIXED_NOW - HOUR  # a busy deployment
        before = row_text(screen.table, victim)
        await pilot.press("left_square_bracket")  # an hour ago
        assert screen.replay is not None and screen.replay.at == FIXED_NOW - HOUR
        # Its live last prediction came after that instant: what it was then is not recorded.
        shown = row_text(screen.table, victim)
        assert " later " in shown and "ago" not in shown.split("later")[-1]
        assert before != shown
        await pilot.press("escape")
        assert " later " not in row_text(screen.table, victim)
