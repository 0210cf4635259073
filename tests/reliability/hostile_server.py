"""A small hostile stand-in for the DataRobot API: raw asyncio sockets in a background thread.

Raw sockets, not a framework, so it can send what a well-behaved server never would: control
bytes in headers, bodies that trickle one byte at a time forever, lying envelopes. A test gives
it a ``route(method, path, query) -> Reply`` and points drtui (in-process or as a subprocess)
at ``server.endpoint``.
"""

from __future__ import annotations

import asyncio
import json
import socket
import struct
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    """bytes as they are, str as UTF-8, anything else as JSON."""
    headers: dict[str, str] = field(default_factory=dict)
    trickle: float | None = None
    """Send the body one byte every this many seconds, forever (a Content-Length it never
    reaches), until the client hangs up."""
    endless: bytes | None = None
    """After ``body``, send these bytes again and again, as fast as the client reads, with no
    Content-Length (the body ends when the connection does: never), until the client hangs up."""
    reset_after: int | None = None
    """Send this many bytes of the body, then reset the connection (TCP RST)."""

    def encoded(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()


Route = Callable[[str, str, dict[str, str]], Reply]


class HostileServer:
    """``with HostileServer(route) as server:``; ``server.requests`` lists what was asked."""

    def __init__(self, route: Route) -> None:
        self.route = route
        self.requests: list[tuple[str, str]] = []
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def endpoint(self) -> str:
        return f"{self.base_url}/api/v2"

    def __enter__(self) -> HostileServer:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the hostile server did not start")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._server = loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            self._server.close()
            for task in asyncio.all_tasks(loop):
                task.cancel()
            loop.run_until_complete(asyncio.sleep(0))
            loop.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            line = await reader.readline()
            if not line:
                return
            method, target, _ = line.decode("latin-1").split(" ", 2)
            length = 0
            while (header := await reader.readline()) not in (b"\r\n", b"\n", b""):
                name, _, value = header.decode("latin-1").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            if length:
                await reader.readexactly(length)
            parts = urlsplit(target)
            self.requests.append((method, target))
            reply = self.route(method, parts.path, dict(parse_qsl(parts.query)))
            body = reply.encoded()
            headers = {"Content-Type": "application/json", "Connection": "close"}
            headers.update(reply.headers)
            if reply.endless is None:
                headers["Content-Length"] = str(10**6 if reply.trickle else len(body))
            head = f"HTTP/1.1 {reply.status} Hostile\r\n"
            head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
            writer.write(head.encode("latin-1"))
            if reply.reset_after is not None:
                writer.write(body[: reply.reset_after])
                await writer.drain()
                _reset(writer)
                return
            if reply.endless is not None:
                writer.write(body)
                while True:
                    writer.write(reply.endless)
                    await writer.drain()
            if reply.trickle:
                while True:
                    writer.write(b" ")
                    await writer.drain()
                    await asyncio.sleep(reply.trickle)
            writer.write(body)
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP RST (linger 0) instead of a FIN: the client sees a reset connection."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


def gzip_bomb(size: int, *, fill: bytes = b" ") -> bytes:
    """A gzip body that inflates to ``size`` bytes of ``fill`` (JSON whitespace by default):
    about 1 KB per MiB, made a MiB at a time so the bomb is never whole in memory here."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = fill * ((1 << 20) // len(fill))
    parts = [packer.compress(block) for _ in range(size // len(block))]
    parts.append(packer.compress(fill * (size % len(block))))
    parts.append(packer.flush())
    return b"".join(parts)
