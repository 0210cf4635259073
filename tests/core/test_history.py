"""Issue 21: the flight recorder: round trip against the emulator, bounds, two writers, damage."""

from __future__ import annotations

import itertools
import json
import sqlite3
import subprocess
import sys
import textwrap
import time
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from drtui.api.client import DataRobotClient
from drtui.api.query import DeploymentQuery
from drtui.api.retry import NO_RETRY
from drtui.core.fleet import Fleet
from drtui.core.recorded import NotRecorded, State, fleet_states
from drtui.emulator.app import create_app
from drtui.emulator.config import EmulatorConfig
from drtui.store.history import History
from drtui.store.history_file import MB
from drtui.store.paths import history_path, state_directory

T0 = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)
ENDPOINT = "http://emulator.test/api/v2"


def fleet_of(n: int, poll: int, changing: int = 3) -> dict[str, State]:
    """A synthetic fleet: `changing` deployments move at each poll, in turn."""
    states = {}
    for i in range(n):
        moved = (i - poll * changing) % n < changing or i % 97 == poll % 97
        service = "failing" if moved and poll % 2 else "passing"
        states[f"d{i:05d}"] = State(f"model {i}", "HIGH", service, "passing", "warning")
    return states


async def test_replay_reproduces_every_fleet_seen_live(tmp_path: Path) -> None:
    config = EmulatorConfig(deployments=60, seed=5, clock="manual")
    emulator = create_app(config)
    state = emulator.state.emulator
    client = DataRobotClient(
        ENDPOINT,
        config.user_token,
        retry=NO_RETRY,
        transport=httpx.ASGITransport(app=emulator),
    )
    seen: list[tuple[datetime, dict[str, State]]] = []
    history = History(tmp_path / "h.sqlite3", snapshot_every=timedelta(minutes=10))
    fleet = Fleet()
    async with client:
        ids = [d.id for d in state.deployments.values()]
        for step in range(14):
            if step == 4:  # a scripted incident on top of the world's own evolution
                state.set_health(ids[3], "serviceHealth", "failing")
            if step == 9:
                state.set_health(ids[3], "serviceHealth", "passing")
            deployments = await client.list_all_deployments(DeploymentQuery(order_by="label"))
            fleet = Fleet.from_deployments(deployments, previous=fleet)
            at = state.clock.now()
            states = fleet_states(fleet, at)
            history.record(states, at)
            seen.append((at, states))
            state.advance(150.0)
    changed = sum(1 for (_, a), (_, b) in itertools.pairwise(seen) if a != b)
    assert changed >= 3  # the world moved: the test is not comparing one fleet with itself
    reopened = History(tmp_path / "h.sqlite3")
    for at, states in seen:
        assert reopened.at(at).states == states
        assert reopened.at(at + timedelta(seconds=149)).states == states  # between two polls
    assert reopened.at(seen[5][0]).states[ids[3]].service == "failing"
    with pytest.raises(NotRecorded, match="No recording covers 2026-03-02 08:59:59 UTC"):
        reopened.at(seen[0][0] - timedelta(seconds=1))
    with pytest.raises(NotRecorded):
        reopened.at(seen[-1][0] + timedelta(hours=1))


def test_changes_carry_before_and_after(tmp_path: Path) -> None:
    with History(tmp_path / "h.sqlite3") as history:
        history.record(fleet_of(10, 0), T0)
        history.record(fleet_of(10, 1), T0 + timedelta(minutes=1))
        gone = dict(fleet_of(10, 1))
        del gone["d00009"]
        history.record(gone, T0 + timedelta(minutes=2))
        before, moves = history.changes(T0, T0 + timedelta(minutes=5))
    assert before == fleet_of(10, 0)
    assert [
        (m.deployment_id, m.before and m.before.service, m.after and m.after.service) for m in moves
    ] == [
        ("d00001", "passing", "failing"),
        ("d00003", "passing", "failing"),
        ("d00004", "passing", "failing"),
        ("d00005", "passing", "failing"),
        ("d00009", "passing", None),
    ]


