"""One emulator server per module, over real HTTP on loopback, with a manual clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from drtui.emulator.config import EmulatorConfig
from drtui.emulator.server import EmulatorServer
from tests.reliability.rig import set_chaos

DEPLOYMENTS = 60
TOKEN = "tok-SECRET-4242"
"""A token distinctive enough that finding it anywhere is a leak, not a coincidence."""


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    config = EmulatorConfig(deployments=DEPLOYMENTS, seed=5, clock="manual", user_token=TOKEN)
    with EmulatorServer(config) as running:
        yield running


@pytest.fixture(autouse=True)
def calm(request: pytest.FixtureRequest) -> Iterator[None]:
    """No test inherits another's faults."""
    yield
    if "server" in request.fixturenames:
        set_chaos(request.getfixturevalue("server"), None)
