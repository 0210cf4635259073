"""`drtui check`: the matched deployments' health as an exit code a monitoring agent reads.

0 none warning or failing, 1 some warning, 2 some failing, 3 could not check: a check that
cannot lie, so an empty match, an unreachable server and a timeout are 3, never "OK".
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from drtui.api.config import ResolvedConfig
from drtui.api.query import DeploymentQuery
from drtui.cli.fleet import EXIT_UNKNOWN, quiet_broken_pipe, rows_or_exit
from drtui.cli.records import HEALTH_KEYS, record
from drtui.core.health import normalise
from drtui.core.rhythm import Rhythm
from drtui.core.rows import Row
from drtui.core.silence import is_silent

CHECK_CODES = {"failing": 2, "warning": 1}
"""Health words that fail a check."""
KNOWN_FINE = frozenset({"passing"})
WORDS = {0: "OK", 1: "WARNING", 2: "FAILING"}


@dataclass(frozen=True)
class CheckOptions:
    health: Sequence[str] = ("service", "model", "accuracy")
    """Which dimensions count, of service, model, accuracy."""
    as_json: bool = False
    timeout: float | None = None
    allow_empty: bool = False
    silent: bool = False
    """A deployment whose predictions went silent is a warning, whatever its health."""
    now: datetime | None = None
    """When silence is judged (None: the wall clock)."""
    fail_if_all_unknown: bool = False
    """Exit 3 when no checked deployment has a known health (every one unknown or N/A)."""


@dataclass(frozen=True)
class Verdict:
    """One deployment judged on the checked dimensions."""

    row: Row
    code: int
    """2 failing, 1 warning, 0 otherwise."""
    problems: tuple[tuple[str, str], ...]
    """(dimension, status) of each checked dimension that is warning or failing."""
    unknown: bool
    """Not warning or failing, but some checked dimension is not known to pass."""


def judge(row: Row, health: Sequence[str]) -> Verdict:
    statuses = dict(zip(HEALTH_KEYS, row.health, strict=True))
    words = {d: normalise(statuses[d]) for d in health}
    problems = tuple((d, w) for d, w in words.items() if w in CHECK_CODES)
    code = max((CHECK_CODES[w] for _, w in problems), default=0)
    unknown = code == 0 and any(w not in KNOWN_FINE for w in words.values())
    return Verdict(row, code, problems, unknown)


def check_code(
    rows: Iterable[Row], health: Sequence[str] = ("service",)
) -> tuple[int, list[Verdict]]:
    """The exit code for a set of rows and every verdict, offenders first, worst first."""
    verdicts = sorted(
        (judge(r, health) for r in rows),
        key=lambda v: (-v.code, v.row.importance_rank, v.row.label),
    )
    return max((v.code for v in verdicts), default=0), verdicts


def summary(code: int, verdicts: Sequence[Verdict], health: Sequence[str]) -> str:
    failing = sum(1 for v in verdicts if v.code == 2)
    warning = sum(1 for v in verdicts if v.code == 1)
    unknown = sum(1 for v in verdicts if v.unknown)
    passing = len(verdicts) - failing - warning - unknown
    return (
        f"{WORDS[code]}: {failing + warning} of {len(verdicts)} deployments warning or failing "
        f"on {'/'.join(health)} health ({failing} failing, {warning} warning, "
        f"{passing} passing, {unknown} unknown or not available)"
    )


def _offender_line(verdict: Verdict) -> str:
    row = verdict.row
    problems = ", ".join(f"{d} {w}" for d, w in verdict.problems)
    return f"{WORDS[verdict.code]:8} {row.importance or '-':9} {row.label} ({row.id}): {problems}"


def check(
    config: ResolvedConfig, query: DeploymentQuery, options: CheckOptions | None = None
) -> int:
    opts = options or CheckOptions()
    rows = rows_or_exit(config, query, opts.timeout)
    if rows is None:
        return EXIT_UNKNOWN
    if not rows and not opts.allow_empty:
        print(
            "drtui: no deployment matched the filters, so nothing was checked; fix the filters, "
            "or pass --allow-empty if an empty match is fine.",
            file=sys.stderr,
        )
        return EXIT_UNKNOWN
    code, verdicts = check_code(rows, opts.health)
    if opts.silent:
        from drtui.store.paths import history_path, state_directory
        from drtui.store.rhythm_store import read_rhythms

        rhythms = read_rhythms(
            history_path(state_directory(), config.profile or "default", config.endpoint)
        )
        code, verdicts = _with_silences(verdicts, opts.now or datetime.now(UTC), rhythms)
    offenders = [v for v in verdicts if v.code]
    all_unknown = code == 0 and bool(verdicts) and all(v.unknown for v in verdicts)
    if all_unknown:
        print(_all_unknown_sentence(len(verdicts), opts), file=sys.stderr)
    try:
        if opts.as_json:
            print(
                json.dumps(_check_json(code, verdicts, opts, config.endpoint), ensure_ascii=False)
            )
        else:
            print(summary(code, verdicts, opts.health))
            for verdict in offenders:
                print(_offender_line(verdict))
        sys.stdout.flush()
    except BrokenPipeError:
        quiet_broken_pipe()
    return EXIT_UNKNOWN if all_unknown and opts.fail_if_all_unknown else code


def _all_unknown_sentence(checked: int, opts: CheckOptions) -> str:
    """Exit 0 would read as "all clear" about deployments nothing is known of: say so."""
    which = "/".join(opts.health)
    deployments = "the deployment" if checked == 1 else f"all {checked:,} deployments"
    if opts.fail_if_all_unknown:
        return (
            f"drtui: {deployments} checked had no known {which} health (unknown or not "
            "available), so nothing was judged (exit 3, --fail-if-all-unknown)."
        )
    return (
        f"drtui: warning: {deployments} checked had no known {which} health (unknown or not "
        "available), so exit 0 says nothing about them; pass --fail-if-all-unknown to exit 3."
    )


def _with_silences(
    verdicts: Sequence[Verdict], now: datetime, rhythms: Mapping[str, Rhythm]
) -> tuple[int, list[Verdict]]:
    """`check --silent`: a silent deployment gets a `predictions silent` problem (warning),
    judged against its rhythm where this installation's recorder has learnt it."""
    judged = [
        Verdict(v.row, max(v.code, 1), (*v.problems, ("predictions", "silent")), False)
        if is_silent(v.row, now, rhythm=rhythms.get(v.row.id))
        else v
        for v in verdicts
    ]
    judged.sort(key=lambda v: (-v.code, v.row.importance_rank, v.row.label))
    return max((v.code for v in judged), default=0), judged


def _check_json(
    code: int, verdicts: Sequence[Verdict], opts: CheckOptions, endpoint: str
) -> dict[str, Any]:
    return {
        "status": WORDS[code],
        "exitCode": code,
        "health": list(opts.health),
        "checked": len(verdicts),
        "failing": sum(1 for v in verdicts if v.code == 2),
        "warning": sum(1 for v in verdicts if v.code == 1),
        "unknown": sum(1 for v in verdicts if v.unknown),
        "passing": sum(1 for v in verdicts if not v.code and not v.unknown),
        "offenders": [
            {**record(v.row, endpoint), "problems": dict(v.problems)} for v in verdicts if v.code
        ],
    }
