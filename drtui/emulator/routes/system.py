"""/version/ (what official clients call first) and /status/{id}/ (async job progress)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from drtui.emulator.responses import ApiError, json_response
from drtui.emulator.routes.common import api_url, endpoint
from drtui.emulator.state import EmulatorState
from drtui.emulator.users import Account

VERSION = {"major": 2, "minor": 49, "versionString": "2.49.0"}


@endpoint
async def version(request: Request, state: EmulatorState, account: Account) -> Response:
    return json_response(VERSION)


@endpoint
async def job_status(request: Request, state: EmulatorState, account: Account) -> Response:
    """200 with the status body while running or after failing; 303 to the result when done."""
    job = state.jobs.get(request.path_params["status_id"])
    if job is None:
        raise ApiError(404, "Status not found.")
    if job.succeeded:
        return Response(status_code=303, headers={"Location": api_url(request, job.result_path)})
    return json_response(job.status_body(state.clock.now()))


routes = [
    Route("/api/v2/version/", version, methods=["GET"]),
    Route("/api/v2/status/{status_id}/", job_status, methods=["GET"]),
]
