"""The list path's slim reading of ``GET /deployments/``: only what the table, filters, health,
alerts and ``drtui deployments`` read, plus each record's own JSON text for the detail pane.

Why not pydantic here: validating 100 pages of full nested models cost ~0.6 s per 10,000
deployments (and a fleet of 600,000 objects the collector had to scan), against ~0.15 s for
the C JSON scanner alone. So a page is split by the standard library's scanner into records,
each kept as its JSON text (``SlimDeployment.text``; the full ``Deployment`` is validated from it
on demand, ``full_deployment``), and the few shown fields are read from the decoded record.

The lenient guarantees are the models' own: a value of the usual type (a string, an int, null)
is taken as is; any other value is handed to the very pydantic type the full model uses for that
field (``lenient.py``), imported only then, so the slim and the full reading cannot disagree on
an odd value. A record that is not an object is dropped and counted (``skipped``); a body that
is not JSON, or has no ``data`` list, is refused (``SlimPageError``), as ``Page`` does.

Field names: the wire keys are the models' aliases (camelCase of the ``Deployment`` field
names); ``tests/api/test_slim.py`` checks every key read here against the models.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from drtui.api.models.deployment import Deployment


class SlimPageError(ValueError):
    """A body that cannot be read as a page; ``not_json`` tells which way it failed."""

    def __init__(self, not_json: bool) -> None:
        super().__init__("not JSON" if not_json else "not a page")
        self.not_json = not_json


class SlimDeployment:
    """One deployment as the list path reads it. Plain values; strings not yet sanitised."""

    __slots__ = (
        "accuracy_health",
        "created_at",
        "daily_rates",
        "deployed_at",
        "description",
        "health_messages",
        "id",
        "importance",
        "label",
        "last_timestamp",
        "model_health",
        "owners",
        "owners_count",
        "platform",
        "service_health",
        "status",
        "tags",
        "target_type",
        "text",
    )

    id: str | None
    label: str | None
    description: str | None
    status: str | None
    importance: str | None
    target_type: str | None
    platform: str | None
    service_health: str | None
    model_health: str | None
    accuracy_health: str | None
    health_messages: tuple[str | None, str | None, str | None]
    tags: tuple[tuple[str | None, str | None], ...]
    owners: tuple[tuple[str | None, str | None, str | None, str | None], ...]
    """(id, first name, last name, email) of each owner in the preview."""
    owners_count: int | None
    daily_rates: tuple[int, ...]
    last_timestamp: datetime | None
    created_at: datetime | None
    deployed_at: datetime | None
    text: str
    """The record's JSON text as the server sent it."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SlimDeployment) and self.text == other.text

    def __hash__(self) -> int:
        return hash(self.text)

    def __repr__(self) -> str:
        return f"SlimDeployment(id={self.id!r}, label={self.label!r})"

    @property
    def full(self) -> Deployment:
        """The full, lenient ``Deployment`` model, validated from the kept text (cached)."""
        return full_deployment(self.text)


class SlimPage:
    """One page of the list envelope; the attributes ``paging`` reads of a ``Page``."""

    __slots__ = ("count", "data", "next", "total_count")

    def __init__(
        self, data: list[SlimDeployment], count: int | None, total: int | None, nxt: str | None
    ) -> None:
        self.data = data
        self.count = count
        self.total_count = total
        self.next = nxt

    @property
    def skipped(self) -> int:
        return max(0, self.count - len(self.data)) if self.count is not None else 0


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


def _str(value: object) -> str | None:
    if value is None or type(value) is str:
        return value
    return _odd("str", value)  # type: ignore[no-any-return]


def _int(value: object) -> int | None:
    if value is None or type(value) is int:
        return value
    return _odd("int", value)  # type: ignore[no-any-return]


_ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,6})?(?:Z|[+-]\d\d:\d\d)?")


def _datetime(value: object) -> datetime | None:
    if value is None:
        return None
    if type(value) is str and _ISO.fullmatch(value):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    return _odd("datetime", value)  # type: ignore[no-any-return]


