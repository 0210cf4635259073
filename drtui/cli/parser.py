"""The `drtui` command line: every command, its options and their values, parsed.

No command runs here (``dispatch`` runs them), so `drtui --help` stays instant.

Global options work on either side of the subcommand (``drtui --profile prod check`` and
``drtui check --profile prod`` are the same). argparse would let a subcommand's defaults
silently overwrite what was given before it, so each subcommand stores its copy of a global
option under ``sub_<name>`` and ``parse_args`` merges the two: ``--filter`` from both sides adds
up, the same option given twice with different values is refused, and an option the subcommand
does not take is refused by name instead of ignored.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

from drtui import __version__

EXIT_USAGE = 3
"""A command line that cannot be run: unknown, misspelt or misplaced options and values. Not
argparse's 2, which `drtui check` uses for "some deployment is failing" (Nagios CRITICAL): a
typo in a monitoring line must read UNKNOWN, never as failing deployments."""

DEFAULT_CHECK_TIMEOUT = 120.0
"""`drtui check` gives up (exit 3) after this long unless --timeout says otherwise: a check
meant for cron must end, even against a server that trickles one byte at a time."""
DEFAULT_LISTING_TIMEOUT = 600.0
"""`drtui deployments` and `drtui bundles` likewise (a fleet of 100,000 takes under a minute)."""

HEALTH_DIMENSIONS = ("service", "model", "accuracy")
DEFAULT_CHECK_HEALTH = "service,model,accuracy"
SUB = "sub_"


class UsageError(Exception):
    """A flag value the parser accepted but the API vocabulary does not: exit 3 with usage."""


class Parser(argparse.ArgumentParser):
    """argparse with drtui's rules: a usage error exits 3 (`EXIT_USAGE`), and an option is
    only ever its whole name (no abbreviations: ``--token`` is not ``--token-file``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["allow_abbrev"] = False
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _seconds(text: str) -> float:
    """A number of seconds; how few a setting allows is the settings' to say (``Settings``)."""
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None


def _positive_seconds(text: str) -> float:
    value = _seconds(text)
    if not value > 0:
        raise argparse.ArgumentTypeError("must be more than 0 seconds")
    return value


def _health_list(text: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(p.strip().lower() for p in text.split(",") if p.strip()))
    unknown = [n for n in names if n not in HEALTH_DIMENSIONS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"expected a comma-separated list of {', '.join(HEALTH_DIMENSIONS)}, not {text!r}"
        )
    return names


@dataclass(frozen=True)
class Option:
    """A global option: accepted before the subcommand and by the subcommands that use it."""

    flag: str
    dest: str
    kwargs: dict[str, Any]


def _option(flag: str, dest: str, **kwargs: Any) -> Option:
    return Option(flag, dest, kwargs)


CONNECTION = (
    _option(
        "--profile", "profile", metavar="NAME", help="named profile from the drtui config file"
    ),
    _option("--config", "config", metavar="FILE", help="drtui TOML config file to read instead"),
    _option(
        "--endpoint",
        "endpoint",
        metavar="URL",
        help="DataRobot API endpoint, e.g. https://app.datarobot.com; its token comes from "
        "DATAROBOT_API_TOKEN, --token-file or --token-command",
    ),
    _option(
        "--token-file",
        "token_file",
        metavar="FILE",
        help="file whose first line is the API token (with --endpoint)",
    ),
    _option(
        "--token-command",
        "token_command",
        metavar="COMMAND",
        help="command that prints the API token, e.g. 'pass show datarobot' (with --endpoint)",
    ),
    _option("--ca-bundle", "ca_bundle", metavar="PATH", help="CA bundle to verify TLS with"),
    _option(
        "--insecure", "insecure", action="store_true", help="turn TLS certificate verification off"
    ),
    _option(
        "--allow-http",
        "allow_http",
        action="store_true",
        help="allow a plain http:// endpoint on another machine (sends the token unencrypted)",
    ),
)
QUERY = (
    _option(
        "--filter",
        "filters",
        action="append",
        metavar="KEY=V1,V2",
        help="any GET /deployments/ filter, repeatable (e.g. serviceHealth=failing,warning)",
    ),
    _option(
        "--search", "search", metavar="TEXT", help="server-side search over label and description"
    ),
    _option(
        "--order-by",
        "order_by",
        metavar="KEY",
        help="any orderBy value; prefix with - for descending (--order-by -label); "
        "drtui deployments lists by label unless told",
    ),
)
REFRESH = _option(
    "--refresh",
    "refresh",
    type=_seconds,
    metavar="SECONDS",
    help="refresh interval (default 30, at least 5)",  # Settings.refresh_interval (a test checks)
)
SCREEN = (
    REFRESH,
    _option("--read-only", "read_only", action="store_true", help="disable every write action"),
    _option("--theme", "theme", metavar="NAME", help="Textual theme name"),
    _option("--bell", "bell", action="store_true", help="ring the bell when health degrades"),
    _option(
        "--no-notify",
        "no_notify",
        action="store_true",
        help="no desktop notification when health degrades while the terminal is not focused",
    ),
    _option(
        "--all",
        "show_all",
        action="store_true",
        help="start on all deployments instead of the attention view",
    ),
)
GLOBAL = CONNECTION + QUERY + SCREEN
ACCEPTS: dict[str | None, tuple[Option, ...]] = {
    None: GLOBAL,
    "demo": QUERY + SCREEN,
    "emulator": (),
    "deployments": CONNECTION + QUERY,
    "check": CONNECTION + QUERY,
    "pps": CONNECTION,
    "bundles": CONNECTION,
    "record": (*CONNECTION, REFRESH),
    "replay": CONNECTION,
    "report": CONNECTION,
}
"""Which global options each command takes (``None``: the dashboard itself)."""


def _add_options(parser: argparse.ArgumentParser, options: Sequence[Option], prefix: str) -> None:
    groups = {"connection": CONNECTION, "selection": QUERY, "screen": SCREEN}
    for title, members in groups.items():
        chosen = [o for o in options if o in members]
        if not chosen:
            continue
        group = parser.add_argument_group("polling" if chosen == [REFRESH] else title)
        for option in chosen:
            group.add_argument(
                option.flag, dest=prefix + option.dest, default=None, **option.kwargs
            )


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The top-level parser and each subcommand's parser (for their own usage errors)."""
    parser = Parser(
        prog="drtui",
        description="A terminal dashboard for the health of DataRobot MLOps deployments.",
    )
    parser.add_argument("--version", action="version", version=f"drtui {__version__}")
    _add_options(parser, GLOBAL, "")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    subs: dict[str, argparse.ArgumentParser] = {}

    def add(name: str, **kwargs: Any) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, **kwargs)
        _add_options(sub, ACCEPTS[name], SUB)
        subs[name] = sub
        return sub

    demo = add(
        "demo",
        help="run drtui on the embedded emulator (no account needed)",
        description="Start the emulator on 127.0.0.1 and open drtui on it.",
    )
    demo.add_argument("--deployments", type=int, default=1000, help="fleet size (default 1000)")
    demo.add_argument("--seed", type=int, default=42, help="fleet seed (default 42)")

    emulator = add(
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
    emulator.add_argument(
        "--log-rate", type=float, metavar="LINES_PER_S", help="custom model log lines per second"
    )
    emulator.add_argument("--log-max-bytes", type=int, metavar="BYTES", help="log size cap")
    emulator.add_argument(
        "--history", type=float, metavar="HOURS", help="hours of evolution to play at start"
    )

    deployments = add(
        "deployments",
        help="print deployments as JSON lines or CSV, without the UI",
        description="Print the matched deployments as JSON lines (default) or CSV.",
    )
    fmt = deployments.add_mutually_exclusive_group()
    fmt.add_argument(
        "--json",
        dest="format",
        action="store_const",
        const="json",
        help="one JSON object per line: tags as an object, owners as a list, url, health "
        "messages (default)",
    )
    fmt.add_argument(
        "--csv", dest="format", action="store_const", const="csv", help="CSV with flat columns"
    )
    deployments.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=DEFAULT_LISTING_TIMEOUT,
        metavar="SECONDS",
        help=f"give up (exit 3) when the listing takes longer (default {DEFAULT_LISTING_TIMEOUT:g})",
    )

    check = add(
        "check",
        help="exit 0/1/2 when matched deployments' health is passing/warning/failing (3: "
        "could not check)",
        description="Check the matched deployments' health. Exit 0: none warning or failing; "
        "1: some warning; 2: some failing; 3: could not check (configuration, network, server, "
        "timeout, or no deployment matched without --allow-empty).",
    )
    check.add_argument(
        "--health",
        type=_health_list,
        default=_health_list(DEFAULT_CHECK_HEALTH),
        metavar="DIMS",
        help=f"health dimensions to check, comma-separated (default {DEFAULT_CHECK_HEALTH})",
    )
    check.add_argument("--json", action="store_true", help="print the result as one JSON object")
    check.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=DEFAULT_CHECK_TIMEOUT,
        metavar="SECONDS",
        help=f"give up (exit 3) when the check takes longer (default {DEFAULT_CHECK_TIMEOUT:g})",
    )
    check.add_argument(
        "--allow-empty",
        action="store_true",
        help="exit 0 when no deployment matches (default: exit 3, nothing was checked)",
    )
    check.add_argument(
        "--fail-if-all-unknown",
        action="store_true",
        help="exit 3 when no checked deployment has a known health (all unknown or not "
        "available; default: exit 0 with a warning on stderr)",
    )
    check.add_argument(
        "--silent",
        action="store_true",
        help="also fail (exit 1) a deployment whose predictions stopped far outside its usual "
        "rhythm (silent), whatever its health",
    )

    pps = add(
        "pps",
        help="show the Portable Prediction Server image, or download and verify it",
        description="Metadata of the current PPS image; with --download, a resumable download "
        "whose SHA256 is checked against the metadata.",
    )
    pps.add_argument("--download", metavar="PATH", help="file or directory to download into")
    pps.add_argument("--overwrite", action="store_true", help="replace an existing file")
    pps.add_argument(
        "--no-verify", action="store_true", help="download even when no SHA256 is published"
    )
    pps.add_argument("--json", action="store_true", help="print the metadata as one JSON object")

    bundles = add(
        "bundles",
        help="print the compute (resource) bundles as JSON lines or CSV, without the UI",
        description="Print every compute bundle (GET /mlops/compute/bundles/, all pages) as "
        "JSON lines (default) or CSV. Exit 3 when they could not be listed.",
    )
    bundles.add_argument(
        "--use-case",
        dest="use_cases",
        action="append",
        default=[],
        metavar="USE_CASE",
        help="only bundles for this use case (customApplication, customJob, customModel, "
        "sapAICore); repeatable, any of them matches",
    )
    bundles.add_argument(
        "--deleted", action="store_true", help="include deleted bundles (hidden by default)"
    )
    bundle_fmt = bundles.add_mutually_exclusive_group()
    bundle_fmt.add_argument(
        "--json",
        dest="format",
        action="store_const",
        const="json",
        help="one JSON object per line (default)",
    )
    bundle_fmt.add_argument(
        "--csv", dest="format", action="store_const", const="csv", help="CSV with flat columns"
    )
    bundles.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=DEFAULT_LISTING_TIMEOUT,
        metavar="SECONDS",
        help=f"give up (exit 3) when the listing takes longer (default {DEFAULT_LISTING_TIMEOUT:g})",
    )
    _add_history_commands(add)
    return parser, subs


