"""The PPS image download over real HTTP: uvicorn on loopback, the 302 to a pre-signed URL on a
second listener (another origin), cuts, corruption, a full disk, and the CLI's exit codes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from drtui.api import download
from drtui.api.errors import DownloadError
from drtui.api.models import PPSImageMetadata
from drtui.api.retry import NO_RETRY
from tests.api.conftest import USER_TOKEN, Emulator
from tests.cli.runner import run_drtui
from tests.pps_metadata import pps_metadata
from tests.reliability.hostile_server import HostileServer, Reply

IMAGE = b"portable prediction server " * 40_000


async def _metadata(emu: Emulator) -> PPSImageMetadata:
    return await emu.client().get_pps_image_metadata()


async def _downloads(emu: Emulator) -> list[dict[str, Any]]:
    downloads: list[dict[str, Any]] = (await emu.control("GET", "/_emulator/downloads")).json()[
        "data"
    ]
    return downloads


async def test_the_presigned_url_never_receives_authorization(
    http_only: Emulator, tmp_path: Path
) -> None:
    meta = await _metadata(http_only)
    saved = await http_only.client().download_pps_image(tmp_path / "pps.tar.gz", metadata=meta)
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == meta.hash
    seen = await _downloads(http_only)
    assert seen, "the image came from the second listener (another origin), after a 302"
    assert not any(d["authorizationPresent"] for d in seen)
    api = [r for r in await http_only.requests_seen() if r["path"].endswith("ServerImage/")]
    assert api[-1]["status"] == 302 and api[-1]["authScheme"] == "Bearer"


async def test_an_interrupted_download_resumes_on_the_next_call_and_verifies(
    http_only: Emulator, tmp_path: Path
) -> None:
    meta = await _metadata(http_only)
    target = tmp_path / "pps.tar.gz"
    await http_only.chaos(dropDownloadAfterBytes=1_000_000)
    with pytest.raises(DownloadError) as cut:
        await http_only.client(retry=NO_RETRY).download_pps_image(target, metadata=meta)
    part = download.part_path(target)
    assert "run it again to resume" in str(cut.value)
    assert 0 < part.stat().st_size < (meta.image_size or 0) and not target.exists()
    await http_only.control("DELETE", "/_emulator/chaos")
    await http_only.client(retry=NO_RETRY).download_pps_image(target, metadata=meta)
    assert hashlib.sha256(target.read_bytes()).hexdigest() == meta.hash
    assert not part.exists()
    ranges = [d["range"] for d in await _downloads(http_only)]
    assert ranges[0] is None and ranges[-1] is not None and ranges[-1].startswith("bytes=")


async def test_corruption_is_detected_and_the_partial_file_removed(
    http_only: Emulator, tmp_path: Path
) -> None:
    meta = await _metadata(http_only)
    lying = meta.model_copy(update={"hash": "0" * 64})
    target = tmp_path / "pps.tar.gz"
    with pytest.raises(DownloadError) as bad:
        await http_only.client().download_pps_image(target, metadata=lying)
    assert "failed verification" in str(bad.value) and "was removed" in str(bad.value)
    assert list(tmp_path.iterdir()) == []


async def test_insufficient_space_is_refused_before_any_byte(
    http_only: Emulator, tmp_path: Path
) -> None:
    meta = await _metadata(http_only)
    huge = meta.model_copy(update={"image_size": 1 << 62})
    with pytest.raises(DownloadError) as full:
        await http_only.client().download_pps_image(tmp_path / "pps.tar.gz", metadata=huge)
    assert str(full.value).startswith(f"Not enough free space in {tmp_path}")
    assert await _downloads(http_only) == [], "not one byte was asked for"
    assert list(tmp_path.iterdir()) == []


# -- the command line: exit 3 on every failure, 0 and no download for a verified file ----------


def _meta(**extra: Any) -> dict[str, Any]:
    return pps_metadata(IMAGE, **extra)


class PpsHost:
    def __init__(self, meta: dict[str, Any] | None, image: bytes = IMAGE) -> None:
        self.meta, self.image, self.downloads = meta, image, 0

    def __call__(self, method: str, path: str, query: dict[str, str]) -> Reply:
        if path.endswith("/portablePredictionServerImage/metadata/"):
            return Reply(body=self.meta) if self.meta else Reply(404, {"message": "No images"})
        if path.endswith("/portablePredictionServerImage/"):
            self.downloads += 1
            return Reply(body=self.image, headers={"Content-Type": "application/gzip"})
        return Reply(404, {"message": "no"})


def _pps(host: PpsHost, *args: str) -> Any:
    with HostileServer(host) as server:
        return run_drtui("pps", *args, endpoint=server.endpoint)


@pytest.mark.parametrize(
    ("host", "says"),
    [
        (PpsHost(None), "This installation has no Portable Prediction Server image"),
        (PpsHost(_meta(hash="1" * 64)), "failed verification"),
        (PpsHost(_meta(imageSize=1 << 62)), "Not enough free space"),
        (PpsHost(_meta(), image=IMAGE[:1000]), "closed after 1,000 of"),
    ],
    ids=["no-image", "corrupt", "no-space", "cut"],
)
def test_every_download_failure_exits_3_in_one_sentence(
    tmp_path: Path, host: PpsHost, says: str
) -> None:
    result = _pps(host, "--download", f"{tmp_path}/")
    assert result.returncode == 3
    assert says in result.stderr and "Traceback" not in result.stderr
    assert USER_TOKEN not in result.stderr + result.stdout
    assert not (tmp_path / "pps.tar.gz").exists()


def test_json_prints_the_metadata_as_one_object(tmp_path: Path) -> None:
    result = _pps(PpsHost(_meta(datarobotRuntimeImageTag="\x1b[31mtag-9")), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["imageSize"] == len(IMAGE) and data["hashAlgorithm"] == "SHA256"
    assert data["shortDockerImageId"] == "abababababab"
    assert data["datarobotRuntimeImageTag"] == "tag-9", "the escape sequence was removed"
    assert len(result.stdout.strip().splitlines()) == 1


def test_the_text_metadata_shows_every_field() -> None:
    result = _pps(PpsHost(_meta(datarobotRuntimeImageTag="9.1.0")))
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(":", 1) for line in result.stdout.splitlines())
    assert lines["size"].strip() == "1.0 MiB (1,080,000 bytes)"
    assert lines["created"].strip().startswith("2026-03-01 10:00:00 UTC (")
    assert lines["short image id"].strip() == "abababababab"
    assert lines["hash algorithm"].strip() == "SHA256"
    assert lines["base image id"].strip() == "base-1"
    assert lines["runtime image tag"].strip() == "9.1.0"


def test_a_verified_file_is_not_downloaded_again(tmp_path: Path) -> None:
    host = PpsHost(_meta())
    first = _pps(host, "--download", f"{tmp_path}/")
    assert first.returncode == 0, first.stderr
    assert f"docker load -i {tmp_path / 'pps.tar.gz'}" in first.stderr
    second = _pps(host, "--download", f"{tmp_path}/")
    assert second.returncode == 0, second.stderr
    assert "already downloaded and verified; nothing was downloaded" in second.stdout
    assert host.downloads == 1


def test_progress_is_plain_lines_without_a_terminal(tmp_path: Path) -> None:
    result = _pps(PpsHost(_meta()), "--download", f"{tmp_path}/")
    assert result.returncode == 0, result.stderr
    progress = [line for line in result.stderr.splitlines() if "downloading" in line]
    assert 1 <= len(progress) <= 10
    assert "\r" not in result.stderr
    assert progress[-1].startswith("drtui: downloading ") and "(100.0%)" in progress[-1]


def test_progress_bar_on_a_terminal() -> None:
    import io

    from drtui.cli.pps import Progress

    out = io.StringIO()
    bar = Progress(out, live=True)
    bar(512, 1024, 256.0)
    bar(1024, 1024, 256.0)
    bar.end()
    text = out.getvalue()
    assert text.startswith("\r") and "█" * 24 in text and "1.0 KiB of 1.0 KiB (100.0%)" in text
    assert text.endswith("\n")


def test_httpx_redirect_rules_are_what_strip_the_token() -> None:
    """The download follows `response.next_request`: httpx's own cross-origin rule."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == "api.test":
            return httpx.Response(302, headers={"Location": "https://blobs.test/x?sig=1"})
        return httpx.Response(200, content=b"x")

    with httpx.Client(transport=httpx.MockTransport(handler)) as http:
        first = http.send(
            http.build_request("GET", "https://api.test/i", headers={"Authorization": "Bearer t"})
        )
        assert first.next_request is not None
        http.send(first.next_request)
    assert "Authorization" not in seen[1].headers
