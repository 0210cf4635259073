"""The app's recorder thread: polls handed over without waiting, recorded off the event loop."""

from __future__ import annotations

import contextlib
import queue
import sqlite3
import threading
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from pathlib import Path

from drtui.core.fleet import Fleet
from drtui.core.recorded import HealthStrip
from drtui.core.rhythm import Rhythm
from drtui.core.silence import DEFAULT_POLICY, SilencePolicy
from drtui.store.history import History

STRIPS_EVERY = timedelta(minutes=1)
"""How often the recorder's thread recomputes the health strips (a cell is three hours wide)."""


STRIPS_WHOLE_EVERY = timedelta(minutes=10)
"""How often every deployment's strip is recomputed; in between, only those that changed."""


class BackgroundRecorder:
    """Records polls on its own thread, so the event loop never waits for the disk.

    `submit` never blocks: when the thread is still writing, the newest waiting poll replaces
    the older one (the next poll records every change since anyway). Messages (a damaged file
    moved aside, a write that failed) go to `on_message`, called on the recorder's thread.
    """

    def __init__(
        self,
        path: Path,
        *,
        on_message: Callable[[str], None] | None = None,
        policy: SilencePolicy = DEFAULT_POLICY,
        on_strips: Callable[[dict[str, HealthStrip], datetime], None] | None = None,
        strips_every: timedelta = STRIPS_EVERY,
        **options: object,
    ) -> None:
        self.path = path
        self._on_message = on_message
        self._on_strips = on_strips
        self._strips_every = strips_every
        self._strips_at: datetime | None = None
        self._strips_whole_at: datetime | None = None
        self._strips_last: dict[str, HealthStrip] = {}
        self._strips_moved: set[str] = set()
        self._policy = policy
        self._options = options
        self._queue: queue.Queue[tuple[Fleet, datetime] | None] = queue.Queue(maxsize=1)
        self._failed = False
        self.recorded = 0
        """Polls recorded so far, counted on the recorder's thread once each is on file."""
        self.rhythms: Mapping[str, Rhythm] = {}
        """Each deployment's rhythm as learnt (replaced whole from the recorder's thread, so a
        reader on another thread sees one version or the next)."""
        self._thread = threading.Thread(target=self._run, name="drtui-history", daemon=True)
        self._thread.start()

    def submit(self, fleet: Fleet, at: datetime) -> None:
        item = (fleet, at)
        while True:
            try:
                self._queue.put_nowait(item)
                return
            except queue.Full:
                with contextlib.suppress(queue.Empty):
                    self._queue.get_nowait()

    def close(self, timeout: float = 5.0) -> None:
        with contextlib.suppress(queue.Empty):
            self._queue.get_nowait()
        self._queue.put(None)
        self._thread.join(timeout)

    def _say(self, message: str) -> None:
        if self._on_message is not None:
            self._on_message(message)

    def _strips(self, history: History, at: datetime) -> None:
        """After a recorded poll, at most every `strips_every`: the fleet's health strips (one
        read of the last 24 h, on this thread), handed to `on_strips`.

        The whole fleet's strips are computed every STRIPS_WHOLE_EVERY (cells are three hours
        wide: time moves them that slowly); in between, only the deployments recorded as
        changed since the last strips are computed again (a fleet of 10,000 costs ~0.3 s of
        CPU a time, the few that changed ~nothing), and nothing is handed over when none did."""
        if self._on_strips is None:
            return
        self._strips_moved.update(history.last_moved)
        if self._strips_at is not None and at - self._strips_at < self._strips_every:
            return
        self._strips_at = at
        if self._strips_whole_at is None or at - self._strips_whole_at >= STRIPS_WHOLE_EVERY:
            strips = history.strips(at)
            self._strips_whole_at = at
        elif self._strips_moved:
            strips = {**self._strips_last, **history.strips(at, only=self._strips_moved)}
        else:
            return
        self._strips_moved.clear()
        self._strips_last = strips
        self._on_strips(strips, at)

    def _run(self) -> None:
        try:
            history = History(self.path, on_message=self._say, **self._options)  # type: ignore[arg-type]
        except (sqlite3.Error, OSError) as error:
            self._say(f"Fleet history is off: {self.path} could not be opened ({error}).")
            return
        with history:
            while (item := self._queue.get()) is not None:
                fleet, at = item
                try:
                    history.record_fleet(fleet, at, self._policy)
                    self.rhythms = history.rhythms()
                    self._failed = False
                    self._strips(history, at)
                    self.recorded += 1
                except (sqlite3.Error, OSError) as error:
                    if not self._failed:  # one message per spell of failures
                        self._say(f"Fleet history could not record a poll ({error}).")
                    self._failed = True
