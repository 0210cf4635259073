"""The screen against the emulator over real HTTP (uvicorn on loopback), as in production."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from drtui.api.client import DataRobotClient
from drtui.api.retry import NO_RETRY
from drtui.emulator.config import EmulatorConfig
from drtui.emulator.server import EmulatorServer
from drtui.ui.app import DrtuiApp
from drtui.ui.settings import AppSettings
from tests.observe import screen_of, until
from tests.ui.harness import FIXED_NOW

HOSTILE = "[bold red]Owned[/] \x1b]0;pwned\x07\x1b[2Jlabel\nnext"


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(EmulatorConfig(deployments=40, seed=11, clock="manual")) as running:
        yield running


def _app(server: EmulatorServer) -> DrtuiApp:
    token = server.config.user_token
    client = DataRobotClient(server.endpoint, token, retry=NO_RETRY, timeout=5.0)
    settings = AppSettings(
        endpoint=server.endpoint, token=token, refresh_interval=0.3, attention_first=False
    )
    return DrtuiApp(settings, client=client, now=lambda: FIXED_NOW)


def _control(server: EmulatorServer) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=server.base_url, headers={"Authorization": f"Bearer {server.config.user_token}"}
    )


async def test_outage_over_http_is_stale_then_recovers_without_a_traceback(
    server: EmulatorServer,
) -> None:
    app = _app(server)
    async with _control(server) as control, app.run_test(size=(100, 30)) as pilot:
        screen = screen_of(app)
        await until(pilot, lambda: screen.refreshes >= 1, what="first refresh")
        (await control.put("/_emulator/chaos", json={"outage": True})).raise_for_status()
        await until(pilot, lambda: screen.freshness.stale_since is not None, what="stale")
        assert "503" in screen.freshness.reason
        assert len(screen.table.rows) == 40
        seen = screen.refreshes
        (await control.delete("/_emulator/chaos")).raise_for_status()
        await until(pilot, lambda: screen.refreshes > seen, timeout=8, what="recovery")
        assert screen.freshness.stale_since is None
        svg = app.export_screenshot()
        assert "Traceback" not in svg and server.config.user_token not in svg


async def test_hostile_label_is_drawn_as_inert_text(server: EmulatorServer) -> None:
    app = _app(server)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = screen_of(app)
        await until(pilot, lambda: screen.refreshes >= 1, what="first refresh")
        target = screen.table.cursor_id
        assert target is not None
        async with DataRobotClient(server.endpoint, server.config.admin_token) as admin:
            await admin.update_deployment(target, label=HOSTILE)
        await pilot.press("r")
        await until(pilot, lambda: "Owned" in screen.fleet.rows[target].label, what="new label")
        assert screen.fleet.rows[target].label == "[bold red]Owned[/] label next"
        text = app.export_screenshot().replace("&#160;", " ")
        assert "[bold red]Owned[/]" in text  # shown literally: markup never interpreted
        assert "\x1b" not in text and "pwned" not in text
