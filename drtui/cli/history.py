"""`drtui record`, `drtui replay` and `drtui report`: the fleet history without the UI.

`record` polls the whole fleet like the dashboard does and stores each poll's health states in
the installation's history file (store/history.py), for a jump host's tmux or a systemd unit;
`replay` prints the fleet as it was at an instant; `report` prints the shift-handoff report.
No Textual here (a test checks `sys.modules`): these must start fast and run anywhere.
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from drtui.api.client import DataRobotClient
from drtui.api.config import ResolvedConfig
from drtui.api.errors import AuthenticationError, DataRobotError
from drtui.api.query import DeploymentQuery
from drtui.core.detail import web_url
from drtui.core.fleet import Fleet
from drtui.core.health import look, severity
from drtui.core.recorded import NotRecorded, State
from drtui.core.report import (
    build_report,
    render_markdown,
    render_text,
    report_json,
    span_text,
    uncovered,
)
from drtui.core.rows import IMPORTANCE_RANK
from drtui.core.sanitize import clean
from drtui.core.views import FETCH_ORDER
from drtui.store.history import History
from drtui.store.history_file import DEFAULT_MAX_GAP
from drtui.store.paths import history_path, state_directory

EXIT_UNKNOWN = 3
MAX_BACKOFF = 600.0


def now_utc() -> datetime:
    return datetime.now(UTC)


def _quiet_broken_pipe() -> None:
    # `drtui replay | head`: the reader has what it wanted; stay quiet about it.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _err(message: str) -> None:
    print(f"drtui: {message}", file=sys.stderr, flush=True)


def history_file(config: ResolvedConfig) -> Path:
    return history_path(state_directory(), config.profile or "default", config.endpoint)


def _open(path: Path, *, create: bool) -> History | None:
    if not create and not path.exists():
        _err(f"No fleet history for this installation yet ({path}); run `drtui record` or drtui.")
        return None
    try:
        history = History(path)
    except (sqlite3.Error, OSError) as error:
        _err(f"The history file {path} could not be opened ({error}).")
        return None
    for message in history.messages:
        _err(message)
    history.messages.clear()
    return history


# ----- record ----------------------------------------------------------------------------------


async def _record_loop(
    config: ResolvedConfig,
    history: History,
    interval: float,
    once: bool,
    now: Callable[[], datetime],
) -> int:
    fleet = Fleet()
    failures = 0
    async with DataRobotClient.from_config(config) as client:
        while True:
            try:
                deployments = await client.list_all_deployments(
                    DeploymentQuery(order_by=FETCH_ORDER)
                )
            except AuthenticationError as error:
                _err(f"{error} Recording stopped.")
                return EXIT_UNKNOWN
            except DataRobotError as error:
                failures += 1
                _err(f"{error} (poll failed; trying again)")
                if once:
                    return EXIT_UNKNOWN
            else:
                failures = 0
                at = now()
                fleet = Fleet.from_deployments(deployments, previous=fleet)
                try:
                    await asyncio.to_thread(history.record_fleet, fleet, at)
                except (sqlite3.Error, OSError) as error:
                    _err(f"The poll could not be recorded in {history.path} ({error}).")
                    if once:
                        return EXIT_UNKNOWN
                for message in history.messages:
                    _err(message)
                history.messages.clear()
                if once:
                    return 0
            await asyncio.sleep(min(interval * 2 ** min(failures, 6), MAX_BACKOFF))


def run_record(
    config: ResolvedConfig,
    interval: float,
    *,
    once: bool = False,
    now: Callable[[], datetime] = now_utc,
) -> int:
    """Record until interrupted (or one poll with `once`); exit 3 when the token is refused."""
    path = history_file(config)
    history = _open(path, create=True)
    if history is None:
        return EXIT_UNKNOWN
    if not once:
        _err(f"recording every {interval:g} s into {path} (Ctrl-C stops)")
    with history:
        return asyncio.run(_record_loop(config, history, interval, once, now))


# ----- replay ----------------------------------------------------------------------------------


def _replay_record(key: str, state: State, at: datetime, endpoint: str) -> dict[str, Any]:
    return {
        "at": at.isoformat().replace("+00:00", "Z"),
        "id": key,
        "label": clean(state.label, limit=512),
        "importance": state.importance,
        "serviceHealth": state.service,
        "modelHealth": state.model,
        "accuracyHealth": state.accuracy,
        "predictionsSilent": state.silent,
        "url": web_url(endpoint, key),
    }


def _order(item: tuple[str, State]) -> tuple[int, int, int, str]:
    _, state = item
    return (
        min(severity(s) for s in state.health),
        0 if state.silent else 1,
        IMPORTANCE_RANK.get(state.importance.upper(), len(IMPORTANCE_RANK)),
        state.label,
    )


def run_replay(
    config: ResolvedConfig,
    at: datetime,
    *,
    as_json: bool = False,
    problems_only: bool = False,
) -> int:
    """The fleet as recorded at `at`, worst first; exit 3 when nothing covers that instant."""
    history = _open(history_file(config), create=False)
    if history is None:
        return EXIT_UNKNOWN
    with history:
        try:
            replay = history.at(at)
        except NotRecorded as error:
            _err(str(error))
            return EXIT_UNKNOWN
        except sqlite3.Error as error:
            _err(f"The history file {history.path} could not be read ({error}).")
            return EXIT_UNKNOWN
    items = sorted(replay.states.items(), key=_order)
    if problems_only:
        items = [(k, s) for k, s in items if s.silent or min(map(severity, s.health)) <= 2]
    try:
        if as_json:
            for key, state in items:
                line = _replay_record(key, state, at.astimezone(UTC), config.endpoint)
                sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
        else:
            failing = sum(1 for _, s in replay.states.items() if "failing" in s.health)
            print(
                f"Fleet as recorded at {at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC: "
                f"{len(replay.states)} deployments, {failing} failing "
                f"(recording {replay.span[0]:%Y-%m-%d %H:%M} to {replay.span[1]:%H:%M} UTC)"
            )
            print(f"{'SERVICE':8} {'MODEL':8} {'ACCURACY':8} {'IMPORTANCE':10} DEPLOYMENT")
            for key, state in items:
                cells = " ".join(f"{look(s).cell[:8]:8}" for s in state.health)
                silent = "  · predictions silent" if state.silent else ""
                label = clean(state.label, limit=200)
                print(f"{cells} {state.importance or '-':10} {label} ({key}){silent}")
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_broken_pipe()
    return 0


# ----- report ----------------------------------------------------------------------------------


def run_report(
    config: ResolvedConfig,
    since: timedelta,
    *,
    fmt: str = "text",
    now: Callable[[], datetime] = now_utc,
) -> int:
    """The shift-handoff report of the last `since`; exit 3 when there is no history."""
    history = _open(history_file(config), create=False)
    if history is None:
        return EXIT_UNKNOWN
    until = now()
    start = until - since
    with history:
        try:
            before, changes = history.changes(start, until)
            gaps = uncovered(history.spans(), start, until, DEFAULT_MAX_GAP)
        except sqlite3.Error as error:
            _err(f"The history file {history.path} could not be read ({error}).")
            return EXIT_UNKNOWN
    if gaps == [(start, until)]:
        _err(f"No recording covers the last {span_text(since)} (history file {history.path}).")
        return EXIT_UNKNOWN
    report = build_report(before, changes, start, until, config.endpoint, not_recorded=gaps)
    try:
        if fmt == "json":
            print(json.dumps(report_json(report), ensure_ascii=False))
        elif fmt == "markdown":
            sys.stdout.write(render_markdown(report))
        else:
            sys.stdout.write(render_text(report))
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_broken_pipe()
    return 0
