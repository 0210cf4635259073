"""What every DataRobot endpoint does first: find the state, authenticate, catch the world up."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from drtui.emulator.auth import authenticate
from drtui.emulator.jobs import Job
from drtui.emulator.responses import ApiError, json_response
from drtui.emulator.state import EmulatorState
from drtui.emulator.users import Account

Handler = Callable[[Request, EmulatorState, Account], Awaitable[Response]]


def emulator_state(request: Request) -> EmulatorState:
    state: EmulatorState = request.app.state.emulator
    return state


def endpoint(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """Wrap a handler so it runs authenticated, against a world brought up to the clock."""

    async def run(request: Request) -> Response:
        state = emulator_state(request)
        account = authenticate(request.headers.get("authorization"), state.accounts)
        state.sync()
        return await handler(request, state, account)

    run.__name__ = handler.__name__
    run.__doc__ = handler.__doc__
    return run


async def json_body(request: Request) -> Any:
    raw = await request.body()
    if not raw:
        return {}
    try:
        return json.loads(raw)
    except ValueError:
        raise ApiError(422, "The request body is not valid JSON") from None


def api_url(request: Request, path: str) -> str:
    """Absolute URL under /api/v2/ built from the request's own base URL (trailing slash kept)."""
    return f"{str(request.base_url).rstrip('/')}/api/v2/{path}"


def accepted(request: Request, job: Job, body: dict[str, Any] | None = None) -> Response:
    """202 with Location pointing at the job's status resource."""
    return json_response(
        {"statusId": job.id, **(body or {})},
        202,
        {"Location": api_url(request, f"status/{job.id}/")},
    )
