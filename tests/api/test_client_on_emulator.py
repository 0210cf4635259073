"""Every endpoint against the emulator, in-process (ASGI) and over real HTTP (uvicorn)."""

from __future__ import annotations

import pytest

from drtui.api import errors
from drtui.api.client import DataRobotClient
from drtui.api.models import HealthStatus
from drtui.api.query import DeploymentQuery

from .conftest import ADMIN_TOKEN, EMULATOR_CONFIG, Emulator


async def _sequential_ids(
    client: DataRobotClient, query: DeploymentQuery | None = None
) -> list[str | None]:
    """The fleet fetched one page after another: the reference order for concurrent paging."""
    ids: list[str | None] = []
    offset = 0
    while True:
        page = await client.list_deployments(query, offset=offset, limit=100)
        ids += [d.id for d in page.data]
        offset += 100
        if offset >= (page.total_count or 0):
            return ids


async def test_version(emulator: Emulator) -> None:
    version = await emulator.client().version()
    assert (version.major, version.minor, version.version_string) == (2, 49, "2.49.0")


async def test_concurrent_paging_returns_the_exact_fleet_in_order(emulator: Emulator) -> None:
    client = emulator.client()
    fleet = await client.list_all_deployments(concurrency=4)
    assert len(fleet) == EMULATOR_CONFIG.deployments
    assert len({d.id for d in fleet}) == len(fleet)
    # With no order asked for, the whole list is paged by label: the server's default (last
    # prediction time) moves with traffic between page requests.
    assert [d.id for d in fleet] == await _sequential_ids(client, DeploymentQuery(order_by="label"))


async def test_ordering_and_filters_reach_the_server(emulator: Emulator) -> None:
    client = emulator.client()
    by_label = await client.list_all_deployments(DeploymentQuery(order_by="label"))
    labels = [d.label or "" for d in by_label]
    assert labels == sorted(labels, key=str.lower) or labels == sorted(labels)
    failing = DeploymentQuery().with_filter("serviceHealth", [HealthStatus.FAILING])
    only_failing = await client.list_all_deployments(failing)
    assert only_failing, "the seeded fleet has failing deployments"
    assert all(d.service_health and d.service_health.status == "failing" for d in only_failing)
    assert len(only_failing) < EMULATOR_CONFIG.deployments
    worst_first = await client.list_all_deployments(DeploymentQuery(order_by="serviceHealth"))
    assert worst_first[0].service_health and worst_first[0].service_health.status == "failing"


async def test_search_and_tag_filters(emulator: Emulator) -> None:
    client = emulator.client()
    fleet = await client.list_all_deployments()
    tagged = next(d for d in fleet if d.tags)
    key = tagged.tags[0].name
    with_tag = await client.list_all_deployments(DeploymentQuery().with_filter("tagKeys", [key]))
    assert tagged.id in {d.id for d in with_tag}
    assert all(any(t.name == key for t in d.tags) for d in with_tag)
    word = (tagged.label or "").split()[0]
    found = await client.list_all_deployments(DeploymentQuery(search=word.lower()))
    assert tagged.id in {d.id for d in found}


async def test_get_update_delete_and_deleted_list(emulator: Emulator) -> None:
    client = emulator.client()
    fleet = await client.list_all_deployments()
    mine = next(d for d in fleet if "CAN_DELETE_DEPLOYMENT" in d.permissions)
    assert mine.id is not None
    got = await client.get_deployment(mine.id)
    assert got.id == mine.id and got.label == mine.label
    await client.update_deployment(mine.id, label="Renamed by test", importance="LOW")
    again = await client.get_deployment(mine.id)
    assert (again.label, again.importance) == ("Renamed by test", "LOW")
    await client.delete_deployment(mine.id, ignore_management_agent=True)
    with pytest.raises(errors.NotFoundError, match=f"Deployment {mine.id} was not found"):
        await client.get_deployment(mine.id)
    admin = emulator.client(ADMIN_TOKEN)
    deleted = await admin.list_all_deleted_deployments()
    assert mine.id in {d.id for d in deleted}
    assert all(d.deleted_at is not None for d in deleted)


async def test_create_from_learning_model_follows_the_job_to_303(emulator: Emulator) -> None:
    client = emulator.client()
    seen: list[str | None] = []
    result = await client.create_deployment_from_learning_model(
        "5f0000000000000000000001", "Created by test", progress=lambda s: seen.append(s.status)
    )
    assert result.resource_id and result.resource_url
    assert result.resource_url.endswith(f"/api/v2/deployments/{result.resource_id}/")
    created = await client.get_deployment(result.resource_id)
    assert created.label == "Created by test"
    assert created.status == "active"
    assert seen and set(seen) <= {"INITIALIZED", "RUNNING"}


async def test_erase_job_to_303_and_to_error(emulator: Emulator) -> None:
    admin = emulator.client(ADMIN_TOKEN)
    deleted = await admin.list_all_deleted_deployments()
    assert deleted, "the seeded emulator has deleted deployments"
    [done] = await admin.erase_deleted_deployments([deleted[0].id or ""])
    assert done.resource_url is not None or done.last_status is not None
    remaining = {d.id for d in await admin.list_all_deleted_deployments()}
    assert deleted[0].id not in remaining
    with pytest.raises(errors.JobFailedError) as caught:
        await admin.erase_deleted_deployments(["000000000000000000000bad"])
    assert caught.value.job_status == "ERROR"
    assert "not found" in str(caught.value) and "000000000000000000000bad" in str(caught.value)


async def test_custom_model_deployments_and_logs(emulator: Emulator) -> None:
    client = emulator.client()
    custom = await client.list_all_custom_model_deployments()
    assert custom and all(c.id and c.custom_model and c.custom_model.id for c in custom)
    first = custom[0]
    assert first.custom_model is not None and first.custom_model.id is not None
    same_model = await client.list_all_custom_model_deployments(
        custom_model_ids=[first.custom_model.id]
    )
    assert first.id in {c.id for c in same_model}
    assert all(c.custom_model and c.custom_model.id == first.custom_model.id for c in same_model)
    assert first.id is not None
    log = await client.get_custom_model_deployment_log(first.id)
    assert log.text and log.filename and log.filename.endswith(".log")
    job = await client.request_custom_model_deployment_logs(first.id)
    assert job.resource_id is not None
    prediction_log = await client.get_custom_model_deployment_prediction_log(
        first.id, job.resource_id
    )
    assert isinstance(prediction_log.text, str)
    with pytest.raises(errors.NotFoundError, match="Prediction log nope"):
        await client.get_custom_model_deployment_prediction_log(first.id, "nope")


async def test_bundles(emulator: Emulator) -> None:
    client = emulator.client()
    bundles = await client.list_all_bundles()
    assert bundles and all(isinstance(b.description, str) for b in bundles)
    one = await client.get_bundle(bundles[0].id or "")
    assert one.id == bundles[0].id and one.cpu_count == bundles[0].cpu_count
    for_models = await client.list_all_bundles(use_case="customModel")
    assert for_models and all("customModel" in b.use_cases for b in for_models)
    with pytest.raises(errors.NotFoundError, match=r"Resource bundle gpu\.huge"):
        await client.get_bundle("gpu.huge")


async def test_pps_metadata(emulator: Emulator) -> None:
    meta = await emulator.client().get_pps_image_metadata()
    assert meta.image_size == EMULATOR_CONFIG.image_size
    assert meta.hash_algorithm == "SHA256" and meta.hash and len(meta.hash) == 64
    assert meta.short_docker_image_id and len(meta.short_docker_image_id) == 12
