"""The app's exit after an unexpected exception, and writing straight to the terminal.

Textual internals: `App._handle_exception` (overridden: every unexpected exception in the
message loop passes there) and `App._exit_renderables` (what Textual prints once the terminal
is restored, where it queues a traceback with locals), and `App._driver` (written to: a
terminal sequence Textual has no public call for). `CRASH_OK` and `DRIVER_OK` say whether they
are as expected; when they are not, Textual's own exit is left as it is and nothing is written.
"""

from __future__ import annotations

import inspect
from typing import Any, TypeVar

from rich.console import RenderableType
from textual.app import App
from textual.driver import Driver

ReturnT = TypeVar("ReturnT")


def check_crash_hook() -> list[str]:
    """What `ExitWithoutTraceback` relies on and Textual no longer offers (empty: all there)."""
    method = getattr(App, "_handle_exception", None)
    found = () if method is None else tuple(inspect.signature(method).parameters)
    if found != ("self", "error"):
        return [f"App._handle_exception{found} is not _handle_exception('self', 'error')"]
    return []


CRASH_OK = not check_crash_hook()
"""Read on an unexpected exception: False leaves what Textual prints as it is."""


class ExitWithoutTraceback(App[ReturnT]):
    """An app that prints `exit_renderables_for(error)` after an unexpected exception, where
    Textual would print a rich traceback with locals (which can hold a secret)."""

    def exit_renderables_for(self, error: Exception) -> list[RenderableType]:
        """What to print once the terminal is restored after `error` (here: nothing). Called
        before Textual starts its exit."""
        return []

    def _handle_exception(self, error: Exception) -> None:
        shown = self.exit_renderables_for(error)
        super()._handle_exception(error)
        queued = getattr(self, "_exit_renderables", None)
        if CRASH_OK and isinstance(queued, list):
            queued[:] = shown  # Textual queued its traceback to print after the restore


def check_driver() -> list[str]:
    """Whether a driver is still written to with `write(data)` (empty: it is)."""
    found = tuple(inspect.signature(Driver.write).parameters)
    if found != ("self", "data"):
        return [f"Driver.write{found} is not write('self', 'data')"]
    return []


DRIVER_OK = not check_driver()
"""False: nothing is written to the terminal outside Textual."""


def write_to_terminal(app: App[Any], data: str) -> bool:
    """Write `data` (a terminal sequence) to `app`'s terminal; False when it has none (not
    running) or Textual's driver is not as expected."""
    driver = getattr(app, "_driver", None) if DRIVER_OK else None
    if not isinstance(driver, Driver):
        return False
    driver.write(data)
    return True
