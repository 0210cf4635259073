"""Every example JSON of the API reference (a fixture) parses into declared fields, nothing left."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter

from drtui.api import models as m

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "api_reference_examples.json"
"""Every JSON example of shared/api-reference, extracted by tools/extract_reference.py:
kept in the repository so the suite runs on a clone with nothing beside it."""


def reference_examples() -> list[tuple[str, str, Any]]:
    """(file, heading, example) for every JSON block; heading is the schema or endpoint."""
    return [(e["file"], e["heading"], e["example"]) for e in json.loads(FIXTURE.read_text())]


RESPONSES: dict[str, Any] = {
    "GET /api/v2/customModelDeployments/": m.Page[m.CustomModelDeployment],
    "GET /api/v2/deletedDeployments/": m.Page[m.DeletedDeployment],
    "GET /api/v2/deployments/": m.Page[m.Deployment],
    "GET /api/v2/deployments/{deploymentId}/": m.Deployment,
    "GET /api/v2/mlops/compute/bundles/": m.Page[m.ResourceBundle],
    "GET /api/v2/mlops/compute/bundles/{resourceRequestBundleId}/": m.ResourceBundle,
    "GET /api/v2/mlops/portablePredictionServerImage/": m.PPSImageMetadata,
    "GET /api/v2/mlops/portablePredictionServerImage/metadata/": m.PPSImageMetadata,
    "CustomModelDeploymentListResponse": m.Page[m.CustomModelDeployment],
    "CustomModelDeploymentResponse": m.CustomModelDeployment,
    "CustomModelShortResponse": m.IdName,
    "ExecutionEnvironmentShortResponse": m.IdName,
    "CustomModelVersionShortResponse": m.IdLabel,
    "ExecutionEnvironmentVersionShortResponse": m.IdLabel,
    "DeletedDeploymentListResponse": m.Page[m.DeletedDeployment],
    "DeletedDeploymentResponse": m.DeletedDeployment,
    "DeploymentAccuracyHealthResponse": m.HealthSummary,
    "DeploymentModelHealthResponse": m.HealthSummary,
    "DeploymentServiceHealthResponse": m.HealthSummary,
    "DeploymentDefaultPredictionServerResponse": m.DefaultPredictionServer,
    "DeploymentGovernanceResponse": m.Governance,
    "DeploymentListResponse": m.Page[m.Deployment],
    "DeploymentModelCustomModelImageResponse": m.CustomModelImage,
    "DeploymentModelPackageInitialDownloadResponse": m.InitialDownload,
    "DeploymentScoringCodeInitialDownloadResponse": m.InitialDownload,
    "DeploymentModelPackageResponse": m.ModelPackage,
    "DeploymentModelResponse": m.DeploymentModel,
    "DeploymentOwnerResponse": m.Owner,
    "DeploymentOwnersResponse": m.Owners,
    "DeploymentPredictionEnvironmentResponse": m.PredictionEnvironment,
    "DeploymentPredictionUsageResponse": m.PredictionUsage,
    "DeploymentRetrieveResponse": m.Deployment,
    "DeploymentSettingsInfo": m.DeploymentSettings,
    "DeploymentTagRetrieveResponse": m.Tag,
    "ResourceRequestBundleListResponse": m.Page[m.ResourceBundle],
    "ResourceRequestBundleResponse": m.ResourceBundle,
    "PPSImageMetadataResponse": m.PPSImageMetadata,
    # The PPS schema in deployment-management.txt lost its heading; its last line is this:
    "User-friendly name of the execution environment version.": m.PPSImageMetadata,
}
REQUEST_BODIES = {
    "DeploymentCreateFromLearningModel",
    "DeploymentPermanentDelete",
    "DeploymentUpdate",
}


def _extras(model: Any) -> list[str]:
    """Names of example keys that landed in ``model_extra`` instead of a declared field."""
    if isinstance(model, list):
        return [name for item in model for name in _extras(item)]
    if not isinstance(model, BaseModel):
        return []
    left = [f"{type(model).__name__}.{k}" for k in (model.model_extra or {})]
    for name in type(model).model_fields:
        left += _extras(getattr(model, name))
    return left


EXAMPLES = [
    e for e in reference_examples() if not e[1].startswith("body of") and e[1] not in REQUEST_BODIES
]


def test_the_reference_has_the_examples_we_expect() -> None:
    """Guards the extractor: if it silently found nothing, the parse test would prove nothing."""
    headings = {heading for _, heading, _ in reference_examples()}
    assert len(EXAMPLES) >= 35
    assert headings >= REQUEST_BODIES
    assert "GET /api/v2/deployments/" in headings


@pytest.mark.parametrize(("source", "heading", "example"), EXAMPLES, ids=[e[1] for e in EXAMPLES])
def test_every_reference_example_parses_into_declared_fields(
    source: str, heading: str, example: Any
) -> None:
    adapter = TypeAdapter(RESPONSES[heading])
    parsed = adapter.validate_json(json.dumps(example))
    assert _extras(parsed) == []
    dumped = adapter.dump_python(parsed, mode="json", by_alias=True, exclude_unset=True)
    assert dumped == example


def test_deployment_example_fields_read_as_snake_case() -> None:
    example = next(e for _, h, e in EXAMPLES if h == "GET /api/v2/deployments/{deploymentId}/")
    deployment = m.Deployment.model_validate(example)
    assert deployment.service_health is not None
    assert deployment.service_health.status == m.HealthStatus.FAILING
    assert deployment.default_prediction_server is not None
    assert deployment.default_prediction_server.datarobot_key == "string"
    assert deployment.prediction_usage is not None
    assert deployment.prediction_usage.daily_rates == [0]
    assert deployment.prediction_usage.last_timestamp is not None
    assert deployment.prediction_usage.last_timestamp.year == 2019
    assert deployment.prediction_environment is not None
    assert deployment.prediction_environment.platform == m.PredictionEnvironmentPlatform.AWS
    assert deployment.model is not None and deployment.model.target_type == "string"
    assert deployment.owners is not None and deployment.owners.preview[0].first_name == "string"
