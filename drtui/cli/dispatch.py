"""What each `drtui` command does once its arguments are parsed.

Kept apart from the parser so `drtui --help` stays instant, and each command imports only the
layers it needs: the dashboard (Textual) is imported here by one lazy import when it starts,
the emulator only by `demo` and `emulator` (``demo.py``), the headless commands never.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from drtui.api.config import ConfigError, ConfigOverrides, ResolvedConfig, resolve_config
from drtui.api.query import DeploymentQuery
from drtui.cli.parser import UsageError
from drtui.settings_file import SCREEN_KEYS, ScreenSettings, screen_settings_of

if TYPE_CHECKING:
    from drtui.ui.settings import AppSettings

EXIT_CANNOT_CHECK = 3
"""Monitoring-plugin convention: the state is unknown (bad config, unreachable server)."""


def dispatch(args: argparse.Namespace) -> int:
    if args.command in ("demo", "emulator"):
        from drtui.cli import demo

        return demo.run(args)
    headless_only = ("pps", "bundles", "record", "replay", "report")
    query = query_from_args(args) if args.command not in headless_only else DeploymentQuery()
    try:
        config = resolve_config(config_overrides(args), screen_keys=SCREEN_KEYS)
        screen = screen_settings_of(
            config,
            read_only=True if getattr(args, "read_only", False) else None,
            refresh_interval=getattr(args, "refresh", None),
        )
    except ConfigError as exc:
        print(f"drtui: {exc}", file=sys.stderr)
        return EXIT_CANNOT_CHECK
    if args.command is None:
        return run_ui(app_settings(args, query, config, screen))
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
        return _history_command(args, config, screen)
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
    args: argparse.Namespace, config: ResolvedConfig, screen: ScreenSettings
) -> int:
    """`drtui record`, `replay`, `report`."""
    from drtui.cli import history
    from drtui.core.report import parse_duration, parse_instant

    if args.command == "record":
        return history.run_record(config, screen.refresh_interval, once=args.once)
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


def config_overrides(args: argparse.Namespace) -> ConfigOverrides:
    ssl_verify: bool | str | None = None
    if args.insecure:
        ssl_verify = False
    elif args.ca_bundle:
        ssl_verify = args.ca_bundle
    return ConfigOverrides(
        endpoint=args.endpoint,
        token_file=Path(args.token_file).expanduser() if args.token_file else None,
        token_command=args.token_command,
        profile=args.profile,
        config_file=Path(args.config).expanduser() if args.config else None,
        ssl_verify=ssl_verify,
        allow_http=bool(args.allow_http),
    )


def app_settings(
    args: argparse.Namespace,
    query: DeploymentQuery,
    config: ResolvedConfig,
    screen: ScreenSettings,
) -> AppSettings:
    """The one place the resolved connection and the screen settings become the app's."""
    from drtui.ui.settings import AppSettings

    return AppSettings(
        endpoint=config.endpoint,
        token=config.token,
        profile_name=config.profile or "default",
        verify=config.ssl_verify,
        read_only=screen.read_only,
        refresh_interval=screen.refresh_interval,
        query=query,
        theme=args.theme,
        bell=bool(args.bell),
        keymap=dict(screen.keymap),
        keymap_source=screen.source,
        attention_first=not args.show_all,
        ssl_warning=config.tls_warning,
        cleartext_warning=config.cleartext_warning,
        startup_warnings=tuple(w for w in config.warnings if w not in config.header_warnings),
    )


def run_ui(settings: AppSettings) -> int:
    from drtui.ui.app import run_app

    return run_app(settings)
