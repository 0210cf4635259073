"""Every error class, retries and the PPS download, provoked on the emulator."""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from drtui.api import errors
from drtui.api.retry import RetryPolicy

from .conftest import ADMIN_TOKEN, EMULATOR_CONFIG, USER_TOKEN, Emulator, FakeTime


async def test_wrong_token_is_401(emulator: Emulator) -> None:
    client = emulator.client("not-the-token")
    with pytest.raises(errors.AuthenticationError) as caught:
        await client.version()
    assert "was rejected by" in str(caught.value) and "not-the-token" not in str(caught.value)


async def test_deleted_deployments_as_non_admin_is_403(emulator: Emulator) -> None:
    with pytest.raises(errors.PermissionDeniedError) as caught:
        await emulator.client(USER_TOKEN).list_all_deleted_deployments()
    assert caught.value.permission == "CAN_DELETE_APP_PROJECTS"


async def test_editing_without_permission_is_403_naming_it(emulator: Emulator) -> None:
    client = emulator.client()
    fleet = await client.list_all_deployments()
    viewer_only = next(d for d in fleet if "CAN_EDIT_DEPLOYMENT" not in d.permissions)
    with pytest.raises(errors.PermissionDeniedError) as caught:
        await client.update_deployment(viewer_only.id or "", label="nope")
    assert caught.value.permission == "CAN_EDIT_DEPLOYMENT"
    assert "CAN_EDIT_DEPLOYMENT" in str(caught.value)


async def test_unknown_deployment_is_404(emulator: Emulator) -> None:
    with pytest.raises(errors.NotFoundError, match="Deployment ffffffffffffffffffffffff"):
        await emulator.client().get_deployment("ffffffffffffffffffffffff")


async def test_limit_over_100_is_422_with_field_errors(emulator: Emulator) -> None:
    with pytest.raises(errors.ValidationError) as caught:
        await emulator.client().list_deployments(limit=101)
    assert caught.value.status_code == 422
    assert "limit" in caught.value.field_errors
    assert "limit" in str(caught.value)


async def test_invalid_update_is_422(emulator: Emulator) -> None:
    client = emulator.client()
    fleet = await client.list_all_deployments()
    mine = next(d for d in fleet if "CAN_EDIT_DEPLOYMENT" in d.permissions)
    with pytest.raises(errors.ValidationError) as caught:
        await client.update_deployment(mine.id or "", importance="SUPREME")
    assert "importance" in caught.value.field_errors


async def test_429_is_retried_after_the_servers_retry_after(
    emulator: Emulator, fake_time: FakeTime
) -> None:
    await emulator.chaos(rateLimitRate=1, retryAfter=3, times=2)
    client = emulator.client(retry=fake_time.policy())
    assert (await client.version()).major == 2
    assert len(fake_time.waits) == 2 and all(w >= 3 for w in fake_time.waits)
    statuses = [
        r["status"] for r in await emulator.requests_seen() if r["path"] == "/api/v2/version/"
    ]
    assert statuses[-3:] == [429, 429, 200]


async def test_429_surfaces_when_retries_are_off(emulator: Emulator) -> None:
    await emulator.chaos(rateLimitRate=1, retryAfter=9, times=1)
    with pytest.raises(errors.RateLimitedError) as caught:
        await emulator.client(retry=RetryPolicy(max_attempts=1)).version()
    assert caught.value.retry_after == 9
    assert "retry after 9 seconds" in str(caught.value)


@pytest.mark.parametrize("status", [502, 503, 504])
async def test_gateway_errors_are_retried(
    emulator: Emulator, fake_time: FakeTime, status: int
) -> None:
    await emulator.chaos(errorRate=1, errorStatus=status, times=1)
    fleet = await emulator.client(retry=fake_time.policy()).list_all_deployments()
    assert len(fleet) == EMULATOR_CONFIG.deployments
    assert len(fake_time.waits) == 1


async def test_500_surfaces_with_the_request_id(emulator: Emulator, fake_time: FakeTime) -> None:
    await emulator.chaos(errorRate=1, errorStatus=500)
    with pytest.raises(errors.ServerError) as caught:
        await emulator.client(retry=fake_time.policy(max_attempts=2)).version()
    assert caught.value.request_id
    assert f"request id {caught.value.request_id}" in str(caught.value)


async def test_retries_give_up_with_the_last_error(emulator: Emulator, fake_time: FakeTime) -> None:
    await emulator.chaos(outage=True)
    with pytest.raises(errors.ServerError, match="503"):
        await emulator.client(retry=fake_time.policy(max_attempts=3)).version()
    assert len(fake_time.waits) == 2


async def test_post_is_not_retried(emulator: Emulator, fake_time: FakeTime) -> None:
    await emulator.chaos(errorRate=1, errorStatus=503, times=1)
    client = emulator.client(retry=fake_time.policy())
    with pytest.raises(errors.ServerError):
        await client.create_deployment_from_learning_model("5f0000000000000000000001", "Once")
    posts = [r for r in await emulator.requests_seen() if r["method"] == "POST"]
    assert len(posts) == 1 and fake_time.waits == []


async def test_malformed_json_is_a_bad_response(emulator: Emulator, fake_time: FakeTime) -> None:
    await emulator.chaos(malformedRate=1)
    client = emulator.client(retry=fake_time.policy(max_attempts=2))
    with pytest.raises(errors.BadResponseError, match="GET /deployments/ that is not valid JSON"):
        await client.list_deployments()
    assert len(fake_time.waits) == 1  # asked twice


