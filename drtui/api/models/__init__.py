"""pydantic models of every schema in the API reference, lenient as real servers require.

Imported lazily (PEP 562): ``from drtui.api.models import Deployment`` loads the module that
defines it, and only that one, so a command that never reads a model never builds one (the list
path reads pages with ``slim.py``, no pydantic model at all).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from drtui.api.models.base import ApiModel
    from drtui.api.models.deployment import (
        CustomModelImage,
        DefaultPredictionServer,
        Deployment,
        DeploymentCreated,
        DeploymentModel,
        DeploymentSettings,
        Governance,
        HealthSummary,
        InitialDownload,
        ModelPackage,
        Owner,
        Owners,
        PredictionEnvironment,
        PredictionUsage,
        Tag,
    )
    from drtui.api.models.enums import (
        FAILED_JOB_STATES,
        ApprovalStatus,
        BuildEnvironmentType,
        BundleUseCase,
        ChampionModelExecutionType,
        DeploymentStatus,
        ExecutionEnvironmentType,
        GpuMaker,
        HealthStatus,
        ImageType,
        Importance,
        JobState,
        PredictionEnvironmentPlatform,
        Role,
        TestingStatus,
        UnsupervisedType,
        normalise_health,
    )
    from drtui.api.models.page import Page
    from drtui.api.models.resources import (
        ApiVersion,
        AsyncOperation,
        CustomModelDeployment,
        DeletedDeployment,
        ErrorBody,
        IdLabel,
        IdName,
        JobStatus,
        PPSImageMetadata,
        ResourceBundle,
    )

_WHERE = {
    "ApiModel": "drtui.api.models.base",
    "ApiVersion": "drtui.api.models.resources",
    "ApprovalStatus": "drtui.api.models.enums",
    "AsyncOperation": "drtui.api.models.resources",
    "BuildEnvironmentType": "drtui.api.models.enums",
    "BundleUseCase": "drtui.api.models.enums",
    "ChampionModelExecutionType": "drtui.api.models.enums",
    "CustomModelDeployment": "drtui.api.models.resources",
    "CustomModelImage": "drtui.api.models.deployment",
    "DefaultPredictionServer": "drtui.api.models.deployment",
    "DeletedDeployment": "drtui.api.models.resources",
    "Deployment": "drtui.api.models.deployment",
    "DeploymentCreated": "drtui.api.models.deployment",
    "DeploymentModel": "drtui.api.models.deployment",
    "DeploymentSettings": "drtui.api.models.deployment",
    "DeploymentStatus": "drtui.api.models.enums",
    "ErrorBody": "drtui.api.models.resources",
    "ExecutionEnvironmentType": "drtui.api.models.enums",
    "FAILED_JOB_STATES": "drtui.api.models.enums",
    "Governance": "drtui.api.models.deployment",
    "GpuMaker": "drtui.api.models.enums",
    "HealthStatus": "drtui.api.models.enums",
    "HealthSummary": "drtui.api.models.deployment",
    "IdLabel": "drtui.api.models.resources",
    "IdName": "drtui.api.models.resources",
    "ImageType": "drtui.api.models.enums",
    "Importance": "drtui.api.models.enums",
    "InitialDownload": "drtui.api.models.deployment",
    "JobState": "drtui.api.models.enums",
    "JobStatus": "drtui.api.models.resources",
    "ModelPackage": "drtui.api.models.deployment",
    "Owner": "drtui.api.models.deployment",
    "Owners": "drtui.api.models.deployment",
    "PPSImageMetadata": "drtui.api.models.resources",
    "Page": "drtui.api.models.page",
    "PredictionEnvironment": "drtui.api.models.deployment",
    "PredictionEnvironmentPlatform": "drtui.api.models.enums",
    "PredictionUsage": "drtui.api.models.deployment",
    "ResourceBundle": "drtui.api.models.resources",
    "Role": "drtui.api.models.enums",
    "Tag": "drtui.api.models.deployment",
    "TestingStatus": "drtui.api.models.enums",
    "UnsupervisedType": "drtui.api.models.enums",
    "normalise_health": "drtui.api.models.enums",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "FAILED_JOB_STATES",
    "ApiModel",
    "ApiVersion",
    "ApprovalStatus",
    "AsyncOperation",
    "BuildEnvironmentType",
    "BundleUseCase",
    "ChampionModelExecutionType",
    "CustomModelDeployment",
    "CustomModelImage",
    "DefaultPredictionServer",
    "DeletedDeployment",
    "Deployment",
    "DeploymentCreated",
    "DeploymentModel",
    "DeploymentSettings",
    "DeploymentStatus",
    "ErrorBody",
    "ExecutionEnvironmentType",
    "Governance",
    "GpuMaker",
    "HealthStatus",
    "HealthSummary",
    "IdLabel",
    "IdName",
    "ImageType",
    "Importance",
    "InitialDownload",
    "JobState",
    "JobStatus",
    "ModelPackage",
    "Owner",
    "Owners",
    "PPSImageMetadata",
    "Page",
    "PredictionEnvironment",
    "PredictionEnvironmentPlatform",
    "PredictionUsage",
    "ResourceBundle",
    "Role",
    "Tag",
    "TestingStatus",
    "UnsupervisedType",
    "normalise_health",
]
