"""`drtui emulator` / `python -m drtui.emulator`: serve the emulator in the foreground.

The argparse pieces are public so `drtui.cli` can mount the same options on its subcommand.
Printing the tokens is the point here: they are the emulator's own demo credentials.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from drtui.emulator.config import CHAOS_PROFILES, EmulatorConfig, chaos_profile
from drtui.emulator.server import EmulatorServer

_DEFAULTS = EmulatorConfig()


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


def config_from_args(args: argparse.Namespace) -> EmulatorConfig:
    if args.deployments < 0:
        raise ValueError("--deployments must not be negative")
    if args.image_size < 1:
        raise ValueError("--image-size must be at least 1 byte")
    return EmulatorConfig(
        deployments=args.deployments,
        seed=args.seed,
        user_token=args.token,
        admin_token=args.admin_token,
        chaos=chaos_profile(args.chaos) if args.chaos else None,
        image_size=args.image_size,
    )


def serve(config: EmulatorConfig, host: str, port: int) -> None:
    """Run until Ctrl+C, after printing how to reach the emulator."""
    server = EmulatorServer(config, host=host, port=port)
    server.start()
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m drtui.emulator", description="Serve the DataRobot API emulator."
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        config = config_from_args(args)
    except ValueError as error:
        parser.error(str(error))
    serve(config, args.host, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
