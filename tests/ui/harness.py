"""The app against an in-process emulator: what every Pilot and snapshot test starts from.

The emulator runs on its manual clock and a fixed seed, the app gets a fixed `now`, and the
client does not retry, so every run sees the same fleet and the same screen.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from drtui.api.client import DataRobotClient
from drtui.api.retry import NO_RETRY
from drtui.emulator.app import create_app
from drtui.emulator.config import EmulatorConfig
from drtui.emulator.state import EmulatorState
from drtui.ui.app import DrtuiApp
from drtui.ui.settings import AppSettings
from tests.observe import Heard

ENDPOINT = "http://emulator.test/api/v2"
FIXED_NOW = datetime(2026, 3, 2, 9, 5, tzinfo=UTC)
"""Five minutes after the emulator's manual clock starts: ages read the same in every run."""


@dataclass
class Harness:
    app: DrtuiApp
    config: EmulatorConfig
    control: httpx.AsyncClient
    """Speaks the emulator's control API (/_emulator/...) with the user token."""
    state: EmulatorState
    """The emulator's world, for staging a change precisely (e.g. one health status)."""
    heard: Heard = field(default_factory=Heard)
    """What the app said, once the test runs it with `run_test(message_hook=h.heard)`."""

    async def requests(self, path: str = "/api/v2/deployments/") -> list[dict[str, Any]]:
        response = await self.control.get("/_emulator/requests")
        response.raise_for_status()
        return [r for r in response.json()["data"] if r["path"] == path]

    async def chaos(self, **settings: Any) -> None:
        response = await self.control.put("/_emulator/chaos", json=settings)
        response.raise_for_status()

    async def calm(self) -> None:
        (await self.control.delete("/_emulator/chaos")).raise_for_status()

    async def advance(self, seconds: float) -> None:
        response = await self.control.post("/_emulator/clock/advance", json={"seconds": seconds})
        response.raise_for_status()


def build_app(
    deployments: int = 60,
    seed: int = 7,
    *,
    state: Path | None = None,
    token: str | None = None,
    emulator: Any = None,
    now: Callable[[], datetime] = lambda: FIXED_NOW,
    **settings: Any,
) -> tuple[DrtuiApp, Any, EmulatorConfig]:
    """An app wired to a fresh emulator (not started: snapshot tests run it themselves).

    `state`: where mutes and acknowledgements persist; `token`: another token than the user's
    (a wrong one, say); `emulator`: an existing emulator app to wire to (a "restart"); `now`:
    the app's clock (FIXED_NOW unless a test moves it)."""
    if emulator is None:
        config = EmulatorConfig(deployments=deployments, seed=seed, clock="manual")
        emulator = create_app(config)
    config = emulator.state.emulator.config
    client = DataRobotClient(
        ENDPOINT,
        token or config.user_token,
        retry=NO_RETRY,
        transport=httpx.ASGITransport(app=emulator),
    )
    settings.setdefault("refresh_interval", 30.0)
    app = DrtuiApp(
        AppSettings(endpoint=ENDPOINT, token=config.user_token, profile_name="test", **settings),
        client=client,
        now=now,
        state=state,
    )
    return app, emulator, config


@asynccontextmanager
async def harness(deployments: int = 60, seed: int = 7, **settings: Any) -> AsyncIterator[Harness]:
    app, emulator, config = build_app(deployments, seed, **settings)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=emulator),
        base_url="http://emulator.test",
        headers={"Authorization": f"Bearer {config.user_token}"},
    ) as control:
        yield Harness(app, config, control, emulator.state.emulator)
