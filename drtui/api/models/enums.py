"""Known values of the API's enumerations, for filters, ordering and display.

Model fields hold plain ``str`` so a value a newer server invents is kept verbatim; these classes
name the values this version of the reference knows. ``StrEnum`` members compare equal to the
strings, so ``deployment.status == DeploymentStatus.ACTIVE`` works on the raw field.
"""

from __future__ import annotations

from enum import StrEnum


class HealthStatus(StrEnum):
    """Service, model and accuracy health, as the response schemas spell them."""

    FAILING = "failing"
    WARNING = "warning"
    PASSING = "passing"
    UNKNOWN = "unknown"
    UNAVAILABLE = "unavailable"
    NOT_STARTED = "notStarted"

    @property
    def filter_value(self) -> str:
        """The spelling the list filters use (the reference's filter enum says ``not_started``)."""
        return "not_started" if self is HealthStatus.NOT_STARTED else self.value


def normalise_health(value: str | None) -> str | None:
    """Fold the filter spelling ``not_started`` into the response spelling ``notStarted``."""
    return "notStarted" if value == "not_started" else value


class Importance(StrEnum):
    CRITICAL = "CRITICAL"
    HIGH = "HIGH"
    MODERATE = "MODERATE"
    LOW = "LOW"


class DeploymentStatus(StrEnum):
    ACTIVE = "active"
    ARCHIVED = "archived"
    ERRORED = "errored"
    INACTIVE = "inactive"
    LAUNCHING = "launching"
    REPLACING_MODEL = "replacingModel"
    STOPPING = "stopping"


class ApprovalStatus(StrEnum):
    PENDING = "PENDING"
    APPROVED = "APPROVED"


class Role(StrEnum):
    OWNER = "OWNER"
    USER = "USER"


class BuildEnvironmentType(StrEnum):
    DATAROBOT = "DataRobot"
    PYTHON = "Python"
    R = "R"
    JAVA = "Java"
    JULIA = "Julia"
    LEGACY = "Legacy"
    OTHER = "Other"


class ExecutionEnvironmentType(StrEnum):
    DATAROBOT = "datarobot"
    EXTERNAL = "external"


class PredictionEnvironmentPlatform(StrEnum):
    AWS = "aws"
    GCP = "gcp"
    AZURE = "azure"
    ON_PREMISE = "onPremise"
    DATAROBOT = "datarobot"
    DATAROBOT_SERVERLESS = "datarobotServerless"
    OPEN_SHIFT = "openShift"
    OTHER = "other"
    SNOWFLAKE = "snowflake"
    SAP_AI_CORE = "sapAiCore"


class ChampionModelExecutionType(StrEnum):
    CUSTOM_INFERENCE_MODEL = "custom_inference_model"
    EXTERNAL = "external"
    DEDICATED = "dedicated"


class UnsupervisedType(StrEnum):
    ANOMALY = "anomaly"
    CLUSTERING = "clustering"


class ImageType(StrEnum):
    CUSTOM_MODEL_IMAGE = "customModelImage"
    CUSTOM_MODEL_VERSION = "customModelVersion"


class TestingStatus(StrEnum):
    NOT_TESTED = "not_tested"
    QUEUED = "queued"
    FAILED = "failed"
    CANCELED = "canceled"
    SUCCEEDED = "succeeded"
    IN_PROGRESS = "in_progress"
    ABORTED = "aborted"
    WARNING = "warning"
    SKIPPED = "skipped"


class GpuMaker(StrEnum):
    NVIDIA = "nvidia"
    AMD = "amd"
    INTEL = "intel"


class BundleUseCase(StrEnum):
    CUSTOM_APPLICATION = "customApplication"
    CUSTOM_JOB = "customJob"
    CUSTOM_MODEL = "customModel"
    SAP_AI_CORE = "sapAICore"


class JobState(StrEnum):
    """States of ``GET /status/{id}/``; the last three are failures."""

    INITIALIZED = "INITIALIZED"
    RUNNING = "RUNNING"
    COMPLETED = "COMPLETED"
    ERROR = "ERROR"
    ABORTED = "ABORTED"
    EXPIRED = "EXPIRED"


FAILED_JOB_STATES = frozenset({JobState.ERROR, JobState.ABORTED, JobState.EXPIRED})
