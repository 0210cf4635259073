"""`:pps`: the PPS image's metadata and a download from the view (prompt, progress, cancel,
resume, verification, the docker load line)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from textual.widgets import Input, ProgressBar

from drtui.api.client import DataRobotClient
from drtui.api.retry import NO_RETRY
from drtui.core.pps import NO_IMAGE
from drtui.ui.app import DrtuiApp
from drtui.ui.screens.pps import PpsScreen, TargetPrompt
from drtui.ui.settings import AppSettings
from tests.observe import screen_text, until
from tests.pps_metadata import pps_metadata
from tests.reliability.hostile_server import HostileServer, Reply
from tests.ui.harness import FIXED_NOW, harness

TOKEN = "ui-pps-token-5c1e"
IMAGE = b"pps image " * 50_000


def _meta(**extra: Any) -> dict[str, Any]:
    return pps_metadata(IMAGE, **extra)


@contextmanager
def hostile_app(meta: dict[str, Any] | None, *, trickle: bool = False) -> Iterator[DrtuiApp]:
    def route(method: str, path: str, query: dict[str, str]) -> Reply:
        if path.endswith("/portablePredictionServerImage/metadata/"):
            return Reply(body=meta) if meta else Reply(404, {"message": "No PPS images found"})
        if path.endswith("/portablePredictionServerImage/"):
            return Reply(body=IMAGE, trickle=0.002 if trickle else None)
        return Reply(body={"count": 0, "data": [], "next": None, "totalCount": 0})

    with HostileServer(route) as server:
        client = DataRobotClient(server.endpoint, TOKEN, retry=NO_RETRY)
        yield DrtuiApp(
            AppSettings(endpoint=server.endpoint, token=TOKEN, profile_name="test"),
            client=client,
            now=lambda: FIXED_NOW,
        )


async def _open_pps(pilot: Any, app: DrtuiApp) -> PpsScreen:
    await pilot.press("colon", *"pps", "enter")
    await until(pilot, lambda: isinstance(app.screen, PpsScreen), what=":pps")
    screen = app.screen
    assert isinstance(screen, PpsScreen)
    await until(pilot, lambda: screen.poller.polls or screen.no_image, what="metadata")
    return screen


async def _download_to(pilot: Any, app: DrtuiApp, target: Path) -> None:
    await pilot.press("D")
    await until(pilot, lambda: isinstance(app.screen, TargetPrompt), what="the path prompt")
    app.screen.query_one(Input).value = str(target)
    await pilot.press("enter")


async def test_metadata_download_verified_and_the_docker_load_line(tmp_path: Path) -> None:
    async with harness() as h, h.app.run_test(size=(120, 40)) as pilot:
        screen = await _open_pps(pilot, h.app)
        shown = screen_text(h.app)
        meta = h.state.image.metadata
        assert meta["filename"] in shown and f"{meta['imageSize']:,} bytes" in shown
        assert meta["shortDockerImageId"] in shown and meta["hash"] in shown
        assert "2026-03-" in shown and "ago" in shown, "created: absolute and relative"
        target = tmp_path / "image.tar.gz"
        await _download_to(pilot, h.app, target)
        await until(pilot, lambda: "Load it with" in screen.status, what="download done")
        assert hashlib.sha256(target.read_bytes()).hexdigest() == meta["hash"]
        assert f"docker load -i {target}" in screen_text(h.app)
        assert not Path(f"{target}.part").exists()
        # Again onto the verified file: nothing is downloaded.
        await _download_to(pilot, h.app, target)
        await until(pilot, lambda: "already downloaded" in screen.status, what="kept")
        image_gets = await h.requests("/api/v2/mlops/portablePredictionServerImage/")
        assert len(image_gets) == 1


async def test_d_resumes_a_part_file_with_range(tmp_path: Path) -> None:
    async with harness() as h, h.app.run_test(size=(120, 40)) as pilot:
        screen = await _open_pps(pilot, h.app)
        target = tmp_path / "image.tar.gz"
        blob = h.state.image.blob
        Path(f"{target}.part").write_bytes(blob[: len(blob) // 2])
        before = len(await h.requests("/api/v2/mlops/portablePredictionServerImage/"))
        await _download_to(pilot, h.app, target)
        await until(pilot, lambda: "Load it with" in screen.status, what="download done")
        gets = (await h.requests("/api/v2/mlops/portablePredictionServerImage/"))[before:]
        assert [g["status"] for g in gets] == [206], "resumed with Range, not started over"
        assert hashlib.sha256(target.read_bytes()).hexdigest() == h.state.image.metadata["hash"]


async def test_esc_cancels_keeps_a_resumable_part_and_the_app_stays_responsive(
    tmp_path: Path,
) -> None:
    with hostile_app(_meta(), trickle=True) as app:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await _open_pps(pilot, app)
            target = tmp_path / "image.tar.gz"
            await _download_to(pilot, app, target)
            await until(pilot, lambda: screen.download.done > 0, what="bytes arriving")
            assert screen.query_one(ProgressBar).display
            await until(pilot, lambda: "/s · ETA" in screen_text(app), what="rate drawn")
            assert "of 488.3 KiB" in screen_text(app)
            await pilot.press("question_mark")  # the app answers while bytes arrive
            await until(pilot, lambda: app.screen is not screen, what="help opens")
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is screen, what="help closed")
            await pilot.press("escape")
            await until(pilot, lambda: not screen.download.running, what="cancelled")
            part = Path(f"{target}.part")
            assert part.stat().st_size > 0 and not target.exists()
            assert "Download cancelled" in screen.status and "Press D to resume" in screen.status
            assert str(part) in screen.status
            assert app.current_view == "pps", "the first esc cancels; it does not leave"


async def test_no_image_is_said_and_no_space_is_refused_before_any_byte(tmp_path: Path) -> None:
    with hostile_app(None) as app:
        async with app.run_test(size=(120, 40)) as pilot:
            await _open_pps(pilot, app)
            await until(pilot, lambda: NO_IMAGE in screen_text(app), what="no image")
    with hostile_app(_meta(imageSize=1 << 62)) as app:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await _open_pps(pilot, app)
            await _download_to(pilot, app, tmp_path / "image.tar.gz")
            await until(pilot, lambda: not screen.download.running, what="refused")
            assert screen.status.startswith(f"Not enough free space in {tmp_path}")
            assert list(tmp_path.iterdir()) == []
