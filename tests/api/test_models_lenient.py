"""Payloads real servers send that the reference does not promise still parse."""

from __future__ import annotations

import json

from pydantic import TypeAdapter

from drtui.api.models import (
    Deployment,
    DeploymentStatus,
    HealthStatus,
    Page,
    PPSImageMetadata,
    ResourceBundle,
)

PAGE = TypeAdapter(Page[Deployment])


def test_unknown_enum_values_are_kept_verbatim() -> None:
    d = Deployment.model_validate(
        {
            "id": "d1",
            "status": "hibernating",
            "importance": "EXTREME",
            "serviceHealth": {"status": "degraded"},
            "predictionEnvironment": {"platform": "moonbase"},
        }
    )
    assert d.status == "hibernating"
    assert d.importance == "EXTREME"
    assert d.service_health is not None and d.service_health.status == "degraded"
    assert d.prediction_environment is not None
    assert d.prediction_environment.platform == "moonbase"


def test_known_enum_values_compare_equal_to_constants() -> None:
    d = Deployment.model_validate(
        {"status": "replacingModel", "modelHealth": {"status": "warning"}}
    )
    assert d.status == DeploymentStatus.REPLACING_MODEL
    assert d.model_health is not None and d.model_health.status == HealthStatus.WARNING


def test_not_started_is_accepted_in_both_spellings() -> None:
    for spelling in ("not_started", "notStarted"):
        d = Deployment.model_validate({"accuracyHealth": {"status": spelling}})
        assert d.accuracy_health is not None
        assert d.accuracy_health.status == HealthStatus.NOT_STARTED
        assert str(HealthStatus.NOT_STARTED.value) == "notStarted"
    assert HealthStatus.NOT_STARTED.filter_value == "not_started"


def test_extra_fields_are_kept_not_fatal() -> None:
    d = Deployment.model_validate(
        {
            "id": "d1",
            "capabilities": {"supportsDrift": True},
            "riskScore": 0.7,
        }
    )
    assert d.model_extra == {"capabilities": {"supportsDrift": True}, "riskScore": 0.7}


def test_health_fields_beyond_the_schema_are_read() -> None:
    d = Deployment.model_validate(
        {"fairnessHealth": {"status": "not_started"}, "creator": {"email": "a@b.c"}}
    )
    assert d.fairness_health is not None and d.fairness_health.status == "notStarted"
    assert d.creator is not None and d.creator.email == "a@b.c"


def test_missing_required_fields_default() -> None:
    d = Deployment.model_validate({})
    assert d.id is None and d.label is None and d.created_at is None
    assert d.service_health is None and d.model is None
    assert d.tags == [] and d.permissions == []


def test_nulls_where_values_are_expected() -> None:
    d = Deployment.model_validate(
        {
            "id": "d1",
            "label": None,
            "tags": None,
            "permissions": None,
            "serviceHealth": None,
            "predictionUsage": {"dailyRates": None, "lastTimestamp": None},
            "owners": {"count": None, "preview": None},
        }
    )
    assert d.label is None and d.tags == [] and d.permissions == []
    assert d.service_health is None
    assert d.prediction_usage is not None and d.prediction_usage.daily_rates == []
    assert d.owners is not None and d.owners.preview == []


def test_wrong_types_fall_back_instead_of_losing_the_record() -> None:
    d = Deployment.model_validate(
        {
            "id": 12345,
            "createdAt": "last tuesday",
            "hasError": "perhaps",
            "serviceHealth": "failing",
            "tags": {"not": "a list"},
            "model": {"deployedAt": 17, "isDeprecated": "no"},
        }
    )
    assert d.id == "12345"
    assert d.created_at is None
    assert d.has_error is None
    assert d.service_health is None
    assert d.tags == []
    assert d.model is not None and d.model.is_deprecated is False


def test_a_malformed_record_does_not_lose_the_page() -> None:
    body = json.dumps({"count": 3, "totalCount": 3, "data": [{"id": "a"}, "garbage", {"id": "c"}]})
    page = PAGE.validate_json(body)
    assert [d.id for d in page.data] == ["a", "c"]
    assert page.skipped == 1


def test_bundle_cpu_count_may_be_fractional() -> None:
    bundle = ResourceBundle.model_validate({"id": "cpu.micro", "cpuCount": 0.5, "description": ""})
    assert bundle.cpu_count == 0.5
    assert bundle.description == ""


def test_pps_metadata_with_extra_and_missing_fields() -> None:
    meta = PPSImageMetadata.model_validate({"imageSize": 10, "newField": 1})
    assert meta.image_size == 10 and meta.hash is None
    assert meta.model_extra == {"newField": 1}


def test_models_accept_snake_case_names_too() -> None:
    d = Deployment(id="x", label="y", service_health={"status": "passing"})  # type: ignore[arg-type]
    assert d.service_health is not None and d.service_health.status == "passing"
