"""`drtui demo` and `drtui emulator`: the commands that serve the embedded emulator.

`demo` is the whole product on a loopback emulator, reached over HTTP exactly as in production;
`emulator` serves it alone. The only command-line module that imports the emulator.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import sys
from datetime import datetime
from typing import TYPE_CHECKING

from drtui.api.config import ConfigError, ResolvedConfig
from drtui.cli.dispatch import EXIT_CANNOT_CHECK, app_settings, flags, query_from_args, run_ui
from drtui.cli.parser import UsageError

if TYPE_CHECKING:
    from drtui.emulator.state import EmulatorState


def run(args: argparse.Namespace) -> int:
    """`drtui demo` or `drtui emulator`, as ``args.command`` says."""
    return _demo(args) if args.command == "demo" else _emulator(args)


def _demo(args: argparse.Namespace) -> int:
    """The whole product on a loopback emulator, reached over HTTP exactly as in production."""
    from drtui.emulator.config import (
        DEMO_FIRST_ALERT_SECONDS,
        DEMO_HISTORY_HOURS,
        EmulatorConfig,
    )
    from drtui.emulator.server import EmulatorServer
    from drtui.settings import Configuration, build, keymap_source

    if args.deployments < 1:
        raise UsageError("--deployments must be at least 1")
    query = query_from_args(args)
    try:  # the command line and the environment; no file: the demo is not a profile
        settings = build(flags(args), environ=os.environ)
    except ConfigError as exc:
        print(f"drtui: {exc}", file=sys.stderr)
        return EXIT_CANNOT_CHECK
    token = secrets.token_urlsafe(24)
    emulator = EmulatorConfig(
        deployments=args.deployments,
        seed=args.seed,
        user_token=token,
        admin_token=secrets.token_urlsafe(24),
        first_alert_seconds=DEMO_FIRST_ALERT_SECONDS,
        history_hours=DEMO_HISTORY_HOURS,
    )
    with EmulatorServer(emulator, host="127.0.0.1", port=0) as server:
        config = ResolvedConfig(
            endpoint=server.endpoint, token=token, source="the demo emulator", profile="demo"
        )
        _record_the_demo_day(server.state, server.endpoint)
        configured = Configuration(config, settings, keymap_source(os.environ, None))
        return run_ui(app_settings(configured, query))


def _record_the_demo_day(state: EmulatorState, endpoint: str) -> None:
    """The day the demo's emulator played before the screen opened, written to the history
    file the screen will record into (earlier demos' files, each on another port, are removed),
    so the LAST 24H strips and replay show it from the first frame."""
    from drtui.core.recorded import State
    from drtui.core.sanitize import clean
    from drtui.store.history import History, record_past
    from drtui.store.paths import history_path, state_directory

    path = history_path(state_directory(), "demo", endpoint)
    for old in path.parent.glob("history-demo@127.0.0.1_*.sqlite3*"):
        with contextlib.suppress(OSError):
            old.unlink()
    dimensions = {"serviceHealth": "service", "modelHealth": "model", "accuracyHealth": "accuracy"}
    with state.lock:
        docs = {key: record.doc for key, record in state.deployments.items()}
        status = {
            (key, name): str((doc.get(field) or {}).get("status") or "unknown")
            for key, doc in docs.items()
            for field, name in dimensions.items()
        }
        changes = []
        for moved in reversed(state.transitions):  # newest first: undo each to reach the start
            key, name = moved["deploymentId"], dimensions.get(moved["dimension"])
            if name is None or key not in docs:
                continue
            at = datetime.fromisoformat(moved["at"].replace("Z", "+00:00"))
            changes.append((at, key, name, str(moved["to"])))
            status[key, name] = str(moved["from"] or "unknown")
        start, end = state.clock.start, state.clock.now()
    first = {
        key: State(
            clean(doc.get("label")),
            clean(doc.get("importance")),
            status[key, "service"],
            status[key, "model"],
            status[key, "accuracy"],
        )
        for key, doc in docs.items()
    }
    with History(path) as history:
        record_past(history, first, [c for c in changes if c[0] >= start], start, end)


def _emulator(args: argparse.Namespace) -> int:
    from drtui.emulator.command import config_from_args, serve
    from drtui.emulator.config import EmulatorConfig

    defaults = EmulatorConfig()
    args.token = args.token or defaults.user_token
    args.admin_token = args.admin_token or defaults.admin_token
    args.image_size = args.image_size or defaults.image_size
    try:
        config = config_from_args(args)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    return serve(config, args.host, args.port)
