"""Paging, async jobs, request bodies and logs against a scripted server (protocol corners)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from drtui.api import errors
from drtui.api.client import DataRobotClient
from drtui.api.models import JobState
from drtui.api.query import DeploymentQuery

from .conftest import ENDPOINT, FakeTime, Handler, json_response
from .test_models_reference import reference_examples

MakeClient = Callable[..., DataRobotClient]
AsyncHandler = Callable[[httpx.Request], Awaitable[httpx.Response]]


def fleet_server(
    total: int, *, with_total: bool = True, cap: int = 100, delay: float = 0.0
) -> tuple[AsyncHandler, dict[str, int]]:
    """A list endpoint over ``total`` records; tracks peak concurrency."""
    stats = {"in_flight": 0, "peak": 0, "requests": 0}

    async def handler(request: httpx.Request) -> httpx.Response:
        stats["requests"] += 1
        stats["in_flight"] += 1
        stats["peak"] = max(stats["peak"], stats["in_flight"])
        await asyncio.sleep(delay)
        stats["in_flight"] -= 1
        offset = int(request.url.params.get("offset", 0))
        limit = min(int(request.url.params.get("limit", 20)), cap)
        data = [
            {"id": f"d{i:05d}", "label": f"L{i}"} for i in range(offset, min(total, offset + limit))
        ]
        more = offset + limit < total
        body: dict[str, object] = {
            "count": len(data),
            "data": data,
            "previous": None,
            "next": str(request.url.copy_merge_params({"offset": offset + limit}))
            if more
            else None,
        }
        if with_total:
            body["totalCount"] = total
        return json_response(200, body)

    return handler, stats


async def test_all_pages_concurrently_in_order(mock_client: MakeClient) -> None:
    handler, stats = fleet_server(1234, delay=0.01)
    fleet = await mock_client(handler).list_all_deployments(concurrency=4)
    assert [d.id for d in fleet] == [f"d{i:05d}" for i in range(1234)]
    assert stats["requests"] == 13
    assert stats["peak"] == 4


async def test_concurrency_is_configurable(mock_client: MakeClient) -> None:
    handler, stats = fleet_server(500, delay=0.01)
    await mock_client(handler).list_all_deployments(concurrency=2)
    assert stats["peak"] == 2


async def test_without_total_count_next_links_are_followed(mock_client: MakeClient) -> None:
    handler, stats = fleet_server(250, with_total=False)
    deleted = await mock_client(handler).list_all_deleted_deployments()
    assert [d.id for d in deleted] == [f"d{i:05d}" for i in range(250)]
    assert stats["requests"] == 3


async def test_a_server_capping_the_page_size_still_gives_everything(
    mock_client: MakeClient,
) -> None:
    handler, stats = fleet_server(95, cap=10)
    bundles = await mock_client(handler).list_all_bundles()
    assert len(bundles) == 95 and len({b.id for b in bundles}) == 95
    assert stats["requests"] == 10


async def test_empty_list_is_one_request(mock_client: MakeClient) -> None:
    handler, stats = fleet_server(0)
    assert await mock_client(handler).list_all_deployments() == []
    assert stats["requests"] == 1


async def test_next_link_to_another_host_is_not_followed(mock_client: MakeClient) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return json_response(200, {"data": [{"id": "a"}], "next": "https://evil.test/api/v2/x"})

    with pytest.raises(errors.BadResponseError, match="another host"):
        await mock_client(handler).list_all_deleted_deployments()


async def test_a_failing_page_fails_the_whole_listing(mock_client: MakeClient) -> None:
    inner, _ = fleet_server(1000)

    async def handler(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("offset") == "500":
            return json_response(500, {"message": "boom"})
        return await inner(request)

    with pytest.raises(errors.ServerError):
        await mock_client(handler).list_all_deployments()


async def test_query_and_paging_parameters_are_sent(mock_client: MakeClient) -> None:
    seen: list[httpx.QueryParams] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.params)
        return json_response(200, {"data": [], "totalCount": 0})

    query = DeploymentQuery(search="churn").with_filter("tagKeys", ["a", "b"])
    await mock_client(handler).list_deployments(query, offset=40, limit=20)
    assert seen[0]["offset"] == "40" and seen[0]["limit"] == "20"
    assert seen[0]["search"] == "churn" and seen[0].get_list("tagKeys") == ["a", "b"]


def _body_example(endpoint: str) -> dict[str, Any]:
    return next(e for _, h, e in reference_examples() if h == f"body of {endpoint}")


def job_server(
    *statuses: dict[str, Any] | None, resource: str = "/api/v2/deployments/new-id/"
) -> tuple[Handler, list[httpx.Request]]:
    """202 for any POST/PATCH, then the given status bodies; None means 303 to ``resource``."""
    seen: list[httpx.Request] = []
    queue = list(statuses)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.method in ("POST", "PATCH"):
            return httpx.Response(202, headers={"Location": f"{ENDPOINT}/status/job-1/"})
        status = queue.pop(0)
        if status is None:
            return httpx.Response(303, headers={"Location": f"https://dr.example.test{resource}"})
        return json_response(200, status)

    return handler, seen


async def test_create_follows_the_job_to_the_resource(mock_client: MakeClient) -> None:
    handler, seen = job_server({"status": "INITIALIZED"}, {"status": "RUNNING"}, None)
    progress: list[str | None] = []
    result = await mock_client(handler).create_deployment_from_learning_model(
        "model-1", "My deployment", importance="HIGH", progress=lambda s: progress.append(s.status)
    )
    assert result.resource_id == "new-id"
    assert result.resource_url == "https://dr.example.test/api/v2/deployments/new-id/"
    assert progress == ["INITIALIZED", "RUNNING"]
    body = json.loads(seen[0].content)
    assert body == {
        "modelId": "model-1",
        "label": "My deployment",
        "description": None,
        "importance": "HIGH",
    }
    assert set(body) <= set(_body_example("POST /api/v2/deployments/fromLearningModel/"))
    assert all(r.url.path == "/api/v2/status/job-1/" for r in seen[1:])


async def test_job_error_raises_with_the_server_message(mock_client: MakeClient) -> None:
    handler, _ = job_server(
        {"status": "RUNNING"}, {"status": "ERROR", "message": "Model is not deployable"}
    )
    with pytest.raises(errors.JobFailedError) as caught:
        await mock_client(handler).request_custom_model_deployment_logs("c1")
    assert caught.value.job_status == JobState.ERROR
    assert "Model is not deployable" in str(caught.value)
    assert "ERROR" in str(caught.value)


async def test_job_deadline(mock_client: MakeClient) -> None:
    handler, _ = job_server(*[{"status": "RUNNING"}] * 200)
    with pytest.raises(errors.JobFailedError, match="did not finish within 30 seconds"):
        await mock_client(handler).request_custom_model_deployment_logs("c1")


async def test_job_polls_back_off(mock_client: MakeClient, fake_time: FakeTime) -> None:
    handler, _ = job_server(*[{"status": "RUNNING"}] * 4, None)
    await mock_client(handler).request_custom_model_deployment_logs("c1")
    assert fake_time.waits == sorted(fake_time.waits) and fake_time.waits[-1] > fake_time.waits[0]


async def test_erase_sends_batches_of_at_most_100(mock_client: MakeClient) -> None:
    handler, seen = job_server(*[None] * 3, resource="/api/v2/deletedDeployments/")
    ids = [f"x{i}" for i in range(250)]
    results = await mock_client(handler).erase_deleted_deployments(ids)
    patches = [json.loads(r.content) for r in seen if r.method == "PATCH"]
    assert [len(p["deploymentIds"]) for p in patches] == [100, 100, 50]
    assert [i for p in patches for i in p["deploymentIds"]] == ids
    assert all(p["action"] == "PermanentlyErase" for p in patches)
    assert set(patches[0]) == set(_body_example("PATCH /api/v2/deletedDeployments/"))
    assert len(results) == 3


async def test_update_sends_only_the_given_fields(mock_client: MakeClient) -> None:
    bodies: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        return httpx.Response(204)

    client = mock_client(handler)
    await client.update_deployment("d1", label="new")
    await client.update_deployment("d1", description=None, importance="LOW")
    assert bodies == [{"label": "new"}, {"description": None, "importance": "LOW"}]
    assert set().union(*bodies) <= set(_body_example("PATCH /api/v2/deployments/{deploymentId}/"))
    with pytest.raises(ValueError):
        await client.update_deployment("d1")


async def test_delete_passes_ignore_management_agent(mock_client: MakeClient) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    client = mock_client(handler)
    await client.delete_deployment("d1", ignore_management_agent=True)
    await client.delete_deployment("d2")
    assert seen[0].url.params["ignoreManagementAgent"] == "true"
    assert "ignoreManagementAgent" not in seen[1].url.params


async def test_log_text_and_filename(mock_client: MakeClient) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            text="line 1\nline 2\n",
            headers={"Content-Disposition": "attachment;filename=deployment-abc.log"},
        )

    log = await mock_client(handler).get_custom_model_deployment_log("abc")
    assert log.text == "line 1\nline 2\n"
    assert log.filename == "deployment-abc.log"


async def test_requests_carry_bearer_token_and_user_agent(mock_client: MakeClient) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return json_response(200, {"major": 2})

    await mock_client(handler).version()
    assert seen[0].headers["Authorization"].startswith("Bearer ")
    assert seen[0].headers["User-Agent"].startswith("drtui/")
    assert str(seen[0].url) == f"{ENDPOINT}/version/"


async def test_job_status_on_another_host_is_not_polled(mock_client: MakeClient) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(202, headers={"Location": "https://evil.test/api/v2/status/1/"})

    with pytest.raises(errors.BadResponseError, match="another host"):
        await mock_client(handler).request_custom_model_deployment_logs("c1")
    assert [r.url.host for r in seen] == ["dr.example.test"]


async def test_202_without_location_is_a_bad_response(mock_client: MakeClient) -> None:
    with pytest.raises(errors.BadResponseError, match="without a Location header"):
        await mock_client(lambda r: httpx.Response(202)).request_custom_model_deployment_logs("c1")
