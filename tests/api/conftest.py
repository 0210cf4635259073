"""Shared fixtures for the API client tests: a fake clock, mock servers, emulator clients."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from drtui.api.client import DataRobotClient
from drtui.api.jobs import PollSchedule
from drtui.api.retry import RetryPolicy
from drtui.emulator.app import create_app
from drtui.emulator.config import EmulatorConfig
from drtui.emulator.server import EmulatorServer

ENDPOINT = "https://dr.example.test/api/v2"
TOKEN = "s3cr3t-token-value"


@dataclass
class FakeTime:
    """A clock that moves only when the client sleeps, recording every wait it asked for."""

    now: float = 0.0
    waits: list[float] = field(default_factory=list)

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now

    def policy(self, **overrides: object) -> RetryPolicy:
        options: dict[str, object] = {
            "sleep": self.sleep,
            "clock": self.clock,
            "random": lambda: 0.0,
        }
        options.update(overrides)
        return RetryPolicy(**options)  # type: ignore[arg-type]


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


Handler = Callable[[httpx.Request], httpx.Response]


@pytest.fixture
async def mock_client(
    fake_time: FakeTime,
) -> AsyncIterator[Callable[..., DataRobotClient]]:
    """Factory: a client whose server is ``handler``; waits go to ``fake_time``."""
    made: list[DataRobotClient] = []

    def make(handler: Handler, **options: object) -> DataRobotClient:
        options.setdefault("retry", fake_time.policy())
        options.setdefault("job_schedule", PollSchedule(first=0.1, deadline=30))
        client = DataRobotClient(
            ENDPOINT,
            TOKEN,
            transport=httpx.MockTransport(handler),
            **options,  # type: ignore[arg-type]
        )
        made.append(client)
        return client

    yield make
    for client in made:
        await client.aclose()


def json_response(status: int, body: object, **headers: str) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


# -- the emulator, in-process and over real HTTP ---------------------------------------------


EMULATOR_CONFIG = EmulatorConfig(deployments=230, job_seconds=0.2)
USER_TOKEN = EMULATOR_CONFIG.user_token
ADMIN_TOKEN = EMULATOR_CONFIG.admin_token
FAST_JOBS = PollSchedule(first=0.05, factor=1.5, longest=0.2, deadline=20)


@dataclass
class Emulator:
    """One running emulator and how to reach it: ``kind`` is "asgi" (in-process) or "http"."""

    kind: str
    endpoint: str
    app: object | None = None
    server: EmulatorServer | None = None
    clients: list[DataRobotClient] = field(default_factory=list)

    def transport(self) -> httpx.AsyncBaseTransport | None:
        return httpx.ASGITransport(app=self.app) if self.app is not None else None  # type: ignore[arg-type]

    def client(self, token: str = USER_TOKEN, **options: object) -> DataRobotClient:
        options.setdefault("job_schedule", FAST_JOBS)
        options.setdefault("retry", RetryPolicy(base_delay=0.01, max_delay=0.05))
        client = DataRobotClient(self.endpoint, token, transport=self.transport(), **options)  # type: ignore[arg-type]
        self.clients.append(client)
        return client

    async def control(self, method: str, path: str, body: object = None) -> httpx.Response:
        """The emulator's control API (chaos, traffic, downloads), as the admin."""
        base = self.endpoint.removesuffix("/api/v2")
        async with httpx.AsyncClient(
            base_url=base,
            transport=self.transport(),
            headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
        ) as http:
            response = await http.request(method, path, json=body)
        assert response.status_code < 300, response.text
        return response

    async def chaos(self, **settings: object) -> None:
        await self.control("PUT", "/_emulator/chaos", settings)

    async def requests_seen(self) -> list[dict[str, Any]]:
        seen: list[dict[str, Any]] = (await self.control("GET", "/_emulator/requests")).json()[
            "data"
        ]
        return seen


@pytest.fixture(scope="session")
def http_emulator() -> Iterator[EmulatorServer]:
    with EmulatorServer(EMULATOR_CONFIG, host="127.0.0.1", port=0) as server:
        yield server


@pytest.fixture(params=["asgi", "http"])
async def emulator(request: pytest.FixtureRequest) -> AsyncIterator[Emulator]:
    """The emulator both ways; the real-HTTP one is shared and reset after each test."""
    if request.param == "asgi":
        emu = Emulator("asgi", "http://emulator.test/api/v2", app=create_app(EMULATOR_CONFIG))
    else:
        server = request.getfixturevalue("http_emulator")
        emu = Emulator("http", server.endpoint, server=server)
    yield emu
    for client in emu.clients:
        await client.aclose()
    if emu.server is not None:
        await emu.control("DELETE", "/_emulator/chaos")
        await emu.control("POST", "/_emulator/reset")


@pytest.fixture
async def http_only(http_emulator: EmulatorServer) -> AsyncIterator[Emulator]:
    """The real-HTTP emulator alone, for what needs sockets (the download listener, timing)."""
    emu = Emulator("http", http_emulator.endpoint, server=http_emulator)
    yield emu
    for client in emu.clients:
        await client.aclose()
    await emu.control("DELETE", "/_emulator/chaos")
    await emu.control("POST", "/_emulator/reset")
