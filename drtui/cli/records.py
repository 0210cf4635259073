"""One deployment as `drtui deployments` prints it: a JSON object (one line) or a CSV row.

Both read a row made by the same core functions as the screen's, so a script and the screen
cannot disagree about a deployment. JSON lines are written from pieces for a fleet of 10,000.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any, TextIO

from drtui.api.models.slim_records import SlimDeployment
from drtui.core.detail import web_url
from drtui.core.export import write_csv
from drtui.core.rows import Row
from drtui.core.sanitize import clean

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
