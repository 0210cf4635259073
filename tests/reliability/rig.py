"""The app against a real emulator server under fault injection, instrumented to be judged.

Shared by the chaos tests and tests/benchmarks/bench_chaos.py (the same scenario, longer), so the
ten-minute run and the CI run cannot drift apart.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, TypeVar

from textual.app import App

from drtui.api.client import DataRobotClient
from drtui.api.retry import RetryPolicy
from drtui.emulator.config import ChaosSettings
from drtui.emulator.server import EmulatorServer
from drtui.ui.app import DrtuiApp
from drtui.ui.settings import AppSettings
from drtui.ui.widgets.fleet_header import FleetHeader
from tests.observe import screen_of

INTERVAL = 0.4
"""Compressed refresh interval: the production 30 s squeezed so a fault cycle takes a second."""
READ_TIMEOUT = 0.5
"""Short enough that a latency spike of a second is a timeout, as 60 s is against a hung proxy."""
ATTEMPTS = 2
RETRY_DELAY = 0.05
REFRESH_BUDGET = READ_TIMEOUT * ATTEMPTS + 0.2 + 0.3
"""The longest one failing refresh may take with this client (timeouts, one retry wait) plus
scheduling slack on a loaded two-core machine."""

FAULTS: dict[str, ChaosSettings] = {
    "5xx burst": ChaosSettings(error_rate=1.0, error_status=500),
    "502 retried then given up": ChaosSettings(error_rate=1.0, error_status=502),
    "429 with Retry-After": ChaosSettings(rate_limit_rate=1.0, retry_after=1),
    "latency spike beyond the read timeout": ChaosSettings(spike_rate=1.0, spike_ms=1500),
    "dropped connection": ChaosSettings(drop_rate=1.0),
    "malformed JSON body": ChaosSettings(malformed_rate=1.0),
    "full outage": ChaosSettings(outage=True, retry_after=0),
}
"""Each fault the issue names, alone; MIXED is all of them at once, some of the time."""
MIXED = ChaosSettings(
    error_rate=0.2,
    rate_limit_rate=0.15,
    retry_after=0,
    spike_rate=0.15,
    spike_ms=800,
    drop_rate=0.15,
    malformed_rate=0.15,
    latency_ms=20,
)


ListT = TypeVar("ListT")


@dataclass
class Probe:
    """Counts what the refresh loop did, from outside it: calls, overlaps, outcomes, waits."""

    in_flight: int = 0
    max_in_flight: int = 0
    calls: int = 0
    failures: int = 0
    sleeps: list[float] = field(default_factory=list)

    def wrap(self, call: Callable[..., Awaitable[ListT]]) -> Callable[..., Awaitable[ListT]]:
        @wraps(call)
        async def counted(*args: Any, **kwargs: Any) -> ListT:
            self.calls += 1
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            try:
                return await call(*args, **kwargs)
            except BaseException:
                self.failures += 1
                raise
            finally:
                self.in_flight -= 1

        return counted

    async def sleep(self, seconds: float) -> None:
        """The client's retry sleep, recorded so a test can see it honoured Retry-After."""
        self.sleeps.append(seconds)
        await asyncio.sleep(seconds)


def chaos_app(endpoint: str, token: str, probe: Probe, *, interval: float = INTERVAL) -> DrtuiApp:
    """The real app and client over loopback HTTP, with the probe around the fleet fetch."""
    policy = RetryPolicy(
        max_attempts=ATTEMPTS,
        base_delay=RETRY_DELAY,
        max_delay=0.2,
        max_total=3.0,
        sleep=probe.sleep,
    )
    client = DataRobotClient(
        endpoint, token, timeout=READ_TIMEOUT, connect_timeout=1.0, retry=policy
    )
    client.list_all_deployment_records = probe.wrap(client.list_all_deployment_records)  # type: ignore[method-assign,assignment]
    settings = AppSettings(
        endpoint=endpoint,
        token=token,
        profile_name="chaos",
        refresh_interval=interval,
        attention_first=False,
    )
    return DrtuiApp(settings, client=client)


def header_text(app: App[Any]) -> str:
    return str(screen_of(app).query_one(FleetHeader).render())


def set_chaos(server: EmulatorServer, settings: ChaosSettings | None) -> None:
    state = server.state
    with state.lock:
        state.chaos = settings
