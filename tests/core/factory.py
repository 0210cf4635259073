"""Deployments as the server sends them, with only what a test cares about spelled out."""

from __future__ import annotations

from typing import Any

from drtui.api.models import Deployment


def deployment(
    id: str = "d1",
    *,
    label: str = "churn model",
    service: str = "passing",
    model: str = "passing",
    accuracy: str = "passing",
    importance: str = "LOW",
    **extra: Any,
) -> Deployment:
    body: dict[str, Any] = {
        "id": id,
        "label": label,
        "status": "active",
        "importance": importance,
        "serviceHealth": {"status": service},
        "modelHealth": {"status": model, "message": "ok"},
        "accuracyHealth": {"status": accuracy},
        "model": {"targetType": "Binary", "type": "XGBoost"},
        "predictionEnvironment": {"platform": "aws", "name": "prod"},
        "predictionUsage": {
            "dailyRates": [1, 2, 3, 4, 5, 6, 7],
            "lastTimestamp": "2026-11-23T10:00:00Z",
        },
        "owners": {"count": 2, "preview": [{"firstName": "Ada", "lastName": "L", "email": "a@x"}]},
        "tags": [{"name": "team", "value": "risk"}],
    }
    body.update(extra)
    return Deployment.model_validate(body)
