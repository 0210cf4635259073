"""DeploymentQuery speaks the API's filter names and parameter forms."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from drtui.api.query import FILTER_NAMES, ORDER_BY_VALUES, DeploymentQuery


def test_empty_query_sends_nothing() -> None:
    assert DeploymentQuery().to_params() == []
    assert DeploymentQuery().is_empty


def test_health_filters_are_comma_joined_with_the_filter_spelling() -> None:
    q = DeploymentQuery().with_filter("serviceHealth", ["failing", "notStarted"])
    assert q.to_params() == [("serviceHealth", "failing,not_started")]
    assert q.service_health == ("failing", "notStarted")


def test_tags_and_status_are_repeated_parameters() -> None:
    q = (
        DeploymentQuery()
        .with_filter("tagKeys", ["team", "env"])
        .with_filter("status", ["active", "inactive"])
    )
    assert ("tagKeys", "team") in q.to_params()
    assert ("tagKeys", "env") in q.to_params()
    assert [p for p in q.to_params() if p[0] == "status"] == [
        ("status", "active"),
        ("status", "inactive"),
    ]


def test_scalars_bools_and_datetimes() -> None:
    start = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    q = DeploymentQuery(
        search="churn",
        order_by="-serviceHealth",
        created_by_me=True,
        last_prediction_timestamp_start=start,
        prediction_usage_daily_avg_greater_than=10,
        role="OWNER",
    )
    params = dict(q.to_params())
    assert params == {
        "search": "churn",
        "orderBy": "-serviceHealth",
        "createdByMe": "true",
        "lastPredictionTimestampStart": "2026-01-02T03:04:05+00:00",
        "predictionUsageDailyAvgGreaterThan": "10",
        "role": "OWNER",
    }


def test_with_filter_returns_a_new_query_and_clears_with_none() -> None:
    base = DeploymentQuery()
    filtered = base.with_filter("importance", ["CRITICAL"])
    assert base.importance == () and filtered.importance == ("CRITICAL",)
    assert filtered.with_filter("importance", None).is_empty
    assert filtered.with_filter("importance", "HIGH").importance == ("HIGH",)


def test_unknown_filter_name_is_refused() -> None:
    with pytest.raises(ValueError, match="service_health"):
        DeploymentQuery().with_filter("service_health", ["failing"])


def test_unknown_order_by_is_refused() -> None:
    with pytest.raises(ValueError, match="orderBy"):
        DeploymentQuery(order_by="health")


def test_every_order_by_of_the_reference_is_known() -> None:
    assert len(ORDER_BY_VALUES) == 26
    for name in ("label", "predictionsTimelinessHealth", "createdAtTimestamp"):
        assert name in ORDER_BY_VALUES and f"-{name}" in ORDER_BY_VALUES


def test_every_filter_of_the_reference_is_known() -> None:
    reference = {
        "orderBy", "search", "serviceHealth", "modelHealth", "accuracyHealth", "role", "status",
        "importance", "lastPredictionTimestampStart", "lastPredictionTimestampEnd",
        "predictionUsageDailyAvgGreaterThan", "predictionUsageDailyAvgLessThan",
        "defaultPredictionServerId", "buildEnvironmentType", "executionEnvironmentType",
        "predictionEnvironmentPlatform", "createdByMe", "createdBy", "championModelExecutionType",
        "championModelTargetType", "tagKeys", "tagValues",
    }  # fmt: skip
    assert reference == FILTER_NAMES


def test_queries_are_hashable_values() -> None:
    a = DeploymentQuery().with_filter("serviceHealth", ["failing"])
    b = DeploymentQuery(service_health=("failing",))
    assert a == b and hash(a) == hash(b)
