"""The dashboard against a misbehaving server, over real HTTP: it goes stale, never down.

Each fault is injected by the emulator while the app refreshes every INTERVAL seconds. What an
on-call engineer would notice is asserted: no traceback and no exit, STALE shown within one
refresh (plus what the failing request itself may take), never two refreshes at once, the
server's Retry-After respected, and fresh data within one interval of the fault ending.
"""

from __future__ import annotations

import functools
import logging
import time
from datetime import UTC, datetime

import pytest

from drtui.emulator.config import ChaosSettings
from drtui.emulator.server import EmulatorServer
from drtui.ui.app import DrtuiApp
from tests.observe import screen_of, until
from tests.reliability.conftest import DEPLOYMENTS
from tests.reliability.rig import (
    FAULTS,
    INTERVAL,
    MIXED,
    REFRESH_BUDGET,
    Probe,
    chaos_app,
    header_text,
    set_chaos,
)

MARGIN = 0.8
"""Scheduling slack on a shared two-core machine, on top of the interval being asserted."""


def assert_alive(app: DrtuiApp, probe: Probe, caplog: pytest.LogCaptureFixture) -> None:
    """Still running, no traceback anywhere a user or the log would see, never overlapped."""
    assert app.is_running and app.return_code is None
    assert "Traceback" not in app.export_screenshot()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert probe.max_in_flight == 1


@pytest.mark.parametrize("fault", list(FAULTS))
async def test_fault_goes_stale_within_an_interval_and_recovers_within_one(
    server: EmulatorServer, fault: str, caplog: pytest.LogCaptureFixture
) -> None:
    settings = FAULTS[fault]
    probe = Probe()
    app = chaos_app(server.endpoint, server.config.user_token, probe)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = screen_of(app)
        await until(pilot, lambda: screen.refreshes >= 1, 5.0, "the first refresh")
        fetched = screen.freshness.fetched_at
        retry_after = float(settings.retry_after) if settings.rate_limit_rate else 0.0

        set_chaos(server, settings)
        sleeps_before = len(probe.sleeps)
        took = await until(
            pilot,
            lambda: screen.freshness.stale_since is not None,
            INTERVAL + REFRESH_BUDGET + retry_after,
            f"STALE after {fault}",
        )
        assert "STALE" in header_text(app), header_text(app)
        assert screen.freshness.reason and "Traceback" not in screen.freshness.reason
        assert len(screen.fleet) == DEPLOYMENTS  # the last good data is kept
        if retry_after:
            assert probe.sleeps[sleeps_before:], "the client never retried the 429"
            assert min(probe.sleeps[sleeps_before:]) >= retry_after
            retry_at = screen.freshness.retry_at
            assert retry_at is not None
            assert (retry_at - datetime.now(UTC)).total_seconds() >= retry_after - took - MARGIN

        set_chaos(server, None)
        await until(
            pilot,
            lambda: screen.freshness.stale_since is None,
            max(INTERVAL, retry_after) + MARGIN + 0.2,
            f"fresh data after {fault}",
        )
        assert fetched is not None and screen.freshness.fetched_at is not None
        assert screen.freshness.fetched_at > fetched
        assert "STALE" not in header_text(app)
        assert_alive(app, probe, caplog)
    await app.client.aclose()


async def test_one_429_is_waited_out_inside_the_refresh(
    server: EmulatorServer, caplog: pytest.LogCaptureFixture
) -> None:
    """A single 429 costs a wait of Retry-After, not a stale screen."""
    probe = Probe()
    app = chaos_app(server.endpoint, server.config.user_token, probe)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = screen_of(app)
        await until(pilot, lambda: screen.refreshes >= 1, 5.0, "the first refresh")
        seen = screen.refreshes
        set_chaos(server, ChaosSettings(rate_limit_rate=1.0, retry_after=1, times=1))
        started = time.monotonic()
        await until(
            pilot,
            lambda: screen.refreshes > seen,
            INTERVAL + 1.0 + MARGIN + 0.5,
            "the refresh that met the 429",
        )
        assert time.monotonic() - started >= 1.0
        assert probe.sleeps and probe.sleeps[-1] >= 1.0
        assert screen.freshness.stale_since is None
        assert_alive(app, probe, caplog)
    await app.client.aclose()


async def test_faults_together_never_crash_or_overlap(
    server: EmulatorServer, caplog: pytest.LogCaptureFixture
) -> None:
    probe = Probe()
    app = chaos_app(server.endpoint, server.config.user_token, probe)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = screen_of(app)
        await until(pilot, lambda: screen.refreshes >= 1, 5.0, "the first refresh")
        set_chaos(server, MIXED)
        deadline = time.monotonic() + 2.5
        while time.monotonic() < deadline:
            await pilot.press("r")  # a user hammering refresh must not start a second one
            await pilot.pause(0.15)
        assert probe.failures >= 1, "the faults never reached the app"
        set_chaos(server, None)
        fetched = screen.freshness.fetched_at
        await until(
            pilot,
            lambda: screen.freshness.stale_since is None and screen.freshness.fetched_at != fetched,
            2 * INTERVAL + REFRESH_BUDGET + MARGIN,
            "recovery from mixed faults",
        )
        assert_alive(app, probe, caplog)
    await app.client.aclose()


async def test_after_a_long_outage_data_is_fresh_within_one_interval(
    server: EmulatorServer, caplog: pytest.LogCaptureFixture
) -> None:
    """Backoff must not push recovery past one interval once the server is back (issue 9)."""
    interval = 1.0  # long enough that one interval and the backoff cap (2x) are far apart
    probe = Probe()
    app = chaos_app(server.endpoint, server.config.user_token, probe, interval=interval)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = screen_of(app)
        await until(pilot, lambda: screen.refreshes >= 1, 5.0, "the first refresh")
        set_chaos(server, ChaosSettings(outage=True, retry_after=0))
        for failed in (1, 2):
            await until(
                pilot,
                functools.partial(lambda n: probe.failures >= n, failed),
                2 * interval + REFRESH_BUDGET,
                f"failure {failed} of the outage",
            )
        await until(
            pilot, lambda: probe.in_flight == 0, REFRESH_BUDGET, "the failed refresh to end"
        )
        set_chaos(server, None)
        await until(
            pilot,
            lambda: screen.freshness.stale_since is None,
            interval + MARGIN,
            "fresh data after the outage ended",
        )
        assert_alive(app, probe, caplog)
    await app.client.aclose()
