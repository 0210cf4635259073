from __future__ import annotations

from collections.abc import Iterator

import pytest

from drtui.emulator.config import EmulatorConfig
from drtui.emulator.server import EmulatorServer
from tests.cli.runner import USER_TOKEN


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    config = EmulatorConfig(deployments=150, seed=11, user_token=USER_TOKEN, clock="manual")
    with EmulatorServer(config, host="127.0.0.1", port=0) as running:
        yield running
