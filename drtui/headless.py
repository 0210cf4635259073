"""`drtui deployments` and `drtui check`: the table's data for scripts, cron and monitoring agents.

They read rows through the same core functions as the screen, so a script and the screen cannot
disagree about a deployment. No Textual here: these must start fast.
"""

from __future__ import annotations

import asyncio
import csv
import json
import os
import sys
from collections.abc import Iterable
from typing import Any, TextIO

from drtui.api.client import DataRobotClient
from drtui.api.config import ResolvedConfig
from drtui.api.errors import DataRobotError
from drtui.api.query import DeploymentQuery
from drtui.core.health import normalise
from drtui.core.rows import Row, row_from_deployment

EXIT_UNKNOWN = 3
"""Nothing could be checked: configuration, network or server trouble (monitoring convention)."""

FIELDS = (
    "id",
    "label",
    "serviceHealth",
    "modelHealth",
    "accuracyHealth",
    "status",
    "importance",
    "targetType",
    "platform",
    "tags",
    "predictions7d",
    "predictionsTotal",
    "lastPrediction",
    "owner",
)


def record(row: Row) -> dict[str, Any]:
    """One deployment as the table shows it, with machine-friendly values."""
    return {
        "id": row.id,
        "label": row.label,
        "serviceHealth": row.health[0],
        "modelHealth": row.health[1],
        "accuracyHealth": row.health[2],
        "status": row.status,
        "importance": row.importance,
        "targetType": row.target_type,
        "platform": row.platform,
        "tags": row.tags,
        "predictions7d": list(row.daily_rates),
        "predictionsTotal": sum(row.daily_rates),
        "lastPrediction": row.last_prediction.isoformat() if row.last_prediction else None,
        "owner": row.owner,
    }


async def fetch_rows(config: ResolvedConfig, query: DeploymentQuery) -> list[Row]:
    async with DataRobotClient.from_config(config) as client:
        deployments = await client.list_all_deployments(query)
    return [row_from_deployment(d) for d in deployments]


def _rows_or_exit(config: ResolvedConfig, query: DeploymentQuery) -> list[Row] | None:
    try:
        return asyncio.run(fetch_rows(config, query))
    except DataRobotError as exc:
        print(f"drtui: {exc}", file=sys.stderr)
        return None


def write_rows(rows: Iterable[Row], fmt: str, out: TextIO) -> None:
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            data = record(row)
            data["predictions7d"] = " ".join(str(n) for n in data["predictions7d"])
            writer.writerow(data)
        return
    for row in rows:
        out.write(json.dumps(record(row), ensure_ascii=False) + "\n")


def print_deployments(config: ResolvedConfig, query: DeploymentQuery, fmt: str) -> int:
    rows = _rows_or_exit(config, query)
    if rows is None:
        return EXIT_UNKNOWN
    try:
        write_rows(rows, fmt, sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        # `drtui deployments | head`: the reader has what it wanted; stay quiet about it.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


CHECK_CODES = {"failing": 2, "warning": 1}
"""Service health words that fail a check; any other word (passing, or no data yet) is 0."""


def check_code(rows: Iterable[Row]) -> tuple[int, list[Row]]:
    """The exit code for a set of rows and the offenders, worst first."""
    offenders = sorted(
        (r for r in rows if normalise(r.health[0]) in CHECK_CODES),
        key=lambda r: (-CHECK_CODES[normalise(r.health[0])], r.importance_rank, r.label),
    )
    code = max((CHECK_CODES[normalise(r.health[0])] for r in offenders), default=0)
    return code, offenders


def check(config: ResolvedConfig, query: DeploymentQuery) -> int:
    rows = _rows_or_exit(config, query)
    if rows is None:
        return EXIT_UNKNOWN
    code, offenders = check_code(rows)
    for row in offenders:
        print(
            f"{normalise(row.health[0]).upper():8} {row.importance or '-':9} {row.label} ({row.id})"
        )
    word = {0: "OK", 1: "WARNING", 2: "FAILING"}[code]
    print(f"{word}: {len(offenders)} of {len(rows)} deployments with service health not passing")
    return code
