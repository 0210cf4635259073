"""The emulator's ASGI app: DataRobot API v2 routes, the control API, traffic log and chaos.

Layers, outside in: Starlette's error guard, the traffic recorder (so chaos outcomes are logged
too), chaos, then the routes. Error bodies follow the DataRobot shape everywhere, 404s included.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Scope

from drtui.emulator.auth import auth_scheme
from drtui.emulator.chaos import ChaosMiddleware
from drtui.emulator.config import EmulatorConfig
from drtui.emulator.responses import ApiError, error_response
from drtui.emulator.routes import catalogues, control, custom_models, deployments, system
from drtui.emulator.state import EmulatorState
from drtui.emulator.traffic import DroppableStarlette, Recorder, TrafficMiddleware


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.message, exc.errors, exc.headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return error_response(exc.status_code, str(exc.detail), headers=exc.headers)


async def _unexpected(request: Request, exc: Exception) -> Response:
    return error_response(500, "Internal server error.")


def _request_recorder(state: EmulatorState) -> Recorder:
    """Log API traffic (never control calls) for GET /_emulator/requests, without the token."""

    def record(scope: Scope, status: int | None) -> None:
        path: str = scope["path"]
        if not path.startswith("/api/"):
            return
        headers = dict(scope.get("headers", []))
        authorization = headers.get(b"authorization")
        state.requests.append(
            {
                "method": scope["method"],
                "path": path,
                "query": scope.get("query_string", b"").decode("latin-1"),
                "status": status,
                "authScheme": auth_scheme(
                    authorization.decode("latin-1") if authorization else None
                ),
            }
        )

    return record


def create_app(config: EmulatorConfig, state: EmulatorState | None = None) -> DroppableStarlette:
    """The API app; `app.state.emulator` is its world (pass `state` to share one with a
    download listener, as EmulatorServer does)."""
    world = state if state is not None else EmulatorState(config)
    app = DroppableStarlette(
        routes=[
            *system.routes,
            *deployments.routes,
            *custom_models.routes,
            *catalogues.routes,
            *control.routes,
        ],
        middleware=[
            Middleware(TrafficMiddleware, record=_request_recorder(world)),
            Middleware(ChaosMiddleware, state=world),
        ],
        exception_handlers={
            ApiError: _api_error,
            HTTPException: _http_error,
            Exception: _unexpected,
        },
    )
    app.state.emulator = world
    return app
