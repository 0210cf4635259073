"""The fast reading of a page: msgspec decodes only the fields the list path reads, skipping
the rest in C, into the same ``SlimDeployment`` the general reading makes."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import msgspec

from drtui.api.models.slim_general import (
    lenient_datetime,
    lenient_int,
    lenient_str,
    slim_deployment,
)
from drtui.api.models.slim_records import NOTHING_KNOWN, Known, SlimDeployment, SlimPage

# ----- the fast reading: msgspec decodes only the read fields, skipping the rest in C ---------
#
# The usual types only (a string, an int, null, an object where an object belongs); a record
# with anything else is read by ``slim_deployment`` (slim_general.py; one record, not its page),
# and a body msgspec will not read at all (not UTF-8, a byte order mark, NaN, a data list
# missing...) by the general reading. Names: ``rename="camel"`` gives the models' aliases
# (tested).


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
    slim.created_at = lenient_datetime(r.created_at)
    model = r.model
    if model is not None:
        slim.target_type = model.target_type
        slim.deployed_at = lenient_datetime(model.deployed_at)
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
        slim.last_timestamp = lenient_datetime(usage.last_timestamp)
    else:
        slim.daily_rates, slim.last_timestamp = (), None
    return slim


def fast_page(content: bytes, known: Mapping[str, Known] = NOTHING_KNOWN) -> SlimPage[Known] | None:
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
        lenient_int(envelope.count),
        lenient_int(envelope.total_count),
        lenient_str(envelope.next),
    )