def test_a_gap_is_not_claimed(tmp_path: Path) -> None:
    with History(tmp_path / "h.sqlite3") as history:
        history.record(fleet_of(5, 0), T0)
        history.record(fleet_of(5, 1), T0 + timedelta(minutes=1))
        history.record(fleet_of(5, 2), T0 + timedelta(hours=5))
        assert len(history.spans()) == 2
        with pytest.raises(NotRecorded, match="in 2 stretches"):
            history.at(T0 + timedelta(hours=2))
        assert history.at(T0 + timedelta(hours=5)).states == fleet_of(5, 2)


def test_retention_drops_what_is_older_and_keeps_the_rest_exact(tmp_path: Path) -> None:
    history = History(
        tmp_path / "h.sqlite3",
        retention=timedelta(days=3),
        snapshot_every=timedelta(hours=1),
        max_gap=timedelta(hours=2),
    )
    expected = {}
    for poll in range(6 * 24):  # six days, one poll an hour
        at = T0 + timedelta(hours=poll)
        expected[at] = fleet_of(40, poll)
        history.record(expected[at], at)
    now = T0 + timedelta(hours=6 * 24 - 1)
    history.prune(now)
    first = history.spans()[0][0]
    assert now - timedelta(days=3, hours=1) <= first <= now - timedelta(days=3)
    with pytest.raises(NotRecorded):
        history.at(T0 + timedelta(days=1))
    for at, states in expected.items():
        if at >= first:
            assert history.at(at).states == states
    with closing(sqlite3.connect(tmp_path / "h.sqlite3")) as db:  # the file, as on disk
        old = db.execute(
            "SELECT COUNT(*) FROM changes WHERE t < ?", (int(first.timestamp() * 1000),)
        )
        assert old.fetchone()[0] == 0


