"""Fault injection for API requests, per the live `ChaosSettings` on the state.

Faults never touch `/_emulator/` (so tests can always switch them off) and only apply to the
configured path prefixes. With `times` set, only that many matching requests are exposed, then
the settings go quiet by themselves.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import replace

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from drtui.emulator.config import ChaosSettings
from drtui.emulator.responses import JSON_TYPE, error_response
from drtui.emulator.state import EmulatorState
from drtui.emulator.traffic import drop_connection

CONTROL_PREFIX = "/_emulator/"


class ChaosMiddleware:
    def __init__(self, app: ASGIApp, state: EmulatorState) -> None:
        self.app = app
        self.state = state
        self.rng = random.Random(f"chaos:{state.config.seed}")

    def _claim(self, path: str) -> ChaosSettings | None:
        """The settings that govern this request, consuming one of `times` if limited."""
        with self.state.lock:
            settings = self.state.chaos
            if settings is None or path.startswith(CONTROL_PREFIX):
                return None
            if not any(path.startswith(prefix) for prefix in settings.paths):
                return None
            if settings.times is not None:
                if settings.times <= 0:
                    return None
                self.state.chaos = replace(settings, times=settings.times - 1)
            return settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        settings = self._claim(scope["path"]) if scope["type"] == "http" else None
        if settings is None:
            await self.app(scope, receive, send)
            return
        roll = self.rng.random
        delay = settings.latency_ms
        if settings.spike_rate and roll() < settings.spike_rate:
            delay += settings.spike_ms
        if delay:
            await asyncio.sleep(delay / 1000)
        retry = {"Retry-After": str(settings.retry_after)}
        if settings.outage:
            response = error_response(503, "Service unavailable (emulated outage).", headers=retry)
        elif settings.drop_rate and roll() < settings.drop_rate:
            await drop_connection(scope)
            return
        elif settings.rate_limit_rate and roll() < settings.rate_limit_rate:
            response = error_response(429, "Too many requests; retry later.", headers=retry)
        elif settings.error_rate and roll() < settings.error_rate:
            response = error_response(settings.error_status, "Internal server error (emulated).")
        elif settings.malformed_rate and roll() < settings.malformed_rate:
            await self.app(scope, receive, _truncating(send))
            return
        else:
            await self.app(scope, receive, send)
            return
        await response(scope, receive, send)


def _truncating(send: Send) -> Send:
    """Wrap `send` so a JSON body arrives cut in half (still 200, still JSON content type)."""
    start: Message | None = None
    chunks: list[bytes] = []

    async def wrapped(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            content_type = dict(message.get("headers", [])).get(b"content-type", b"")
            if content_type.split(b";")[0] != JSON_TYPE.encode():
                await send(message)
                return
            start = message
            return
        if start is None or message["type"] != "http.response.body":
            await send(message)
            return
        chunks.append(message.get("body", b""))
        if message.get("more_body", False):
            return
        body = b"".join(chunks)
        body = body[: max(1, len(body) // 2)]
        headers = [(k, v) for k, v in start.get("headers", []) if k != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return wrapped
