"""Issue 16: custom model deployments' logs grow with the clock, restart, and are capped."""

from __future__ import annotations

import json
import re

import httpx
import pytest
from starlette.applications import Starlette

from drtui.emulator.app import create_app
from drtui.emulator.config import EmulatorConfig
from drtui.emulator.state import EmulatorState
from tests.emulator.conftest import BASE_URL, USER_TOKEN

STAMP = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z) (INFO|DEBUG|WARNING|ERROR) +\[")
LEVELS = {"INFO", "DEBUG", "WARNING", "ERROR"}


def records(text: str) -> list[str]:
    """The log's records: a timestamped line or a JSON line, with any traceback lines after it."""
    out: list[str] = []
    for line in text.splitlines():
        if STAMP.match(line) or line.startswith("{"):
            out.append(line)
        elif out:
            out[-1] += "\n" + line
    return out


def stamp_of(record: str) -> str:
    if record.startswith("{"):
        return str(json.loads(record)["timestamp"])
    match = STAMP.match(record)
    assert match is not None, record
    return match.group(1)


@pytest.fixture
def app(config: EmulatorConfig) -> Starlette:
    return create_app(config.with_changes(log_rate=1.0, log_max_bytes=50_000_000))


def _ids(state: EmulatorState, *statuses: str) -> list[str]:
    return [i for i in state.custom_ids if state.deployments[i].doc.get("status") in statuses]


def _url(deployment_id: str) -> str:
    return f"/api/v2/customModelDeployments/{deployment_id}/logs/"


async def test_ten_seconds_add_exactly_ten_records_at_one_per_second(
    client: httpx.AsyncClient, state: EmulatorState
) -> None:
    active = _ids(state, "active")[:12]
    assert len(active) == 12
    before = {i: (await client.get(_url(i))).text for i in active}
    state.advance(10)
    for deployment_id in active:
        after = (await client.get(_url(deployment_id))).text
        assert after.startswith(before[deployment_id])
        grown = records(after[len(before[deployment_id]) :])
        assert len(grown) == 10, deployment_id
        last = stamp_of(records(before[deployment_id])[-1])
        stamps = [stamp_of(r) for r in grown]
        assert last <= stamps[0] and stamps == sorted(stamps)
        assert stamps[0] > "2026-03-02T08:59:59" and stamps[-1] < "2026-03-02T09:00:10"
    before = {i: (await client.get(_url(i))).text for i in active}
    state.advance(1)  # one slot
    for deployment_id in active:
        after = (await client.get(_url(deployment_id))).text
        assert len(records(after[len(before[deployment_id]) :])) == 1


async def test_records_carry_timestamps_levels_json_and_tracebacks(
    client: httpx.AsyncClient, state: EmulatorState
) -> None:
    everything: list[str] = []
    for deployment_id in _ids(state, "active", "errored", "replacingModel"):
        response = await client.get(_url(deployment_id))
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/plain")
        text = response.text
        assert text.endswith("\n")
        found = records(text)
        assert "Starting custom model server" in found[0]
        stamps = [stamp_of(r) for r in found]
        assert stamps == sorted(stamps)
        assert stamps[-1] <= "2026-03-02T09:00:00.000000Z"
        everything.extend(found)
    as_json = [json.loads(r) for r in everything if r.startswith("{")]
    assert 0.05 < len(as_json) / len(everything) < 0.5
    assert all(set(entry) >= {"timestamp", "level", "message"} for entry in as_json)
    assert {entry["level"] for entry in as_json} == LEVELS
    plain_levels = {STAMP.match(r).group(2) for r in everything if not r.startswith("{")}  # type: ignore[union-attr]
    assert plain_levels == LEVELS
    tracebacks = [r for r in everything if "\nTraceback (most recent call last):\n" in r]
    assert tracebacks and all(r.count("\n") >= 3 for r in tracebacks)
    assert any("exc_info" in entry for entry in as_json)


async def test_the_head_is_cut_at_the_size_cap(config: EmulatorConfig) -> None:
    async def log_at(cap: int, deployment_id: str | None = None) -> tuple[str, str]:
        app = create_app(config.with_changes(log_rate=1.0, log_max_bytes=cap))
        world: EmulatorState = app.state.emulator
        target = deployment_id or _ids(world, "active")[0]
        world.advance(600)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url=BASE_URL,
            headers={"Authorization": f"Bearer {USER_TOKEN}"},
        ) as http:
            return target, (await http.get(_url(target))).text

    target, full = await log_at(10_000_000)
    assert len(full.encode()) > 60_000
    _, capped = await log_at(50_000, target)
    assert len(capped.encode()) <= 50_000
    assert len(capped.encode()) > 49_000
    assert full.endswith(capped)
    assert full[: len(full) - len(capped)].endswith("\n")  # cut at a line boundary
    assert "Starting custom model server" not in capped


