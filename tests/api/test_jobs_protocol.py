"""Following a job: state words in any case, moved status URLs, relative Locations, 200 ends."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from drtui.api import errors
from drtui.api.client import DataRobotClient

from .conftest import ENDPOINT, json_response

MakeClient = Callable[..., DataRobotClient]


def _server(
    statuses: list[httpx.Response], *, accepted: httpx.Response | None = None
) -> tuple[Callable[[httpx.Request], httpx.Response], list[httpx.Request]]:
    seen: list[httpx.Request] = []
    queue = list(statuses)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.method == "POST":
            return accepted or httpx.Response(202, headers={"Location": f"{ENDPOINT}/status/j1/"})
        return queue.pop(0)

    return handler, seen


@pytest.mark.parametrize("state", ["error", "Error", "ERROR_TIMEOUT", "aborted", "expired"])
async def test_failed_states_in_any_case_end_the_job(mock_client: MakeClient, state: str) -> None:
    handler, seen = _server([json_response(200, {"status": state, "message": "broke"})])
    with pytest.raises(errors.JobFailedError, match="broke"):
        await mock_client(handler).create_deployment_from_learning_model("m", "L")
    assert len(seen) == 2  # one POST, one poll: no polling until the deadline


async def test_completed_in_lower_case_ends_the_job(mock_client: MakeClient) -> None:
    handler, seen = _server([json_response(200, {"status": "completed"})])
    await mock_client(handler).create_deployment_from_learning_model("m", "L")
    assert len(seen) == 2


async def test_a_200_completed_gives_the_id_of_the_202_body(mock_client: MakeClient) -> None:
    accepted = httpx.Response(
        202, json={"id": "dep-42"}, headers={"Location": f"{ENDPOINT}/status/j1/"}
    )
    handler, _ = _server([json_response(200, {"status": "COMPLETED"})], accepted=accepted)
    result = await mock_client(handler).create_deployment_from_learning_model("m", "L")
    assert result.resource_id == "dep-42"


async def test_a_moved_status_is_followed_not_taken_for_success(mock_client: MakeClient) -> None:
    handler, seen = _server(
        [
            httpx.Response(307, headers={"Location": f"{ENDPOINT}/status/j1-moved/"}),
            json_response(200, {"status": "RUNNING"}),
            httpx.Response(303, headers={"Location": f"{ENDPOINT}/deployments/dep-7/"}),
        ]
    )
    result = await mock_client(handler).create_deployment_from_learning_model("m", "L")
    assert result.resource_id == "dep-7"
    assert [r.url.path for r in seen[1:]] == [
        "/api/v2/status/j1/",
        "/api/v2/status/j1-moved/",
        "/api/v2/status/j1-moved/",
    ]


async def test_a_relative_location_is_read_against_the_api_root(mock_client: MakeClient) -> None:
    accepted = httpx.Response(202, headers={"Location": "status/j9/"})
    handler, seen = _server(
        [httpx.Response(303, headers={"Location": "deployments/dep-9/"})], accepted=accepted
    )
    result = await mock_client(handler).create_deployment_from_learning_model("m", "L")
    assert seen[1].url.path == "/api/v2/status/j9/"
    assert result.resource_url == f"{ENDPOINT}/deployments/dep-9/"
