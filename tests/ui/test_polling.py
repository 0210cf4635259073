"""The shared poller on its own: a minimal app whose fetch the test scripts."""

from __future__ import annotations

import asyncio
import math
from datetime import UTC, datetime
from typing import Any

from textual.app import App, ComposeResult

from drtui.api.errors import RateLimitedError, ServerError
from drtui.ui.polling import MAX_DELAY, Poller, backoff, bounded_delay
from tests.observe import until

NOW = datetime(2026, 3, 2, 9, 5, tzinfo=UTC)


def test_backoff_is_bounded_for_any_number_of_failures() -> None:
    # 5.0 * 2**1024 overflowed inside the error handler and killed the loop for good.
    for failures in (1, 2, 10, 1025, 10**6):
        for interval in (5.0, 30.0, 3600.0):
            delay = backoff(failures, interval)
            assert 0 < delay <= MAX_DELAY and math.isfinite(delay)
    assert backoff(1, 30.0) == 5.0 and backoff(2, 30.0) == 10.0 and backoff(9, 30.0) == 30.0


def test_a_server_delay_is_made_safe() -> None:
    assert bounded_delay(math.inf) == MAX_DELAY
    assert bounded_delay(1e12) == MAX_DELAY
    assert bounded_delay(999999) == MAX_DELAY
    assert bounded_delay(math.nan) == 0.0 and bounded_delay(-5) == 0.0
    assert bounded_delay(12) == 12.0


class Script:
    """What the next fetches do: a value, or an exception to raise; optionally a gate."""

    def __init__(self) -> None:
        self.steps: list[Any] = []
        self.calls = 0
        self.applied: list[Any] = []
        self.gate: asyncio.Event | None = None
        self.fail_apply = False

    async def fetch(self) -> Any:
        self.calls += 1
        step = self.steps.pop(0) if self.steps else "same"
        if self.gate is not None:
            await self.gate.wait()
        if isinstance(step, BaseException):
            raise step
        return step

    def apply(self, value: Any, _: datetime) -> None:
        if self.fail_apply:
            raise RuntimeError("bug in a view")
        self.applied.append(value)


class PollApp(App[None]):
    def __init__(self, script: Script, interval: float = 30.0) -> None:
        super().__init__()
        self.script = script
        self.poller: Poller[Any, Any] = Poller(
            fetch=script.fetch,
            build=lambda raw: raw,
            apply=script.apply,
            interval=interval,
            now=lambda: NOW,
        )

    def compose(self) -> ComposeResult:
        yield self.poller

    def on_mount(self) -> None:
        self.poller.poll_now()


async def test_never_two_in_flight_and_a_superseded_answer_is_dropped() -> None:
    script = Script()
    script.gate = asyncio.Event()
    script.steps = ["old", "new"]
    app = PollApp(script)
    async with app.run_test() as pilot:
        await until(pilot, lambda: script.calls == 1, what="first fetch")
        assert app.poller.poll_now() is False, "a second poll while one is in flight"
        # A write (or a new query) makes the answer in flight worthless.
        app.poller.invalidate()
        await until(pilot, lambda: script.calls == 2, what="second fetch")
        script.gate.set()
        await until(pilot, lambda: app.poller.polls == 1, what="an answer applied")
        await pilot.pause(0.1)
        assert script.applied == ["new"], "the answer fetched before the bump was dropped"


async def test_failures_go_stale_with_capped_retry_and_recover() -> None:
    script = Script()
    limited = RateLimitedError("Too many requests")
    limited.retry_after = math.inf
    script.steps = [ServerError("The server failed (500)."), limited, "ok"]
    app = PollApp(script)
    async with app.run_test() as pilot:
        await until(pilot, lambda: app.poller.failures == 1, what="first failure")
        f = app.poller.freshness
        assert f.stale_since == NOW and "500" in f.reason
        assert f.retry_at is not None and (f.retry_at - NOW).total_seconds() == 5.0
        app.poller.poll_now()
        await until(pilot, lambda: app.poller.failures == 2, what="429 with Retry-After: inf")
        retry_at = app.poller.freshness.retry_at
        assert retry_at is not None and (retry_at - NOW).total_seconds() == MAX_DELAY
        app.poller.poll_now()
        await until(pilot, lambda: app.poller.polls == 1, what="recovery")
        assert app.poller.freshness.stale_since is None and app.poller.failures == 0


async def test_an_exception_anywhere_in_the_poll_path_leaves_a_live_loop() -> None:
    script = Script()
    script.steps = [KeyError("bug in fetch"), "ok", "ok"]
    app = PollApp(script, interval=5.0)
    async with app.run_test() as pilot:
        await until(pilot, lambda: app.poller.failures == 1, what="a bug in the fetch")
        assert "unexpected error (KeyError)" in app.poller.freshness.reason
        assert app.poller.armed, "the next poll is armed"
        script.fail_apply = True
        app.poller.poll_now()
        await until(pilot, lambda: app.poller.failures == 2, what="a bug in the view's apply")
        assert "RuntimeError" in app.poller.freshness.reason
        assert app.poller.armed
        script.fail_apply = False
        app.poller.poll_now()
        await until(pilot, lambda: app.poller.polls == 1, what="recovery")


async def test_pause_holds_the_timer_and_resume_polls_at_once() -> None:
    script = Script()
    app = PollApp(script)
    async with app.run_test() as pilot:
        await until(pilot, lambda: app.poller.polls == 1, what="first poll")
        assert app.poller.toggle_pause() is True
        assert not app.poller.armed and app.poller.freshness.paused
        assert app.poller.toggle_pause() is False
        await until(pilot, lambda: app.poller.polls == 2, what="poll on resume")
