"""Every filter and ordering of ``GET /deployments/`` as one immutable value.

The UI builds a query from the user's filter choices and the client turns it into query
parameters; being frozen, a query can be kept, compared and reused across refreshes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
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

HEALTH_FILTER_VALUES: tuple[str, ...] = (
    "failing",
    "warning",
    "passing",
    "unknown",
    "unavailable",
    "notStarted",
    "not_started",
)
"""What a health filter may ask for (the reference's enum, in either spelling of not started)."""

MOVING_FILTERS: frozenset[str] = frozenset(
    {
        *_HEALTH_FILTERS,
        "lastPredictionTimestampStart",
        "lastPredictionTimestampEnd",
        "predictionUsageDailyAvgGreaterThan",
        "predictionUsageDailyAvgLessThan",
    }
)
"""Filters whose matches move while a listing is paged (health changes, traffic arrives): the
matched set can shrink between two page requests, and offsets over a shrinking set skip
deployments that still match. They are applied to the records here (`admits`), never sent."""


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
    def moves(self) -> bool:
        """Whether any filter whose matches move while a listing is paged is set (and readable:
        one that is not is left to the server, which says what is wrong with it)."""
        return self != self.steady()

    def steady(self) -> DeploymentQuery:
        """This query without the moving filters (`MOVING_FILTERS`): what may be sent to the
        server and paged by offset, since nothing a poll sees change can shrink its matches.
        A moving filter whose value cannot be read here stays, for the server to refuse."""
        moving = self._moving()
        changes: dict[str, Any] = {
            LIST_FILTERS.get(name) or SCALAR_FILTERS[name]: () if name in LIST_FILTERS else None
            for name in moving
        }
        return dataclasses.replace(self, **changes) if changes else self

    def check_moving(self) -> None:
        """Raise ValueError, one sentence, for the first moving filter whose value is not one
        the reference allows (a misspelt health, a date that is not a date)."""
        for name in sorted(MOVING_FILTERS):
            value = self._value(name)
            if value is None or value == ():
                continue
            if name in _HEALTH_FILTERS:
                bad = [v for v in value if _health_key(v) not in _HEALTH_KEYS]
                if bad:
                    raise ValueError(
                        f"{bad[0]!r} is not a health status a {name} filter knows; "
                        f"use one of {', '.join(HEALTH_FILTER_VALUES[:-1])}."
                    )
            elif name.startswith("lastPrediction"):
                _instant(name, value)
            else:
                _count(name, value)

    def _value(self, name: str) -> Any:
        return getattr(self, LIST_FILTERS.get(name) or SCALAR_FILTERS[name])

    def _moving(self) -> dict[str, Any]:
        """The moving filters set here whose values read, read: name -> value (per query, not
        per record: `admits` runs for every deployment of a listing)."""
        return _moving_filters(self)

    def _read_moving(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for name in MOVING_FILTERS:
            value = self._value(name)
            if value is None or value == ():
                continue
            try:
                if name in _HEALTH_FILTERS:
                    keys = {_health_key(v) for v in value}
                    if not keys <= _HEALTH_KEYS:
                        continue
                    found[name] = keys
                elif name.startswith("lastPrediction"):
                    found[name] = _instant(name, value)
                else:
                    found[name] = _count(name, value)
            except ValueError:
                continue
        return found

    def admits(
        self,
        health: Sequence[str | None],
        last_prediction: datetime | None,
        daily_rates: Sequence[int],
    ) -> bool:
        """Whether a deployment with this (service, model, accuracy) health, last prediction
        and week of daily prediction counts passes the moving filters, as the reference words
        them (the other filters are the server's)."""
        moving = self._moving()
        dimensions = ("serviceHealth", "modelHealth", "accuracyHealth")
        for name, status in zip(dimensions, health, strict=False):
            wanted = moving.get(name)
            if wanted is not None and _health_key(status or "") not in wanted:
                return False
        start = moving.get("lastPredictionTimestampStart")
        end = moving.get("lastPredictionTimestampEnd")
        if start is not None or end is not None:
            if last_prediction is None:
                return False
            moment = _aware(last_prediction)
            if start is not None and moment < start:  # "on or after"
                return False
            if end is not None and moment >= end:  # "before"
                return False
        above = moving.get("predictionUsageDailyAvgGreaterThan")
        below = moving.get("predictionUsageDailyAvgLessThan")
        if above is not None or below is not None:
            mean = sum(daily_rates) / len(daily_rates) if daily_rates else 0.0
            if above is not None and not mean > above:
                return False
            if below is not None and not mean < below:
                return False
        return True

    @property
    def is_empty(self) -> bool:
        """True when nothing is filtered, searched or ordered."""
        return self == DeploymentQuery()


@lru_cache(maxsize=32)
def _moving_filters(query: DeploymentQuery) -> dict[str, Any]:
    return query._read_moving()


def _health_key(status: str) -> str:
    """A health status folded for comparison: case and the underscore of not_started."""
    return status.replace("_", "").lower()


_HEALTH_KEYS = frozenset(_health_key(v) for v in HEALTH_FILTER_VALUES)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _instant(name: str, value: Any) -> datetime:
    """A timestamp filter's value as an aware datetime (UTC unless it names an offset)."""
    if isinstance(value, datetime):
        return _aware(value)
    text = str(value).strip()
    try:
        return _aware(datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00")))
    except ValueError:
        raise ValueError(
            f"{name} wants a date and time such as 2026-11-30T03:12:00Z, not {text[:40]!r}."
        ) from None


def _count(name: str, value: Any) -> int:
    """A prediction-count filter's value as an integer."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        raise ValueError(
            f"{name} wants a whole number of predictions, not {str(value)[:40]!r}."
        ) from None


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