def _health(value: object) -> str | None:
    text = _str(value)
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
    slim.created_at = _datetime(get("createdAt"))
    v = get("model")
    if type(v) is dict:
        w = v.get("targetType")
        slim.target_type = w if type(w) is str or w is None else _odd("str", w)
        slim.deployed_at = _datetime(v.get("deployedAt"))
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
        _str(service.get("message")),
        _str(model_health.get("message")),
        _str(accuracy.get("message")),
    )
    v = get("tags")
    slim.tags = (
        tuple([(_str(t.get("name")), _str(t.get("value"))) for t in v if type(t) is dict])
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
                        _str(o.get("id")),
                        _str(o.get("firstName")),
                        _str(o.get("lastName")),
                        _str(o.get("email")),
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
        slim.last_timestamp = _datetime(v.get("lastTimestamp"))
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


class _Defer(Exception):
    """The fast walk met something unusual: read the body the general way."""


def _walk(text: str) -> tuple[dict[str, Any], list[tuple[Any, str]] | None]:
    """The envelope's other keys, and the ``data`` list's items with their texts."""
    envelope: dict[str, Any] = {}
    records: list[tuple[Any, str]] | None = None
    i = _skip(text, 0)
    if text[i] != "{":
        raise _Defer
    i = _skip(text, i + 1)
    if text[i] == "}":
        i += 1
    else:
        while True:
            if text[i] != '"':
                raise _Defer
            key, i = _scanstring(text, i + 1)
            i = _skip(text, i)
            if text[i] != ":":
                raise _Defer
            i = _skip(text, i + 1)
            if key == "data" and text[i] == "[":
                records = []
                envelope.pop("data", None)
                i = _skip(text, i + 1)
                if text[i] == "]":
                    i += 1
                else:
                    while True:
                        value, end = _scan(text, i)
                        records.append((value, text[i:end]))
                        i = _skip(text, end)
                        if text[i] == "]":
                            i += 1
                            break
                        if text[i] != ",":
                            raise _Defer
                        i = _skip(text, i + 1)
            else:
                envelope[key], i = _scan(text, i)
                if key == "data":
                    records = None  # a later "data" wins, as in json.loads
            i = _skip(text, i)
            if text[i] == "}":
                i += 1
                break
            if text[i] != ",":
                raise _Defer
            i = _skip(text, i + 1)
    if _skip(text, i) != len(text):
        raise _Defer
    return envelope, records


def _general(content: bytes) -> tuple[dict[str, Any], list[tuple[Any, str]] | None]:
    try:
        body = json.loads(content)
    except (ValueError, RecursionError):
        raise SlimPageError(not_json=True) from None
    if type(body) is not dict:
        raise SlimPageError(not_json=False)
    data = body.pop("data", None)
    if type(data) is not list:
        return body, None
    return body, [(item, json.dumps(item, ensure_ascii=False)) for item in data]


def read_page(content: bytes) -> SlimPage:
    """One page of ``GET /deployments/`` read slim; ``SlimPageError`` when it is not a page."""
    try:
        envelope, records = _walk(content.decode("utf-8"))
    except (_Defer, ValueError, IndexError, StopIteration, RecursionError):
        envelope, records = _general(content)
    if records is None:
        raise SlimPageError(not_json=False)
    data = [slim_deployment(item, text) for item, text in records if type(item) is dict]
    return SlimPage(
        data,
        _int(envelope.get("count")),
        _int(envelope.get("totalCount")),
        _str(envelope.get("next")),
    )


@lru_cache(maxsize=64)
def full_deployment(text: str) -> Deployment:
    """The full lenient model of one record's JSON text (the detail pane's), parsed on demand."""
    from drtui.api.models.deployment import Deployment

    try:
        return Deployment.model_validate_json(text)
    except ValueError:  # deeper than the fast parser reads, NaN...: the lenient second reading
        try:
            return Deployment.model_validate(json.loads(text))
        except (ValueError, RecursionError):
            return Deployment()
