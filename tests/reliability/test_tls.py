"""TLS: verification is on by default, and a CA bundle path is honoured.

The emulator is served over HTTPS by uvicorn on loopback with a self-signed certificate made by
openssl for 127.0.0.1, as a private-CA DataRobot installation would be.
"""

from __future__ import annotations

import asyncio
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn

from drtui.api.client import DataRobotClient
from drtui.api.config import ConfigOverrides, resolve_config
from drtui.api.errors import ConnectionFailed
from drtui.api.retry import NO_RETRY
from drtui.emulator.app import create_app
from drtui.emulator.config import EmulatorConfig
from tests.reliability.conftest import TOKEN


@dataclass(frozen=True)
class TlsServer:
    endpoint: str
    ca_bundle: Path


def _self_signed(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )
    return cert, key


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsServer]:
    cert, key = _self_signed(tmp_path_factory.mktemp("tls"))
    app = create_app(EmulatorConfig(deployments=5, clock="manual", user_token=TOKEN))
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=0,
        http="h11",
        lifespan="off",
        log_level="warning",
        ssl_certfile=str(cert),
        ssl_keyfile=str(key),
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=asyncio.run, args=(server.serve(),), daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield TlsServer(f"https://127.0.0.1:{port}/api/v2", cert)
    server.should_exit = True
    thread.join(5)


async def test_verification_is_on_by_default(tls_server: TlsServer) -> None:
    async with DataRobotClient(tls_server.endpoint, TOKEN, retry=NO_RETRY) as client:
        with pytest.raises(ConnectionFailed) as caught:
            await client.version()
    assert "certificate" in str(caught.value)


async def test_a_ca_bundle_path_is_trusted(tls_server: TlsServer) -> None:
    async with DataRobotClient(
        tls_server.endpoint, TOKEN, retry=NO_RETRY, verify=str(tls_server.ca_bundle)
    ) as client:
        version = await client.version()
        page = await client.list_deployments()
    assert version.major is not None and len(page.data) == 5


async def test_the_configured_ca_bundle_reaches_the_client(
    tls_server: TlsServer, tmp_path: Path
) -> None:
    """DATAROBOT_SSL_VERIFY=<path>, as a user on a private CA sets it, through resolve_config."""
    config = resolve_config(
        ConfigOverrides(endpoint=tls_server.endpoint, token=TOKEN),
        env={"DATAROBOT_SSL_VERIFY": str(tls_server.ca_bundle)},
        home=tmp_path,
        config_dir=tmp_path,
    )
    assert config.ssl_verify == str(tls_server.ca_bundle)
    async with DataRobotClient.from_config(config, retry=NO_RETRY) as client:
        assert (await client.version()).major is not None
