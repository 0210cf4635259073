"""A deployment as one table row: flat, sanitised, cheap to filter and to draw.

Built once per refresh per deployment; everything a keystroke or a repaint needs is precomputed
here (display strings, the lowercase search haystack, ranks), so narrowing 10,000 rows is a
substring test per row and drawing a row is string padding.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import msgspec

from drtui.api.models.slim_records import SlimDeployment, full_deployment
from drtui.core.formatting import as_utc, compact_number, sparkline
from drtui.core.health import severity
from drtui.core.sanitize import clean

if TYPE_CHECKING:
    from drtui.api.models import Deployment, HealthSummary

IMPORTANCE_RANK = {"CRITICAL": 0, "HIGH": 1, "MODERATE": 2, "LOW": 3}
"""Lower is more important; a value we do not know ranks after LOW."""


class Row(msgspec.Struct, frozen=True, gc=False):
    """What the table shows of one deployment, plus where it came from for the detail pane.

    A row of the list path keeps its record's JSON text (`origin`): the full `Deployment` is
    validated from that text only when `source` is read (the detail pane, an edit), so a fleet
    is plain strings and tuples.

    A row is a frozen msgspec struct the garbage collector does not track (`gc=False`): it
    holds strings, tuples, datetimes and its origin, none of which refers back to a row, so it
    can be in no reference cycle, and a full collection at 10,000 deployments does not visit
    10,000 rows and their fields. Equality and hash are
    those of what the row shows (`content`), not of `origin`. `replace` makes a changed copy.
    """

    id: str
    label: str
    status: str
    importance: str
    target_type: str
    platform: str
    tags: str
    owner: str
    health: tuple[str, str, str]
    """Service, model, accuracy status strings (sanitised, verbatim if unknown)."""
    daily_rates: tuple[int, ...]
    last_prediction: datetime | None
    created_at: datetime | None
    deployed_at: datetime | None
    haystack: str
    """Lowercase label and description, for client-side narrowing."""
    origin: str | SlimDeployment | Deployment
    """What this row was read from: the record's JSON text (the app's fleet: one string, so
    the collector has little to visit), the slim record (`drtui deployments` reads its tags,
    owners and messages), or the full model (a write's result)."""

    def content(self) -> tuple[object, ...]:
        """Every field but `origin`: what the row shows, what equality and hash compare."""
        return (
            self.id,
            self.label,
            self.status,
            self.importance,
            self.target_type,
            self.platform,
            self.tags,
            self.owner,
            self.health,
            self.daily_rates,
            self.last_prediction,
            self.created_at,
            self.deployed_at,
            self.haystack,
        )

    def __eq__(self, other: object) -> bool:
        if type(other) is not Row:
            return NotImplemented
        return self.content() == other.content()

    def __hash__(self) -> int:
        return hash(self.content())

    def __repr__(self) -> str:
        return f"Row(id={self.id!r}, label={self.label!r}, health={self.health!r})"

    def replace(self, **changes: Any) -> Row:
        """A copy with `changes` (the struct's `dataclasses.replace`)."""
        return msgspec.structs.replace(self, **changes)

    @property
    def source(self) -> Deployment:
        """The full deployment (parsed on demand from the kept text, cached for a few rows)."""
        origin = self.origin
        if isinstance(origin, str):
            return full_deployment(origin)
        return origin.full if isinstance(origin, SlimDeployment) else origin

    @property
    def text(self) -> str | None:
        """The record's JSON text as the server sent it (None for a row made from a model)."""
        origin = self.origin
        if isinstance(origin, str):
            return origin
        return origin.text if isinstance(origin, SlimDeployment) else None

    def same_record(self, other: Row) -> bool:
        """Whether both rows were read from the same record (any field, shown or not)."""
        mine, theirs = self.text, other.text
        if mine is not None and theirs is not None:
            return mine == theirs
        return self.source == other.source

    @property
    def spark(self) -> str:
        return sparkline(self.daily_rates)

    @property
    def total(self) -> str:
        return compact_number(sum(self.daily_rates))

    @property
    def worst(self) -> int:
        return min(severity(s) for s in self.health)

    @property
    def importance_rank(self) -> int:
        return IMPORTANCE_RANK.get(self.importance.upper(), len(IMPORTANCE_RANK))


def row_id(raw: object) -> str:
    """A deployment's id as its row holds it (sanitised, bounded): the key of every fleet."""
    return clean(raw, limit=100)


def _status(summary: HealthSummary | None) -> str:
    return clean(summary.status if summary is not None else None, limit=40)


def owner_name(deployment: Deployment) -> str:
    """First owner's name, else email, plus '+N' when there are more."""
    owners = deployment.owners
    if owners is None or not owners.preview:
        return ""
    first = owners.preview[0]
    name = " ".join(p for p in (first.first_name, first.last_name) if p) or first.email or ""
    extra = (owners.count or len(owners.preview)) - 1
    return clean(name, limit=60) + (f" +{extra}" if extra > 0 else "")


def row_from_deployment(deployment: Deployment) -> Row:
    """The row for one deployment; never raises on missing or odd fields."""
    model = deployment.model
    env = deployment.prediction_environment
    usage = deployment.prediction_usage
    tags = ", ".join(
        f"{clean(t.name, limit=50)}={clean(t.value, limit=50)}" for t in deployment.tags
    )
    health = (
        _status(deployment.service_health),
        _status(deployment.model_health),
        _status(deployment.accuracy_health),
    )
    label = clean(deployment.label, limit=512) or "(no label)"
    key = row_id(deployment.id)
    owner = owner_name(deployment)
    status = clean(deployment.status, limit=40)
    importance = clean(deployment.importance, limit=40)
    target_type = clean(model.target_type if model else None, limit=40)
    platform = clean(env.platform if env else None, limit=40)
    # What the API's `search` matches (label and description), so preview and server agree.
    haystack = f"{label}\n{clean(deployment.description, limit=2000)}".lower()
    return Row(
        id=key,
        label=label,
        status=status,
        importance=importance,
        target_type=target_type,
        platform=platform,
        tags=tags,
        owner=owner,
        health=health,
        daily_rates=tuple(max(0, int(r)) for r in (usage.daily_rates if usage else [])),
        last_prediction=as_utc(usage.last_timestamp) if usage else None,
        created_at=as_utc(deployment.created_at),
        deployed_at=as_utc(model.deployed_at) if model else None,
        haystack=haystack,
        origin=deployment,
    )


def _tag_text(pair: tuple[str | None, str | None]) -> str:
    return f"{clean(pair[0], limit=50)}={clean(pair[1], limit=50)}"


def row_from_slim(slim: SlimDeployment, *, keep_slim: bool = True) -> Row:
    """The row for one slim record: the same row `row_from_deployment` makes of its full model.

    Without `keep_slim` the row keeps only the record's text (the app's fleet).
    """
    owners = slim.owners
    owner = ""
    if owners:
        _, first_name, last_name, email = owners[0]
        name = " ".join(p for p in (first_name, last_name) if p) or email or ""
        extra = (slim.owners_count or len(owners)) - 1
        owner = clean(name, limit=60) + (f" +{extra}" if extra > 0 else "")
    label = clean(slim.label, limit=512) or "(no label)"
    usage = slim.daily_rates
    last = slim.last_timestamp
    created = slim.created_at
    deployed = slim.deployed_at
    return Row(
        id=row_id(slim.id),
        label=label,
        status=clean(slim.status, limit=40),
        importance=clean(slim.importance, limit=40),
        target_type=clean(slim.target_type, limit=40),
        platform=clean(slim.platform, limit=40),
        tags=", ".join([_tag_text(pair) for pair in slim.tags]) if slim.tags else "",
        owner=owner,
        health=(
            clean(slim.service_health, limit=40),
            clean(slim.model_health, limit=40),
            clean(slim.accuracy_health, limit=40),
        ),
        daily_rates=usage if all(r >= 0 for r in usage) else tuple(max(0, r) for r in usage),
        last_prediction=as_utc(last) if last is not None else None,
        created_at=as_utc(created) if created is not None else None,
        deployed_at=as_utc(deployed) if deployed is not None else None,
        # What the API's `search` matches (label and description), so preview and server agree.
        haystack=f"{label}\n{clean(slim.description, limit=2000)}".lower(),
        origin=slim if keep_slim else slim.text,
    )


def row_of(record: SlimDeployment | Deployment, *, keep_slim: bool = True) -> Row:
    """The row of a slim record or of a full model."""
    if isinstance(record, SlimDeployment):
        return row_from_slim(record, keep_slim=keep_slim)
    return row_from_deployment(record)
