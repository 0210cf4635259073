"""`drtui pps`: the image's metadata, and a download that survives cuts and is verified."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from drtui.emulator.server import EmulatorServer
from tests.cli.runner import USER_TOKEN, run_drtui


@pytest.fixture
def cut_downloads(server: EmulatorServer) -> Iterator[None]:
    control = httpx.Client(
        base_url=server.base_url, headers={"Authorization": f"Bearer {USER_TOKEN}"}
    )
    control.put("/_emulator/chaos", json={"dropDownloadAfterBytes": 1_500_000}).raise_for_status()
    yield
    control.delete("/_emulator/chaos").raise_for_status()
    control.close()


def _metadata(server: EmulatorServer) -> dict[str, str]:
    result = run_drtui("pps", endpoint=server.endpoint)
    assert result.returncode == 0, result.stderr
    return dict(line.split(":", 1) for line in result.stdout.splitlines())


def test_metadata_names_file_size_and_hash(server: EmulatorServer) -> None:
    meta = _metadata(server)
    assert meta["filename"].strip().endswith(".tar.gz")
    assert "4.0 MiB (4,194,304 bytes)" in meta["size"]
    assert len(meta["sha256"].strip()) == 64


def test_download_into_a_directory_is_complete_and_verified(
    server: EmulatorServer, tmp_path: Path, cut_downloads: None
) -> None:
    meta = _metadata(server)
    result = run_drtui("pps", "--download", f"{tmp_path}/", endpoint=server.endpoint)
    assert result.returncode == 0, result.stderr
    saved = tmp_path / meta["filename"].strip()
    assert result.stdout.strip() == f"{saved}: downloaded and verified"
    assert saved.stat().st_size == 4 * 1024 * 1024  # the transfer was cut, and resumed
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == meta["sha256"].strip()
    assert not list(tmp_path.glob("*.part"))
    seen = httpx.get(
        f"{server.base_url}/_emulator/downloads", headers={"Authorization": f"Bearer {USER_TOKEN}"}
    ).json()["data"]
    assert any(d["range"] for d in seen), "the second request resumed with Range"
    assert not any(d["authorizationPresent"] for d in seen)


def test_download_into_a_missing_directory_makes_it(server: EmulatorServer, tmp_path: Path) -> None:
    result = run_drtui("pps", "--download", f"{tmp_path}/new/folder/", endpoint=server.endpoint)
    assert result.returncode == 0, result.stderr
    (saved,) = (tmp_path / "new" / "folder").iterdir()
    assert saved.name.endswith(".tar.gz") and saved.stat().st_size > 0


def test_download_into_a_file_as_a_folder_says_so(server: EmulatorServer, tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    result = run_drtui("pps", "--download", f"{tmp_path}/afile/", endpoint=server.endpoint)
    assert result.returncode == 3
    assert "afile is a file, not a directory" in result.stderr and "Traceback" not in result.stderr
