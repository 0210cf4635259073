"""/deployments/: list with filters and order, retrieve, edit, delete, create from a model."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from drtui.emulator.filters import DeploymentQuery, parse_order
from drtui.emulator.fleet import DeploymentRecord
from drtui.emulator.mutations import deployment_create, deployment_update
from drtui.emulator.paging import envelope, parse_paging
from drtui.emulator.responses import ApiError, json_response
from drtui.emulator.routes.common import accepted, endpoint, json_body
from drtui.emulator.state import EmulatorState
from drtui.emulator.users import ROLE_PERMISSIONS, Account

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def find_deployment(state: EmulatorState, deployment_id: str) -> DeploymentRecord:
    record = state.deployments.get(deployment_id)
    if record is None:
        raise ApiError(404, f"Deployment {deployment_id} not found.")
    return record


def require(
    state: EmulatorState, record: DeploymentRecord, account: Account, permission: str
) -> None:
    if permission not in ROLE_PERMISSIONS[state.role_of(record, account)]:
        raise ApiError(
            403,
            f"You do not have the {permission} permission on deployment {record.id}.",
        )


@endpoint
async def list_deployments(request: Request, state: EmulatorState, account: Account) -> Response:
    params = request.query_params
    offset, limit = parse_paging(params, DEFAULT_LIMIT, MAX_LIMIT)
    order = parse_order(params)
    query = DeploymentQuery.from_params(params)
    with state.lock:
        listing = state.select(query, order, account)
        items = state.render_ids(listing.page(offset, limit), account)
        total = len(listing)
    return json_response(envelope(request, items, offset, limit, total))


@endpoint
async def get_deployment(request: Request, state: EmulatorState, account: Account) -> Response:
    with state.lock:
        record = find_deployment(state, request.path_params["deployment_id"])
        return json_response(state.render(record, account))


@endpoint
async def update_deployment(request: Request, state: EmulatorState, account: Account) -> Response:
    record = find_deployment(state, request.path_params["deployment_id"])
    require(state, record, account, "CAN_EDIT_DEPLOYMENT")
    changes = deployment_update(await json_body(request))
    state.update_deployment(record.id, changes)
    return Response(status_code=204)


@endpoint
async def delete_deployment(request: Request, state: EmulatorState, account: Account) -> Response:
    record = find_deployment(state, request.path_params["deployment_id"])
    require(state, record, account, "CAN_DELETE_DEPLOYMENT")
    flag = request.query_params.get("ignoreManagementAgent")
    if flag is not None and flag not in ("true", "True", "false", "False"):
        raise ApiError(
            422,
            "ignoreManagementAgent: expected true or false",
            {"ignoreManagementAgent": "expected true or false"},
        )
    state.delete_deployment(record.id)
    return Response(status_code=204)


@endpoint
async def create_from_learning_model(
    request: Request, state: EmulatorState, account: Account
) -> Response:
    server_ids = {server["id"] for server in state.catalog.servers}
    fields = deployment_create(await json_body(request), server_ids)
    deployment_id, job = state.create_deployment(fields, account)
    return accepted(request, job, {"id": deployment_id})


routes = [
    Route("/api/v2/deployments/", list_deployments, methods=["GET"]),
    Route("/api/v2/deployments/fromLearningModel/", create_from_learning_model, methods=["POST"]),
    Route("/api/v2/deployments/{deployment_id}/", get_deployment, methods=["GET"]),
    Route("/api/v2/deployments/{deployment_id}/", update_deployment, methods=["PATCH"]),
    Route("/api/v2/deployments/{deployment_id}/", delete_deployment, methods=["DELETE"]),
]