async def test_one_500_or_one_page_cut_short_does_not_fail_a_listing(
    emulator: Emulator, fake_time: FakeTime
) -> None:
    for fault in ({"errorRate": 1, "errorStatus": 500}, {"malformedRate": 1}):
        await emulator.chaos(**fault, times=1)
        fleet = await emulator.client(retry=fake_time.policy()).list_all_deployment_records()
        assert len(fleet) == EMULATOR_CONFIG.deployments


async def test_the_bearer_scheme_is_what_the_server_sees(emulator: Emulator) -> None:
    await emulator.client().version()
    seen = [r for r in await emulator.requests_seen() if r["path"] == "/api/v2/version/"]
    assert seen[-1]["authScheme"] == "Bearer"


# -- over real sockets only ------------------------------------------------------------------


async def test_dropped_connection_is_retried(http_only: Emulator, fake_time: FakeTime) -> None:
    await http_only.chaos(dropRate=1, times=1)
    assert (await http_only.client(retry=fake_time.policy()).version()).major == 2
    assert len(fake_time.waits) == 1


async def test_dropped_connection_without_retries_is_connection_failed(http_only: Emulator) -> None:
    await http_only.chaos(dropRate=1, times=1)
    with pytest.raises(errors.ConnectionFailed, match="closed without an answer"):
        await http_only.client(retry=RetryPolicy(max_attempts=1)).version()


async def test_refused_connection_names_the_host() -> None:
    from drtui.api.client import DataRobotClient

    with socket_port() as port:
        pass  # the port is free again: nothing listens there
    async with DataRobotClient(
        f"http://127.0.0.1:{port}/api/v2", USER_TOKEN, retry=RetryPolicy(max_attempts=1)
    ) as client:
        with pytest.raises(errors.ConnectionFailed) as caught:
            await client.version()
    assert str(caught.value).startswith(f"Could not connect to 127.0.0.1:{port}: ")
    assert "refused" in str(caught.value)


async def test_real_time_retry_after_one_second(http_only: Emulator) -> None:
    await http_only.chaos(rateLimitRate=1, retryAfter=1, times=1)
    client = http_only.client(retry=RetryPolicy(base_delay=0.01, jitter=0))
    started = time.monotonic()
    await client.version()
    assert time.monotonic() - started >= 1.0


async def test_download_redirect_drops_authorization(http_only: Emulator, tmp_path: Path) -> None:
    client = http_only.client()
    meta = await client.get_pps_image_metadata()
    progress: list[int] = []
    path = await client.download_pps_image(
        tmp_path / "pps.tar.gz", progress=lambda d, t, r: progress.append(d)
    )
    data = path.read_bytes()
    assert len(data) == meta.image_size
    assert hashlib.sha256(data).hexdigest() == meta.hash
    assert progress[-1] == meta.image_size
    seen = (await http_only.control("GET", "/_emulator/downloads")).json()["data"]
    assert seen[-1]["authorizationPresent"] is False
    assert seen[-1]["status"] == 200


async def test_download_resumes_from_a_part_file(http_only: Emulator, tmp_path: Path) -> None:
    client = http_only.client()
    whole = (await client.download_pps_image(tmp_path / "first.tar.gz")).read_bytes()
    (tmp_path / "again.tar.gz.part").write_bytes(whole[:1_000_000])
    again = await client.download_pps_image(tmp_path / "again.tar.gz")
    assert again.read_bytes() == whole
    seen = (await http_only.control("GET", "/_emulator/downloads")).json()["data"]
    assert seen[-1]["range"] == "bytes=1000000-"
    assert seen[-1]["status"] == 206 and seen[-1]["authorizationPresent"] is False


async def test_download_cut_midway_resumes_itself(http_only: Emulator, tmp_path: Path) -> None:
    await http_only.chaos(dropDownloadAfterBytes=1_500_000, times=1)
    client = http_only.client()
    meta = await client.get_pps_image_metadata()
    path = await client.download_pps_image(tmp_path / "pps.tar.gz", metadata=meta)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == meta.hash
    ranges = [
        d["range"] for d in (await http_only.control("GET", "/_emulator/downloads")).json()["data"]
    ]
    # The listener cuts every transfer after 1.5 MB (``times`` counts API requests only), so the
    # 4 MiB image takes three requests, each resuming where the previous one was cut.
    offsets = [int(r.removeprefix("bytes=").rstrip("-")) for r in ranges[1:]]
    assert ranges[0] is None and len(offsets) >= 2
    assert offsets == sorted(offsets) and 0 < offsets[0] <= 1_500_000


async def test_download_hash_mismatch(http_only: Emulator, tmp_path: Path) -> None:
    client = http_only.client()
    meta = await client.get_pps_image_metadata()
    tampered = meta.model_copy(update={"hash": hashlib.sha256(b"other").hexdigest()})
    with pytest.raises(errors.DownloadError, match="failed verification"):
        await client.download_pps_image(tmp_path / "pps.tar.gz", metadata=tampered)
    assert not (tmp_path / "pps.tar.gz").exists()
    assert not (tmp_path / "pps.tar.gz.part").exists()


async def test_in_process_download_is_served_directly(tmp_path: Path) -> None:
    """Without the second listener the app answers the image itself (200, no redirect)."""
    from drtui.api.client import DataRobotClient
    from drtui.emulator.app import create_app

    app = create_app(EMULATOR_CONFIG)
    async with DataRobotClient(
        "http://emulator.test/api/v2", ADMIN_TOKEN, transport=httpx.ASGITransport(app=app)
    ) as client:
        meta = await client.get_pps_image_metadata()
        path = await client.download_pps_image(tmp_path / "pps.tar.gz")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == meta.hash


def socket_port() -> contextlib.AbstractContextManager[int]:
    import socket

    @contextlib.contextmanager
    def bound() -> Iterator[int]:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        try:
            yield sock.getsockname()[1]
        finally:
            sock.close()

    return bound()
