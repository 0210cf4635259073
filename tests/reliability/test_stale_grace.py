"""STALE means a poll failed after its retries, never that one page met a transient fault.

Under light chaos the header used to flash STALE ("STALE  last success just now") in a third of
the samples: one page answered 500 or cut short failed the whole poll. A page is now asked
again (as a 429 or a dropped connection always was), so a poll whose pages all arrive in the
end is a success, and the header never says STALE for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot

from drtui.api.client import DataRobotClient
from drtui.api.retry import RetryPolicy
from drtui.emulator.config import EmulatorConfig, chaos_profile
from drtui.emulator.server import EmulatorServer
from drtui.ui.app import DrtuiApp
from drtui.ui.settings import AppSettings
from tests.observe import screen_of, until
from tests.reliability.rig import header_text

TOKEN = "stale-grace-token-8086"
FLEET = 250
"""Three pages of 100: faults on the second and third, not only the first."""
INTERVAL = 0.4
QUICK_RETRIES = RetryPolicy(base_delay=0.02, max_delay=0.1, max_total=10.0)
"""The app's attempts (5), with waits short enough for a test."""


class ScriptedFaults(httpx.AsyncBaseTransport):
    """Real HTTP to the emulator, except that in every poll the page at each offset named in
    ``faults`` meets that fault once (a 500, a body cut short, a dropped connection), then is
    served on its next attempt."""

    def __init__(self, faults: dict[str, str]) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.faults = faults
        self.armed: dict[str, str] = {}
        self.served: list[str] = []

    def arm(self) -> None:
        self.armed = dict(self.faults)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        offset = request.url.params.get("offset", "")
        fault = self.armed.pop(offset, None) if request.url.path.endswith("/deployments/") else None
        if fault is not None:
            self.served.append(fault)
        if fault == "500":
            return httpx.Response(500, json={"message": "Internal server error (scripted)."})
        if fault == "drop":
            raise httpx.RemoteProtocolError("the server closed the connection", request=request)
        response = await self.inner.handle_async_request(request)
        if fault == "cut":
            body = await response.aread()
            return httpx.Response(
                200, content=body[: len(body) // 2], headers={"Content-Type": "application/json"}
            )
        if offset == "0" and request.url.path.endswith("/deployments/"):
            self.arm()  # the first page of a poll: the later pages meet their faults again
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.fixture(scope="module")
def fleet() -> Iterator[EmulatorServer]:
    config = EmulatorConfig(deployments=FLEET, seed=3, clock="manual", user_token=TOKEN)
    with EmulatorServer(config) as running:
        yield running


def _app(endpoint: str, transport: httpx.AsyncBaseTransport | None = None) -> DrtuiApp:
    client = DataRobotClient(endpoint, TOKEN, transport=transport, retry=QUICK_RETRIES)
    settings = AppSettings(
        endpoint=endpoint,
        token=TOKEN,
        profile_name="stale",
        refresh_interval=INTERVAL,
        attention_first=False,
    )
    return DrtuiApp(settings, client=client)


async def _never_stale_for(pilot: Pilot[Any], polls: int) -> list[str]:
    """Sample the header until ``polls`` more polls succeeded; every header seen."""
    app = pilot.app
    screen = screen_of(app)
    await until(pilot, lambda: screen.refreshes >= 1, 10.0, "the first poll")
    target = screen.refreshes + polls
    seen: list[str] = []
    while screen.refreshes < target:
        seen.append(header_text(app))
        assert screen.freshness.stale_since is None, screen.freshness.reason
        await pilot.pause(0.03)
        assert len(seen) < 2000, "the polls stopped succeeding"
    return seen


async def test_a_page_that_fails_once_does_not_make_the_poll_stale(
    fleet: EmulatorServer,
) -> None:
    faults = ScriptedFaults({"0": "drop", "100": "500", "200": "cut"})
    faults.arm()
    app = _app(fleet.endpoint, faults)
    async with app.run_test(size=(120, 40)) as pilot:
        headers = await _never_stale_for(pilot, 4)
        assert len(screen_of(app).fleet) == FLEET
    await app.client.aclose()
    for fault in ("drop", "500", "cut"):
        assert faults.served.count(fault) >= 4, faults.served
    assert not [h for h in headers if "STALE" in h]


async def test_the_header_does_not_flash_stale_under_mixed_chaos() -> None:
    """The review's drill: `drtui emulator --chaos mixed` (seeded), the header sampled while
    the dashboard polls: never STALE, though 500s, 429s, drops and cut bodies are served."""
    config = EmulatorConfig(
        deployments=50, seed=32, clock="manual", user_token=TOKEN, chaos=chaos_profile("mixed")
    )
    with EmulatorServer(config) as server:
        app = _app(server.endpoint)
        async with app.run_test(size=(120, 40)) as pilot:
            headers = await _never_stale_for(pilot, 12)
        await app.client.aclose()
        seen = httpx.get(
            f"{server.base_url}/_emulator/requests", headers={"Authorization": f"Bearer {TOKEN}"}
        ).json()["data"]
    statuses = {r["status"] for r in seen if r["path"].endswith("/deployments/")}
    assert {None, 429} <= statuses  # a dropped connection, a rate limit (and cut bodies, as 200)
    assert not [h for h in headers if "STALE" in h]
