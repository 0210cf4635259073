"""`drtui deployments`, `drtui check` and `drtui bundles`: the screens' data for scripts and cron.

They read rows through the same core functions as the screen, so a script and the screen cannot
disagree about a deployment. No Textual here: these must start fast.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, TextIO

import httpx

from drtui.api.client import DataRobotClient
from drtui.api.config import ResolvedConfig
from drtui.api.errors import DataRobotError, NotFoundError, PermissionDeniedError
from drtui.api.models.slim import SlimDeployment
from drtui.api.query import DeploymentQuery
from drtui.api.retry import RetryPolicy
from drtui.core.bundles import (
    BUNDLE_FIELDS,
    NO_BUNDLES_FEATURE,
    BundleRow,
    bundle_record,
    bundle_rows,
    flat_bundle_record,
    narrow,
)
from drtui.core.detail import web_url
from drtui.core.export import write_csv
from drtui.core.health import normalise
from drtui.core.rhythm import Rhythm
from drtui.core.rows import Row, row_from_slim
from drtui.core.sanitize import clean
from drtui.core.silence import is_silent
from drtui.core.views import FETCH_ORDER, sort_rows

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
    "url",
)
"""The CSV columns: flat values, one per cell."""

HEALTH_KEYS = {"service": "serviceHealth", "model": "modelHealth", "accuracy": "accuracyHealth"}


def _tags(row: Row) -> dict[str, str | list[str]]:
    """Tags as an object; a name given twice keeps all its values, as a list."""
    return _tag_object(tuple(_tag_pairs(row)))


@lru_cache(maxsize=4096)
def _tag_object(pairs: tuple[tuple[str | None, str | None], ...]) -> dict[str, str | list[str]]:
    # Cached: a fleet repeats the same few tag sets (and owners) across many deployments. The
    # object is shared between records, so it is only ever read (serialised), never changed.
    tags: dict[str, str | list[str]] = {}
    for raw_name, raw_value in pairs:
        name, value = clean(raw_name, limit=200), clean(raw_value, limit=200)
        if name in tags:
            before = tags[name]
            tags[name] = [*before, value] if isinstance(before, list) else [before, value]
        else:
            tags[name] = value
    return tags


def _tag_pairs(row: Row) -> Iterable[tuple[str | None, str | None]]:
    origin = row.origin
    if isinstance(origin, SlimDeployment):
        return origin.tags
    return [(t.name, t.value) for t in row.source.tags]


def _owners(row: Row) -> list[dict[str, str | None]]:
    origin = row.origin if isinstance(row.origin, SlimDeployment) else row.source
    if isinstance(origin, SlimDeployment):
        owners = origin.owners
    else:
        preview = origin.owners.preview if origin.owners is not None else []
        owners = tuple((o.id, o.first_name, o.last_name, o.email) for o in preview)
    return list(_owner_objects(owners))


@lru_cache(maxsize=4096)
def _owner_objects(
    owners: tuple[tuple[str | None, str | None, str | None, str | None], ...],
) -> tuple[dict[str, str | None], ...]:
    return tuple(
        {
            "id": clean(key, limit=100) or None,
            "name": clean(" ".join(p for p in (first, last) if p), limit=200) or None,
            "email": clean(email, limit=200) or None,
        }
        for key, first, last, email in owners
    )


def _health_messages(row: Row) -> dict[str, str | None]:
    origin = row.origin if isinstance(row.origin, SlimDeployment) else row.source
    if isinstance(origin, SlimDeployment):
        messages: Sequence[str | None] = origin.health_messages
        present: Sequence[bool] = (True, True, True)
    else:
        summaries = (origin.service_health, origin.model_health, origin.accuracy_health)
        messages = [s.message if s is not None else None for s in summaries]
        present = [s is not None for s in summaries]
    return {
        dimension: (clean(message, limit=1000) or None) if there else None
        for dimension, message, there in zip(HEALTH_KEYS, messages, present, strict=True)
    }


def record(row: Row, endpoint: str) -> dict[str, Any]:
    """One deployment for JSON: tags an object, owners a list, its web URL, health messages."""
    return {
        "id": row.id,
        "label": row.label,
        "serviceHealth": row.health[0],
        "modelHealth": row.health[1],
        "accuracyHealth": row.health[2],
        "healthMessages": _health_messages(row),
        "status": row.status,
        "importance": row.importance,
        "targetType": row.target_type,
        "platform": row.platform,
        "tags": _tags(row),
        "predictions7d": list(row.daily_rates),
        "predictionsTotal": sum(row.daily_rates),
        "lastPrediction": row.last_prediction.isoformat() if row.last_prediction else None,
        "owners": _owners(row),
        "url": web_url(endpoint, row.id),
    }


def flat_record(row: Row, endpoint: str) -> dict[str, Any]:
    """One deployment for CSV: what the table shows, one flat value per column."""
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
        "predictions7d": " ".join(str(n) for n in row.daily_rates),
        "predictionsTotal": sum(row.daily_rates),
        "lastPrediction": row.last_prediction.isoformat() if row.last_prediction else None,
        "owner": row.owner,
        "url": web_url(endpoint, row.id),
    }


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


def _rows_or_exit(
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


def write_rows(
    rows: Iterable[Row],
    fmt: str,
    out: TextIO,
    endpoint: str,
    written: Mapping[int, str] | None = None,
) -> None:
    """Rows as CSV or JSON lines; ``written`` holds JSON lines already made (by ``id(row)``)."""
    if fmt == "csv":
        write_csv(out, FIELDS, (flat_record(row, endpoint) for row in rows))
        return
    line = json_lines(endpoint)
    made = written or {}
    out.write("".join([made.get(id(row)) or line(row) for row in rows]))


_encode = json.JSONEncoder(ensure_ascii=False).encode
_string = json.encoder.encode_basestring
"""The very encoders ``json.dumps(..., ensure_ascii=False)`` uses, reused for every record."""


def _tags_json(pairs: tuple[tuple[str | None, str | None], ...]) -> str:
    """``_encode(_tag_object(pairs))``, written directly when no name repeats (the usual case;
    a fleet's tag sets are mostly distinct, so a cache would only churn)."""
    if not pairs:
        return "{}"
    q = _string
    items = [(clean(n, limit=200), clean(v, limit=200)) for n, v in pairs]
    if len({name for name, _ in items}) < len(items):
        return _encode(_tag_object(pairs))
    return "{" + ", ".join([q(name) + ": " + q(value) for name, value in items]) + "}"


def _owners_json(owners: tuple[tuple[str | None, str | None, str | None, str | None], ...]) -> str:
    """``_encode(list(_owner_objects(owners)))``, written directly."""
    if not owners:
        return "[]"
    q = _string
    parts = []
    for key, first, last, email in owners:
        k = clean(key, limit=100)
        name = clean(" ".join(p for p in (first, last) if p), limit=200)
        mail = clean(email, limit=200)
        parts.append(
            '{"id": '
            + (q(k) if k else "null")
            + ', "name": '
            + (q(name) if name else "null")
            + ', "email": '
            + (q(mail) if mail else "null")
            + "}"
        )
    return "[" + ", ".join(parts) + "]"


@lru_cache(maxsize=4096)
def _messages_json(messages: tuple[str | None, ...]) -> str:
    return _encode(
        {d: clean(m, limit=1000) or None for d, m in zip(HEALTH_KEYS, messages, strict=True)}
    )


def json_lines(endpoint: str) -> Callable[[Row], str]:
    """One deployment's JSON line, exactly ``json.dumps(record(row, endpoint))`` plus a newline.

    Written from pieces for the 10,000-row listing: the row's strings were sanitised when the row
    was made, so they are only JSON-quoted here; tags, owners and health messages (a fleet
    repeats the same few) are sanitised and encoded once per distinct value. A row made from a
    full model (no slim record) takes the general path.
    """
    url = web_url(endpoint, "\x00").split("\x00")
    head, tail = url[0], url[1]
    q = _string

    def line(row: Row) -> str:
        origin = row.origin
        if not isinstance(origin, SlimDeployment):
            return _encode(record(row, endpoint)) + "\n"
        rates = row.daily_rates
        last = row.last_prediction
        health = row.health
        return "".join(
            [
                '{"id": ',
                q(row.id),
                ', "label": ',
                q(row.label),
                ', "serviceHealth": ',
                q(health[0]),
                ', "modelHealth": ',
                q(health[1]),
                ', "accuracyHealth": ',
                q(health[2]),
                ', "healthMessages": ',
                _messages_json(origin.health_messages),
                ', "status": ',
                q(row.status),
                ', "importance": ',
                q(row.importance),
                ', "targetType": ',
                q(row.target_type),
                ', "platform": ',
                q(row.platform),
                ', "tags": ',
                _tags_json(origin.tags),
                ', "predictions7d": [',
                ", ".join(map(int.__repr__, rates)),
                '], "predictionsTotal": ',
                int.__repr__(sum(rates)),
                ', "lastPrediction": ',
                q(last.isoformat()) if last else "null",
                ', "owners": ',
                _owners_json(origin.owners),
                ', "url": ',
                q(head + row.id + tail),
                "}\n",
            ]
        )

    return line


def _quiet_broken_pipe() -> None:
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

    rows = _rows_or_exit(config, query, timeout, each)
    if rows is None:
        return EXIT_UNKNOWN
    try:
        write_rows(rows, fmt, sys.stdout, config.endpoint, written)
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_broken_pipe()
    return 0


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
    """Issue 21: a deployment whose predictions went silent is a warning, whatever its health."""
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
    rows = _rows_or_exit(config, query, opts.timeout)
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
        _quiet_broken_pipe()
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


# ----- `drtui bundles` (issue 17): the compute-bundle browser's rows for scripts -------------


async def _fetch_bundles(
    config: ResolvedConfig, use_cases: Sequence[str], timeout: float | None
) -> list[BundleRow]:
    async def fetch() -> list[BundleRow]:
        async with DataRobotClient.from_config(config) as client:
            return bundle_rows(await client.list_all_bundles(use_cases=use_cases))

    if timeout is None:
        return await fetch()
    return await asyncio.wait_for(fetch(), timeout)


def print_bundles(
    config: ResolvedConfig,
    use_cases: Sequence[str],
    fmt: str,
    *,
    include_deleted: bool = False,
    timeout: float | None = None,
) -> int:
    """Every compute bundle (all pages) of the use cases asked, as JSON lines or CSV.

    Exit 3 when they could not be listed, including an account without the resource-bundles
    feature (a preview: the server answers 403/404), said in one sentence.
    """
    try:
        rows = asyncio.run(_fetch_bundles(config, use_cases, timeout))
    except (NotFoundError, PermissionDeniedError):
        print(f"drtui: {NO_BUNDLES_FEATURE}", file=sys.stderr)
        return EXIT_UNKNOWN
    except DataRobotError as exc:
        print(f"drtui: {exc}", file=sys.stderr)
        return EXIT_UNKNOWN
    except TimeoutError:
        host = httpx.URL(config.endpoint).host
        print(
            f"drtui: {host} did not give the bundles within {timeout:g} seconds (--timeout).",
            file=sys.stderr,
        )
        return EXIT_UNKNOWN
    shown = narrow(rows, show_deleted=include_deleted)
    try:
        if fmt == "csv":
            write_csv(sys.stdout, BUNDLE_FIELDS, (flat_bundle_record(row) for row in shown))
        else:
            for row in shown:
                sys.stdout.write(json.dumps(bundle_record(row), ensure_ascii=False) + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_broken_pipe()
    return 0
