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
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast, overload

import msgspec

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


Known = TypeVar("Known")
"""What a caller already holds for a record's text (``read_page``'s ``known``)."""


class SlimPage(Generic[Known]):
    """One page of the list envelope; the attributes ``paging`` reads of a ``Page``.

    ``data`` holds a ``SlimDeployment`` per record, or, for a record whose text is one of the
    reader's ``known`` texts, what the caller holds for it (see ``read_page``)."""

    __slots__ = ("count", "data", "dropped", "next", "total_count")

    def __init__(
        self,
        data: list[SlimDeployment | Known],
        count: int | None,
        total: int | None,
        nxt: str | None,
        dropped: int = 0,
    ) -> None:
        self.data = data
        self.count = count
        self.total_count = total
        self.next = nxt
        self.dropped = dropped
        """Records left out because no reader can read them (nested deeper than Python's
        recursion allows): the rest of the page stands, the caller may say how many."""

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


_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
"""A JSON string (skipped whole) or a bracket: enough to find where a nested value ends."""


def _end_of_value(text: str, at: int) -> int:
    """Where the array or object starting at ``at`` ends, found without recursion (for a value
    nested deeper than the scanner can read). Unbalanced: ``_Defer``."""
    if text[at] not in "[{":
        raise _Defer
    depth = 0
    for token in _TOKENS.finditer(text, at):
        mark = token.group()
        if mark in "[{":
            depth += 1
        elif mark in "]}":
            depth -= 1
            if depth == 0:
                return token.end()
    raise _Defer


def _scan_or_skip(text: str, at: int) -> tuple[Any, int, bool]:
    """``_scan``, or for a value nested too deeply to read, its end and ``False`` (skipped)."""
    try:
        value, end = _scan(text, at)
    except RecursionError:
        return None, _end_of_value(text, at), False
    return value, end, True


def _walk(text: str) -> tuple[dict[str, Any], list[tuple[Any, str]] | None, int]:
    """The envelope's other keys, and the ``data`` list's items with their texts (an item
    nested too deeply to read is left out: the page's ``count`` then says one is missing)."""
    envelope: dict[str, Any] = {}
    records: list[tuple[Any, str]] | None = None
    dropped = 0
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
                            raise _Defer
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
                raise _Defer
            i = _skip(text, i + 1)
    if _skip(text, i) != len(text):
        raise _Defer
    return envelope, records, dropped


def _general(content: bytes) -> tuple[dict[str, Any], list[tuple[Any, str]] | None]:
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


# ----- the fast reading: msgspec decodes only the read fields, skipping the rest in C ---------
#
# The usual types only (a string, an int, null, an object where an object belongs); a record
# with anything else is read by ``slim_deployment`` above (one record, not its page), and a body
# msgspec will not read at all (not UTF-8, a byte order mark, NaN, a data list missing...) by the
# general reading below. Names: ``rename="camel"`` gives the models' aliases (tested).


class _Health(msgspec.Struct, gc=False):
    status: str | None = None
    message: str | None = None


class _Model(msgspec.Struct, rename="camel", gc=False):
    target_type: str | None = None
    deployed_at: str | None = None


class _Environment(msgspec.Struct, gc=False):
    platform: str | None = None


class _Tag(msgspec.Struct, gc=False):
    name: str | None = None
    value: str | None = None


class _Owner(msgspec.Struct, rename="camel", gc=False):
    id: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None


class _Owners(msgspec.Struct, gc=False):
    count: int | None = None
    preview: list[_Owner] | None = None


class _Usage(msgspec.Struct, rename="camel", gc=False):
    daily_rates: list[int | None] | None = None
    last_timestamp: str | None = None


class _Record(msgspec.Struct, rename="camel", gc=False):
    id: str | None = None
    label: str | None = None
    description: str | None = None
    status: str | None = None
    importance: str | None = None
    created_at: str | None = None
    model: _Model | None = None
    prediction_environment: _Environment | None = None
    service_health: _Health | None = None
    model_health: _Health | None = None
    accuracy_health: _Health | None = None
    tags: list[_Tag] | None = None
    owners: _Owners | None = None
    prediction_usage: _Usage | None = None


class _Envelope(msgspec.Struct, rename="camel", gc=False):
    data: list[msgspec.Raw]
    count: Any = None
    total_count: Any = None
    next: Any = None


_ENVELOPE = msgspec.json.Decoder(_Envelope)
_RECORD = msgspec.json.Decoder(_Record)


