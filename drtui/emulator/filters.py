"""GET /deployments/ query semantics: every filter and orderBy value of the reference.

Parsing yields a hashable `DeploymentQuery` (so its results can be cached, see selections.py)
whose `matches` decides membership. Arrays arrive comma-joined or repeated; both are accepted, as
are `not_started` and `notStarted`. Ordering ties are broken by id ascending in both directions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from starlette.datastructures import QueryParams

from drtui.emulator.fleet import DeploymentRecord
from drtui.emulator.responses import validation_error
from drtui.emulator.users import OWNER, USER_ROLE

HEALTH_VALUES = (
    "failing",
    "not_started",
    "notStarted",
    "passing",
    "unavailable",
    "unknown",
    "warning",
)
STATUS_VALUES = (
    "active",
    "archived",
    "errored",
    "inactive",
    "launching",
    "replacingModel",
    "stopping",
)
IMPORTANCE_VALUES = ("CRITICAL", "HIGH", "MODERATE", "LOW")
BUILD_ENVIRONMENT_VALUES = ("DataRobot", "Python", "R", "Java", "Julia", "Legacy", "Other")
EXECUTION_ENVIRONMENT_VALUES = ("datarobot", "external")
PLATFORM_VALUES = (
    "aws", "gcp", "azure", "onPremise", "datarobot", "datarobotServerless", "openShift", "other",
    "snowflake", "sapAiCore",
)  # fmt: skip
EXECUTION_TYPE_VALUES = ("custom_inference_model", "external", "dedicated")
BOOLEAN_VALUES = {"true": True, "True": True, "false": False, "False": False}

HEALTH_RANK = {
    "failing": 0,
    "warning": 1,
    "passing": 2,
    "unknown": 3,
    "unavailable": 4,
    "notStarted": 5,
}
IMPORTANCE_RANK = {value: rank for rank, value in enumerate(IMPORTANCE_VALUES)}

_HEALTH_ORDER_FIELDS = (
    "serviceHealth", "modelHealth", "accuracyHealth", "fairnessHealth", "customMetricsHealth",
    "actualsTimelinessHealth", "predictionsTimelinessHealth",
)  # fmt: skip


def _health_key(field: str) -> Callable[[DeploymentRecord], Any]:
    def key(record: DeploymentRecord) -> int:
        value = record.doc.get(field) or {}
        return HEALTH_RANK.get(str(value.get("status")), len(HEALTH_RANK))

    return key


SORT_KEYS: dict[str, Callable[[DeploymentRecord], Any]] = {
    "label": lambda r: (r.doc["label"] or "").lower(),
    "recentPredictions": lambda r: sum(r.doc["predictionUsage"]["dailyRates"]),
    "lastPredictionTimestamp": lambda r: r.last_prediction or float("-inf"),
    "currentModelDeployedTimestamp": lambda r: r.doc["model"].get("deployedAt") or "",
    "createdAtTimestamp": lambda r: r.doc.get("createdAt") or "",
    "importance": lambda r: IMPORTANCE_RANK.get(str(r.doc.get("importance")), len(IMPORTANCE_RANK)),
    **{field: _health_key(field) for field in _HEALTH_ORDER_FIELDS},
}
ORDER_VALUES = tuple(v for name in SORT_KEYS for v in (name, f"-{name}"))
DEFAULT_ORDER = "-lastPredictionTimestamp"


def parse_order(params: QueryParams) -> str:
    order = params.get("orderBy") or DEFAULT_ORDER
    if order not in ORDER_VALUES:
        raise validation_error("orderBy", f"invalid value {order!r}")
    return order


def _values(params: QueryParams, name: str) -> list[str]:
    """Every value of an array parameter, whether comma-joined, repeated, or both."""
    return [part.strip() for raw in params.getlist(name) for part in raw.split(",") if part.strip()]


def _enum_set(params: QueryParams, name: str, allowed: tuple[str, ...]) -> frozenset[str] | None:
    values = _values(params, name)
    if not values:
        return None
    for value in values:
        if value not in allowed:
            raise validation_error(
                name, f"invalid value {value!r}; expected one of {', '.join(allowed)}"
            )
    return frozenset("notStarted" if v == "not_started" else v for v in values)


def _timestamp(params: QueryParams, name: str) -> float | None:
    raw = params.get(name)
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00").replace(" ", "+"))
    except ValueError:
        raise validation_error(name, f"invalid date-time {raw!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def _number(params: QueryParams, name: str) -> float | None:
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    try:
        return float(raw)
    except ValueError:
        raise validation_error(name, f"value {raw!r} is not a number") from None


def _boolean(params: QueryParams, name: str) -> bool | None:
    raw = params.get(name)
    if raw is None:
        return None
    if raw not in BOOLEAN_VALUES:
        raise validation_error(name, f"invalid value {raw!r}; expected true or false")
    return BOOLEAN_VALUES[raw]


@dataclass(frozen=True, slots=True)
class DeploymentQuery:
    """The filters of one list request, normalised; equal queries give equal results."""

    search: str | None = None
    service_health: frozenset[str] | None = None
    model_health: frozenset[str] | None = None
    accuracy_health: frozenset[str] | None = None
    role: str | None = None
    status: frozenset[str] | None = None
    importance: frozenset[str] | None = None
    last_prediction_start: float | None = None
    last_prediction_end: float | None = None
    usage_above: float | None = None
    usage_below: float | None = None
    prediction_server_ids: frozenset[str] | None = None
    build_environments: frozenset[str] | None = None
    execution_environments: frozenset[str] | None = None
    platforms: frozenset[str] | None = None
    created_by_me: bool | None = None
    created_by: str | None = None
    execution_types: frozenset[str] | None = None
    target_types: frozenset[str] | None = None
    tag_keys: frozenset[str] | None = None
    tag_values: frozenset[str] | None = None

    @classmethod
    def from_params(cls, params: QueryParams) -> DeploymentQuery:
        role = params.get("role") or None
        if role is not None and role not in (OWNER, USER_ROLE):
            raise validation_error("role", f"invalid value {role!r}; expected OWNER or USER")
        server_ids = frozenset(_values(params, "defaultPredictionServerId")) or None
        target_types = frozenset(_values(params, "championModelTargetType")) or None
        return cls(
            search=(params.get("search") or "").strip().lower() or None,
            service_health=_enum_set(params, "serviceHealth", HEALTH_VALUES),
            model_health=_enum_set(params, "modelHealth", HEALTH_VALUES),
            accuracy_health=_enum_set(params, "accuracyHealth", HEALTH_VALUES),
            role=role,
            status=_enum_set(params, "status", STATUS_VALUES),
            importance=_enum_set(params, "importance", IMPORTANCE_VALUES),
            last_prediction_start=_timestamp(params, "lastPredictionTimestampStart"),
            last_prediction_end=_timestamp(params, "lastPredictionTimestampEnd"),
            usage_above=_number(params, "predictionUsageDailyAvgGreaterThan"),
            usage_below=_number(params, "predictionUsageDailyAvgLessThan"),
            prediction_server_ids=server_ids,
            build_environments=_enum_set(params, "buildEnvironmentType", BUILD_ENVIRONMENT_VALUES),
            execution_environments=_enum_set(
                params, "executionEnvironmentType", EXECUTION_ENVIRONMENT_VALUES
            ),
            platforms=_enum_set(params, "predictionEnvironmentPlatform", PLATFORM_VALUES),
            created_by_me=_boolean(params, "createdByMe"),
            created_by=params.get("createdBy") or None,
            execution_types=_enum_set(params, "championModelExecutionType", EXECUTION_TYPE_VALUES),
            target_types=target_types,
            tag_keys=frozenset(_values(params, "tagKeys")) or None,
            tag_values=frozenset(_values(params, "tagValues")) or None,
        )

    def is_empty(self) -> bool:
        return self == _NO_FILTER

    @property
    def uses_traffic(self) -> bool:
        """Whether prediction times or counts decide membership (they move with every request)."""
        return not (
            self.last_prediction_start is None
            and self.last_prediction_end is None
            and self.usage_above is None
            and self.usage_below is None
        )

    def matches(self, record: DeploymentRecord, role: str, account_id: str) -> bool:
        """Whether `record` passes every filter for the account holding `role` on it."""
        doc = record.doc
        if self.search is not None and not (
            self.search in (doc["label"] or "").lower()
            or self.search in (doc["description"] or "").lower()
        ):
            return False
        for wanted, field in (
            (self.service_health, "serviceHealth"),
            (self.model_health, "modelHealth"),
            (self.accuracy_health, "accuracyHealth"),
        ):
            if wanted is not None and doc[field]["status"] not in wanted:
                return False
        if self.role is not None and role != self.role:
            return False
        if self.status is not None and doc.get("status") not in self.status:
            return False
        if self.importance is not None and doc.get("importance") not in self.importance:
            return False
        if not self._matches_usage(record):
            return False
        if not self._matches_environment(record):
            return False
        if (
            self.created_by_me is not None
            and (record.creator_id == account_id) != self.created_by_me
        ):
            return False
        if self.created_by is not None and self.created_by not in (
            record.creator_id,
            record.creator_email,
        ):
            return False
        return self._matches_tags(doc.get("tags") or [])

    def _matches_usage(self, record: DeploymentRecord) -> bool:
        last = record.last_prediction
        if self.last_prediction_start is not None and (
            last is None or last < self.last_prediction_start
        ):
            return False
        if self.last_prediction_end is not None and (
            last is None or last >= self.last_prediction_end
        ):
            return False
        if self.usage_above is None and self.usage_below is None:
            return True
        rates = record.doc["predictionUsage"]["dailyRates"]
        mean = sum(rates) / len(rates) if rates else 0.0
        if self.usage_above is not None and not mean > self.usage_above:
            return False
        return self.usage_below is None or mean < self.usage_below

    def _matches_environment(self, record: DeploymentRecord) -> bool:
        doc = record.doc
        model = doc["model"]
        checks: tuple[tuple[frozenset[str] | None, Any], ...] = (
            (self.prediction_server_ids, (doc.get("defaultPredictionServer") or {}).get("id")),
            (self.build_environments, model.get("buildEnvironmentType")),
            (self.execution_environments, record.execution_environment_type),
            (self.platforms, (doc.get("predictionEnvironment") or {}).get("platform")),
            (self.execution_types, record.champion_execution_type),
            (self.target_types, model.get("targetType")),
        )
        return all(wanted is None or actual in wanted for wanted, actual in checks)

    def _matches_tags(self, tags: list[dict[str, str]]) -> bool:
        if self.tag_keys is not None and not any(t["name"] in self.tag_keys for t in tags):
            return False
        return self.tag_values is None or any(t["value"] in self.tag_values for t in tags)


_NO_FILTER = DeploymentQuery()
