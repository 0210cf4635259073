"""A health-filtered listing keeps every deployment that still matches while the fleet moves.

Paging `serviceHealth=failing` by offset over a set that shrinks as deployments recover skips
others: 50 recover after the first page, so offset 100 of the filtered set starts 50 failing
deployments later, and those 50 were never seen (`check --filter serviceHealth=failing` said
all clear about them). Health and traffic filters are now applied to the records as read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from drtui import cli
from drtui.api.client import DataRobotClient
from drtui.api.query import DeploymentQuery
from drtui.emulator.config import EmulatorConfig
from drtui.emulator.server import EmulatorServer
from drtui.ui.sources import Sources

TOKEN = "moving-filters-token-2718"


@pytest.fixture
def fleet() -> Iterator[EmulatorServer]:
    """300 deployments, the first 250 by label failing (three pages of the filtered set)."""
    config = EmulatorConfig(deployments=300, seed=9, clock="manual", user_token=TOKEN)
    with EmulatorServer(config) as running:
        state = running.state
        by_label = sorted(state.deployments, key=lambda i: state.deployments[i].doc["label"])
        for deployment_id in by_label:
            failing = deployment_id in by_label[:250]
            state.set_health(deployment_id, "serviceHealth", "failing" if failing else "passing")
        yield running


class RecoveringAfterTheFirstPage(httpx.AsyncBaseTransport):
    """Real HTTP; once the first page of the deployments has been served, the first 50
    failing deployments by label recover (as a fleet does between two page requests)."""

    def __init__(self, server: EmulatorServer) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.server = server
        self.recovered: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        first = request.url.params.get("offset") == "0"
        if first and request.url.path.endswith("/deployments/") and not self.recovered:
            state = self.server.state
            failing = sorted(
                (r.doc["label"], i)
                for i, r in state.deployments.items()
                if r.doc["serviceHealth"]["status"] == "failing"
            )
            for _, deployment_id in failing[:50]:
                state.set_health(deployment_id, "serviceHealth", "passing")
                self.recovered.append(deployment_id)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def _still_failing(server: EmulatorServer) -> set[str]:
    return {
        i
        for i, r in server.state.deployments.items()
        if r.doc["serviceHealth"]["status"] == "failing"
    }


@pytest.fixture
def moving(fleet: EmulatorServer, monkeypatch: pytest.MonkeyPatch) -> RecoveringAfterTheFirstPage:
    transport = RecoveringAfterTheFirstPage(fleet)
    made = DataRobotClient.from_config

    def from_config(cls: type[DataRobotClient], /, config: Any, **options: Any) -> DataRobotClient:
        return made(config, transport=transport, **options)

    monkeypatch.setattr(DataRobotClient, "from_config", classmethod(from_config))
    monkeypatch.setenv("DATAROBOT_ENDPOINT", fleet.endpoint)
    monkeypatch.setenv("DATAROBOT_API_TOKEN", TOKEN)
    return transport


def test_check_filtered_by_health_misses_no_deployment_still_failing(
    fleet: EmulatorServer,
    moving: RecoveringAfterTheFirstPage,
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["check", "--filter", "serviceHealth=failing", "--health", "service", "--json"]
    assert cli.main(argv) == 2
    assert len(moving.recovered) == 50
    offenders = {o["id"] for o in json.loads(capsys.readouterr().out)["offenders"]}
    assert _still_failing(fleet) <= offenders  # all 200 still failing are named


def test_deployments_filtered_by_health_lists_every_one_still_failing(
    fleet: EmulatorServer,
    moving: RecoveringAfterTheFirstPage,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["deployments", "--json", "--filter", "serviceHealth=failing"]) == 0
    listed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert _still_failing(fleet) <= {d["id"] for d in listed}
    assert {d["serviceHealth"] for d in listed} == {"failing"}  # as each page read it


async def test_the_screens_health_filtered_view_misses_none(fleet: EmulatorServer) -> None:
    transport = RecoveringAfterTheFirstPage(fleet)
    async with DataRobotClient(fleet.endpoint, TOKEN, transport=transport) as client:
        records = await Sources(client).deployments(
            DeploymentQuery(service_health=("failing",), order_by="label")
        )
    assert _still_failing(fleet) <= {r.id for r in records}


def test_a_misspelt_health_value_is_a_usage_error(
    fleet: EmulatorServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATAROBOT_ENDPOINT", fleet.endpoint)
    monkeypatch.setenv("DATAROBOT_API_TOKEN", TOKEN)
    with pytest.raises(SystemExit) as stopped:
        cli.main(["check", "--filter", "serviceHealth=failng"])
    assert stopped.value.code == 3
    assert "'failng' is not a health status a serviceHealth filter knows" in capsys.readouterr().err