def _add_history_commands(add: Callable[..., argparse.ArgumentParser]) -> None:
    """`record`, `replay`, `report`: the fleet history."""
    record = add(
        "record",
        help="record the fleet's health history without the UI (for tmux or a systemd unit)",
        description="Poll the whole fleet and store every poll's health states in this "
        "installation's history file in the user state directory ($DRTUI_STATE_DIR). Runs "
        "until interrupted; exit 3 when the token is refused.",
    )
    record.add_argument(  # --refresh's first name here, kept working
        "--interval", dest=SUB + "refresh", type=_seconds, help=argparse.SUPPRESS
    )
    record.add_argument("--once", action="store_true", help="record one poll and exit")
    replay = add(
        "replay",
        help="print the fleet as it was at an instant, from the recorded history",
        description="Print the fleet as recorded at an instant, worst first. Exit 3 when no "
        "recording covers it.",
    )
    when = replay.add_mutually_exclusive_group(required=True)
    when.add_argument(
        "--at", metavar="TIME", help="'2026-11-30 03:12' (UTC unless an offset is given)"
    )
    when.add_argument("--since", metavar="DURATION", help="that long ago: 12h, 30m, 1d12h")
    replay.add_argument("--json", action="store_true", help="one JSON object per deployment")
    replay.add_argument(
        "--problems", action="store_true", help="only deployments warning, failing or silent"
    )
    report = add(
        "report",
        help="the shift-handoff report: what degraded, recovered, still fails",
        description="What degraded, when, for how long, what recovered and what is still "
        "failing, grouped by importance, from the recorded history.",
    )
    report.add_argument(
        "--since", default="12h", metavar="DURATION", help="the window: 12h (default), 8h, 1d"
    )
    report_fmt = report.add_mutually_exclusive_group()
    report_fmt.add_argument(
        "--markdown",
        dest="format",
        action="store_const",
        const="markdown",
        help="Markdown for a chat or a ticket",
    )
    report_fmt.add_argument(
        "--json", dest="format", action="store_const", const="json", help="one JSON object"
    )