def test_size_bound_drops_the_oldest_and_shrinks_the_file(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    history = History(path, max_bytes=MB // 2, snapshot_every=timedelta(minutes=5))
    last = {}
    for poll in range(600):
        at = T0 + timedelta(seconds=30 * poll)
        last = fleet_of(600, poll, changing=40)
        history.record(last, at)
    history.prune(T0 + timedelta(seconds=30 * 600))
    assert history.size() <= MB // 2
    assert path.stat().st_size <= MB  # the freed pages went back (incremental vacuum)
    assert history.spans()[0][0] > T0 + timedelta(minutes=30)  # the oldest went
    assert history.at(T0 + timedelta(seconds=30 * 599)).states == last
    first = history.spans()[0][0]
    assert history.at(first).states == fleet_of(600, int((first - T0).total_seconds() // 30), 40)


WRITER = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime, timedelta
    from drtui.store.history import History
    from tests.core.test_history import T0, fleet_of

    path, offset = sys.argv[1], int(sys.argv[2])
    history = History(__import__("pathlib").Path(path))
    for poll in range(offset, 120, 2):
        history.record(fleet_of(300, poll // 4, changing=20), T0 + timedelta(seconds=poll))
    history.record(fleet_of(300, 99), T0 + timedelta(seconds=500))
    print(len(history.messages))
    """
)


def test_two_recorders_share_one_file(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    History(path).close()  # created once, as the first of two recorders would
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(offset)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for offset in (0, 1)
    ]
    results = [w.communicate(timeout=120) for w in writers]
    assert [w.returncode for w in writers] == [0, 0], results
    assert [out.strip() for out, _ in results] == ["0", "0"]  # nothing was moved aside
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    with History(path) as history:
        assert history.messages == []
        assert history.at(T0 + timedelta(seconds=500)).states == fleet_of(300, 99)
        # Each poll was compared with the file's fleet (another recorder's commits included),
        # not with its own last poll: no change row repeats the state already on file.
    last: dict[int, int] = {}
    with closing(sqlite3.connect(path)) as db:
        for dep, code in db.execute("SELECT dep, state FROM changes ORDER BY t, rowid"):
            assert last.get(dep, 0) != code
            last[dep] = code


def test_a_file_that_is_not_a_database_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    path.write_bytes(b"this is not sqlite at all " * 200)
    heard: list[str] = []
    with History(path, on_message=heard.append) as history:
        history.record(fleet_of(5, 0), T0)
        assert history.at(T0).states == fleet_of(5, 0)
    assert len(heard) == 1
    assert heard[0].startswith(f"The history file {path} was damaged (")
    assert heard[0].endswith("recording goes on in a new file.")
    aside = [p for p in tmp_path.iterdir() if ".damaged-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"this is not sqlite")


def test_damaged_pages_are_found_and_recording_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with History(path) as history:
        for poll in range(50):
            history.record(fleet_of(400, poll, 30), T0 + timedelta(minutes=poll))
    with closing(sqlite3.connect(path)) as db:  # everything in the main file before scribbling
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    assert len(data) > 8 * 4096
    data[3 * 4096 : 6 * 4096] = b"\xa5" * (3 * 4096)  # scribbled pages, header intact
    path.write_bytes(bytes(data))
    with History(path) as history:
        assert len(history.messages) == 1 and "was damaged" in history.messages[0]
        history.record(fleet_of(5, 0), T0 + timedelta(days=1))
        assert history.at(T0 + timedelta(days=1)).states == fleet_of(5, 0)


def test_file_per_profile_and_installation_in_the_state_dir(tmp_path: Path) -> None:
    env = {"DRTUI_STATE_DIR": str(tmp_path)}
    assert state_directory(env) == tmp_path
    one = history_path(tmp_path, "prod", "https://app.datarobot.com/api/v2")
    assert one == tmp_path / "history-prod@app.datarobot.com.sqlite3"
    other = history_path(tmp_path, "prod", "https://user:secret@dr.example:8443/api/v2")
    assert other.name == "history-prod@dr.example_8443.sqlite3"
    assert history_path(tmp_path, "../../x", "http://a/").parent == tmp_path


def test_two_polls_at_the_same_instant_keep_the_later(tmp_path: Path) -> None:
    with History(tmp_path / "h.sqlite3") as history:
        history.record(fleet_of(8, 0), T0)
        history.record(fleet_of(8, 1), T0)
        assert history.at(T0).states == fleet_of(8, 1)


def test_two_processes_opening_one_new_file_together_both_record(tmp_path: Path) -> None:
    """Two drtui started together on one profile: the switch of a new file to WAL answers
    "locked" at once to the second opener, which tries again instead of turning history off."""
    import threading

    for round_ in range(8):
        path = tmp_path / f"together-{round_}.sqlite3"
        start = threading.Barrier(3)
        opened: list[object] = []

        def open_it(
            path: Path = path, start: threading.Barrier = start, opened: list[object] = opened
        ) -> None:
            start.wait()
            try:
                with History(path) as history:
                    opened.append(history.path)
            except sqlite3.Error as error:
                opened.append(error)

        threads = [threading.Thread(target=open_it) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert opened == [path, path, path]


OK_, FAIL_ = ("passing", "passing", "passing"), ("failing", "passing", "passing")


def test_a_deployment_unchanged_all_day_fills_every_cell_with_its_level(tmp_path: Path) -> None:
    """The strip of a deployment with no change in the 24 h (most of a fleet) is its level in
    every recorded cell; one that changed shows when."""
    now = T0 + timedelta(days=2)
    with History(tmp_path / "h.sqlite3", max_gap=timedelta(hours=3)) as history:
        for hours in range(-30, 1, 2):
            moved = FAIL_ if -5 <= hours < -2 else OK_
            history.record(
                {
                    "calm": State("calm", "LOW", *OK_),
                    "sick": State("sick", "LOW", *FAIL_),
                    "moved": State("moved", "LOW", *moved),
                },
                now + timedelta(hours=hours),
            )
        strips = history.strips(now)
        assert strips["calm"].text == "▁" * 8 + "  0"
        assert strips["sick"].text == "▇" * 8 + "  0"
        assert strips["moved"].cells == "▁" * 6 + "▇▇" and strips["moved"].changes == 2
        # Asked for some deployments only: theirs, the same as in the whole answer.
        some = history.strips(now, only=["moved", "calm", "never seen"])
        assert set(some) == {"moved", "calm"}
        assert all(some[k] == strips[k] for k in some)


def _slim_fleet(service: dict[str, str], previous: Fleet | None = None) -> Fleet:
    """A fleet read from records: each id with its service health."""
    from drtui.api.models.slim import read_page
    from tests.reliability.test_fuzz import samples

    base = samples()["deployments"]["data"][0]
    docs = [
        {
            **base,
            "id": key,
            "label": key.upper(),
            "serviceHealth": {"status": status},
            "modelHealth": {"status": "passing"},
            "accuracyHealth": {"status": "passing"},
        }
        for key, status in service.items()
    ]
    body = json.dumps({"count": len(docs), "data": docs}).encode()
    return Fleet.from_deployments(read_page(body).data, previous=previous)


def test_the_recorder_recomputes_only_the_strips_of_deployments_that_changed(
    tmp_path: Path,
) -> None:
    from drtui.store.recorder import BackgroundRecorder

    handed: list[dict[str, Any]] = []
    recorder = BackgroundRecorder(
        tmp_path / "h.sqlite3", on_strips=lambda s, _: handed.append(s), strips_every=timedelta(0)
    )
    try:
        first = _slim_fleet({"a": "passing", "b": "passing", "c": "passing"})
        then = _slim_fleet({"a": "passing", "b": "failing", "c": "passing"}, previous=first)
        for i, fleet in enumerate([first, first, then]):
            recorder.submit(fleet, T0 + timedelta(minutes=i))
            deadline = time.monotonic() + 10
            while recorder.recorded <= i and time.monotonic() < deadline:
                time.sleep(0.01)
            assert recorder.recorded == i + 1, "each poll recorded before the next is sent"
    finally:
        recorder.close()
    # The whole fleet first; an unchanged poll hands nothing; then one recomputed strip, the
    # others handed over as they were.
    assert len(handed) == 2, handed
    whole, partial = handed
    assert set(whole) == set(partial) == {"a", "b", "c"}
    assert partial["a"] is whole["a"] and partial["c"] is whole["c"]
    assert partial["b"] is not whole["b"]
    assert [c.after.service for c in partial["b"].transitions if c.after] == [
        "passing",
        "failing",
    ]
    assert partial["b"].cells.endswith("▇") and whole["b"].cells.endswith("▁")


def test_a_past_played_elsewhere_is_recorded_as_polls(tmp_path: Path) -> None:
    """The demo's emulator plays a day before the screen opens: its strips show that day."""
    from drtui.store.history import record_past

    first = {
        "a": State("A", "HIGH", "passing", "passing", "passing"),
        "b": State("B", "LOW", "passing", "passing", "passing"),
    }
    start = T0
    changes = [
        (T0 + timedelta(hours=3), "a", "service", "failing"),
        (T0 + timedelta(hours=20), "a", "service", "passing"),
        (T0 + timedelta(hours=10), "b", "model", "warning"),
        (T0 + timedelta(hours=11), "ghost", "model", "warning"),
    ]
    end = T0 + timedelta(hours=24)
    with History(tmp_path / "h.sqlite3") as history:
        record_past(history, first, changes, start, end)
        assert history.spans() == [(start, end)]
        assert history.at(T0 + timedelta(hours=4)).states["a"].service == "failing"
        assert history.at(T0 + timedelta(hours=21)).states["a"].service == "passing"
        assert history.at(T0 + timedelta(hours=12)).states["b"].model == "warning"
        assert "ghost" not in history.at(end).states
        strips = history.strips(end)
    assert strips["a"].cells == "▁▇▇▇▇▇▇▁"
    assert strips["b"].cells == "▁▁▁▄▄▄▄▄"


def test_a_link_where_the_history_file_goes_is_refused_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "precious"
    target.parent.mkdir()
    path = tmp_path / "history-default@host.sqlite3"
    path.symlink_to(target)  # dangling: following it would create the target
    with pytest.raises(OSError, match="is a symbolic link"):
        History(path)
    assert not target.exists()
    path.unlink()
    Path(f"{path}-wal").symlink_to(target)
    with pytest.raises(OSError, match="is a symbolic link"):
        History(path)
    assert not target.exists()
    Path(f"{path}-wal").unlink()
    with History(path) as history:
        history.record({}, T0)
    assert path.stat().st_mode & 0o777 == 0o600
