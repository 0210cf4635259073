"""One bad element of a list field costs that element, never the whole list."""

from __future__ import annotations

from drtui.api.models import Deployment


def test_a_null_day_in_daily_rates_counts_zero_and_keeps_the_week() -> None:
    deployment = Deployment.model_validate(
        {"predictionUsage": {"dailyRates": [10, None, 30, 40, 50, 60, 70]}}
    )
    assert deployment.prediction_usage is not None
    assert deployment.prediction_usage.daily_rates == [10, 0, 30, 40, 50, 60, 70]


def test_one_malformed_tag_leaves_the_others() -> None:
    deployment = Deployment.model_validate(
        {"tags": [{"name": "team", "value": "risk"}, "env=prod", {"name": "tier", "value": "1"}]}
    )
    assert [(t.name, t.value) for t in deployment.tags] == [("team", "risk"), ("tier", "1")]


def test_one_null_permission_leaves_the_others() -> None:
    deployment = Deployment.model_validate({"permissions": ["CAN_VIEW", None, "CAN_EDIT"]})
    assert deployment.permissions == ["CAN_VIEW", "CAN_EDIT"]


def test_a_list_that_is_not_a_list_is_still_empty() -> None:
    deployment = Deployment.model_validate({"tags": "oops", "permissions": None})
    assert deployment.tags == [] and deployment.permissions == []
