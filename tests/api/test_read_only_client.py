"""A read-only client refuses every request that could change something, before a byte is sent.

Whatever path the call takes (a client method, the HTTP core directly, or the raw httpx client
underneath), the transport must never see a POST, PATCH, PUT or DELETE.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from drtui.api import errors
from drtui.api.client import DataRobotClient
from drtui.api.http import HttpCore

ENDPOINT = "https://dr.example.test/api/v2"
TOKEN = "s3cr3t-token-value"


class Recorder(httpx.AsyncBaseTransport):
    """A transport that records every request it is asked to send, and answers 200 {}."""

    def __init__(self) -> None:
        self.sent: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        return httpx.Response(200, json={"count": 0, "totalCount": 0, "data": []})


@pytest.fixture
async def recorded() -> AsyncIterator[tuple[DataRobotClient, Recorder]]:
    recorder = Recorder()
    client = DataRobotClient(ENDPOINT, TOKEN, transport=recorder, read_only=True)
    yield client, recorder
    await client.aclose()


async def test_client_methods_that_write_are_refused(
    recorded: tuple[DataRobotClient, Recorder],
) -> None:
    client, recorder = recorded
    calls = [
        client.update_deployment("d1", label="new"),
        client.delete_deployment("d1"),
        client.create_deployment_from_learning_model("m1", "label"),
        client.request_custom_model_deployment_logs("d1"),
        client.erase_deleted_deployments(["d1"]),
    ]
    for call in calls:
        with pytest.raises(errors.ReadOnlyError) as caught:
            await call
        assert str(caught.value).startswith("read-only mode: this would send a ")
        assert TOKEN not in str(caught.value)
    assert recorder.sent == []


async def test_the_sentence_names_method_and_path(
    recorded: tuple[DataRobotClient, Recorder],
) -> None:
    client, _ = recorded
    with pytest.raises(errors.ReadOnlyError) as caught:
        await client.update_deployment("d1", label="new")
    assert str(caught.value) == (
        "read-only mode: this would send a PATCH /deployments/d1/ to dr.example.test; "
        "nothing was sent."
    )
    assert isinstance(caught.value, errors.DataRobotError)


@pytest.mark.parametrize("method", ["POST", "PATCH", "PUT", "DELETE", "post"])
async def test_the_core_refuses_writes_when_called_directly(method: str) -> None:
    recorder = Recorder()
    core = HttpCore(ENDPOINT, TOKEN, transport=recorder, read_only=True)
    try:
        with pytest.raises(errors.ReadOnlyError):
            await core.request(method, "deployments/d1/", json_body={"label": "x"})
        # Even the raw httpx client underneath cannot be used to write.
        with pytest.raises(errors.ReadOnlyError):
            await core.http.request(method, "deployments/d1/")
    finally:
        await core.aclose()
    assert recorder.sent == []


async def test_reads_still_work_when_read_only(
    recorded: tuple[DataRobotClient, Recorder],
) -> None:
    client, recorder = recorded
    assert client.read_only
    assert await client.list_all_deployments() == []
    assert [r.method for r in recorder.sent] == ["GET"]


async def test_a_writable_client_still_writes() -> None:
    recorder = Recorder()
    async with DataRobotClient(ENDPOINT, TOKEN, transport=recorder) as client:
        assert not client.read_only
        await client.delete_deployment("d1")
    assert [r.method for r in recorder.sent] == ["DELETE"]