def _joined_values(argv: Sequence[str]) -> list[str]:
    """``--order-by -label`` as ``--order-by=-label``: argparse takes ``-label`` for an option."""
    out: list[str] = []
    items = list(argv)
    i = 0
    while i < len(items):
        following = items[i + 1] if i + 1 < len(items) else ""
        if items[i] == "--order-by" and following.startswith("-") and following[1:2] != "-":
            out.append(f"--order-by={following}")
            i += 2
            continue
        out.append(items[i])
        i += 1
    return out


def _merge(args: argparse.Namespace, error: Callable[[str], Any]) -> None:
    """One value per global option, whichever side of the subcommand it was given on."""
    command: str | None = args.command
    accepted = ACCEPTS[command]
    for option in GLOBAL:
        before = getattr(args, option.dest, None)
        after = getattr(args, SUB + option.dest, None)
        if hasattr(args, SUB + option.dest):
            delattr(args, SUB + option.dest)
        if command is not None and before is not None and option not in accepted:
            error(f"{option.flag} does not apply to `drtui {command}`")
        if option.dest == "filters":
            value: Any = (before or []) + (after or [])
        elif before is not None and after is not None and before != after:
            error(f"{option.flag} was given twice with different values")
        else:
            value = after if after is not None else before
        if value is None and option.kwargs.get("action") == "store_true":
            value = False
        setattr(args, option.dest, value)


def parse_args(
    argv: Sequence[str] | None = None,
) -> tuple[argparse.Namespace, argparse.ArgumentParser]:
    """The parsed command line and the parser whose usage fits it (the subcommand's)."""
    parser, subs = build_parser()
    args = parser.parse_args(_joined_values(sys.argv[1:] if argv is None else argv))
    usage = subs.get(args.command, parser) if args.command else parser
    _merge(args, usage.error)
    return args, usage
