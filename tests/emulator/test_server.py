"""EmulatorServer over real sockets: URLs, the PPS redirect to another origin, clean stop."""

from __future__ import annotations

import hashlib
import time
from urllib.parse import parse_qs, urlsplit

import httpx

from drtui.emulator.config import EmulatorConfig
from drtui.emulator.server import EmulatorServer


def test_urls_and_live_state(server: EmulatorServer, http: httpx.Client) -> None:
    assert server.endpoint == f"{server.base_url}/api/v2"
    assert server.base_url.startswith("http://127.0.0.1:")
    assert urlsplit(server.download_base_url).port != urlsplit(server.base_url).port
    body = http.get("/api/v2/deployments/", params={"limit": 2}).json()
    assert body["next"].startswith(f"{server.base_url}/api/v2/deployments/?")
    assert len(server.state.deployments) == body["totalCount"]


def test_pps_redirects_to_a_presigned_url_on_the_download_listener(
    server: EmulatorServer, http: httpx.Client
) -> None:
    metadata = http.get("/api/v2/mlops/portablePredictionServerImage/metadata/").json()
    redirect = http.get("/api/v2/mlops/portablePredictionServerImage/")
    assert redirect.status_code == 302
    location = redirect.headers["location"]
    assert location.startswith(server.download_base_url + "/")
    query = parse_qs(urlsplit(location).query)
    assert {"X-Amz-Signature", "X-Amz-Expires"} <= set(query)
    followed = http.get("/api/v2/mlops/portablePredictionServerImage/", follow_redirects=True)
    assert followed.status_code == 200
    assert hashlib.sha256(followed.content).hexdigest() == metadata["hash"]
    assert len(followed.content) == metadata["imageSize"]
    partial = httpx.get(location, headers={"Range": "bytes=10-19"})
    assert partial.status_code == 206
    assert partial.content == followed.content[10:20]
    tampered = location.replace("X-Amz-Signature=", "X-Amz-Signature=0")
    assert httpx.get(tampered).status_code == 403
    seen = http.get("/_emulator/downloads").json()["data"]
    # httpx drops Authorization on a cross-origin redirect: the listener must see none.
    assert seen[0] == {"range": None, "authorizationPresent": False, "status": 200}
    assert seen[1] == {"range": "bytes=10-19", "authorizationPresent": False, "status": 206}
    httpx.get(location, headers={"Authorization": "Bearer leaked"})
    assert http.get("/_emulator/downloads").json()["data"][-1]["authorizationPresent"] is True


def test_stop_is_fast_even_with_an_open_keepalive_connection(config: EmulatorConfig) -> None:
    server = EmulatorServer(config).start()
    with httpx.Client(headers={"Authorization": f"Bearer {config.user_token}"}) as client:
        assert client.get(server.endpoint + "/version/").status_code == 200
        started = time.perf_counter()
        server.stop()
        # uvicorn would otherwise wait out the keep-alive (5 s); a generous bound tells them apart.
        assert time.perf_counter() - started < 3.0
    try:
        httpx.get(server.endpoint + "/version/", timeout=1)
    except httpx.ConnectError:
        pass
    else:
        raise AssertionError("the server still answers after stop()")


def test_small_responses_do_not_wait_for_delayed_acks(
    server: EmulatorServer, http: httpx.Client
) -> None:
    """With Nagle on, each response's body waited for the client's delayed ACK of its headers:
    some 40 ms a request on one keep-alive connection, every request after the first."""
    latencies = []
    for _ in range(8):
        started = time.perf_counter()
        assert http.get("/api/v2/version/").status_code == 200
        latencies.append(time.perf_counter() - started)
    assert min(latencies[1:]) < 0.03, latencies
