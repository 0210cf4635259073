"""The other resources of the reference: custom model deployments, deleted deployments, resource
bundles, the PPS image, the API version, async job status and error bodies."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from drtui.api.models.base import ApiModel
from drtui.api.models.lenient import LBool, LDatetime, LFloat, LInt, LList, LOpt, LStr, OrDefault


class IdName(ApiModel):
    """A custom model or execution environment, as a deployment refers to it."""

    id: LStr = None
    name: LStr = None


class IdLabel(ApiModel):
    """A custom model version or execution environment version, as a deployment refers to it."""

    id: LStr = None
    label: LStr = None


class CustomModelDeployment(ApiModel):
    id: LStr = None
    label: LStr = None
    status: LStr = None
    testing_status: LStr = None
    image_type: LStr = None
    deployed: LStr = None
    """ISO-8601 text as the server sends it (the reference types it as a plain string)."""
    deployed_by: LStr = None
    custom_model: LOpt[IdName] = None
    custom_model_image_id: LStr = None
    custom_model_version: LOpt[IdLabel] = None
    execution_environment: LOpt[IdName] = None
    execution_environment_version: LOpt[IdLabel] = None


class DeletedDeployment(ApiModel):
    id: LStr = None
    label: LStr = None
    deleted_at: LDatetime = None


class ResourceBundle(ApiModel):
    id: LStr = None
    name: LStr = None
    description: LStr = None
    cpu_count: LFloat = None
    """May be fractional (``0.5``)."""
    memory_bytes: LInt = None
    has_gpu: LBool = None
    gpu_count: LInt = None
    gpu_maker: LStr = None
    gpu_memory_bytes: LInt = None
    is_default: LBool = None
    is_deleted: LBool = None
    use_cases: LList[str] = Field(default_factory=list)


class PPSImageMetadata(ApiModel):
    base_image_id: LStr = None
    created: LDatetime = None
    datarobot_runtime_image_tag: LStr = None
    docker_image_id: LStr = None
    short_docker_image_id: LStr = None
    filename: LStr = None
    hash: LStr = None
    hash_algorithm: LStr = None
    image_size: LInt = None


class ApiVersion(ApiModel):
    major: LInt = None
    minor: LInt = None
    version_string: LStr = None


class JobStatus(ApiModel):
    """Body of ``GET /status/{id}/`` while a job runs or after it failed."""

    status: LStr = None
    status_id: LStr = None
    message: LStr = None
    code: LInt = None
    description: LStr = None
    created: LDatetime = None


class AsyncOperation(ApiModel):
    """A body naming the status id of a started job (``CustomModelAsyncOperationResponse``)."""

    status_id: LStr = None


class ErrorBody(ApiModel):
    """``{"message": ..., "errors": {field: message}}`` of a failed request."""

    message: LStr = None
    errors: Annotated[Any, OrDefault()] = None
    """Usually ``{field: message}``; kept as sent when it is another shape."""