async def test_a_restart_begins_the_log_again_with_a_banner(
    client: httpx.AsyncClient, state: EmulatorState
) -> None:
    deployment_id = _ids(state, "active")[0]
    first = (await client.get(_url(deployment_id))).text
    assert f"(deployment {deployment_id}, run 1)" in first
    state.advance(9 * 3600)  # every first run ends within 8 hours of the world's start
    text = (await client.get(_url(deployment_id))).text
    found = records(text)
    run = re.search(r"\(deployment \w+, run (\d+)\)", found[0])
    assert run is not None and int(run.group(1)) >= 2
    assert "Starting custom model server" in found[0]
    assert "run 1)" not in text
    assert stamp_of(found[0]) > "2026-03-02T09:00"
    errored = _ids(state, "errored")
    assert errored  # crash loops: many short runs
    runs = re.search(r"run (\d+)\)", (await client.get(_url(errored[0]))).text)
    assert runs is not None and int(runs.group(1)) > 20


async def test_inactive_logs_stand_still_and_some_have_none(
    client: httpx.AsyncClient, state: EmulatorState
) -> None:
    stopped = _ids(state, "inactive", "stopping", "archived")
    answers = {i: await client.get(_url(i)) for i in stopped}
    with_log = [i for i, r in answers.items() if r.status_code == 200]
    without = [i for i, r in answers.items() if r.status_code == 404]
    assert with_log and without
    assert all(answers[i].json() == {"message": "No logs found."} for i in without)
    state.advance(3600)
    for deployment_id in with_log:
        assert (await client.get(_url(deployment_id))).text == answers[deployment_id].text
        assert stamp_of(records(answers[deployment_id].text)[-1]) < "2026-03-02T08:00"
    for deployment_id in without:
        assert (await client.get(_url(deployment_id))).status_code == 404
        started = await client.post(_url(deployment_id))
        assert started.status_code == 202
        state.advance(state.config.job_seconds)
        job = (await client.get(started.headers["location"])).json()
        assert (job["status"], job["message"]) == ("ERROR", "No logs found.")


async def test_runtime_log_job_returns_the_log_as_it_was_when_collected(
    client: httpx.AsyncClient, state: EmulatorState
) -> None:
    deployment_id = _ids(state, "active")[0]
    started = await client.post(_url(deployment_id))
    assert started.status_code == 202
    state.advance(2)
    done = await client.get(started.headers["location"])
    assert done.status_code == 303
    log_url = done.headers["location"]
    assert re.fullmatch(
        rf"{BASE_URL}/api/v2/customModelDeployments/{deployment_id}/logs/\w+/", log_url
    )
    snapshot = await client.get(log_url)
    assert snapshot.status_code == 200
    assert snapshot.headers["content-disposition"] == (
        f"attachment;filename=deployment-{deployment_id}.log"
    )
    assert snapshot.text == (await client.get(_url(deployment_id))).text
    state.advance(30)
    assert (await client.get(log_url)).text == snapshot.text
    live = (await client.get(_url(deployment_id))).text
    assert len(records(live)) == len(records(snapshot.text)) + 30
    again = await client.post(_url(deployment_id))
    state.advance(2)
    newer = await client.get((await client.get(again.headers["location"])).headers["location"])
    assert newer.text.startswith(live) and len(records(newer.text)) == len(records(live)) + 2
    unknown = await client.get(_url(deployment_id) + "ffffffffffffffffffffffff/")
    assert unknown.status_code == 404


async def test_logs_are_the_same_for_the_same_seed_and_time(config: EmulatorConfig) -> None:
    one, two = EmulatorState(config), EmulatorState(config)
    one.advance(1234)
    for _ in range(4):
        two.advance(1234 / 4)
    for deployment_id in one.custom_ids[:10]:
        assert one.custom_log(deployment_id) == two.custom_log(deployment_id)


def test_rate_zero_keeps_only_the_banner(config: EmulatorConfig) -> None:
    state = EmulatorState(config.with_changes(log_rate=0.0))
    deployment_id = _ids(state, "active")[0]
    before = state.custom_log(deployment_id)
    assert before is not None and len(records(before)) == 4
    state.advance(600)
    assert state.custom_log(deployment_id) == before