def _from_record(r: _Record, text: str) -> SlimDeployment:
    """``slim_deployment`` of a record msgspec read with the usual types (the same result)."""
    slim = SlimDeployment()
    slim.text = text
    slim.id = r.id
    slim.label = r.label
    slim.description = r.description
    slim.status = r.status
    slim.importance = r.importance
    slim.created_at = _datetime(r.created_at)
    model = r.model
    if model is not None:
        slim.target_type = model.target_type
        slim.deployed_at = _datetime(model.deployed_at)
    else:
        slim.target_type = slim.deployed_at = None
    env = r.prediction_environment
    slim.platform = env.platform if env is not None else None
    service, model_health, accuracy = r.service_health, r.model_health, r.accuracy_health
    s = service.status if service is not None else None
    m = model_health.status if model_health is not None else None
    a = accuracy.status if accuracy is not None else None
    slim.service_health = "notStarted" if s == "not_started" else s
    slim.model_health = "notStarted" if m == "not_started" else m
    slim.accuracy_health = "notStarted" if a == "not_started" else a
    slim.health_messages = (
        service.message if service is not None else None,
        model_health.message if model_health is not None else None,
        accuracy.message if accuracy is not None else None,
    )
    tags = r.tags
    slim.tags = tuple([(t.name, t.value) for t in tags]) if tags else ()
    owners = r.owners
    if owners is not None:
        slim.owners_count = owners.count
        preview = owners.preview
        slim.owners = (
            tuple([(o.id, o.first_name, o.last_name, o.email) for o in preview]) if preview else ()
        )
    else:
        slim.owners_count, slim.owners = None, ()
    usage = r.prediction_usage
    if usage is not None:
        rates = usage.daily_rates
        slim.daily_rates = (
            tuple([0 if n is None else n for n in rates]) if rates is not None else ()
        )
        slim.last_timestamp = _datetime(usage.last_timestamp)
    else:
        slim.daily_rates, slim.last_timestamp = (), None
    return slim


NOTHING_KNOWN: Mapping[str, Any] = {}
"""No text known: every record is read."""


def _fast_page(
    content: bytes, known: Mapping[str, Known] = NOTHING_KNOWN
) -> SlimPage[Known] | None:
    """The page read by msgspec, or None when only the general reading can read it."""
    try:
        envelope = _ENVELOPE.decode(content)
    except (msgspec.MsgspecError, RecursionError):  # a record nested deeper than it reads
        return None
    data: list[SlimDeployment | Known] = []
    for raw in envelope.data:
        text = bytes(raw).decode("utf-8")
        held = known.get(text) if known else None
        if held is not None:  # the very text read before: nothing to read again
            data.append(held)
            continue
        try:
            data.append(_from_record(_RECORD.decode(raw), text))
        except msgspec.MsgspecError:  # an unusual value: this record the lenient way
            try:
                item = json.loads(text)
            except (ValueError, RecursionError):
                return None
            if type(item) is dict:
                data.append(slim_deployment(item, text))
    return SlimPage(
        data,
        _int(envelope.count),
        _int(envelope.total_count),
        _str(envelope.next),
    )


@overload
def read_page(content: bytes) -> SlimPage[SlimDeployment]: ...
@overload
def read_page(content: bytes, known: Mapping[str, Known]) -> SlimPage[Known]: ...
def read_page(content: bytes, known: Mapping[str, Any] = NOTHING_KNOWN) -> SlimPage[Any]:
    """One page of ``GET /deployments/`` read slim; ``SlimPageError`` when it is not a page.

    ``known`` maps record texts the caller has already read (the last poll's, by its rows) to
    what it holds for them: a record whose text is there, byte for byte, is not decoded again
    and ``data`` holds the caller's object in its place (on a poll most of a fleet is
    unchanged: reading a record costs ~25 µs, looking its text up ~1 µs)."""
    fast = _fast_page(content, known)
    if fast is not None:
        return fast
    try:
        envelope, records, dropped = _walk(content.decode("utf-8"))
    except (_Defer, ValueError, IndexError, StopIteration, RecursionError):
        (envelope, records), dropped = _general(content), 0
    if records is None:
        raise SlimPageError(not_json=False)
    data = [
        held if (held := known.get(text)) is not None else slim_deployment(item, text)
        for item, text in records
        if type(item) is dict
    ]
    return SlimPage(
        data,
        _int(envelope.get("count")),
        _int(envelope.get("totalCount")),
        _str(envelope.get("next")),
        dropped=dropped,
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
