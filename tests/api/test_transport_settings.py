"""TLS verification settings, proxies from the environment and timeouts, on real sockets."""

from __future__ import annotations

import asyncio
import json
import ssl

import certifi
import pytest

from drtui.api import errors
from drtui.api.client import DataRobotClient
from drtui.api.http import ssl_verification
from drtui.api.retry import RetryPolicy

from .conftest import TOKEN, Emulator


def test_ca_bundle_path_becomes_a_verifying_context() -> None:
    context = ssl_verification(certifi.where())
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.cert_store_stats()["x509_ca"] > 0
    assert ssl_verification(False) is False and ssl_verification(True) is True


async def test_a_missing_ca_bundle_fails_at_construction() -> None:
    with pytest.raises(FileNotFoundError):
        DataRobotClient("https://h.test/api/v2", TOKEN, verify="/nonexistent/ca.pem")


async def test_proxy_from_the_environment_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    request_lines: list[str] = []

    async def proxy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode()
        request_lines.append(head.splitlines()[0])
        body = json.dumps({"major": 2, "minor": 49, "versionString": "2.49.0"}).encode()
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(proxy, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{port}")
    try:
        async with DataRobotClient("http://dr.behind-proxy.test/api/v2", TOKEN) as client:
            version = await client.version()
    finally:
        server.close()
        await server.wait_closed()
    assert version.minor == 49
    assert request_lines == ["GET http://dr.behind-proxy.test/api/v2/version/ HTTP/1.1"]


async def test_a_slow_server_is_a_timeout(http_only: Emulator) -> None:
    await http_only.chaos(latencyMs=600, times=1)
    client = http_only.client(timeout=0.2, retry=RetryPolicy(max_attempts=1))
    with pytest.raises(errors.RequestTimeout) as caught:
        await client.version()
    assert str(caught.value).endswith("did not answer in time for GET /version/.")
