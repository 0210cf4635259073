"""Every filter and ordering of ``GET /deployments/`` as one immutable value.

The UI builds a query from the user's filter choices and the client turns it into query
parameters; being frozen, a query can be kept, compared and reused across refreshes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from drtui.api.models.enums import HealthStatus

ORDER_BY_FIELDS: tuple[str, ...] = (
    "label",
    "serviceHealth",
    "modelHealth",
    "accuracyHealth",
    "recentPredictions",
    "lastPredictionTimestamp",
    "currentModelDeployedTimestamp",
    "createdAtTimestamp",
    "importance",
    "fairnessHealth",
    "customMetricsHealth",
    "actualsTimelinessHealth",
    "predictionsTimelinessHealth",
)
STABLE_ORDER = "label"
"""An order traffic cannot move (the server breaks ties by id): how whole lists are paged."""
ORDER_BY_VALUES: frozenset[str] = frozenset(
    value for name in ORDER_BY_FIELDS for value in (name, f"-{name}")
)
"""Every ``orderBy`` the reference allows; a leading ``-`` is descending."""

LIST_FILTERS: dict[str, str] = {
    "serviceHealth": "service_health",
    "modelHealth": "model_health",
    "accuracyHealth": "accuracy_health",
    "status": "status",
    "importance": "importance",
    "defaultPredictionServerId": "default_prediction_server_id",
    "buildEnvironmentType": "build_environment_type",
    "executionEnvironmentType": "execution_environment_type",
    "predictionEnvironmentPlatform": "prediction_environment_platform",
    "tagKeys": "tag_keys",
    "tagValues": "tag_values",
}
"""Filters that take several values: API name -> attribute."""

SCALAR_FILTERS: dict[str, str] = {
    "search": "search",
    "role": "role",
    "createdByMe": "created_by_me",
    "createdBy": "created_by",
    "championModelExecutionType": "champion_model_execution_type",
    "championModelTargetType": "champion_model_target_type",
    "lastPredictionTimestampStart": "last_prediction_timestamp_start",
    "lastPredictionTimestampEnd": "last_prediction_timestamp_end",
    "predictionUsageDailyAvgGreaterThan": "prediction_usage_daily_avg_greater_than",
    "predictionUsageDailyAvgLessThan": "prediction_usage_daily_avg_less_than",
    "orderBy": "order_by",
}
"""Filters that take one value: API name -> attribute."""

FILTER_NAMES: frozenset[str] = frozenset(LIST_FILTERS) | frozenset(SCALAR_FILTERS)

_COMMA_JOINED = frozenset(
    {"serviceHealth", "modelHealth", "accuracyHealth", "importance", "executionEnvironmentType"}
)
"""Sent comma-joined in one parameter, as the official Python client does (proven on real
servers); the other list filters are sent as repeated parameters."""

_HEALTH_FILTERS = frozenset({"serviceHealth", "modelHealth", "accuracyHealth"})


def _health_filter_value(value: str) -> str:
    """Filters spell it ``not_started`` (the responses say ``notStarted``)."""
    return HealthStatus.NOT_STARTED.filter_value if value == HealthStatus.NOT_STARTED else value


@dataclass(frozen=True, slots=True)
class DeploymentQuery:
    """Filters, search and ordering for the deployments list; empty means "everything"."""

    search: str | None = None
    order_by: str | None = None
    service_health: tuple[str, ...] = ()
    model_health: tuple[str, ...] = ()
    accuracy_health: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    importance: tuple[str, ...] = ()
    role: str | None = None
    tag_keys: tuple[str, ...] = ()
    tag_values: tuple[str, ...] = ()
    default_prediction_server_id: tuple[str, ...] = ()
    build_environment_type: tuple[str, ...] = ()
    execution_environment_type: tuple[str, ...] = ()
    prediction_environment_platform: tuple[str, ...] = ()
    created_by_me: bool | None = None
    created_by: str | None = None
    champion_model_execution_type: str | None = None
    champion_model_target_type: str | None = None
    last_prediction_timestamp_start: datetime | None = None
    last_prediction_timestamp_end: datetime | None = None
    prediction_usage_daily_avg_greater_than: int | None = None
    prediction_usage_daily_avg_less_than: int | None = None

    def __post_init__(self) -> None:
        if self.order_by is not None and self.order_by not in ORDER_BY_VALUES:
            raise ValueError(
                f"orderBy {self.order_by!r} is not one the API knows; "
                f"use one of {', '.join(sorted(ORDER_BY_VALUES))}."
            )
        for attribute in LIST_FILTERS.values():
            value = getattr(self, attribute)
            if isinstance(value, str) or not isinstance(value, tuple):
                object.__setattr__(self, attribute, _as_tuple(value))

    def with_filter(self, name: str, value: Any) -> DeploymentQuery:
        """A copy with the filter named as in the API (``"serviceHealth"``) set to ``value``.

        A list filter takes an iterable of values (or one string); ``None`` or an empty
        iterable clears the filter.
        """
        if name in LIST_FILTERS:
            changes: dict[str, Any] = {LIST_FILTERS[name]: _as_tuple(value)}
            return dataclasses.replace(self, **changes)
        if name in SCALAR_FILTERS:
            changes = {SCALAR_FILTERS[name]: value}
            return dataclasses.replace(self, **changes)
        raise ValueError(
            f"{name!r} is not a filter of GET /deployments/; "
            f"known filters: {', '.join(sorted(FILTER_NAMES))}."
        )

    def to_params(self) -> list[tuple[str, str]]:
        """Query parameters in the API's spelling (without offset/limit)."""
        params: list[tuple[str, str]] = []
        for name, attribute in LIST_FILTERS.items():
            values: tuple[str, ...] = getattr(self, attribute)
            if not values:
                continue
            if name in _HEALTH_FILTERS:
                values = tuple(_health_filter_value(v) for v in values)
            if name in _COMMA_JOINED:
                params.append((name, ",".join(values)))
            else:
                params.extend((name, v) for v in values)
        for name, attribute in SCALAR_FILTERS.items():
            scalar = getattr(self, attribute)
            if scalar is not None:
                params.append((name, _scalar_text(scalar)))
        return params

    @property
    def is_empty(self) -> bool:
        """True when nothing is filtered, searched or ordered."""
        return self == DeploymentQuery()


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Iterable):
        return tuple(str(v) for v in value)
    return (str(value),)


def _scalar_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)
