"""Issue 21: `drtui record`, `replay`, `report` and `check --silent` as a user runs them."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from drtui.api.config import ResolvedConfig
from drtui.api.query import DeploymentQuery
from drtui.cli.check import CheckOptions, check
from drtui.core.silence import allowed_pause
from drtui.emulator.config import EmulatorConfig
from drtui.emulator.server import EmulatorServer
from tests.cli.runner import USER_TOKEN, run_drtui


@pytest.fixture(scope="module")
def live() -> Iterator[EmulatorServer]:
    """A wall-clock emulator: its predictions are as recent as the recorder's clock."""
    config = EmulatorConfig(deployments=40, seed=3, user_token=USER_TOKEN, clock="wall")
    with EmulatorServer(config, host="127.0.0.1", port=0) as running:
        yield running


def test_record_replay_and_report_a_scripted_incident(live: EmulatorServer, tmp_path: Path) -> None:
    env = {"DRTUI_STATE_DIR": str(tmp_path)}
    state = live.state
    victim = next(r for r in state.deployments.values() if r.doc["importance"] == "CRITICAL")
    label = victim.doc["label"]
    state.set_health(victim.id, "serviceHealth", "passing")
    first = run_drtui("record", "--once", endpoint=live.endpoint, extra_env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout == ""
    [history] = tmp_path.glob("history-*.sqlite3")
    assert history.name == f"history-default@127.0.0.1_{live.endpoint.split(':')[2][:-7]}.sqlite3"
    assert USER_TOKEN.encode() not in history.read_bytes()

    state.set_health(victim.id, "serviceHealth", "failing")
    during = datetime.now(UTC)
    assert run_drtui("record", "--once", endpoint=live.endpoint, extra_env=env).returncode == 0
    mid = datetime.now(UTC)  # after the second poll, before the third
    state.set_health(victim.id, "serviceHealth", "passing")
    assert run_drtui("record", "--once", endpoint=live.endpoint, extra_env=env).returncode == 0
    after = datetime.now(UTC)

    # Replay: the victim failing after the second poll, passing after the third.
    second = run_drtui(
        "replay", "--since", "0.001s", "--json", endpoint=live.endpoint, extra_env=env
    )
    lines = [json.loads(line) for line in second.stdout.splitlines()]
    assert len(lines) == 40
    assert {x["id"]: x for x in lines}[victim.id]["serviceHealth"] == "passing"
    replayed = run_drtui("replay", "--at", mid.isoformat(), endpoint=live.endpoint, extra_env=env)
    assert replayed.returncode == 0, replayed.stderr
    assert replayed.stdout.startswith("Fleet as recorded at ")
    header = replayed.stdout.splitlines()[1]
    assert header.split() == ["SERVICE", "MODEL", "ACCURACY", "IMPORTANCE", "DEPLOYMENT"]
    [line] = [x for x in replayed.stdout.splitlines() if f"({victim.id})" in x]
    assert line.startswith("✗ FAIL") and f"CRITICAL   {label} ({victim.id})" in line
    assert replayed.stdout.splitlines()[2] == line  # worst first, the most important first

    # The report of the last hour: the incident, recovered, with its URL, under CRITICAL.
    report = run_drtui("report", "--since", "1h", "--json", endpoint=live.endpoint, extra_env=env)
    assert report.returncode == 0, report.stderr
    body = json.loads(report.stdout)
    [entry] = [d for d in body["deployments"] if d["id"] == victim.id]
    assert entry["label"] == label and entry["importance"] == "CRITICAL"
    assert entry["url"] == f"{live.base_url}/deployments/{victim.id}/overview"
    [episode] = [e for e in entry["episodes"] if e["dimension"] == "service"]
    assert episode["worst"] == "failing" and episode["status"] == "passing"
    assert not episode["ongoing"] and not episode["beganBefore"]
    assert during <= datetime.fromisoformat(episode["start"]) <= episode_end(episode) <= after
    assert body["notRecorded"] and body["notRecorded"][0]["to"] <= episode["start"]

    markdown = run_drtui("report", "--since", "1h", "--markdown", endpoint=live.endpoint,
                         extra_env=env)  # fmt: skip
    assert "#### CRITICAL" in markdown.stdout
    assert f"(<{entry['url']}>) `{victim.id}`: recovered" in markdown.stdout
    assert "  - service failing " in markdown.stdout and "), recovered" in markdown.stdout


def episode_end(episode: dict[str, object]) -> datetime:
    return datetime.fromisoformat(str(episode["end"]))


def test_replay_of_an_instant_not_recorded_is_one_sentence(
    live: EmulatorServer, tmp_path: Path
) -> None:
    env = {"DRTUI_STATE_DIR": str(tmp_path)}
    nothing = run_drtui("replay", "--since", "12h", endpoint=live.endpoint, extra_env=env)
    assert nothing.returncode == 3
    assert nothing.stderr.startswith("drtui: No fleet history for this installation yet (")
    assert len(nothing.stderr.splitlines()) == 1
    assert run_drtui("record", "--once", endpoint=live.endpoint, extra_env=env).returncode == 0
    before = run_drtui("replay", "--at", "2026-01-01 03:12", endpoint=live.endpoint,
                       extra_env=env)  # fmt: skip
    assert before.returncode == 3
    assert before.stderr.startswith("drtui: No recording covers 2026-01-01 03:12:00 UTC: the ")
    assert "Traceback" not in before.stderr
    bad = run_drtui("replay", "--at", "yesterday", endpoint=live.endpoint, extra_env=env)
    assert bad.returncode == 3 and "expected a time such as '2026-11-30 03:12'" in bad.stderr
    worse = run_drtui("report", "--since", "12 parsecs", endpoint=live.endpoint, extra_env=env)
    assert worse.returncode == 3 and "expected a duration such as 12h" in worse.stderr


def test_record_with_a_refused_token_stops_with_exit_3(
    live: EmulatorServer, tmp_path: Path
) -> None:
    result = run_drtui(
        "record",
        "--once",
        endpoint=live.endpoint,
        token="wrong-token-123",
        extra_env={"DRTUI_STATE_DIR": str(tmp_path)},
    )
    assert result.returncode == 3
    assert len(result.stderr.splitlines()) == 1 and "wrong-token-123" not in result.stderr


@pytest.fixture(scope="module")
def pinned() -> Iterator[EmulatorServer]:
    """A manual-clock emulator: its fleet and its "now" are the same at any hour, any day."""
    config = EmulatorConfig(deployments=40, seed=3, user_token=USER_TOKEN, clock="manual")
    with EmulatorServer(config, host="127.0.0.1", port=0) as running:
        yield running


def test_check_silent_flags_busy_models_gone_quiet_not_quiet_ones(
    pinned: EmulatorServer, capsys: pytest.CaptureFixture[str]
) -> None:
    config = ResolvedConfig(endpoint=pinned.endpoint, token=USER_TOKEN, source="test")
    query = DeploymentQuery(order_by="label")
    state = pinned.state
    now = state.clock.now()
    for record in list(state.deployments.values()):
        state.set_health(record.id, "serviceHealth", "passing")

    def silent_check(at: datetime) -> tuple[int, set[str]]:
        options = CheckOptions(
            health=("service",), silent=True, as_json=True, allow_empty=True, now=at
        )
        code = check(config, query, options)
        offenders = json.loads(capsys.readouterr().out)["offenders"]
        assert all(o["problems"] == {"predictions": "silent"} for o in offenders)
        return code, {o["id"] for o in offenders}

    assert silent_check(now) == (0, set())  # now: nothing is silent
    # Three hours on, nobody having predicted: with no recorded rhythm, three hours may be a
    # night or a weekend for a working-day model, so nothing is called silent yet.
    assert silent_check(now + timedelta(hours=3)) == (0, set())
    # A day and a half on: the busy ones whose days allow no such pause are silent.
    later = now + timedelta(hours=36)
    code, flagged = silent_check(later)
    assert code == 1
    quiet = busy = 0
    for record in state.deployments.values():
        usage = record.doc["predictionUsage"]
        if not usage["lastTimestamp"] or record.doc.get("status") == "inactive":
            assert record.id not in flagged
            continue
        rates = usage["dailyRates"][:-1]
        last = datetime.fromisoformat(usage["lastTimestamp"].replace("Z", "+00:00"))
        missed = sum(rates) / len(rates) * (later - last) / timedelta(days=1)
        if missed < 100 or later - last < allowed_pause(usage["dailyRates"]):
            quiet += 1  # quiet, or its days show pauses as long (a weekend off)
            assert record.id not in flagged
        elif missed > 150:  # thousands a day, none for a day and a half
            busy += 1
            assert record.id in flagged
    assert quiet and busy
    assert check(config, query, CheckOptions(health=("service",), now=later)) == 0
    capsys.readouterr()


def test_history_commands_do_not_import_textual(live: EmulatorServer, tmp_path: Path) -> None:
    code = (
        "import sys\nfrom drtui.cli import main\n"
        "rc = main(['record', '--once'])\n"
        "assert 'textual' not in sys.modules and 'drtui.emulator' not in sys.modules\n"
        "rc2 = main(['report', '--since', '1h'])\n"
        "assert 'textual' not in sys.modules\n"
        "print(rc, rc2)\n"
    )
    import os
    import subprocess

    env = {k: v for k, v in os.environ.items() if not k.startswith("DATAROBOT_")}
    env |= {
        "DATAROBOT_ENDPOINT": live.endpoint,
        "DATAROBOT_API_TOKEN": USER_TOKEN,
        "DRTUI_STATE_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "0 0"


def test_check_silent_judges_by_the_rhythm_the_recorder_learnt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """With a week recorded, a round-the-clock model quiet for four hours is silent, while the
    working-day ones resting through their night are not; without the recording, four hours
    proves nothing yet."""
    from drtui.api.models.slim import read_page
    from drtui.core.fleet import Fleet
    from drtui.emulator.predictions import ALWAYS, rhythm_for
    from drtui.store.history import History
    from drtui.store.paths import history_path

    config = EmulatorConfig(deployments=30, seed=7, user_token=USER_TOKEN, clock="manual")
    with EmulatorServer(config, host="127.0.0.1", port=0) as server:
        state = server.state
        path = history_path(tmp_path, "default", server.endpoint)
        fleet: Fleet | None = None

        def poll_and_record(history: History) -> None:
            nonlocal fleet
            docs = [record.doc for record in state.deployments.values()]
            body = json.dumps({"count": len(docs), "data": docs}).encode()
            fleet = Fleet.from_deployments(read_page(body).data, previous=fleet)
            history.record_fleet(fleet, state.clock.now())
            state.advance(900)

        start = state.clock.now()
        with History(path) as history:
            while state.clock.now() < start + timedelta(days=7, hours=12):
                poll_and_record(history)
            assert fleet is not None
            rows = fleet.rows
            always = [k for k in rows if state.streams.has(k) and rhythm_for(7, k) is ALWAYS]
            victim = max(always, key=lambda k: sum(rows[k].daily_rates))
            state.hush(victim)
            for _ in range(16):
                poll_and_record(history)
        now = state.clock.now()
        resting = {
            k
            for k in rows
            if state.streams.has(k) and not rhythm_for(7, k).on[now.weekday() * 24 + now.hour]
        }
        assert resting
        resolved = ResolvedConfig(endpoint=server.endpoint, token=USER_TOKEN, source="test")
        options = CheckOptions(
            health=("service",), silent=True, as_json=True, allow_empty=True, now=now
        )
        for record in list(state.deployments.values()):
            state.set_health(record.id, "serviceHealth", "passing")

        monkeypatch.setenv("DRTUI_STATE_DIR", str(tmp_path))
        assert check(resolved, DeploymentQuery(), options) == 1
        flagged = {o["id"] for o in json.loads(capsys.readouterr().out)["offenders"]}
        assert victim in flagged and not flagged & resting

        monkeypatch.setenv("DRTUI_STATE_DIR", str(tmp_path / "nothing recorded"))
        check(resolved, DeploymentQuery(), options)
        flagged = {o["id"] for o in json.loads(capsys.readouterr().out)["offenders"]}
        assert victim not in flagged


def test_a_damaged_history_file_is_said_once(live: EmulatorServer, tmp_path: Path) -> None:
    env = {"DRTUI_STATE_DIR": str(tmp_path)}
    assert run_drtui("record", "--once", endpoint=live.endpoint, extra_env=env).returncode == 0
    [history] = tmp_path.glob("history-*.sqlite3")
    history.write_bytes(b"not a database, not at all" * 100)
    for suffix in ("-wal", "-shm"):
        Path(f"{history}{suffix}").unlink(missing_ok=True)
    again = run_drtui("record", "--once", endpoint=live.endpoint, extra_env=env)
    assert again.returncode == 0
    assert again.stderr.count("was damaged") == 1, again.stderr
    assert len(again.stderr.splitlines()) == 1
