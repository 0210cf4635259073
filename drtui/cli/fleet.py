"""`drtui deployments`: the matched fleet, fetched as the screen fetches it, for scripts.

The rows are made by the same core functions as the screen's, so a script and the screen cannot
disagree about a deployment; `drtui check` judges the rows fetched here. No Textual here: these
must start fast.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import httpx

from drtui.api.client import DataRobotClient
from drtui.api.config import ResolvedConfig
from drtui.api.errors import DataRobotError
from drtui.api.models.slim_records import SlimDeployment
from drtui.api.query import DeploymentQuery
from drtui.api.retry import RetryPolicy
from drtui.cli.records import json_lines, write_rows
from drtui.core.rows import Row, row_from_slim
from drtui.core.sanitize import clean
from drtui.core.views import FETCH_ORDER, sort_rows

EXIT_UNKNOWN = 3
"""Nothing could be checked: configuration, network or server trouble (monitoring convention)."""


async def fetch_rows(
    config: ResolvedConfig,
    query: DeploymentQuery,
    timeout: float | None = None,
    *,
    each: Callable[[Row], object] | None = None,
) -> list[Row]:
    """Every deployment the query selects, fetched in an order traffic cannot move (offset
    paging under a moving order misses and repeats deployments) and sorted here as asked.

    Filters whose matches move while the pages are read (health, traffic: `MOVING_FILTERS`)
    are applied here to the records as read, never sent: offsets over a matched set that
    shrinks as deployments recover skip others that still match. The server narrows by the
    steady filters alone (an unfiltered query reads the whole fleet, as the screen does).

    ``each`` is called with every selected row as its page arrives (a repeated deployment too),
    so a caller can prepare its output while the server prepares the next pages."""
    stable = dataclasses.replace(query.steady(), order_by=FETCH_ORDER)
    moving = query.moves
    # Rows are made page by page as pages arrive, while the server prepares the next ones;
    # the listing (its order, repeats dropped) then says which rows, in which order.
    made: dict[int, Row] = {}

    def make(page: Sequence[SlimDeployment]) -> None:
        for record in page:
            row = made[id(record)] = row_from_slim(record)
            if each is not None and (not moving or _admitted(query, row)):
                each(row)

    async with DataRobotClient.from_config(config, **retry_within(timeout)) as client:
        deployments = await client.list_all_deployment_records(stable, on_page=make)
    if client.dropped_records:
        _warn_dropped(client.dropped_records, config.endpoint)
    rows = (made.get(id(d)) or row_from_slim(d) for d in deployments)
    selected = unique_rows(rows)
    if moving:
        selected = [row for row in selected if _admitted(query, row)]
    return sort_rows(selected, query.order_by)


def _admitted(query: DeploymentQuery, row: Row) -> bool:
    return query.admits(row.health, row.last_prediction, row.daily_rates)


def _warn_dropped(count: int, endpoint: str) -> None:
    """One line on stderr: some records could not be read and are not in the output."""
    host = httpx.URL(endpoint).netloc.decode("ascii", "replace")
    what = "1 deployment record" if count == 1 else f"{count:,} deployment records"
    print(
        f"drtui: warning: {what} from {clean(host, limit=200)} could not be read (nested too "
        f"deeply) and {'was' if count == 1 else 'were'} left out.",
        file=sys.stderr,
    )


def unique_rows(rows: Iterable[Row]) -> list[Row]:
    """One row per id (a deployment created between two pages can shift one into the next)."""
    seen: dict[str, Row] = {}
    for row in rows:
        seen.setdefault(row.id, row)
    return list(seen.values())


def retry_within(timeout: float | None) -> dict[str, Any]:
    """Client options for a command with `--timeout`: retries stop starting once half the time
    is gone, so the user reads the real failure (refused, 503...) rather than only "too slow"."""
    if timeout is None:
        return {}
    return {"retry": RetryPolicy(max_total=min(RetryPolicy.max_total, timeout / 2))}


async def _fetch_within(
    config: ResolvedConfig,
    query: DeploymentQuery,
    timeout: float | None,
    each: Callable[[Row], object] | None = None,
) -> list[Row]:
    if timeout is None:
        return await fetch_rows(config, query, each=each)
    return await asyncio.wait_for(fetch_rows(config, query, timeout, each=each), timeout)


def rows_or_exit(
    config: ResolvedConfig,
    query: DeploymentQuery,
    timeout: float | None = None,
    each: Callable[[Row], object] | None = None,
) -> list[Row] | None:
    try:
        with _start_up_frozen():
            return asyncio.run(_fetch_within(config, query, timeout, each))
    except DataRobotError as exc:
        print(f"drtui: {exc}", file=sys.stderr)
    except TimeoutError:
        host = httpx.URL(config.endpoint).host
        print(
            f"drtui: {host} did not give the deployments within {timeout:g} seconds (--timeout).",
            file=sys.stderr,
        )
    return None


@contextmanager
def _start_up_frozen() -> Iterator[None]:
    """What is alive before a listing (modules, classes, the configuration: some 60,000 objects)
    is frozen out of the collector's scans while the listing is read: the collections its
    growing fleet triggers then scan the listing's own objects, not the start-up's again and
    again. The collector still runs, so cyclic garbage (each response's) is freed as it goes."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def quiet_broken_pipe() -> None:
    # `drtui deployments | head`: the reader has what it wanted; stay quiet about it.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def print_deployments(
    config: ResolvedConfig, query: DeploymentQuery, fmt: str, *, timeout: float | None = None
) -> int:
    """The matched deployments as JSON lines or CSV, by label unless --order-by says otherwise
    (an order traffic cannot move: two runs a minute apart diff cleanly)."""
    if not query.order_by:
        query = dataclasses.replace(query, order_by=FETCH_ORDER)
    # JSON lines are made as the pages arrive, while the server prepares the next ones.
    written: dict[int, str] = {}
    each: Callable[[Row], object] | None = None
    if fmt != "csv":
        line = json_lines(config.endpoint)

        def each(row: Row) -> None:
            written[id(row)] = line(row)

    rows = rows_or_exit(config, query, timeout, each)
    if rows is None:
        return EXIT_UNKNOWN
    try:
        write_rows(rows, fmt, sys.stdout, config.endpoint, written)
        sys.stdout.flush()
    except BrokenPipeError:
        quiet_broken_pipe()
    return 0
