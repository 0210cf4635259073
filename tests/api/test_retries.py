"""Retries: which methods, which failures, how long, and when to stop."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from drtui.api import errors
from drtui.api.client import DataRobotClient
from drtui.api.retry import RetryPolicy

from .conftest import FakeTime, json_response

MakeClient = Callable[..., DataRobotClient]
VERSION = {"major": 2, "minor": 49, "versionString": "2.49.0"}


def flaky(
    *failures: httpx.Response, then: httpx.Response
) -> tuple[list[str], Callable[[httpx.Request], httpx.Response]]:
    """A server answering ``failures`` in turn, then ``then``; records the methods it saw."""
    seen: list[str] = []
    queue = list(failures)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        return queue.pop(0) if queue else then

    return seen, handler


@pytest.mark.parametrize("status", [429, 502, 503, 504])
async def test_get_is_retried_on_transient_statuses(
    mock_client: MakeClient, fake_time: FakeTime, status: int
) -> None:
    seen, handler = flaky(
        json_response(status, {"message": "busy"}), then=json_response(200, VERSION)
    )
    version = await mock_client(handler).version()
    assert version.version_string == "2.49.0"
    assert seen == ["GET", "GET"]
    assert len(fake_time.waits) == 1


async def test_retry_after_is_honoured(mock_client: MakeClient, fake_time: FakeTime) -> None:
    seen, handler = flaky(
        json_response(429, {"message": "slow"}, **{"Retry-After": "3"}),
        json_response(503, {"message": "busy"}, **{"Retry-After": "5"}),
        then=json_response(200, VERSION),
    )
    await mock_client(handler).version()
    assert len(seen) == 3
    assert fake_time.waits[0] >= 3 and fake_time.waits[1] >= 5


async def test_backoff_grows_exponentially(mock_client: MakeClient, fake_time: FakeTime) -> None:
    _seen, handler = flaky(*[json_response(502, {})] * 3, then=json_response(200, VERSION))
    await mock_client(handler, retry=fake_time.policy(base_delay=1.0)).version()
    assert fake_time.waits == [1.0, 2.0, 4.0]


def test_jitter_only_lengthens_the_wait() -> None:
    policy = RetryPolicy(base_delay=1.0, jitter=0.5, random=lambda: 1.0)
    assert policy.delay(1) == 1.5
    assert policy.delay(3) == 6.0
    assert policy.delay(20) == policy.max_delay * 1.5


async def test_a_get_is_retried_on_500(mock_client: MakeClient, fake_time: FakeTime) -> None:
    seen, handler = flaky(json_response(500, {}), then=json_response(200, VERSION))
    assert (await mock_client(handler).version()).version_string == "2.49.0"
    assert seen == ["GET", "GET"]
    assert len(fake_time.waits) == 1


async def test_a_get_answering_500_every_time_gives_up_after_its_attempts(
    mock_client: MakeClient, fake_time: FakeTime
) -> None:
    seen, handler = flaky(then=json_response(500, {"message": "broken"}))
    with pytest.raises(errors.ServerError):
        await mock_client(handler, retry=fake_time.policy(max_attempts=3)).version()
    assert seen == ["GET"] * 3


async def test_a_write_is_not_retried_on_500(mock_client: MakeClient) -> None:
    seen, handler = flaky(json_response(500, {}), then=httpx.Response(204))
    client = mock_client(handler)
    with pytest.raises(errors.ServerError):
        await client.update_deployment("d1", label="new")
    assert seen == ["PATCH"]


def _cut_short(body: object) -> httpx.Response:
    text = httpx.Response(200, json=body).content
    return httpx.Response(200, content=text[: len(text) // 2], headers=JSON_TYPE)


JSON_TYPE = {"Content-Type": "application/json"}


async def test_a_get_is_retried_on_a_body_that_is_not_json(
    mock_client: MakeClient, fake_time: FakeTime
) -> None:
    seen, handler = flaky(_cut_short(VERSION), then=json_response(200, VERSION))
    assert (await mock_client(handler).version()).version_string == "2.49.0"
    assert seen == ["GET", "GET"]


async def test_a_page_cut_short_is_asked_again(mock_client: MakeClient) -> None:
    page = {"count": 1, "totalCount": 1, "next": None, "data": [{"id": "d1", "label": "x"}]}
    seen, handler = flaky(_cut_short(page), then=json_response(200, page))
    deployments = await mock_client(handler).list_all_deployment_records()
    assert [d.id for d in deployments] == ["d1"]
    assert seen == ["GET", "GET"]


async def test_a_body_of_the_wrong_shape_is_not_asked_again(mock_client: MakeClient) -> None:
    seen, handler = flaky(then=json_response(200, {"data": "not a list", "totalCount": 1}))
    with pytest.raises(errors.BadResponseError, match="does not have the documented shape"):
        await mock_client(handler).list_all_deployment_records()
    assert seen == ["GET"]


async def test_post_is_never_retried(mock_client: MakeClient, fake_time: FakeTime) -> None:
    seen, handler = flaky(json_response(503, {}), then=json_response(202, {}))
    with pytest.raises(errors.ServerError):
        await mock_client(handler).create_deployment_from_learning_model("m1", "label")
    assert seen == ["POST"]
    assert fake_time.waits == []


async def test_post_is_not_retried_after_a_dropped_connection(mock_client: MakeClient) -> None:
    seen: list[str] = []

    def drop(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        raise httpx.RemoteProtocolError("gone", request=request)

    with pytest.raises(errors.ConnectionFailed):
        await mock_client(drop).request_custom_model_deployment_logs("c1")
    assert seen == ["POST"]


async def test_patch_and_delete_of_a_deployment_are_retried(mock_client: MakeClient) -> None:
    seen, handler = flaky(json_response(503, {}), json_response(504, {}), then=httpx.Response(204))
    client = mock_client(handler)
    await client.update_deployment("d1", label="new")
    await client.delete_deployment("d1")
    assert seen == ["PATCH", "PATCH", "PATCH", "DELETE"]


async def test_a_retried_delete_that_already_happened_is_success(mock_client: MakeClient) -> None:
    seen, handler = flaky(json_response(502, {}), then=json_response(404, {"message": "gone"}))
    await mock_client(handler).delete_deployment("d1")
    assert seen == ["DELETE", "DELETE"]
    with pytest.raises(errors.NotFoundError):
        await mock_client(lambda r: json_response(404, {})).delete_deployment("d1")


async def test_erase_patch_starts_a_job_and_is_not_retried(mock_client: MakeClient) -> None:
    seen, handler = flaky(json_response(503, {}), then=httpx.Response(202))
    with pytest.raises(errors.ServerError):
        await mock_client(handler).erase_deleted_deployments(["a"])
    assert seen == ["PATCH"]


async def test_connection_errors_and_timeouts_are_retried(mock_client: MakeClient) -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) == 1:
            raise httpx.ConnectError("refused", request=request)
        if len(calls) == 2:
            raise httpx.ReadTimeout("slow", request=request)
        return json_response(200, VERSION)

    await mock_client(handler).version()
    assert len(calls) == 3


@pytest.mark.parametrize(
    ("cause", "said"),
    [
        (ConnectionRefusedError(111, "Connection refused"), "the connection was refused"),
        (OSError("[Errno -2] Name or service not known"), "host name could not be resolved"),
    ],
)
async def test_a_refused_or_unresolvable_connection_is_said_after_one_retry(
    mock_client: MakeClient, fake_time: FakeTime, cause: Exception, said: str
) -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        raise httpx.ConnectError(str(cause), request=request) from cause

    with pytest.raises(errors.ConnectionFailed, match=said):
        await mock_client(handler).version()
    assert len(calls) == 2 and len(fake_time.waits) == 1


async def test_attempts_are_bounded(mock_client: MakeClient, fake_time: FakeTime) -> None:
    seen, handler = flaky(then=json_response(503, {}))
    with pytest.raises(errors.ServerError):
        await mock_client(handler, retry=fake_time.policy(max_attempts=3)).version()
    assert len(seen) == 3


async def test_total_time_is_bounded(mock_client: MakeClient, fake_time: FakeTime) -> None:
    seen, handler = flaky(then=json_response(429, {}, **{"Retry-After": "40"}))
    with pytest.raises(errors.RateLimitedError) as caught:
        await mock_client(handler, retry=fake_time.policy(max_total=100)).version()
    assert len(seen) == 3  # waits of 40 s: two fit in 100 s, a third would not
    assert caught.value.retry_after == 40


async def test_retry_hook_is_told_about_each_retry(mock_client: MakeClient) -> None:
    told: list[tuple[str, float]] = []
    _seen, handler = flaky(json_response(502, {}), then=json_response(200, VERSION))
    client = mock_client(
        handler, on_retry=lambda error, wait: told.append((type(error).__name__, wait))
    )
    await client.version()
    assert told == [("ServerError", 0.5)]


def test_retry_after_forms() -> None:
    from datetime import UTC, datetime

    from drtui.api.errors import parse_retry_after

    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("3") == 3
    assert parse_retry_after("Thu, 01 Jan 2026 12:00:30 GMT", now=now) == 30
    assert parse_retry_after("Thu, 01 Jan 2026 11:00:00 GMT", now=now) == 0
    assert parse_retry_after("soon") is None and parse_retry_after("-1") is None
