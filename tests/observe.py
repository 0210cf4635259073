"""Observe the running app as its user would, and wait for it: the one helper module of every
Pilot, snapshot and reliability test.

A test reads what is drawn (`screen_text`), what the app said (`Heard`, fed by Textual's public
`message_hook`) and the app's public state (`screen_of`), never an object's private attributes,
so a refactor that keeps the behaviour keeps the tests.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable
from typing import Any

from rich.cells import cell_len
from textual.app import App
from textual.message import Message
from textual.notifications import Notification, Notify
from textual.pilot import Pilot

from drtui.ui.screens.deployments import DeploymentsScreen
from drtui.ui.views import DEFAULT_MODE
from drtui.ui.widgets.line_table import LineTable


async def until(
    pilot: Pilot[Any],
    condition: Callable[[], object],
    timeout: float = 5.0,
    what: str = "condition",
) -> float:
    """Seconds until `condition` held, the app working between looks; AssertionError naming
    `what` after `timeout` (a deadline, not a fixed sleep, so a slow machine only waits
    longer)."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"timed out after {timeout:.1f}s waiting for {what}")
        await pilot.pause(0.02)
    return time.monotonic() - start


def screen_of(app: App[Any]) -> DeploymentsScreen:
    """The deployments view, wherever the user is: it stays at the bottom of its own mode
    while other views and dialogs are shown."""
    for screen in app.get_screen_stack(DEFAULT_MODE):
        if isinstance(screen, DeploymentsScreen):
            return screen
    raise AssertionError("no deployments screen")


CELL = 12.2
"""Width of one terminal cell in Rich's SVG export (font size 20 x aspect ratio 0.61)."""
_RUN = re.compile(
    r'<text class="[^"]*" x="([0-9.]+)" y="[0-9.]+" textLength="[0-9.]+" '
    r'clip-path="url\(#[\w-]*-line-([0-9]+)\)">([^<]*)</text>'
)


def screen_lines(app: App[Any]) -> list[str]:
    """Each terminal line as drawn now, dialogs over the screens beneath them, read from
    Textual's public SVG export (each run of text is placed back at its cell column)."""
    width, height = app.size
    lines = [""] * height
    for x, row, text in _RUN.findall(app.export_screenshot()):
        line, column = lines[int(row)], round(float(x) / CELL)
        lines[int(row)] = line + " " * (column - cell_len(line)) + html.unescape(text).rstrip("\n")
    return [line.replace("\xa0", " ").ljust(width) for line in lines]


def screen_text(app: App[Any]) -> str:
    """The whole terminal as drawn now, one line of text per row."""
    return "\n".join(screen_lines(app))


def row_text(table: LineTable[Any], row_id: str) -> str:
    """The line `table` draws for the row `row_id`, its gutter mark first; the cursor is put on
    the row (scrolling it into view), as a user looks at it."""
    assert table.move_cursor_to_id(row_id), f"{row_id} is not among the rows shown"
    index = table.cursor_index
    assert index is not None
    return "".join(s.text for s in table.render_line(index - round(table.scroll_y) + 1))


class Heard:
    """Every message the app handled, recorded in order: pass it as
    `run_test(message_hook=heard)`. Notifications arrive as `Notify` messages, so what the
    app said is read here even though tests run with toasts switched off."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    def __call__(self, message: Message) -> None:
        self.messages.append(message)

    def notifications(self, title: str | None = None) -> list[Notification]:
        """What `notify` said, oldest first; only those titled `title` if given."""
        said = [m.notification for m in self.messages if isinstance(m, Notify)]
        return [n for n in said if title is None or n.title == title]

    def said(self, title: str | None = None) -> list[str]:
        """The text of each notification, oldest first."""
        return [n.message for n in self.notifications(title)]

    def saying(self, words: str) -> bool:
        """Whether any notification so far contains `words`."""
        return any(words in message for message in self.said())
