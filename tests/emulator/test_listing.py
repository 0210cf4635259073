"""GET /deployments/: paging, envelope, filters and order, checked against the whole fleet."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx
import pytest

from drtui.emulator.users import NORMAL_USER
from tests.emulator.conftest import fetch_all

HEALTH_ASCENDING = ["failing", "warning", "passing", "unknown", "unavailable", "notStarted"]
IMPORTANCE_ASCENDING = ["CRITICAL", "HIGH", "MODERATE", "LOW"]


def _ids(items: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in items]


async def test_default_page_is_20_with_absolute_links(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v2/deployments/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["count"] == 20 and len(body["data"]) == 20
    assert body["totalCount"] == 200
    assert body["previous"] is None
    assert body["next"].startswith("http://emulator.test/api/v2/deployments/?")
    assert "offset=20" in body["next"] and "limit=20" in body["next"]
    second = (await client.get(body["next"])).json()
    assert second["previous"].startswith("http://emulator.test/api/v2/deployments/?")
    assert "offset=0" in second["previous"]


@pytest.mark.parametrize("order", ["-lastPredictionTimestamp", "label", "-serviceHealth"])
async def test_pages_together_hold_each_deployment_once_in_order(
    client: httpx.AsyncClient, order: str
) -> None:
    sweep = _ids(await fetch_all(client, {"orderBy": order}))
    paged: list[str] = []
    url: str | None = f"/api/v2/deployments/?orderBy={order}&limit=7"
    while url:
        body = (await client.get(url)).json()
        paged.extend(_ids(body["data"]))
        url = body["next"]
    assert paged == sweep
    assert len(set(paged)) == 200


@pytest.mark.parametrize(
    ("name", "value"),
    [("limit", "101"), ("limit", "0"), ("offset", "-1"), ("limit", "ten"), ("offset", "1.5")],
)
async def test_bad_paging_is_422_naming_the_parameter(
    client: httpx.AsyncClient, name: str, value: str
) -> None:
    response = await client.get("/api/v2/deployments/", params={name: value})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert name in body["message"]
    assert name in body["errors"]


async def test_limit_100_is_allowed(client: httpx.AsyncClient) -> None:
    body = (await client.get("/api/v2/deployments/", params={"limit": 100})).json()
    assert body["count"] == 100


@pytest.mark.parametrize(
    "name",
    [
        "serviceHealth",
        "modelHealth",
        "accuracyHealth",
        "status",
        "importance",
        "role",
        "buildEnvironmentType",
        "executionEnvironmentType",
        "predictionEnvironmentPlatform",
        "championModelExecutionType",
        "createdByMe",
        "orderBy",
    ],
)
async def test_invalid_enum_value_is_422_naming_the_parameter(
    client: httpx.AsyncClient, name: str
) -> None:
    response = await client.get("/api/v2/deployments/", params={name: "bogus"})
    assert response.status_code == 422
    assert name in response.json()["message"]


async def test_both_array_encodings_and_both_not_started_spellings(
    client: httpx.AsyncClient,
) -> None:
    joined = await client.get("/api/v2/deployments/?serviceHealth=failing,warning&limit=100")
    repeated = await client.get(
        "/api/v2/deployments/?serviceHealth=failing&serviceHealth=warning&limit=100"
    )
    assert joined.json()["data"] == repeated.json()["data"]
    assert joined.json()["totalCount"] > 0
    snake = await client.get("/api/v2/deployments/?modelHealth=not_started&limit=100")
    camel = await client.get("/api/v2/deployments/?modelHealth=notStarted&limit=100")
    assert snake.json()["totalCount"] == camel.json()["totalCount"] > 0
    assert {d["modelHealth"]["status"] for d in snake.json()["data"]} == {"notStarted"}


def _mean(item: dict[str, Any]) -> float:
    rates: list[int] = item["predictionUsage"]["dailyRates"]
    return sum(rates) / len(rates)


def _stamp(value: str | None) -> float | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() if value else None


FILTER_CASES: list[tuple[str, dict[str, Any], Any]] = [
    ("search", {"search": "CHURN"}, lambda d: "churn" in (d["label"] + (d["description"] or "")).lower()),
    ("health", {"accuracyHealth": "failing,unknown"}, lambda d: d["accuracyHealth"]["status"] in ("failing", "unknown")),
    ("status", {"status": "inactive,errored"}, lambda d: d.get("status") in ("inactive", "errored")),
    ("importance", {"importance": "CRITICAL"}, lambda d: d.get("importance") == "CRITICAL"),
    ("role owner", {"role": "OWNER"}, lambda d: "CAN_EDIT_DEPLOYMENT" in d["permissions"]),
    ("role user", {"role": "USER"}, lambda d: "CAN_EDIT_DEPLOYMENT" not in d["permissions"]),
    ("tag keys", {"tagKeys": ["env", "nope"]}, lambda d: "tags" in d),
    ("tag values", {"tagValues": ["staging", "dev"]}, lambda d: any(t["value"] in ("staging", "dev") for t in d.get("tags", []))),
    ("platform", {"predictionEnvironmentPlatform": "aws,gcp"}, lambda d: d["predictionEnvironment"]["platform"] in ("aws", "gcp")),
    ("build env", {"buildEnvironmentType": "Python,R"}, lambda d: d["model"]["buildEnvironmentType"] in ("Python", "R")),
    ("execution env", {"executionEnvironmentType": "external"}, lambda d: d["predictionEnvironment"]["platform"] not in ("datarobot", "datarobotServerless")),
    ("execution type", {"championModelExecutionType": "custom_inference_model"}, lambda d: "customModelImage" in d["model"]),
    ("target type", {"championModelTargetType": "Binary"}, lambda d: d["model"]["targetType"] == "Binary"),
    ("created by me", {"createdByMe": "true"}, lambda d: d["creator"]["id"] == NORMAL_USER.id),
    ("not created by me", {"createdByMe": "False"}, lambda d: d["creator"]["id"] != NORMAL_USER.id),
    ("usage above", {"predictionUsageDailyAvgGreaterThan": "1000"}, lambda d: _mean(d) > 1000),
    ("usage below", {"predictionUsageDailyAvgLessThan": "50"}, lambda d: _mean(d) < 50),
    (
        "last prediction window",
        # 2026-03-02T10:00+02:00 is 08:00Z: compared as instants, not as text.
        {"lastPredictionTimestampStart": "2026-03-02T10:00:00+02:00", "lastPredictionTimestampEnd": "2026-03-02T08:50:00Z"},
        lambda d: (s := _stamp(d["predictionUsage"]["lastTimestamp"])) is not None
        and _stamp("2026-03-02T08:00:00Z") <= s < _stamp("2026-03-02T08:50:00Z"),  # type: ignore[operator]
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "params", "expected"), FILTER_CASES, ids=[c[0] for c in FILTER_CASES]
)
async def test_filter_matches_exactly_the_expected_deployments(
    client: httpx.AsyncClient, case: str, params: dict[str, Any], expected: Any
) -> None:
    everything = await fetch_all(client)
    wanted = [d["id"] for d in everything if expected(d)]
    got = _ids(await fetch_all(client, params))
    assert got == wanted
    assert 0 < len(got) < 200


async def test_created_by_and_prediction_server_filters(client: httpx.AsyncClient) -> None:
    everything = await fetch_all(client)
    creator = everything[3]["creator"]["id"]
    server = everything[3]["defaultPredictionServer"]["id"]
    by_creator = await fetch_all(client, {"createdBy": creator})
    assert _ids(by_creator) == [d["id"] for d in everything if d["creator"]["id"] == creator]
    by_server = await fetch_all(client, {"defaultPredictionServerId": server})
    assert _ids(by_server) == [
        d["id"] for d in everything if d["defaultPredictionServer"]["id"] == server
    ]
    assert 0 < len(by_server) < 200


async def test_filters_combine_with_and(client: httpx.AsyncClient) -> None:
    everything = await fetch_all(client)
    got = await fetch_all(client, {"role": "OWNER", "serviceHealth": "passing"})
    assert _ids(got) == [
        d["id"]
        for d in everything
        if "CAN_EDIT_DEPLOYMENT" in d["permissions"] and d["serviceHealth"]["status"] == "passing"
    ]


def _sort_value(item: dict[str, Any], field: str) -> Any:
    if field.endswith("Health"):
        return HEALTH_ASCENDING.index(item[field]["status"])
    keys: dict[str, Callable[[dict[str, Any]], Any]] = {
        "label": lambda d: d["label"].lower(),
        "recentPredictions": lambda d: sum(d["predictionUsage"]["dailyRates"]),
        "lastPredictionTimestamp": lambda d: (
            _stamp(d["predictionUsage"]["lastTimestamp"]) or float("-inf")
        ),
        "currentModelDeployedTimestamp": lambda d: d["model"]["deployedAt"],
        "createdAtTimestamp": lambda d: d.get("createdAt") or "",
        "importance": lambda d: [*IMPORTANCE_ASCENDING, None].index(d.get("importance")),
    }
    return keys[field](item)


ORDER_FIELDS = [
    "label", "serviceHealth", "modelHealth", "accuracyHealth", "recentPredictions",
    "lastPredictionTimestamp", "currentModelDeployedTimestamp", "createdAtTimestamp", "importance",
    "fairnessHealth", "customMetricsHealth", "actualsTimelinessHealth", "predictionsTimelinessHealth",
]  # fmt: skip


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("field", ORDER_FIELDS)
async def test_every_order_sorts_with_id_tie_break(
    client: httpx.AsyncClient, field: str, descending: bool
) -> None:
    order = f"-{field}" if descending else field
    items = await fetch_all(client, {"orderBy": order})
    assert len(items) == 200
    for before, after in itertools.pairwise(items):
        a, b = _sort_value(before, field), _sort_value(after, field)
        assert (a >= b) if descending else (a <= b), (order, before["id"], after["id"])
        if a == b:
            assert before["id"] < after["id"]


async def test_health_ascending_is_worst_first_and_default_order_is_latest_prediction(
    client: httpx.AsyncClient,
) -> None:
    worst = await fetch_all(client, {"orderBy": "serviceHealth"})
    statuses = list(dict.fromkeys(d["serviceHealth"]["status"] for d in worst))
    assert statuses[:4] == ["failing", "warning", "passing", "unknown"]
    default = await fetch_all(client)
    latest = await fetch_all(client, {"orderBy": "-lastPredictionTimestamp"})
    assert _ids(default) == _ids(latest)


async def test_get_one_deployment_matches_the_list_entry(client: httpx.AsyncClient) -> None:
    listed = (await client.get("/api/v2/deployments/", params={"limit": 1})).json()["data"][0]
    single = await client.get(f"/api/v2/deployments/{listed['id']}/")
    assert single.status_code == 200
    assert single.json() == listed
    missing = await client.get("/api/v2/deployments/000000000000000000000000/")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/json"
    assert "message" in missing.json()


async def test_tag_filters_match_any_value_and_combine_with_and(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/v2/deployments/?tagKeys=nope")).json()["totalCount"] == 0
    everything = await fetch_all(client)
    both = await fetch_all(client, {"tagKeys": "team", "tagValues": ["risk", "fraud"]})
    assert _ids(both) == [
        d["id"]
        for d in everything
        if any(t["value"] in ("risk", "fraud") for t in d.get("tags", []))
    ]
    assert 0 < len(both) < 200
