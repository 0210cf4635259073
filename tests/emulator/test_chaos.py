"""Each chaos fault, switched on through the control API; drops are checked over real HTTP."""

from __future__ import annotations

import json
import time

import httpx
import pytest
from starlette.applications import Starlette

from drtui.emulator.app import create_app
from drtui.emulator.config import (
    CHAOS_PROFILES,
    ChaosError,
    ChaosSettings,
    EmulatorConfig,
    chaos_profile,
)
from drtui.emulator.server import EmulatorServer
from drtui.emulator.traffic import ConnectionDropped
from tests.emulator.conftest import USER_TOKEN

LIST = "/api/v2/deployments/"


async def _chaos(client: httpx.AsyncClient, **settings: object) -> None:
    response = await client.put("/_emulator/chaos", json=settings)
    assert response.status_code == 200, response.text


async def test_error_rate_gives_5xx_with_request_id_then_clean_after_times(
    client: httpx.AsyncClient,
) -> None:
    await _chaos(client, errorRate=1, errorStatus=502, times=1)
    failed = await client.get(LIST)
    assert failed.status_code == 502
    assert failed.headers["content-type"] == "application/json"
    assert failed.json()["message"]
    assert failed.headers["x-datarobot-request-id"]
    assert (await client.get(LIST)).status_code == 200


async def test_rate_limit_carries_retry_after(client: httpx.AsyncClient) -> None:
    await _chaos(client, rateLimitRate=1, retryAfter=3, times=2)
    for _ in range(2):
        limited = await client.get(LIST)
        assert limited.status_code == 429
        assert limited.headers["retry-after"] == "3"
    assert (await client.get(LIST)).status_code == 200


async def test_latency_and_spikes_delay_responses(client: httpx.AsyncClient) -> None:
    await _chaos(client, latencyMs=60, times=1)
    start = time.perf_counter()
    assert (await client.get(LIST)).status_code == 200
    assert time.perf_counter() - start >= 0.06
    await _chaos(client, spikeRate=1, spikeMs=80, times=1)
    start = time.perf_counter()
    await client.get(LIST)
    assert time.perf_counter() - start >= 0.08


async def test_malformed_json_is_a_truncated_200(client: httpx.AsyncClient) -> None:
    await _chaos(client, malformedRate=1, times=1)
    broken = await client.get(LIST)
    assert broken.status_code == 200
    assert broken.headers["content-type"] == "application/json"
    assert int(broken.headers["content-length"]) == len(broken.content)
    with pytest.raises(json.JSONDecodeError):
        json.loads(broken.content)


async def test_outage_fails_every_api_request_but_not_the_control_api(
    client: httpx.AsyncClient,
) -> None:
    await _chaos(client, outage=True)
    for path in (LIST, "/api/v2/version/", "/api/v2/mlops/compute/bundles/"):
        down = await client.get(path)
        assert down.status_code == 503
        assert down.headers["retry-after"] == "1"
    assert (await client.get("/_emulator/requests")).status_code == 200
    assert (await client.delete("/_emulator/chaos")).status_code == 204
    assert (await client.get(LIST)).status_code == 200


async def test_paths_limit_where_faults_apply(client: httpx.AsyncClient) -> None:
    await _chaos(client, errorRate=1, paths=["/api/v2/deployments/"])
    assert (await client.get("/api/v2/version/")).status_code == 200
    assert (await client.get(LIST)).status_code == 500


async def test_bad_chaos_settings_are_422(client: httpx.AsyncClient) -> None:
    for body in ({"errorRate": 2}, {"surprise": 1}, {"errorStatus": 404}, {"paths": "x"}):
        response = await client.put("/_emulator/chaos", json=body)
        assert response.status_code == 422
        assert response.json()["message"]


async def test_drop_in_process_raises_connection_dropped(client: httpx.AsyncClient) -> None:
    await _chaos(client, dropRate=1, times=1)
    with pytest.raises(ConnectionDropped):
        await client.get(LIST)
    assert (await client.get(LIST)).status_code == 200


def test_profiles_and_start_time_chaos() -> None:
    assert set(CHAOS_PROFILES) == {"flaky", "slow", "outage", "mixed"}
    assert (
        chaos_profile("flaky").error_rate == 0.05 and chaos_profile("flaky").rate_limit_rate == 0.05
    )
    assert chaos_profile("slow").latency_ms == 300
    with pytest.raises(ChaosError):
        chaos_profile("apocalypse")
    settings = ChaosSettings.from_json({"dropDownloadAfterBytes": 10, "times": None})
    assert ChaosSettings.from_json(settings.to_json()) == settings


async def test_chaos_from_the_config_applies_from_the_start(config: EmulatorConfig) -> None:
    app: Starlette = create_app(config.with_changes(chaos=chaos_profile("outage")))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://emulator.test",
        headers={"Authorization": f"Bearer {USER_TOKEN}"},
    ) as client:
        assert (await client.get(LIST)).status_code == 503


def test_dropped_connection_over_real_http(server: EmulatorServer, http: httpx.Client) -> None:
    assert http.put("/_emulator/chaos", json={"dropRate": 1, "times": 1}).status_code == 200
    with pytest.raises(httpx.RemoteProtocolError):
        http.get(LIST)
    assert http.get(LIST).status_code == 200
    log = http.get("/_emulator/requests").json()["data"]
    assert [entry["status"] for entry in log[-2:]] == [None, 200]


def test_download_cut_mid_body_then_resumed_with_range(
    server: EmulatorServer, http: httpx.Client
) -> None:
    size = server.config.image_size
    http.put("/_emulator/chaos", json={"dropDownloadAfterBytes": 100_000})
    redirect = http.get("/api/v2/mlops/portablePredictionServerImage/")
    url = redirect.headers["location"]
    received = bytearray()
    with pytest.raises(httpx.RemoteProtocolError), httpx.stream("GET", url) as first:
        assert first.status_code == 200
        for chunk in first.iter_raw():
            received.extend(chunk)
    assert len(received) == 100_000
    http.delete("/_emulator/chaos")
    rest = httpx.get(url, headers={"Range": f"bytes={len(received)}-"})
    assert rest.status_code == 206
    assert rest.headers["content-range"] == f"bytes 100000-{size - 1}/{size}"
    whole = httpx.get(url).content
    assert bytes(received) + rest.content == whole
