"""A deployment as ``GET /deployments/`` and ``GET /deployments/{id}/`` describe it.

Every field is optional: the reference's "required" marks are not kept by older installations.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

from drtui.api.models.base import ApiModel
from drtui.api.models.enums import normalise_health
from drtui.api.models.lenient import (
    Count,
    LBool,
    LDatetime,
    LInt,
    LList,
    LOpt,
    LStr,
    OrDefault,
)

HealthStr = Annotated[str | None, AfterValidator(normalise_health), OrDefault()]
"""A health status string with ``not_started`` folded into ``notStarted``."""


class HealthSummary(ApiModel):
    """Service, model or accuracy health (service health has no message)."""

    status: HealthStr = None
    message: LStr = None
    start_date: LDatetime = None
    end_date: LDatetime = None


class DefaultPredictionServer(ApiModel):
    id: LStr = None
    url: LStr = None
    datarobot_key: LStr = Field(default=None, alias="datarobot-key")


class Governance(ApiModel):
    approval_status: LStr = None
    has_opened_change_requests: LBool = None


class CustomModelImage(ApiModel):
    custom_model_id: LStr = None
    custom_model_name: LStr = None
    custom_model_version_id: LStr = None
    custom_model_version_label: LStr = None
    execution_environment_id: LStr = None
    execution_environment_name: LStr = None
    execution_environment_version_id: LStr = None
    execution_environment_version_label: LStr = None


class DeploymentModel(ApiModel):
    """The champion (current) model of a deployment."""

    id: LStr = None
    type: LStr = None
    target_name: LStr = None
    target_type: LStr = None
    project_id: LStr = None
    project_name: LStr = None
    build_environment_type: LStr = None
    custom_model_image: LOpt[CustomModelImage] = None
    deployed_at: LDatetime = None
    is_deprecated: LBool = None
    unstructured_model_kind: LBool = None
    unsupervised_mode: LBool = None
    unsupervised_type: LStr = None


class ModelPackage(ApiModel):
    id: LStr = None
    name: LStr = None
    registered_model_id: LStr = None


class InitialDownload(ApiModel):
    """When a model package or scoring code was first downloaded."""

    timestamp: LDatetime = None


class Owner(ApiModel):
    id: LStr = None
    email: LStr = None
    first_name: LStr = None
    last_name: LStr = None


class Owners(ApiModel):
    count: LInt = None
    preview: LList[Owner] = Field(default_factory=list)


class PredictionEnvironment(ApiModel):
    id: LStr = None
    name: LStr = None
    platform: LStr = None
    plugin: LStr = None
    is_managed_by_management_agent: LBool = None
    supported_model_formats: LList[str] = Field(default_factory=list)


class PredictionUsage(ApiModel):
    daily_rates: LList[Count] = Field(default_factory=list)
    """Predictions per day over the last 7 days (a null day counts 0)."""
    last_timestamp: LDatetime = None


class DeploymentSettings(ApiModel):
    batch_monitoring_enabled: LBool = None
    humble_ai_enabled: LBool = None
    prediction_intervals_enabled: LBool = None
    prediction_warning_enabled: LBool = None


class Tag(ApiModel):
    id: LStr = None
    name: LStr = None
    value: LStr = None


class Deployment(ApiModel):
    id: LStr = None
    label: LStr = None
    description: LStr = None
    status: LStr = None
    importance: LStr = None
    approval_status: LStr = None
    has_error: LBool = None
    user_provided_id: LStr = None
    created_at: LDatetime = None
    service_health: LOpt[HealthSummary] = None
    model_health: LOpt[HealthSummary] = None
    accuracy_health: LOpt[HealthSummary] = None
    # Not in the reference schema, but sent by real servers (PROTOCOL-NOTES.md) and orderable:
    fairness_health: LOpt[HealthSummary] = None
    custom_metrics_health: LOpt[HealthSummary] = None
    actuals_timeliness_health: LOpt[HealthSummary] = None
    predictions_timeliness_health: LOpt[HealthSummary] = None
    creator: LOpt[Owner] = None
    model: LOpt[DeploymentModel] = None
    model_package: LOpt[ModelPackage] = None
    model_package_initial_download: LOpt[InitialDownload] = None
    scoring_code_initial_download: LOpt[InitialDownload] = None
    default_prediction_server: LOpt[DefaultPredictionServer] = None
    prediction_environment: LOpt[PredictionEnvironment] = None
    prediction_usage: LOpt[PredictionUsage] = None
    governance: LOpt[Governance] = None
    owners: LOpt[Owners] = None
    settings: LOpt[DeploymentSettings] = None
    permissions: LList[str] = Field(default_factory=list)
    opened_change_requests: LList[str] = Field(default_factory=list)
    tags: LList[Tag] = Field(default_factory=list)


class DeploymentCreated(ApiModel):
    """Body of the 202 from ``POST /deployments/fromLearningModel/`` (may be absent)."""

    id: LStr = None
