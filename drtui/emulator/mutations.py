"""Validation of request bodies that change deployments, and the shape of a new deployment."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from drtui.emulator.clock import iso
from drtui.emulator.filters import IMPORTANCE_VALUES
from drtui.emulator.fleet import (
    EXTRA_HEALTH_DIMENSIONS,
    HEALTH_DIMENSIONS,
    Catalog,
    DeploymentRecord,
    health,
    make_deployment,
)
from drtui.emulator.responses import ApiError, validation_error
from drtui.emulator.users import OWNER, USER_ROLE, Account

LABEL_MAX = 512
DESCRIPTION_MAX = 10000


def _body_object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise ApiError(422, "The request body must be a JSON object")
    return body


def _text(body: dict[str, Any], name: str, limit: int, nullable: bool) -> str | None:
    value = body[name]
    if value is None and nullable:
        return None
    if not isinstance(value, str):
        raise validation_error(name, "must be a string")
    if len(value) > limit:
        raise validation_error(name, f"must be at most {limit} characters")
    return value


def _importance(body: dict[str, Any]) -> str | None:
    value = body.get("importance")
    if value is None:
        return None
    if value not in IMPORTANCE_VALUES:
        raise validation_error(
            "importance", f"invalid value {value!r}; expected one of {', '.join(IMPORTANCE_VALUES)}"
        )
    return str(value)


def deployment_update(body: Any) -> dict[str, Any]:
    """The doc changes a PATCH asks for: label, description, importance (all optional)."""
    body = _body_object(body)
    unknown = set(body) - {"label", "description", "importance"}
    if unknown:
        name = sorted(unknown)[0]
        raise validation_error(name, "is not an editable field")
    changes: dict[str, Any] = {}
    if "label" in body and body["label"] is not None:
        label = _text(body, "label", LABEL_MAX, nullable=False)
        if not label or not label.strip():
            raise validation_error("label", "must not be empty")
        changes["label"] = label
    if "description" in body:
        changes["description"] = _text(body, "description", DESCRIPTION_MAX, nullable=True)
    importance = _importance(body)
    if importance is not None:
        changes["importance"] = importance
    return changes


def deployment_create(body: Any, server_ids: set[str]) -> dict[str, Any]:
    """Validated fields of POST /deployments/fromLearningModel/."""
    body = _body_object(body)
    for name in ("label", "modelId"):
        if not isinstance(body.get(name), str) or not body[name].strip():
            raise validation_error(name, "is required")
    # `description` is nullable and may be left out: the official client drops None values.
    description = (
        _text(body, "description", DESCRIPTION_MAX, nullable=True)
        if "description" in body
        else None
    )
    fields: dict[str, Any] = {
        "label": _text(body, "label", LABEL_MAX, nullable=False),
        "modelId": body["modelId"],
        "description": description,
        "importance": _importance(body) or "LOW",
    }
    status = body.get("status")
    if status not in (None, "active", "inactive"):
        raise validation_error("status", "must be active or inactive")
    fields["status"] = status
    server_id = body.get("defaultPredictionServerId")
    if server_id is not None and server_id not in server_ids:
        raise validation_error(
            "defaultPredictionServerId", f"unknown prediction server {server_id!r}"
        )
    fields["defaultPredictionServerId"] = server_id
    threshold = body.get("predictionThreshold")
    if threshold is not None and (
        isinstance(threshold, bool)
        or not isinstance(threshold, int | float)
        or not 0 <= threshold <= 1
    ):
        raise validation_error("predictionThreshold", "must be a number between 0 and 1")
    return fields


def new_deployment(
    rng: random.Random, now: datetime, catalog: Catalog, fields: dict[str, Any], creator: Account
) -> DeploymentRecord:
    """A freshly created deployment: `launching`, no traffic yet, health not started."""
    record = make_deployment(rng, now, catalog)
    doc = record.doc
    doc.update(
        label=fields["label"],
        description=fields["description"],
        importance=fields["importance"],
        status="launching",
        hasError=False,
        createdAt=iso(now),
        creator=creator.as_owner(),
        owners={"count": 1, "preview": [creator.as_owner()]},
        predictionUsage={"dailyRates": [0] * 7, "lastTimestamp": None},
        openedChangeRequests=[],
    )
    doc["model"] = {**doc["model"], "id": fields["modelId"], "deployedAt": iso(now)}
    server_id = fields.get("defaultPredictionServerId")
    if server_id is not None:
        doc["defaultPredictionServer"] = next(s for s in catalog.servers if s["id"] == server_id)
    for dimension in HEALTH_DIMENSIONS + EXTRA_HEALTH_DIMENSIONS:
        doc[dimension] = health(
            "notStarted" if dimension != "serviceHealth" else "unknown", "", now
        )
    record.user_role = USER_ROLE if creator.is_admin else OWNER
    record.creator_id = creator.id
    record.creator_email = creator.email
    record.last_prediction = None
    return record
