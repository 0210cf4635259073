"""Traffic plumbing: record each request with its final status, and let inner layers drop the
connection without sending anything.

Dropping needs the socket: uvicorn answers 500 for an app that raises before responding, so the
layer finds the transport behind uvicorn's `send` and aborts it. In-process (httpx.ASGITransport)
there is no socket; `drop_connection` raises `ConnectionDropped`, which httpx passes to the caller.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from starlette.applications import Starlette
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ABORT_KEY = "drtui.emulator.abort"

Recorder = Callable[[Scope, int | None], None]


class ConnectionDropped(ConnectionError):
    """The emulator cut the connection on purpose (chaos); only seen in-process."""


def _transport_aborter(send: Send) -> Callable[[], None] | None:
    cycle: Any = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    abort = getattr(transport, "abort", None)
    return abort if callable(abort) else None


async def drop_connection(scope: Scope) -> None:
    """Close the client's connection at once, mid-response or before any byte was sent."""
    abort = scope.get(ABORT_KEY)
    if abort is None:
        raise ConnectionDropped("connection dropped by the emulator")
    abort()
    # Let uvicorn notice the lost connection so it neither logs nor answers a 500.
    await asyncio.sleep(0)
    await asyncio.sleep(0)


class DroppableStarlette(Starlette):
    """Starlette that notes how to abort the connection before its middleware wraps `send`."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope[ABORT_KEY] = _transport_aborter(send)
        await super().__call__(scope, receive, send)


class TrafficMiddleware:
    """Calls `record(scope, status)` once per request; status is None if none was sent."""

    def __init__(self, app: ASGIApp, record: Recorder) -> None:
        self.app = app
        self.record = record

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status: int | None = None

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            self.record(scope, status)
