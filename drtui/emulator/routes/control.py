"""/_emulator/: drive the emulator itself (clock, chaos, reset, traffic logs). Never chaotic."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from drtui.emulator.clock import iso
from drtui.emulator.config import ChaosError, ChaosSettings
from drtui.emulator.responses import ApiError, json_response, validation_error
from drtui.emulator.routes.common import endpoint, json_body
from drtui.emulator.state import EmulatorState
from drtui.emulator.users import Account


@endpoint
async def advance_clock(request: Request, state: EmulatorState, account: Account) -> Response:
    body = await json_body(request)
    seconds = body.get("seconds") if isinstance(body, dict) else None
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
        raise validation_error("seconds", "must be a non-negative number")
    return json_response({"now": iso(state.advance(float(seconds)))})


@endpoint
async def put_chaos(request: Request, state: EmulatorState, account: Account) -> Response:
    try:
        settings = ChaosSettings.from_json(await json_body(request))
    except ChaosError as error:
        raise ApiError(422, str(error)) from None
    with state.lock:
        state.chaos = settings
    return json_response(settings.to_json())


@endpoint
async def get_chaos(request: Request, state: EmulatorState, account: Account) -> Response:
    chaos = state.chaos
    return json_response(chaos.to_json() if chaos else None)


@endpoint
async def clear_chaos(request: Request, state: EmulatorState, account: Account) -> Response:
    with state.lock:
        state.chaos = None
    return Response(status_code=204)


@endpoint
async def reset(request: Request, state: EmulatorState, account: Account) -> Response:
    state.reset()
    return Response(status_code=204)


@endpoint
async def traffic(request: Request, state: EmulatorState, account: Account) -> Response:
    """Every API request (method, path, query, status, auth scheme), oldest first; `?method=`
    (comma-joined or repeated) keeps only those methods, e.g. `method=PATCH,POST,DELETE`."""
    methods = {
        part.strip().upper()
        for raw in request.query_params.getlist("method")
        for part in raw.split(",")
        if part.strip()
    }
    with state.lock:
        entries = list(state.requests)
    if methods:
        entries = [entry for entry in entries if entry["method"] in methods]
    return json_response({"data": entries})


@endpoint
async def clear_traffic(request: Request, state: EmulatorState, account: Account) -> Response:
    with state.lock:
        state.requests.clear()
    return Response(status_code=204)


@endpoint
async def transitions(request: Request, state: EmulatorState, account: Account) -> Response:
    """Health transitions so far, oldest first: {deploymentId, dimension, from, to, at}; with
    `?since=<ISO instant>`, only those at or after it (the history played at start included)."""
    since = request.query_params.get("since")
    if since:
        try:
            moment = datetime.fromisoformat(since.replace("Z", "+00:00").replace(" ", "+"))
        except ValueError:
            raise validation_error("since", f"invalid date-time {since!r}") from None
        since = iso(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
    with state.lock:
        entries = [t for t in state.transitions if not since or t["at"] >= since]
    return json_response({"data": entries})


@endpoint
async def downloads(request: Request, state: EmulatorState, account: Account) -> Response:
    return json_response({"data": list(state.downloads)})


routes = [
    Route("/_emulator/clock/advance", advance_clock, methods=["POST"]),
    Route("/_emulator/chaos", put_chaos, methods=["PUT"]),
    Route("/_emulator/chaos", get_chaos, methods=["GET"]),
    Route("/_emulator/chaos", clear_chaos, methods=["DELETE"]),
    Route("/_emulator/reset", reset, methods=["POST"]),
    Route("/_emulator/requests", traffic, methods=["GET"]),
    Route("/_emulator/requests", clear_traffic, methods=["DELETE"]),
    Route("/_emulator/downloads", downloads, methods=["GET"]),
    Route("/_emulator/transitions", transitions, methods=["GET"]),
]
