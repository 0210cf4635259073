"""EmulatorServer: the emulator on real loopback sockets, in a background thread.

Two uvicorn servers share one event loop in one daemon thread: the API listener and the download
listener (another port, hence another origin, like S3 behind a pre-signed URL). Sockets are bound
before the thread starts, so port 0 works and the URLs are known at once.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from types import TracebackType

import uvicorn
from starlette.types import ASGIApp

from drtui.emulator.app import create_app
from drtui.emulator.config import EmulatorConfig
from drtui.emulator.download import create_download_app
from drtui.emulator.state import EmulatorState

_START_TIMEOUT = 10.0


def _bind(host: str, port: int) -> socket.socket:
    """A listening socket. Its protocol is named (IPPROTO_TCP, not 0) because asyncio turns Nagle
    off only for sockets that say so: otherwise every response's body waits for the client's
    delayed ACK of its headers, some 40 ms a request."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except BaseException:
        sock.close()
        raise
    sock.setblocking(False)
    return sock


def _url(host: str, sock: socket.socket) -> str:
    port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def _uvicorn(app: ASGIApp) -> uvicorn.Server:
    """h11 explicitly: the chaos drop relies on its cycle exposing the transport."""
    config = uvicorn.Config(
        app,
        loop="asyncio",
        http="h11",
        lifespan="off",
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=1,
    )
    return uvicorn.Server(config)


class EmulatorServer:
    """`with EmulatorServer(config) as server:` gives `server.endpoint` ("…/api/v2") and the state."""

    def __init__(
        self,
        config: EmulatorConfig | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        download_port: int = 0,
    ) -> None:
        self.config = config or EmulatorConfig()
        self.host = host
        self.port = port
        self.download_port = download_port
        self._state: EmulatorState | None = None
        self._servers: list[uvicorn.Server] = []
        self._thread: threading.Thread | None = None
        self._base_url = ""
        self._download_base_url = ""

    @property
    def state(self) -> EmulatorState:
        if self._state is None:
            raise RuntimeError("the emulator server is not running")
        return self._state

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def endpoint(self) -> str:
        return f"{self._base_url}/api/v2"

    @property
    def download_base_url(self) -> str:
        return self._download_base_url

    def start(self) -> EmulatorServer:
        if self._thread is not None:
            raise RuntimeError("the emulator server is already running")
        api_socket = _bind(self.host, self.port)
        try:
            download_socket = _bind(self.host, self.download_port)
        except BaseException:
            api_socket.close()
            raise
        self._base_url = _url(self.host, api_socket)
        self._download_base_url = _url(self.host, download_socket)
        state = EmulatorState(self.config)
        state.download_base_url = self._download_base_url
        self._state = state
        self._servers = [
            _uvicorn(create_app(self.config, state)),
            _uvicorn(create_download_app(state)),
        ]
        pairs = list(zip(self._servers, (api_socket, download_socket), strict=True))

        async def serve_both() -> None:
            await asyncio.gather(*(server.serve(sockets=[sock]) for server, sock in pairs))

        self._thread = threading.Thread(
            target=asyncio.run, args=(serve_both(),), name="drtui-emulator", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + _START_TIMEOUT
        while not all(server.started for server in self._servers):
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the emulator server failed to start")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        """Stop both listeners; open keep-alive connections are not waited for long."""
        thread = self._thread
        if thread is None:
            return
        for server in self._servers:
            server.should_exit = True
        thread.join(0.5)
        if thread.is_alive():
            for server in self._servers:
                server.force_exit = True
            thread.join(2.0)
        self._thread = None
        self._servers = []

    def wait(self) -> None:
        """Block until the servers stop (Ctrl+C arrives as KeyboardInterrupt in the caller)."""
        thread = self._thread
        while thread is not None and thread.is_alive():
            thread.join(0.5)

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
