"""The official `datarobot` client, unchanged, against the emulator over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import datarobot as dr
import httpx
import pytest
from datarobot.models.deployment import DeploymentListFilters
from datarobot.models.resource_bundle import ResourceBundle

from drtui.emulator.config import EmulatorConfig
from drtui.emulator.server import EmulatorServer


@pytest.fixture
def live(config: EmulatorConfig) -> Iterator[EmulatorServer]:
    """A wall-clock emulator whose jobs finish at once: the client sleeps 5 s between polls."""
    with EmulatorServer(config.with_changes(clock="wall", job_seconds=0.0)) as server:
        dr.Client(endpoint=server.endpoint, token=config.user_token)
        yield server


def _http(server: EmulatorServer) -> httpx.Client:
    return httpx.Client(
        base_url=server.endpoint + "/",
        headers={"Authorization": f"Bearer {server.config.user_token}"},
    )


def test_list_with_filters_order_and_search_matches_the_api(live: EmulatorServer) -> None:
    everything = dr.Deployment.list()
    assert len(everything) == 200
    filters = DeploymentListFilters(
        role="OWNER", service_health=["passing", "warning"], importance=["HIGH", "CRITICAL", "LOW"]
    )
    chosen = dr.Deployment.list(order_by="-label", filters=filters)
    with _http(live) as http:
        expected: list[str] = []
        url: str | None = (
            "deployments/?role=OWNER&serviceHealth=passing,warning&importance=HIGH,CRITICAL,LOW"
            "&orderBy=-label&limit=100"
        )
        while url:
            body = http.get(url).json()
            expected.extend(item["id"] for item in body["data"])
            url = body["next"]
    assert [d.id for d in chosen] == expected
    assert 0 < len(chosen) < 200
    assert all((d.service_health or {}).get("status") in ("passing", "warning") for d in chosen)
    labels = [(d.label or "").lower() for d in chosen]
    assert labels == sorted(labels, reverse=True)
    tagged = dr.Deployment.list(filters=DeploymentListFilters(tag_values=["staging"]))
    assert tagged and all(any(t["value"] == "staging" for t in d.tags) for d in tagged)
    found = dr.Deployment.list(search="FRAUD", limit=5, offset=0)
    assert found
    assert all("fraud" in f"{d.label} {d.description}".lower() for d in found)


def test_get_update_delete(live: EmulatorServer) -> None:
    mine = dr.Deployment.list(filters=DeploymentListFilters(role="OWNER"))[0]
    fetched = dr.Deployment.get(mine.id)
    assert fetched.id == mine.id and fetched.label == mine.label
    assert fetched.prediction_usage is not None
    assert len(fetched.prediction_usage["daily_rates"] or []) == 7
    fetched.update(label="Updated by dr client", description="via datarobot", importance="LOW")
    again = dr.Deployment.get(mine.id)
    assert (again.label, again.description, again.importance) == (
        "Updated by dr client",
        "via datarobot",
        "LOW",
    )
    again.delete()
    with pytest.raises(dr.errors.ClientError) as raised:
        dr.Deployment.get(mine.id)
    assert raised.value.status_code == 404


def test_permission_denied_surfaces_as_client_error(live: EmulatorServer) -> None:
    theirs = dr.Deployment.list(filters=DeploymentListFilters(role="USER"))[0]
    with pytest.raises(dr.errors.ClientError) as raised:
        theirs.update(label="not mine")
    assert raised.value.status_code == 403


def test_create_from_learning_model_waits_for_the_job(live: EmulatorServer) -> None:
    created = dr.Deployment.create_from_learning_model(
        "5f0000000000000000000abc", "Created by dr client", description="demo"
    )
    assert created.label == "Created by dr client"
    assert created.status == "active"


def test_resource_bundles(live: EmulatorServer) -> None:
    bundles = ResourceBundle.list()
    assert {b.id for b in bundles} >= {"cpu.micro", "gpu.small"}
    micro = ResourceBundle.get("cpu.micro")
    assert micro.cpu_count == 0.5 and micro.description
    custom_jobs = ResourceBundle.list(use_cases=["customJob"])
    assert custom_jobs and all("customJob" in b.use_cases for b in custom_jobs)


def test_create_from_learning_model_without_description(live: EmulatorServer) -> None:
    """The documented two-argument call: the client leaves `description` out of the body."""
    created = dr.Deployment.create_from_learning_model("5f0000000000000000000abd", "No words")
    assert created.label == "No words"
    assert created.description is None
    assert created.status == "active"
