"""The `drtui` console script.

Headless subcommands must stay cheap: Textual is imported only by the commands that draw.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from drtui import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="drtui",
        description="A terminal dashboard for the health of DataRobot MLOps deployments.",
    )
    parser.add_argument("--version", action="version", version=f"drtui {__version__}")
    parser.add_subparsers(dest="command", metavar="COMMAND")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
