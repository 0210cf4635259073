"""PPS download corners with a scripted server: redirects, Range, cuts, checksums, disk space."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest

from drtui.api import errors
from drtui.api.client import DataRobotClient
from drtui.api.models import PPSImageMetadata

from .conftest import FakeTime

MakeClient = Callable[..., DataRobotClient]
IMAGE = bytes(range(256)) * 4096  # 1 MiB
META = PPSImageMetadata(
    image_size=len(IMAGE), hash=hashlib.sha256(IMAGE).hexdigest(), hash_algorithm="SHA256"
)


class _Stream(httpx.AsyncByteStream):
    """A body that arrives in pieces, as over a network, and may be cut after some bytes."""

    def __init__(self, data: bytes, cut_after: int | None = None) -> None:
        self.data, self.cut_after = data, cut_after

    async def __aiter__(self) -> AsyncIterator[bytes]:
        end = len(self.data) if self.cut_after is None else self.cut_after
        for start in range(0, end, 65536):
            yield self.data[start : min(end, start + 65536)]
        if self.cut_after is not None:
            raise httpx.ReadError("connection reset")


class BlobServer:
    """API host redirecting to a blob host; the blob host honours Range and may cut once."""

    def __init__(self, *, cut_after: int | None = None, same_origin: bool = False) -> None:
        self.blob_requests: list[httpx.Request] = []
        self.cut_after = cut_after
        self.blob_url = (
            "https://dr.example.test/blob/pps.tar.gz"
            if same_origin
            else "https://blobs.example.test/pps.tar.gz?sig=abc"
        )

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/v2/mlops/portablePredictionServerImage/metadata/":
            return httpx.Response(200, json=META.model_dump(mode="json", by_alias=True))
        if request.url.path == "/api/v2/mlops/portablePredictionServerImage/":
            return httpx.Response(302, headers={"Location": self.blob_url})
        self.blob_requests.append(request)
        start = 0
        if "Range" in request.headers:
            start = int(request.headers["Range"].removeprefix("bytes=").rstrip("-"))
        body = IMAGE[start:]
        status = 206 if start else 200
        headers = {"Content-Length": str(len(body))}
        cut, self.cut_after = self.cut_after, None
        return httpx.Response(status, headers=headers, stream=_Stream(body, cut))


async def test_redirect_to_another_origin_drops_authorization(
    mock_client: MakeClient, tmp_path: Path
) -> None:
    server = BlobServer()
    progress: list[tuple[int, int | None, float]] = []
    target = await mock_client(server).download_pps_image(
        tmp_path / "pps.tar.gz", progress=lambda *a: progress.append(a)
    )
    assert target.read_bytes() == IMAGE
    assert not (tmp_path / "pps.tar.gz.part").exists()
    assert "Authorization" not in server.blob_requests[0].headers
    assert progress[-1][0] == len(IMAGE) and progress[-1][1] == len(IMAGE)
    assert all(rate >= 0 for _, _, rate in progress)


async def test_redirect_on_the_same_origin_keeps_authorization(
    mock_client: MakeClient, tmp_path: Path
) -> None:
    server = BlobServer(same_origin=True)
    await mock_client(server).download_pps_image(tmp_path / "pps.tar.gz")
    assert server.blob_requests[0].headers["Authorization"].startswith("Bearer ")


async def test_resumes_from_an_existing_part_file(mock_client: MakeClient, tmp_path: Path) -> None:
    (tmp_path / "pps.tar.gz.part").write_bytes(IMAGE[:300_000])
    server = BlobServer()
    await mock_client(server).download_pps_image(tmp_path / "pps.tar.gz")
    assert server.blob_requests[0].headers["Range"] == "bytes=300000-"
    assert (tmp_path / "pps.tar.gz").read_bytes() == IMAGE


async def test_a_cut_transfer_resumes_within_the_call(
    mock_client: MakeClient, tmp_path: Path
) -> None:
    server = BlobServer(cut_after=123_456)
    await mock_client(server).download_pps_image(tmp_path / "pps.tar.gz")
    assert [r.headers.get("Range") for r in server.blob_requests] == [None, "bytes=123456-"]
    assert (tmp_path / "pps.tar.gz").read_bytes() == IMAGE


async def test_a_cut_transfer_keeps_the_part_when_retries_run_out(
    mock_client: MakeClient, tmp_path: Path, fake_time: FakeTime
) -> None:
    server = BlobServer(cut_after=1000)
    client = mock_client(server, retry=fake_time.policy(max_attempts=1))
    with pytest.raises(errors.DownloadError, match="run it again to resume"):
        await client.download_pps_image(tmp_path / "pps.tar.gz")
    assert (tmp_path / "pps.tar.gz.part").stat().st_size == 1000
    assert not (tmp_path / "pps.tar.gz").exists()


async def test_a_checksum_mismatch_removes_the_bad_file(
    mock_client: MakeClient, tmp_path: Path
) -> None:
    wrong = META.model_copy(update={"hash": "0" * 64})
    with pytest.raises(errors.DownloadError, match="SHA256") as caught:
        await mock_client(BlobServer()).download_pps_image(tmp_path / "pps.tar.gz", metadata=wrong)
    assert "removed" in str(caught.value)
    assert not (tmp_path / "pps.tar.gz").exists()
    assert not (tmp_path / "pps.tar.gz.part").exists()


async def test_not_enough_free_space_stops_before_downloading(
    mock_client: MakeClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "drtui.api.download.shutil.disk_usage", lambda path: type("U", (), {"free": 1024})()
    )
    server = BlobServer()
    with pytest.raises(errors.DownloadError, match="Not enough free space"):
        await mock_client(server).download_pps_image(tmp_path / "pps.tar.gz")
    assert server.blob_requests == []


async def test_missing_image_is_not_found(mock_client: MakeClient, tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json={"message": "No PPS images found"})

    with pytest.raises(errors.NotFoundError, match="Portable Prediction Server image"):
        await mock_client(handler).download_pps_image(tmp_path / "pps.tar.gz", metadata=META)
