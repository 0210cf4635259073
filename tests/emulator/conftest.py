"""Fixtures: an in-process emulator on a manual clock (fast), and a real one over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from drtui.emulator.app import create_app
from drtui.emulator.config import EmulatorConfig
from drtui.emulator.server import EmulatorServer
from drtui.emulator.state import EmulatorState

USER_TOKEN = "test-user-token"
ADMIN_TOKEN = "test-admin-token"
BASE_URL = "http://emulator.test"


@pytest.fixture
def config() -> EmulatorConfig:
    return EmulatorConfig(
        deployments=200,
        seed=7,
        user_token=USER_TOKEN,
        admin_token=ADMIN_TOKEN,
        image_size=256 * 1024,
        job_seconds=2.0,
        clock="manual",
    )


@pytest.fixture
def app(config: EmulatorConfig) -> Starlette:
    return create_app(config)


@pytest.fixture
def state(app: Starlette) -> EmulatorState:
    world: EmulatorState = app.state.emulator
    return world


def _client(app: Starlette, token: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url=BASE_URL,
        headers={"Authorization": f"Bearer {token}"},
    )


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(app, USER_TOKEN) as http:
        yield http


@pytest.fixture
async def admin(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(app, ADMIN_TOKEN) as http:
        yield http


@pytest.fixture
def server(config: EmulatorConfig) -> Iterator[EmulatorServer]:
    with EmulatorServer(config) as running:
        yield running


@pytest.fixture
def http(server: EmulatorServer) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=server.base_url, headers={"Authorization": f"Bearer {USER_TOKEN}"}
    ) as session:
        yield session


async def fetch_all(
    client: httpx.AsyncClient, params: dict[str, str | list[str]] | None = None
) -> list[dict[str, Any]]:
    """Every deployment of a listing, following `next` links to the end."""
    response = await client.get("/api/v2/deployments/", params={**(params or {}), "limit": "100"})
    items: list[dict[str, Any]] = []
    while True:
        assert response.status_code == 200, response.text
        body = response.json()
        items.extend(body["data"])
        if body["next"] is None:
            return items
        response = await client.get(body["next"])
