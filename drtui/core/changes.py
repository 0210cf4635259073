"""What the write dialogs check before anything is sent, and what they send.

Pure functions, so the limits the user sees while typing are the limits the tests check:
label required and at most 512 characters, description at most 10,000 (and may be cleared to
null), importance one of four, a prediction threshold between 0 and 1. A PATCH carries only the
fields that changed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

LABEL_MAX = 512
DESCRIPTION_MAX = 10_000
IMPORTANCES: tuple[str, ...] = ("CRITICAL", "HIGH", "MODERATE", "LOW")
STATUSES: tuple[str, ...] = ("active", "inactive")


class Invalid(ValueError):
    """A value the form cannot send; `str()` is the sentence shown under the form."""


def label_problem(label: str) -> str | None:
    if not label.strip():
        return "The label is required."
    if len(label) > LABEL_MAX:
        return f"The label is {len(label):,} characters long; at most {LABEL_MAX} are allowed."
    return None


def description_problem(description: str) -> str | None:
    if len(description) > DESCRIPTION_MAX:
        return (
            f"The description is {len(description):,} characters long; at most "
            f"{DESCRIPTION_MAX:,} are allowed."
        )
    return None


def importance_problem(importance: str | None) -> str | None:
    if importance not in IMPORTANCES:
        return f"Choose an importance: {', '.join(IMPORTANCES)}."
    return None


def edit_changes(
    before: tuple[str | None, str | None, str | None],
    label: str,
    description: str,
    importance: str | None,
) -> dict[str, str | None]:
    """The PATCH body: only changed fields. `before` is (label, description, importance).

    An emptied description becomes null (cleared); an empty one that was already empty or null
    is no change. Raises Invalid with the first problem.
    """
    for problem in (
        label_problem(label),
        description_problem(description),
        importance_problem(importance),
    ):
        if problem:
            raise Invalid(problem)
    old_label, old_description, old_importance = before
    changes: dict[str, str | None] = {}
    if label != (old_label or ""):
        changes["label"] = label
    new_description = description if description else None
    if (new_description or None) != (old_description or None):
        changes["description"] = new_description
    if importance != (old_importance or "").upper():
        changes["importance"] = importance
    return changes


def parse_threshold(text: str) -> float | None:
    """'' → None (the server's default); otherwise a number in 0..1."""
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise Invalid(f"The prediction threshold {text!r} is not a number.") from None
    if math.isnan(value) or not 0.0 <= value <= 1.0:
        raise Invalid("The prediction threshold must be between 0 and 1.")
    return value


@dataclass(frozen=True, slots=True)
class NewDeployment:
    """POST /deployments/fromLearningModel/, validated."""

    model_id: str
    label: str
    description: str | None = None
    importance: str | None = None
    prediction_threshold: float | None = None
    status: str | None = None
    default_prediction_server_id: str | None = None
    grant_roles_from_project: bool = False

    def audit_details(self) -> dict[str, Any]:
        return {
            "modelId": self.model_id,
            "label": self.label,
            "description": self.description,
            "importance": self.importance,
            "predictionThreshold": self.prediction_threshold,
            "status": self.status,
            "defaultPredictionServerId": self.default_prediction_server_id,
            "grantInitialDeploymentRolesFromProject": self.grant_roles_from_project,
        }


def new_deployment(
    *,
    model_id: str,
    label: str,
    description: str,
    importance: str | None,
    threshold: str,
    status: str | None,
    server_id: str,
    grant_roles: bool,
) -> NewDeployment:
    """The create form's values checked; raises Invalid with the first problem."""
    model = model_id.strip()
    if not model:
        raise Invalid("The model id is required.")
    for problem in (
        label_problem(label),
        description_problem(description),
        importance_problem(importance),
    ):
        if problem:
            raise Invalid(problem)
    if status not in STATUSES:
        raise Invalid("Choose a status: active or inactive.")
    return NewDeployment(
        model_id=model,
        label=label,
        description=description or None,
        importance=importance,
        prediction_threshold=parse_threshold(threshold),
        status=status,
        default_prediction_server_id=server_id.strip() or None,
        grant_roles_from_project=grant_roles,
    )
