"""One poll loop for every view: fetch, build off the loop, apply, re-arm, back off, go stale.

A view mounts a `Poller` (an invisible widget, so its timers and workers end with the view) and
gives it two callables: `fetch`, a coroutine that talks to the client, and `build`, plain CPU
work run in a thread (parsing, diffing). The poller owns the rest:

- the next poll is armed only when the previous one has ended (never two in flight, never a
  pile-up on a slow server);
- a generation number: `invalidate()` (the query changed) and `bump()` (a write succeeded)
  make any answer already in flight worthless, so it is dropped instead of overwriting newer
  data;
- failures back off (quick first retry, doubling, capped; a 429's Retry-After honoured but
  capped too), and every delay is bounded by MAX_DELAY whatever the server says;
- any exception, in the fetch, the build or the view's own `apply`, ends in a STALE state with
  a logged reason and a re-armed timer: the loop never dies;
- STALE means a poll failed after the client's own retries: a page answered 500, 429 or
  502-504, cut short or dropped is asked again inside the fetch (api/http.py), so one transient
  fault on one page never fails the poll, and the header does not flash STALE under light
  chaos;
- pause/resume, and a `Freshness` value every view's header draws the same way.

The worker posts typed messages (`Poller.Loaded`, `Poller.LoadFailed`) carrying the generation
to the poller itself; the poller checks the generation and calls the view's callbacks.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar, Generic, TypeVar

from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.worker import Worker

from drtui.api.errors import DataRobotError, RateLimitedError
from drtui.core.sanitize import clean

log = logging.getLogger(__name__)

RawT = TypeVar("RawT")
ValueT = TypeVar("ValueT")

MAX_DELAY = 600.0
"""No wait between polls is ever longer than this, whatever the failures or the server say."""
MIN_TIMER_DELAY = 0.01
"""Textual's set_timer(0) never fires (and its task fails on unmount): due means 'soon'."""
FIRST_RETRY = 5.0


def backoff(failures: int, interval: float) -> float:
    """Seconds before retry number `failures`: quick first retry, doubling, capped.

    Starts at the refresh interval or 5 s, whichever is shorter, and never waits more than the
    interval (at least 5 s) nor MAX_DELAY, so data is fresh within one interval of the server's
    return. Safe for any number of failures (the exponent is bounded: no overflow).
    """
    base = min(max(interval, MIN_TIMER_DELAY), FIRST_RETRY)
    cap = min(MAX_DELAY, max(interval, base))
    exponent = min(max(0, failures - 1), 32)
    return float(min(cap, base * 2.0**exponent))


def bounded_delay(seconds: float | None) -> float:
    """A delay a server asked for, made safe: NaN/negative → 0, inf/huge → MAX_DELAY."""
    if seconds is None or not isinstance(seconds, int | float) or math.isnan(seconds):
        return 0.0
    return float(min(MAX_DELAY, max(0.0, seconds)))


@dataclass(frozen=True, slots=True)
class Freshness:
    """Fresh when `stale_since` is None; otherwise the first failure, its reason, next try."""

    fetched_at: datetime | None = None
    stale_since: datetime | None = None
    reason: str = ""
    retry_at: datetime | None = None
    paused: bool = False
    polling_since: datetime | None = None
    """When the poll in flight started (None when idle)."""
    last_duration: float | None = None
    """Seconds the last finished poll took."""
    stopped: bool = False
    """Polling stopped for good until the user asks again (e.g. the token was rejected)."""


