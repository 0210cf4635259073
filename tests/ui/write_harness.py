"""The app against an in-process emulator, for the write actions.

Like `harness.py`, plus what writes need: either account's token (the deleted-deployments
endpoints need the admin), a read-only client, quick job polling (the emulator's jobs finish
on its manual clock, which the tests advance), an audit log in a temporary folder, and a
transport that records every request body and can answer one request with a fault (a 422 with
the server's message, a timeout) or hold an answer back (a poll in flight across a write).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from textual.pilot import Pilot

from drtui.api.client import DataRobotClient
from drtui.api.jobs import PollSchedule
from drtui.api.retry import NO_RETRY
from drtui.emulator.app import create_app
from drtui.emulator.config import EmulatorConfig
from drtui.emulator.state import EmulatorState
from drtui.store.audit import AuditLog
from drtui.ui.app import DrtuiApp
from drtui.ui.screens.deployments import DeploymentsScreen
from drtui.ui.settings import AppSettings
from tests.observe import Heard, screen_of, until
from tests.ui.harness import ENDPOINT, FIXED_NOW

Fault = Callable[[httpx.Request], httpx.Response | Exception | None]


@dataclass
class Sent:
    method: str
    path: str
    query: str
    body: Any


@dataclass
class Wire(httpx.AsyncBaseTransport):
    """Records requests; `fault` may answer one instead of the emulator; `hold` keeps a
    response back until its event is set."""

    inner: httpx.AsyncBaseTransport
    sent: list[Sent] = field(default_factory=list)
    fault: Fault | None = None
    hold: Callable[[httpx.Request], asyncio.Event | None] | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        content = request.content
        body = json.loads(content) if content else None
        self.sent.append(Sent(request.method, request.url.path, request.url.query.decode(), body))
        if self.fault is not None:
            answer = self.fault(request)
            if isinstance(answer, Exception):
                raise answer
            if answer is not None:
                return answer
        response = await self.inner.handle_async_request(request)
        gate = self.hold(request) if self.hold is not None else None
        if gate is not None:
            await gate.wait()
        return response

    def writes(self) -> list[Sent]:
        return [s for s in self.sent if s.method in ("POST", "PATCH", "PUT", "DELETE")]


@dataclass
class WriteHarness:
    app: DrtuiApp
    config: EmulatorConfig
    state: EmulatorState
    wire: Wire
    control: httpx.AsyncClient
    audit: AuditLog
    token: str
    heard: Heard = field(default_factory=Heard)
    """What the app said, once the test runs it with `run_test(message_hook=h.heard)`."""

    async def advance(self, seconds: float) -> None:
        response = await self.control.post("/_emulator/clock/advance", json={"seconds": seconds})
        response.raise_for_status()

    async def logged(self, *methods: str) -> list[dict[str, Any]]:
        """The emulator's own request log, filtered by method."""
        params = {"method": ",".join(methods)} if methods else None
        response = await self.control.get("/_emulator/requests", params=params)
        response.raise_for_status()
        return list(response.json()["data"])


def error_response(request: httpx.Request, status: int, message: str) -> httpx.Response:
    """What DataRobot answers when it refuses: JSON with a message (and field errors)."""
    return httpx.Response(status, json={"message": message}, request=request)


@dataclass
class Built:
    app: DrtuiApp
    emulator: Any
    config: EmulatorConfig
    wire: Wire
    audit: AuditLog
    token: str

    @property
    def state(self) -> EmulatorState:
        state: EmulatorState = self.emulator.state.emulator
        return state


def build_write_app(
    audit_dir: Path,
    *,
    admin: bool = False,
    client_read_only: bool = False,
    deployments: int = 60,
    seed: int = 7,
    **settings: Any,
) -> Built:
    """An app for the write tests (not started: snapshot tests run it themselves)."""
    config = EmulatorConfig(deployments=deployments, seed=seed, clock="manual")
    emulator = create_app(config)
    token = config.admin_token if admin else config.user_token
    wire = Wire(httpx.ASGITransport(app=emulator))
    client = DataRobotClient(
        ENDPOINT,
        token,
        retry=NO_RETRY,
        transport=wire,
        read_only=client_read_only,
        job_schedule=PollSchedule(first=0.01, factor=1.0, longest=0.01, deadline=30.0),
    )
    settings.setdefault("refresh_interval", 30.0)
    app = DrtuiApp(
        AppSettings(endpoint=ENDPOINT, token=token, profile_name="test", **settings),
        client=client,
        now=lambda: FIXED_NOW,
    )
    audit = AuditLog(audit_dir, secrets=(token,))
    app.sources.audit = audit
    return Built(app, emulator, config, wire, audit, token)


@asynccontextmanager
async def write_harness(audit_dir: Path, **options: Any) -> AsyncIterator[WriteHarness]:
    built = build_write_app(audit_dir, **options)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=built.emulator),
        base_url="http://emulator.test",
        headers={"Authorization": f"Bearer {built.config.user_token}"},
    ) as control:
        yield WriteHarness(
            built.app, built.config, built.state, built.wire, control, built.audit, built.token
        )
    await built.app.client.aclose()


async def loaded(pilot: Pilot[Any], app: DrtuiApp) -> DeploymentsScreen:
    screen = screen_of(app)
    await until(pilot, lambda: screen.refreshes >= 1, what="first refresh")
    return screen
