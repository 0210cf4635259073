"""What each `drtui` command does once its arguments are parsed.

Kept apart from the parser so `drtui --help` stays instant, and each command imports only the
layers it needs: the dashboard (Textual) is imported here by one lazy import when it starts,
the emulator only by `demo` and `emulator` (``demo.py``), the headless commands never.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drtui.api.config import (
    ConfigError,
    ConfigOverrides,
    ResolvedConfig,
    drtui_config_path,
    resolve_config,
)
from drtui.api.query import DeploymentQuery
from drtui.cli.parser import UsageError

if TYPE_CHECKING:
    from drtui.settings import Configuration
    from drtui.ui.settings import AppSettings

EXIT_CANNOT_CHECK = 3
"""Monitoring-plugin convention: the state is unknown (bad config, unreachable server)."""
SCREEN_COMMANDS = (None, "record")
"""The commands that read the screen's settings (the dashboard; `record`'s refresh); `demo`
reads them too, without a file."""


def dispatch(args: argparse.Namespace) -> int:
    if args.command in ("demo", "emulator"):
        from drtui.cli import demo

        return demo.run(args)
    headless_only = ("pps", "bundles", "record", "replay", "report")
    query = query_from_args(args) if args.command not in headless_only else DeploymentQuery()
    try:
        config, configured = configure(args)
    except ConfigError as exc:
        print(f"drtui: {exc}", file=sys.stderr)
        return EXIT_CANNOT_CHECK
    if args.command is None:
        assert configured is not None  # the dashboard's command reads the settings
        return run_ui(app_settings(configured, query))
    for warning in config.warnings:
        print(f"drtui: warning: {warning}", file=sys.stderr)
    if args.command == "pps":
        from drtui.cli import pps

        return pps.run(
            config,
            args.download,
            verify=not args.no_verify,
            overwrite=args.overwrite,
            as_json=args.json,
        )
    if args.command in ("record", "replay", "report"):
        return _history_command(args, config, configured)
    if args.command == "bundles":
        from drtui.cli.bundles import print_bundles

        return print_bundles(
            config,
            use_cases_from_args(args.use_cases),
            args.format or "json",
            include_deleted=args.deleted,
            timeout=args.timeout,
        )
    if args.command == "deployments":
        from drtui.cli.fleet import print_deployments

        return print_deployments(config, query, args.format or "json", timeout=args.timeout)
    from drtui.cli.check import CheckOptions, check

    return check(
        config,
        query,
        CheckOptions(
            health=args.health,
            as_json=args.json,
            timeout=args.timeout,
            allow_empty=args.allow_empty,
            silent=args.silent,
            fail_if_all_unknown=args.fail_if_all_unknown,
        ),
    )


def _history_command(
    args: argparse.Namespace, config: ResolvedConfig, configured: Configuration | None
) -> int:
    """`drtui record`, `replay`, `report`."""
    from drtui.cli import history
    from drtui.core.report import parse_duration, parse_instant

    if args.command == "record":
        assert configured is not None  # record reads its refresh from the settings
        return history.run_record(config, configured.settings.refresh_interval, once=args.once)
    try:
        if args.command == "report":
            since = parse_duration(args.since)
        elif args.at is not None:
            at = parse_instant(args.at)
        else:
            at = history.now_utc() - parse_duration(args.since)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    if args.command == "report":
        return history.run_report(config, since, fmt=args.format or "text")
    return history.run_replay(config, at, as_json=args.json, problems_only=args.problems)


def query_from_args(args: argparse.Namespace) -> DeploymentQuery:
    """--filter KEY=V1,V2 (repeatable), --search and --order-by as one server-side query."""
    query = DeploymentQuery()
    try:
        for item in args.filters:
            key, sep, values = item.partition("=")
            if not sep or not key.strip():
                raise UsageError(f"--filter wants KEY=VALUE[,VALUE...], not {item!r}")
            parts = [v.strip() for v in values.split(",") if v.strip()]
            query = query.with_filter(key.strip(), parts if len(parts) != 1 else parts[0])
        if args.search:
            query = dataclasses.replace(query, search=args.search)
        if args.order_by:
            query = dataclasses.replace(query, order_by=args.order_by)
        query.check_moving()  # applied here, not by the server: said here when misspelt
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    return query


def use_cases_from_args(given: list[str]) -> list[str]:
    """--use-case values as the API spells them; a value it does not name is a usage error."""
    from drtui.core.bundles import USE_CASES, canonical_use_case

    out: list[str] = []
    for text in given:
        for part in (p for p in text.split(",") if p.strip()):
            use_case = canonical_use_case(part)
            if use_case is None:
                raise UsageError(
                    f"--use-case wants one of {', '.join(USE_CASES)}, not {part.strip()!r}"
                )
            out.append(use_case)
    return list(dict.fromkeys(out))


def flags(args: argparse.Namespace) -> dict[str, Any]:
    """What the command line set, by ``drtui.settings.Settings`` field name; an option not
    given is left out, so the environment and the file can still set it."""
    given: dict[str, Any] = {
        "endpoint": args.endpoint,
        "token_file": args.token_file,
        "token_command": args.token_command,
        "ssl_verify": False if args.insecure else None,
        "ca_bundle": args.ca_bundle,
        "allow_http": args.allow_http or None,
        "config_file": args.config,
        "profile": args.profile,
        "refresh_interval": args.refresh,
        "read_only": args.read_only or None,
        "theme": args.theme,
        "bell": args.bell or None,
        "notify": False if args.no_notify else None,
        "show_all": args.show_all or None,
    }
    return {name: value for name, value in given.items() if value is not None}


def configure(
    args: argparse.Namespace,
    *,
    env: Mapping[str, str] | None = None,
    home: Path | None = None,
    config_dir: Path | None = None,
) -> tuple[ResolvedConfig, Configuration | None]:
    """The resolved connection, and the settings unless the command is headless and the user
    has no drtui file: such a command needs the connection alone, and starts without pydantic.
    """
    given = flags(args)
    screen = args.command in SCREEN_COMMANDS
    named = {"config_file", "profile"} & given.keys()
    if not screen and not named and not drtui_config_path(config_dir).is_file():
        overrides = ConfigOverrides.from_values(given)
        return resolve_config(overrides, env=env, home=home, config_dir=config_dir), None
    from drtui.settings import load

    configured = load(given, env=env, home=home, config_dir=config_dir, screen=screen)
    return configured.connection, configured


def app_settings(configured: Configuration, query: DeploymentQuery) -> AppSettings:
    """The one place the settings and the resolved connection become the app's."""
    from drtui.ui.settings import AppSettings

    config, settings = configured.connection, configured.settings
    return AppSettings(
        endpoint=config.endpoint,
        token=config.token,
        profile_name=config.profile or "default",
        verify=config.ssl_verify,
        read_only=settings.read_only,
        refresh_interval=settings.refresh_interval,
        query=query,
        theme=settings.theme,
        bell=settings.bell,
        terminal_notify=settings.notify,
        keymap=dict(settings.keymap),
        keymap_source=configured.keymap_source,
        attention_first=not settings.show_all,
        ssl_warning=config.tls_warning,
        cleartext_warning=config.cleartext_warning,
        startup_warnings=tuple(w for w in config.warnings if w not in config.header_warnings),
    )


def run_ui(settings: AppSettings) -> int:
    from drtui.ui.app import run_app

    return run_app(settings)
