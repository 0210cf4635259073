"""Stand-ins for what the deployments view's parts are handed (ui/deployments/ports.py): a clock
the test moves, timers the test fires, toasts and dialogs recorded. No Textual app runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from drtui.core.rows import Row
from drtui.ui.deployments.ports import Ports


class Clock:
    """The app's clock, moved by the test."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class Timer:
    delay: float
    callback: Callable[[], None]
    stopped: bool = False

    def stop(self) -> None:
        self.stopped = True


@dataclass
class Timers:
    """`set_timer`: each timer is kept; the test fires the ones still armed."""

    made: list[Timer] = field(default_factory=list)

    def __call__(self, delay: float, callback: Callable[[], None], /) -> Timer:
        timer = Timer(delay, callback)
        self.made.append(timer)
        return timer

    @property
    def armed(self) -> list[Timer]:
        return [t for t in self.made if not t.stopped]

    def fire(self) -> None:
        """The armed timers' time has come."""
        for timer in self.armed:
            timer.stopped = True
            timer.callback()


@dataclass
class Toasts:
    """`notify`: each toast's text and options."""

    said: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def __call__(self, message: str, **options: Any) -> None:
        self.said.append((message, options))

    @property
    def texts(self) -> list[str]:
        return [text for text, _ in self.said]


@dataclass
class Dialogs:
    """`push_screen`: each dialog opened and what it would call when it closes."""

    opened: list[tuple[Any, Callable[[Any], None] | None]] = field(default_factory=list)

    def __call__(self, dialog: Any, done: Callable[[Any], None] | None, /) -> None:
        self.opened.append((dialog, done))

    def close_last(self, result: Any) -> None:
        _, done = self.opened.pop()
        assert done is not None, "this screen returns nothing"
        done(result)


@dataclass
class FakeScreen:
    """Every port a part is handed, each a stand-in the test reads or moves."""

    clock: Clock
    timers: Timers = field(default_factory=Timers)
    toasts: Toasts = field(default_factory=Toasts)
    dialogs: Dialogs = field(default_factory=Dialogs)
    cursor: Row | None = None

    @property
    def ports(self) -> Ports:
        return Ports(
            clock=self.clock,
            notify=self.toasts,
            push=self.dialogs,
            schedule=self.timers,
            cursor_row=lambda: self.cursor,
        )
