"""`drtui emulator` / `python -m drtui.emulator`: serve the emulator in the foreground.

The argparse pieces are public so `drtui.cli` can mount the same options on its subcommand.
Printing the tokens is the point here: they are the emulator's own demo credentials.
"""

from __future__ import annotations

import argparse
import ipaddress
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from drtui.emulator.config import (
    CHAOS_PROFILES,
    DEMO_FIRST_ALERT_SECONDS,
    EmulatorConfig,
    chaos_profile,
)
from drtui.emulator.server import EmulatorServer

_DEFAULTS = EmulatorConfig()

EXIT_USAGE = 3
"""A command line that cannot be run (as for `drtui`: never argparse's 2)."""


class Parser(argparse.ArgumentParser):
    """Usage errors exit 3 and options are never abbreviated (``--token`` is not
    ``--token-file``, ``--port`` not a prefix of anything)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["allow_abbrev"] = False
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (loopback)")
    parser.add_argument("--port", type=int, default=8080, help="API port (default 8080)")
    parser.add_argument("--token", default=_DEFAULTS.user_token, help="the normal user's token")
    parser.add_argument(
        "--admin-token", default=_DEFAULTS.admin_token, help="the admin's token (can erase)"
    )
    parser.add_argument("--deployments", type=int, default=_DEFAULTS.deployments, help="fleet size")
    parser.add_argument("--seed", type=int, default=_DEFAULTS.seed, help="fleet seed")
    parser.add_argument(
        "--chaos", choices=sorted(CHAOS_PROFILES), default=None, help="fault profile"
    )
    parser.add_argument(
        "--image-size",
        type=int,
        default=_DEFAULTS.image_size,
        help="size in bytes of the emulated PPS image",
    )
    add_log_arguments(parser)
    parser.add_argument(
        "--history",
        type=float,
        default=None,
        metavar="HOURS",
        help="play this many hours of evolution at start (health transitions recorded)",
    )


def add_log_arguments(parser: argparse.ArgumentParser) -> None:
    """--log-rate and --log-max-bytes (also mounted on `drtui emulator`)."""
    parser.add_argument(
        "--log-rate",
        type=float,
        default=None,
        metavar="LINES_PER_S",
        help=f"log records per second of each running custom deployment "
        f"(default {_DEFAULTS.log_rate:g})",
    )
    parser.add_argument(
        "--log-max-bytes",
        type=int,
        default=None,
        metavar="BYTES",
        help=f"size cap of a served log, head cut (default {_DEFAULTS.log_max_bytes})",
    )


MIN_LOG_BYTES = 1024
MAX_HISTORY_HOURS = 24 * 7


def config_from_args(args: argparse.Namespace) -> EmulatorConfig:
    """The config the parsed flags ask for; a bad value raises ValueError naming the flag."""
    if args.deployments < 0:
        raise ValueError("--deployments must not be negative")
    if args.image_size < 1:
        raise ValueError("--image-size must be at least 1 byte")
    port = getattr(args, "port", 0)
    if port is not None and not 0 <= port <= 65535:
        raise ValueError(f"--port must be between 0 and 65535, not {port}")
    log_rate = getattr(args, "log_rate", None)
    log_rate = _DEFAULTS.log_rate if log_rate is None else log_rate
    if not 0 <= log_rate <= 1000:
        raise ValueError("--log-rate must be between 0 and 1000 lines per second")
    log_max_bytes = getattr(args, "log_max_bytes", None) or _DEFAULTS.log_max_bytes
    if log_max_bytes < MIN_LOG_BYTES:
        raise ValueError(f"--log-max-bytes must be at least {MIN_LOG_BYTES}")
    history = getattr(args, "history", None) or 0.0
    if not 0 <= history <= MAX_HISTORY_HOURS:
        raise ValueError(f"--history must be between 0 and {MAX_HISTORY_HOURS} hours")
    return EmulatorConfig(
        history_hours=history,
        deployments=args.deployments,
        seed=args.seed,
        user_token=args.token,
        admin_token=args.admin_token,
        chaos=chaos_profile(args.chaos) if args.chaos else None,
        image_size=args.image_size,
        log_rate=log_rate,
        log_max_bytes=log_max_bytes,
        first_alert_seconds=DEMO_FIRST_ALERT_SECONDS,
    )


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(config: EmulatorConfig, host: str, port: int) -> int:
    """Run until Ctrl+C, after printing how to reach the emulator; the exit status.

    A port that cannot be used is one line on stderr (status 1), never a traceback; a host other
    than loopback gets a warning, since the demo tokens printed below are public knowledge.
    """
    if not is_loopback(host):
        print(
            f"warning: listening on {host}, not loopback: anyone who can reach it can use the "
            "tokens below (the defaults are public; pass --token/--admin-token).",
            file=sys.stderr,
        )
    server = EmulatorServer(config, host=host, port=port)
    try:
        server.start()
    except (OSError, OverflowError, RuntimeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        print(f"emulator: cannot listen on {host}:{port}: {reason}", file=sys.stderr)
        return 1
    try:
        print(f"DataRobot emulator: {config.deployments} deployments, seed {config.seed}")
        print(f"  endpoint:     {server.endpoint}")
        print(f"  user token:   {config.user_token}")
        print(f"  admin token:  {config.admin_token}")
        print(f"  downloads:    {server.download_base_url}")
        if config.chaos is not None:
            print(f"  chaos:        {config.chaos.to_json()}")
        print(
            f"  try:          curl -H 'Authorization: Bearer {config.user_token}' "
            f"'{server.endpoint}/deployments/?limit=5'"
        )
        print("Press Ctrl+C to stop.", flush=True)
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = Parser(
        prog="python -m drtui.emulator", description="Serve the DataRobot API emulator."
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        config = config_from_args(args)
    except ValueError as error:
        print(f"emulator: {error}", file=sys.stderr)
        return EXIT_USAGE
    return serve(config, args.host, args.port)


if __name__ == "__main__":
    sys.exit(main())
