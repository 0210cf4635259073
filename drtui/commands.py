"""What each `drtui` subcommand does once its arguments are parsed.

Kept apart from the parser so `drtui --help` stays instant and each command imports only the
layers it needs: the headless commands never import Textual, and only `demo`/`emulator` import
the emulator.
"""

from __future__ import annotations

import argparse
import dataclasses
import secrets
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from drtui.api.config import (
    DEFAULT_REFRESH_INTERVAL,
    ConfigError,
    ConfigOverrides,
    ResolvedConfig,
    resolve_config,
)
from drtui.api.query import DeploymentQuery

if TYPE_CHECKING:
    from drtui.ui.settings import AppSettings

EXIT_CANNOT_CHECK = 3
"""Monitoring-plugin convention: the state is unknown (bad config, unreachable server)."""


class UsageError(Exception):
    """A flag value the parser accepted but the API vocabulary does not."""


def dispatch(args: argparse.Namespace) -> int:
    if args.command == "emulator":
        return _emulator(args)
    if args.command == "demo":
        return _demo(args)
    query = query_from_args(args) if args.command != "pps" else DeploymentQuery()
    try:
        config = resolve_config(config_overrides(args))
    except ConfigError as exc:
        print(f"drtui: {exc}", file=sys.stderr)
        return EXIT_CANNOT_CHECK if args.command in ("deployments", "check", "pps") else 2
    if args.command == "pps":
        from drtui import pps

        return pps.run(config, args.download)
    if args.command in ("deployments", "check"):
        from drtui import headless

        for warning in config.warnings:
            print(f"drtui: warning: {warning}", file=sys.stderr)
        if args.command == "deployments":
            return headless.print_deployments(config, query, args.format or "json")
        return headless.check(config, query)
    return _run_ui(screen_settings(args, query, config))


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
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    return query


def config_overrides(args: argparse.Namespace) -> ConfigOverrides:
    ssl_verify: bool | str | None = None
    if args.insecure:
        ssl_verify = False
    elif args.ca_bundle:
        ssl_verify = args.ca_bundle
    return ConfigOverrides(
        endpoint=args.endpoint,
        profile=args.profile,
        config_file=Path(args.config).expanduser() if args.config else None,
        ssl_verify=ssl_verify,
        read_only=True if getattr(args, "read_only", False) else None,
        refresh_interval=getattr(args, "refresh", None),
    )


def screen_settings(
    args: argparse.Namespace, query: DeploymentQuery, config: ResolvedConfig
) -> AppSettings:
    from drtui.ui.settings import AppSettings

    return AppSettings(
        endpoint=config.endpoint,
        token=config.token,
        profile_name=config.profile or "default",
        verify=config.ssl_verify,
        read_only=config.read_only,
        refresh_interval=config.refresh_interval,
        query=query,
        theme=args.theme,
        bell=args.bell,
        keymap=dict(config.keymap),
        attention_first=not args.show_all,
        ssl_warning=config.tls_warning,
        startup_warnings=tuple(w for w in config.warnings if w != config.tls_warning),
    )


def _run_ui(settings: AppSettings) -> int:
    from drtui.ui.app import run_app

    return run_app(settings)


def _demo(args: argparse.Namespace) -> int:
    """The whole product on a loopback emulator, reached over HTTP exactly as in production."""
    from drtui.emulator.config import EmulatorConfig
    from drtui.emulator.server import EmulatorServer

    if args.deployments < 1:
        raise UsageError("--deployments must be at least 1")
    query = query_from_args(args)
    token = secrets.token_urlsafe(24)
    emulator = EmulatorConfig(
        deployments=args.deployments,
        seed=args.seed,
        user_token=token,
        admin_token=secrets.token_urlsafe(24),
    )
    with EmulatorServer(emulator, host="127.0.0.1", port=0) as server:
        config = ResolvedConfig(
            endpoint=server.endpoint,
            token=token,
            source="the demo emulator",
            profile="demo",
            read_only=args.read_only,
            refresh_interval=args.refresh or DEFAULT_REFRESH_INTERVAL,
        )
        return _run_ui(screen_settings(args, query, config))


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
    serve(config, args.host, args.port)
    return 0
