"""The `drtui` console script: argument parsing and dispatch.

Headless subcommands must stay cheap: Textual is imported only by the commands that draw, and
the emulator only by the commands that serve it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from drtui import __version__

REFRESH_FLOOR_SECONDS = 5.0


def _refresh_seconds(text: str) -> float:
    value = float(text)
    if value < REFRESH_FLOOR_SECONDS:
        raise argparse.ArgumentTypeError(
            f"refresh interval must be at least {REFRESH_FLOOR_SECONDS:g} seconds"
        )
    return value


def _add_connection_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("connection")
    group.add_argument("--profile", help="named profile from the drtui config file")
    group.add_argument("--config", metavar="FILE", help="drtui TOML config file to read instead")
    group.add_argument("--endpoint", help="DataRobot API endpoint, e.g. https://app.datarobot.com")
    group.add_argument("--ca-bundle", metavar="PATH", help="CA bundle to verify TLS with")
    group.add_argument(
        "--insecure", action="store_true", help="turn TLS certificate verification off"
    )


def _add_query_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("selection")
    group.add_argument(
        "--filter",
        dest="filters",
        action="append",
        default=[],
        metavar="KEY=V1,V2",
        help="any GET /deployments/ filter, repeatable (e.g. serviceHealth=failing,warning)",
    )
    group.add_argument("--search", help="server-side search over label and description")
    group.add_argument(
        "--order-by", metavar="KEY", help="any orderBy value; prefix with - for descending"
    )


def _add_screen_arguments(parser: argparse.ArgumentParser) -> None:
    _add_query_arguments(parser)
    group = parser.add_argument_group("screen")
    group.add_argument(
        "--refresh",
        type=_refresh_seconds,
        default=None,
        metavar="SECONDS",
        help=f"refresh interval (default 30, at least {REFRESH_FLOOR_SECONDS:g})",
    )
    group.add_argument("--read-only", action="store_true", help="disable every write action")
    group.add_argument("--theme", help="Textual theme name")
    group.add_argument("--bell", action="store_true", help="ring the bell when health degrades")
    group.add_argument(
        "--all",
        dest="show_all",
        action="store_true",
        help="start on all deployments instead of the attention view",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="drtui",
        description="A terminal dashboard for the health of DataRobot MLOps deployments.",
    )
    parser.add_argument("--version", action="version", version=f"drtui {__version__}")
    _add_connection_arguments(parser)
    _add_screen_arguments(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser(
        "demo",
        help="run drtui on the embedded emulator (no account needed)",
        description="Start the emulator on 127.0.0.1 and open drtui on it.",
    )
    demo.add_argument("--deployments", type=int, default=1000, help="fleet size (default 1000)")
    demo.add_argument("--seed", type=int, default=42, help="fleet seed (default 42)")
    _add_screen_arguments(demo)

    emulator = commands.add_parser(
        "emulator",
        help="serve the DataRobot API emulator",
        description="Serve a DataRobot API v2 emulator with an evolving synthetic fleet.",
    )
    emulator.add_argument("--host", default="127.0.0.1", help="bind address (default loopback)")
    emulator.add_argument("--port", type=int, default=8080, help="API port (default 8080)")
    emulator.add_argument("--token", help="the normal user's API token (default: a demo token)")
    emulator.add_argument("--admin-token", help="the admin's API token (default: a demo token)")
    emulator.add_argument("--deployments", type=int, default=200, help="fleet size")
    emulator.add_argument("--seed", type=int, default=42, help="fleet seed")
    emulator.add_argument(
        "--chaos", metavar="PROFILE", help="fault profile: flaky, slow, outage, mixed"
    )
    emulator.add_argument("--image-size", type=int, metavar="BYTES", help="PPS image size")

    for name, summary in (
        ("deployments", "print deployments as JSON lines or CSV, without the UI"),
        ("check", "exit 0/1/2 when matched deployments' service health is passing/warning/failing"),
    ):
        sub = commands.add_parser(name, help=summary, description=summary)
        _add_connection_arguments(sub)
        _add_query_arguments(sub)
        if name == "deployments":
            fmt = sub.add_mutually_exclusive_group()
            fmt.add_argument(
                "--json",
                dest="format",
                action="store_const",
                const="json",
                help="JSON lines (default)",
            )
            fmt.add_argument("--csv", dest="format", action="store_const", const="csv")
    pps = commands.add_parser(
        "pps",
        help="show the Portable Prediction Server image, or download and verify it",
        description="Metadata of the current PPS image; with --download, a resumable download "
        "whose SHA256 is checked against the metadata.",
    )
    _add_connection_arguments(pps)
    pps.add_argument("--download", metavar="PATH", help="file or directory to download into")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from drtui import commands

    try:
        return commands.dispatch(args)
    except commands.UsageError as exc:
        parser.error(str(exc))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
