"""The general reading of a page: the standard library's scanner splits it into records, each
kept with its own text, and ``slim_deployment`` reads a record leniently.

A value of the usual type (a string, an int, null) is taken as is; any other value is handed to
the very pydantic type the full model uses for that field (``lenient.py``), imported only then,
so the slim and the full reading cannot disagree on an odd value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import Any, cast

from drtui.api.models.slim_records import SlimDeployment, SlimPageError

# ----- the lenient readers: the usual type inline, anything else through the models' types -----


@cache
def _adapter(kind: str) -> Any:
    from pydantic import ConfigDict, TypeAdapter

    from drtui.api.models import lenient

    types: dict[str, Any] = {
        "str": lenient.LStr,
        "int": lenient.LInt,
        "datetime": lenient.LDatetime,
        "count": lenient.Count,
    }
    return TypeAdapter(types[kind], config=ConfigDict(coerce_numbers_to_str=True))


def _odd(kind: str, value: object) -> Any:
    try:
        return _adapter(kind).validate_python(value)
    except Exception:  # on_error="default" makes this unreachable; belt and braces
        return None if kind != "count" else 0


def lenient_str(value: object) -> str | None:
    if value is None or type(value) is str:
        return value
    return _odd("str", value)  # type: ignore[no-any-return]


def lenient_int(value: object) -> int | None:
    if value is None or type(value) is int:
        return value
    return _odd("int", value)  # type: ignore[no-any-return]


_ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,6})?(?:Z|[+-]\d\d:\d\d)?")


def lenient_datetime(value: object) -> datetime | None:
    if value is None:
        return None
    if type(value) is str and _ISO.fullmatch(value):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    return _odd("datetime", value)  # type: ignore[no-any-return]


def _health(value: object) -> str | None:
    text = lenient_str(value)
    return "notStarted" if text == "not_started" else text


def _obj(value: object) -> dict[str, Any]:
    return value if type(value) is dict else _EMPTY


_EMPTY: dict[str, Any] = {}


def slim_deployment(record: dict[str, Any], text: str) -> SlimDeployment:
    """The slim reading of one decoded record (a dict); never raises on odd values.

    Written flat (the usual types tested inline, no call per field): it runs for every
    deployment of every poll.
    """
    get = record.get
    slim = SlimDeployment()
    slim.text = text
    v = get("id")
    slim.id = v if type(v) is str or v is None else _odd("str", v)
    v = get("label")
    slim.label = v if type(v) is str or v is None else _odd("str", v)
    v = get("description")
    slim.description = v if type(v) is str or v is None else _odd("str", v)
    v = get("status")
    slim.status = v if type(v) is str or v is None else _odd("str", v)
    v = get("importance")
    slim.importance = v if type(v) is str or v is None else _odd("str", v)
    slim.created_at = lenient_datetime(get("createdAt"))
    v = get("model")
    if type(v) is dict:
        w = v.get("targetType")
        slim.target_type = w if type(w) is str or w is None else _odd("str", w)
        slim.deployed_at = lenient_datetime(v.get("deployedAt"))
    else:
        slim.target_type = slim.deployed_at = None
    v = get("predictionEnvironment")
    w = v.get("platform") if type(v) is dict else None
    slim.platform = w if type(w) is str or w is None else _odd("str", w)
    service = _obj(get("serviceHealth"))
    model_health = _obj(get("modelHealth"))
    accuracy = _obj(get("accuracyHealth"))
    slim.service_health = _health(service.get("status"))
    slim.model_health = _health(model_health.get("status"))
    slim.accuracy_health = _health(accuracy.get("status"))
    slim.health_messages = (
        lenient_str(service.get("message")),
        lenient_str(model_health.get("message")),
        lenient_str(accuracy.get("message")),
    )
    v = get("tags")
    slim.tags = (
        tuple(
            [
                (lenient_str(t.get("name")), lenient_str(t.get("value")))
                for t in v
                if type(t) is dict
            ]
        )
        if type(v) is list and v
        else ()
    )
    v = get("owners")
    if type(v) is dict:
        w = v.get("count")
        slim.owners_count = w if type(w) is int or w is None else _odd("int", w)
        w = v.get("preview")
        slim.owners = (
            tuple(
                [
                    (
                        lenient_str(o.get("id")),
                        lenient_str(o.get("firstName")),
                        lenient_str(o.get("lastName")),
                        lenient_str(o.get("email")),
                    )
                    for o in w
                    if type(o) is dict
                ]
            )
            if type(w) is list and w
            else ()
        )
    else:
        slim.owners_count, slim.owners = None, ()
    v = get("predictionUsage")
    if type(v) is dict:
        w = v.get("dailyRates")
        slim.daily_rates = (
            tuple([r if type(r) is int else 0 if r is None else _odd("count", r) for r in w])
            if type(w) is list
            else ()
        )
        slim.last_timestamp = lenient_datetime(v.get("lastTimestamp"))
    else:
        slim.daily_rates, slim.last_timestamp = (), None
    return slim


# ----- the page: split by the C scanner, each record with its own text ------------------------

_DECODER = json.JSONDecoder()
_scan = cast(Callable[[str, int], tuple[Any, int]], _DECODER.scan_once)  # type: ignore[attr-defined]
_scanstring = cast(Callable[[str, int], tuple[str, int]], json.decoder.scanstring)  # type: ignore[attr-defined]
_WS_RE = re.compile(r"[ \t\n\r]*")


def _skip(text: str, at: int) -> int:
    """The index of the first character at or after ``at`` that is not JSON whitespace."""
    found = _WS_RE.match(text, at)
    return found.end() if found is not None else at


class Defer(Exception):
    """The fast walk met something unusual: read the body the general way."""


_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
"""A JSON string (skipped whole) or a bracket: enough to find where a nested value ends."""


def _end_of_value(text: str, at: int) -> int:
    """Where the array or object starting at ``at`` ends, found without recursion (for a value
    nested deeper than the scanner can read). Unbalanced: ``Defer``."""
    if text[at] not in "[{":
        raise Defer
    depth = 0
    for token in _TOKENS.finditer(text, at):
        mark = token.group()
        if mark in "[{":
            depth += 1
        elif mark in "]}":
            depth -= 1
            if depth == 0:
                return token.end()
    raise Defer


def _scan_or_skip(text: str, at: int) -> tuple[Any, int, bool]:
    """``_scan``, or for a value nested too deeply to read, its end and ``False`` (skipped)."""
    try:
        value, end = _scan(text, at)
    except RecursionError:
        return None, _end_of_value(text, at), False
    return value, end, True


def walk(text: str) -> tuple[dict[str, Any], list[tuple[Any, str]] | None, int]:
    """The envelope's other keys, and the ``data`` list's items with their texts (an item
    nested too deeply to read is left out: the page's ``count`` then says one is missing)."""
    envelope: dict[str, Any] = {}
    records: list[tuple[Any, str]] | None = None
    dropped = 0
    i = _skip(text, 0)
    if text[i] != "{":
        raise Defer
    i = _skip(text, i + 1)
    if text[i] == "}":
        i += 1
    else:
        while True:
            if text[i] != '"':
                raise Defer
            key, i = _scanstring(text, i + 1)
            i = _skip(text, i)
            if text[i] != ":":
                raise Defer
            i = _skip(text, i + 1)
            if key == "data" and text[i] == "[":
                records, dropped = [], 0
                envelope.pop("data", None)
                i = _skip(text, i + 1)
                if text[i] == "]":
                    i += 1
                else:
                    while True:
                        value, end, read = _scan_or_skip(text, i)
                        if read:
                            records.append((value, text[i:end]))
                        else:
                            dropped += 1
                        i = _skip(text, end)
                        if text[i] == "]":
                            i += 1
                            break
                        if text[i] != ",":
                            raise Defer
                        i = _skip(text, i + 1)
            else:
                value, i, read = _scan_or_skip(text, i)
                if read:
                    envelope[key] = value
                if key == "data":
                    records = None  # a later "data" wins, as in json.loads
            i = _skip(text, i)
            if text[i] == "}":
                i += 1
                break
            if text[i] != ",":
                raise Defer
            i = _skip(text, i + 1)
    if _skip(text, i) != len(text):
        raise Defer
    return envelope, records, dropped


def general_split(content: bytes) -> tuple[dict[str, Any], list[tuple[Any, str]] | None]:
    try:
        body = json.loads(content)
    except ValueError:
        raise SlimPageError(not_json=True) from None
    except RecursionError:  # valid, but nested beyond any reading: not worth asking again
        raise SlimPageError(not_json=False) from None
    if type(body) is not dict:
        raise SlimPageError(not_json=False)
    data = body.pop("data", None)
    if type(data) is not list:
        return body, None
    return body, [(item, json.dumps(item, ensure_ascii=False)) for item in data]