class Poller(Widget, Generic[RawT, ValueT]):
    """The poll loop of one view. Invisible; mount it in the view's screen."""

    DEFAULT_CSS: ClassVar[str] = "Poller { display: none; }"

    @dataclass
    class Loaded(Message):
        """A poll succeeded (posted by the worker to the poller)."""

        value: Any
        fetched_at: datetime
        generation: int
        duration: float

    @dataclass
    class LoadFailed(Message):
        """A poll failed: the reason, and the delay the failure itself asks for."""

        reason: str
        retry_after: float
        generation: int
        duration: float
        fatal: bool = False
        """Retrying cannot help (401/403): stop until the user retries."""

    def __init__(
        self,
        *,
        fetch: Callable[[], Awaitable[RawT]],
        build: Callable[[RawT], ValueT],
        apply: Callable[[ValueT, datetime], None],
        on_state: Callable[[Freshness], None] | None = None,
        interval: float,
        now: Callable[[], datetime],
        wrap: Callable[[], Any] | None = None,
        stop_on: tuple[type[BaseException], ...] = (),
        name: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id)
        self._fetch = fetch
        self._build = build
        self._apply = apply
        self._on_state = on_state
        self.interval = interval
        self._now = now
        self._wrap = wrap
        self._stop_on = stop_on
        self.generation = 0
        self.failures = 0
        self.polls = 0
        """Successful polls applied."""
        self.freshness = Freshness()
        self._timer: Timer | None = None
        self._worker: Worker[None] | None = None

    # ----- the loop ---------------------------------------------------------------------------

    @property
    def in_flight(self) -> bool:
        return self._worker is not None and self._worker.is_running

    @property
    def armed(self) -> bool:
        """Whether the next poll is scheduled: False while paused, stopped on a fatal error,
        or with a poll in flight (its answer arms the next)."""
        return self._timer is not None

    def poll_now(self) -> bool:
        """Start a poll unless one is in flight (that one re-arms the timer). False if busy."""
        if self.in_flight or not self.is_mounted:
            return False
        self._stop_timer()
        self._set_freshness(polling_since=self._now(), stopped=False)
        self._worker = self.run_worker(
            self._run(self.generation), group="poll", exit_on_error=False, exclusive=False
        )
        return True

    def invalidate(self) -> None:
        """What is being polled changed: drop the answer in flight, ask again now."""
        self.bump()
        self.poll_now()

    def bump(self) -> None:
        """Make every answer in flight worthless (after a write, or a new query)."""
        self.generation += 1
        if self._worker is not None:
            self._worker.cancel()
            self._worker = None
        if self.freshness.polling_since is not None:
            self._set_freshness(polling_since=None)

    def pause(self) -> None:
        self._stop_timer()
        self._set_freshness(paused=True)

    def resume(self) -> None:
        self._set_freshness(paused=False)
        self.poll_now()

    def toggle_pause(self) -> bool:
        """Pause or resume; True when now paused."""
        if self.freshness.paused:
            self.resume()
        else:
            self.pause()
        return self.freshness.paused

    async def _run(self, generation: int) -> None:
        """The worker: fetch, build in a thread, post one message. Never raises."""
        started = self._now()  # the view's clock (fixed in tests: durations are reproducible)

        def took() -> float:
            return max(0.0, (self._now() - started).total_seconds())

        try:
            value = await self._fetch_and_build()
            self.post_message(self.Loaded(value, self._now(), generation, took()))
        except asyncio.CancelledError:
            raise
        except self._stop_on as error:
            self.post_message(self.LoadFailed(_one_line(str(error)), 0.0, generation, took(), True))
        except DataRobotError as error:
            retry_after = 0.0
            if isinstance(error, RateLimitedError) and error.retry_after:
                retry_after = bounded_delay(error.retry_after)
            self.post_message(
                self.LoadFailed(_one_line(str(error)), retry_after, generation, took())
            )
        except Exception as error:  # a bug must not stop monitoring; the log keeps the traceback
            log.exception("refresh failed unexpectedly")
            reason = f"unexpected error ({type(error).__name__}); details in the log file"
            self.post_message(self.LoadFailed(reason, 0.0, generation, took()))

    async def _fetch_and_build(self) -> ValueT:
        raw = await self._fetch()
        # Parsing and diffing thousands of records is CPU work: off the event loop. `wrap`
        # (e.g. the quiet collector) covers the build only, never the network awaits: garbage
        # made while waiting for the server is collected as usual, not frozen with the fleet.
        if self._wrap is None:
            return await asyncio.to_thread(self._build, raw)
        with self._wrap():
            value = await asyncio.to_thread(self._build, raw)
            del raw  # garbage now: neither scanned nor frozen when the wrap ends
        return value

    def on_poller_loaded(self, message: Poller.Loaded) -> None:
        message.stop()
        if message.generation != self.generation:
            return  # an answer to a superseded query, or fetched before a write
        self._worker = None
        try:
            self._apply(message.value, message.fetched_at)
        except Exception as error:
            log.exception("applying a poll failed")
            self._failed(
                f"unexpected error ({type(error).__name__}); details in the log file",
                0.0,
                message.duration,
            )
            return
        self.failures = 0
        self.polls += 1
        self._set_freshness(
            fetched_at=message.fetched_at,
            stale_since=None,
            reason="",
            retry_at=None,
            polling_since=None,
            last_duration=message.duration,
        )
        self._arm(self.interval)

    def on_poller_load_failed(self, message: Poller.LoadFailed) -> None:
        message.stop()
        if message.generation != self.generation:
            return
        self._worker = None
        if message.fatal:
            self.failures += 1
            self._set_freshness(
                reason=message.reason,
                retry_at=None,
                stale_since=self.freshness.stale_since or self._now(),
                polling_since=None,
                last_duration=message.duration,
                stopped=True,
            )
            self._stop_timer()
            return
        self._failed(message.reason, message.retry_after, message.duration)

    def _failed(self, reason: str, retry_after: float, duration: float) -> None:
        try:
            self.failures += 1
            delay = max(backoff(self.failures, self.interval), bounded_delay(retry_after))
            self._set_freshness(
                reason=reason,
                retry_at=self._now() + timedelta(seconds=delay),
                stale_since=self.freshness.stale_since or self._now(),
                polling_since=None,
                last_duration=duration,
            )
        except Exception:  # even the bookkeeping failing must not end the loop
            log.exception("recording a failed poll failed")
            delay = MAX_DELAY
        self._arm(delay)

    def _arm(self, delay: float) -> None:
        self._stop_timer()
        if self.freshness.paused or self.freshness.stopped or not self.is_mounted:
            return
        self._timer = self.set_timer(min(MAX_DELAY, max(MIN_TIMER_DELAY, delay)), self._timer_fired)

    def _timer_fired(self) -> None:
        self._timer = None
        self.poll_now()

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _set_freshness(self, **changes: Any) -> None:
        self.freshness = dataclasses.replace(self.freshness, **changes)
        if self._on_state is not None:
            try:
                self._on_state(self.freshness)
            except Exception:
                log.exception("showing the poll state failed")

    def on_unmount(self) -> None:
        self._stop_timer()


def _one_line(text: str) -> str:
    return clean(" ".join(text.split()), limit=500)
