"""What a part of the deployments view is handed instead of the screen: small call shapes.

The screen passes its own methods (`notify`, `set_timer`, `app.push_screen`) in one `Ports`; a
test passes fakes (tests/ui/parts.py), so a part runs without Textual.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from drtui.core.rows import Row

Severity = Literal["information", "warning", "error"]


class Stoppable(Protocol):
    def stop(self) -> None: ...


class Schedule(Protocol):
    """`set_timer`: call `callback` once after `delay` seconds."""

    def __call__(self, delay: float, callback: Callable[[], None], /) -> Stoppable: ...


class Notify(Protocol):
    """`notify`: a toast."""

    def __call__(
        self,
        message: str,
        *,
        title: str = ...,
        severity: Severity = ...,
        timeout: float | None = ...,
        markup: bool = ...,
    ) -> None: ...


class Push(Protocol):
    """`push_screen`: open a dialog (or a screen); `done` receives what it closes with."""

    def __call__(self, dialog: Any, done: Callable[[Any], None] | None, /) -> object: ...


@dataclass(frozen=True, slots=True)
class Ports:
    """What every part may use of the screen: the app's clock, toasts, dialogs, timers, and
    the row under the cursor."""

    clock: Callable[[], datetime]
    notify: Notify
    push: Push
    schedule: Schedule
    cursor_row: Callable[[], Row | None]
