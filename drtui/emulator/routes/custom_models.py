"""/customModelDeployments/: the custom-model subset of the fleet and its logs.

GET .../logs/ serves the deployment's log as it is now; POST .../logs/ starts a job (202) whose
result, GET .../logs/{logId}/, is the log as it was when the job finished. Both answer 404
"No logs found." for a deployment without a log (never started, or launching).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from drtui.emulator.fleet import DeploymentRecord
from drtui.emulator.paging import envelope, parse_paging
from drtui.emulator.responses import ApiError, dumps, json_response
from drtui.emulator.routes.common import accepted, endpoint
from drtui.emulator.state import EmulatorState
from drtui.emulator.users import Account

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


def custom_model_deployment(record: DeploymentRecord) -> dict[str, Any]:
    """The CustomModelDeploymentResponse view of a deployment running a custom model."""
    doc = record.doc
    image = doc["model"]["customModelImage"]
    extra = record.custom or {}
    return {
        "id": record.id,
        "label": doc["label"],
        "status": doc.get("status") or "active",
        "deployed": doc.get("createdAt") or doc["model"]["deployedAt"],
        "deployedBy": extra.get("deployedBy", ""),
        "customModel": {"id": image["customModelId"], "name": image["customModelName"]},
        "customModelVersion": {
            "id": image["customModelVersionId"],
            "label": image["customModelVersionLabel"],
        },
        "customModelImageId": extra.get("customModelImageId", ""),
        "executionEnvironment": {
            "id": image["executionEnvironmentId"],
            "name": image["executionEnvironmentName"],
        },
        "executionEnvironmentVersion": {
            "id": image["executionEnvironmentVersionId"],
            "label": image["executionEnvironmentVersionLabel"],
        },
        "imageType": extra.get("imageType", "customModelImage"),
        "testingStatus": extra.get("testingStatus", "not_tested"),
    }


def _id_set(request: Request, name: str) -> set[str] | None:
    values = {
        part.strip()
        for raw in request.query_params.getlist(name)
        for part in raw.split(",")
        if part.strip()
    }
    return values or None


def _custom_record(state: EmulatorState, deployment_id: str) -> DeploymentRecord:
    record = state.deployments.get(deployment_id)
    if record is None or record.custom is None:
        raise ApiError(404, f"Custom model deployment {deployment_id} not found.")
    return record


def _log_text(deployment_id: str, text: str | None) -> Response:
    if text is None:
        raise ApiError(404, "No logs found.")
    return PlainTextResponse(
        text,
        headers={"Content-Disposition": f"attachment;filename=deployment-{deployment_id}.log"},
    )


@endpoint
async def list_custom(request: Request, state: EmulatorState, account: Account) -> Response:
    """Sorted by creation time, newest first, as the reference says."""
    offset, limit = parse_paging(request.query_params, DEFAULT_LIMIT, MAX_LIMIT)
    models = _id_set(request, "customModelIds")
    environments = _id_set(request, "environmentIds")
    with state.lock:
        items = [custom_model_deployment(state.deployments[i]) for i in state.custom_ids]
    if models is not None:
        items = [item for item in items if item["customModel"]["id"] in models]
    if environments is not None:
        items = [item for item in items if item["executionEnvironment"]["id"] in environments]
    items.sort(key=lambda item: (item["deployed"], item["id"]), reverse=True)
    page = [dumps(item) for item in items[offset : offset + limit]]
    return json_response(envelope(request, page, offset, limit, len(items)))


@endpoint
async def get_log(request: Request, state: EmulatorState, account: Account) -> Response:
    deployment_id = request.path_params["deployment_id"]
    with state.lock:
        _custom_record(state, deployment_id)
        text = state.custom_log(deployment_id)
    return _log_text(deployment_id, text)


@endpoint
async def request_logs(request: Request, state: EmulatorState, account: Account) -> Response:
    deployment_id = request.path_params["deployment_id"]
    _custom_record(state, deployment_id)
    return accepted(request, state.request_prediction_logs(deployment_id))


@endpoint
async def get_prediction_log(request: Request, state: EmulatorState, account: Account) -> Response:
    deployment_id = request.path_params["deployment_id"]
    with state.lock:
        at = state.prediction_logs.get((deployment_id, request.path_params["log_id"]))
        if at is None or deployment_id not in state.deployments:
            raise ApiError(404, "No logs found.")
        text = state.custom_log(deployment_id, at)
    return _log_text(deployment_id, text)


routes = [
    Route("/api/v2/customModelDeployments/", list_custom, methods=["GET"]),
    Route("/api/v2/customModelDeployments/{deployment_id}/logs/", get_log, methods=["GET"]),
    Route("/api/v2/customModelDeployments/{deployment_id}/logs/", request_logs, methods=["POST"]),
    Route(
        "/api/v2/customModelDeployments/{deployment_id}/logs/{log_id}/",
        get_prediction_log,
        methods=["GET"],
    ),
]
