"""What an on-call engineer learns of degradations: a ranked toast, a count that waits for
them, a terminal notification when they look elsewhere."""

from __future__ import annotations

import functools
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot

from drtui.core.health import is_passing
from drtui.ui.textual_compat import write_to_terminal
from tests.observe import screen_of, until
from tests.ui.harness import Harness, harness


def toasts(h: Harness, title: str = "Health degraded") -> list[str]:
    return h.heard.said(title)


def terminal_writes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the app writes to the terminal outside Textual's frames (its one seam for that,
    `write_to_terminal`, still writes: the capture only listens)."""
    written: list[str] = []

    def capture(app: App[Any], data: str) -> bool:
        written.append(data)
        return write_to_terminal(app, data)

    monkeypatch.setattr("drtui.ui.app.write_to_terminal", capture)
    return written


async def poll(h: Harness, pilot: Pilot[Any]) -> None:
    """The next poll, as its timer starts it (a key would give the terminal focus back)."""
    screen = screen_of(h.app)
    polls = screen.refreshes
    screen.refresh_fleet()
    await until(pilot, lambda: screen.refreshes > polls, what="the poll that sees it")


async def degrade(h: Harness, pilot: Pilot[Any], count: int = 6) -> list[str]:
    """Degrade `count` healthy deployments (alphabetically): the last goes to FAIL and is
    CRITICAL, the others to WARN; then poll. Their labels, in alphabetical order."""
    screen = screen_of(h.app)
    healthy = sorted(
        (r for r in screen.fleet.rows.values() if all(is_passing(s) for s in r.health)),
        key=lambda r: r.label.lower(),
    )[:count]
    for row in healthy[:-1]:
        h.state.set_health(row.id, "serviceHealth", "warning")
    last = healthy[-1]
    h.state.update_deployment(last.id, {"importance": "CRITICAL"})
    h.state.set_health(last.id, "serviceHealth", "failing")
    await poll(h, pilot)
    return [r.label for r in healthy]


async def test_the_toast_names_a_critical_deployment_going_to_fail_first() -> None:
    async with (
        harness(attention_first=False) as h,
        h.app.run_test(size=(120, 40), message_hook=h.heard) as pilot,
    ):
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        labels = await degrade(h, pilot)
        await until(pilot, lambda: toasts(h), what="the toast")
        (toast,) = toasts(h)
        lines = toast.splitlines()
        # Alphabetically last, it would have been hidden in "… and 2 more".
        assert lines[0].startswith(f"{labels[-1]}: service OK → FAIL")
        assert lines[-1] == "… and 2 more (E: events)"


def header(h: Harness) -> str:
    from drtui.ui.widgets.fleet_header import FleetHeader

    return str(screen_of(h.app).query_one(FleetHeader).render())


async def test_the_header_counts_new_degradations_until_seen() -> None:
    async with (
        harness(attention_first=False) as h,
        h.app.run_test(size=(120, 40), message_hook=h.heard) as pilot,
    ):
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        assert "new" not in header(h)
        labels = await degrade(h, pilot)
        assert "▲6 new" in header(h)
        # Acknowledging one is seeing it.
        critical = next(r for r in screen.fleet.rows.values() if r.label == labels[-1])
        screen.table.move_cursor_to_id(critical.id)
        await pilot.press("A")
        assert "▲5 new" in header(h)
        # The count outlives the toast and the row marks; `!` says they are seen.
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert "new" not in header(h)
        await until(pilot, lambda: h.heard.saying("5 degraded deployments marked seen"))
        await pilot.press("exclamation_mark")
        await until(pilot, lambda: h.heard.saying("Nothing new"), what="nothing new said")


async def test_opening_the_events_view_is_seeing_them() -> None:
    from drtui.ui.screens.events_log import EventsScreen
    from drtui.ui.widgets.view_header import ViewHeader

    async with harness(attention_first=False) as h, h.app.run_test(size=(120, 40)) as pilot:
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        await pilot.press("colon", *"custom", "enter")
        await until(pilot, lambda: h.app.current_view == "custom", what=":custom")
        await degrade(h, pilot)  # found by the deployments view's poll, behind :custom
        custom_header = h.app.screen.query_one(ViewHeader)
        h.app.screen.show_header()  # type: ignore[attr-defined]  # its next tick
        assert "▲6 new" in str(custom_header.render()), "every view's header says so"
        await pilot.press("colon", *"events", "enter")
        await until(pilot, lambda: isinstance(h.app.screen, EventsScreen), what="events")
        assert len(h.app.unseen) == 0
        await pilot.press("escape", "escape")
        await until(pilot, lambda: h.app.current_view == "deployments", what="back")
        assert "new" not in header(h)


async def test_a_degradation_while_the_terminal_is_elsewhere_asks_for_a_notification(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from textual import events

    written = terminal_writes(monkeypatch)
    async with harness(attention_first=False) as h, h.app.run_test(size=(120, 40)) as pilot:
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        h.app.post_message(events.AppBlur())
        await until(pilot, lambda: not h.app.app_focus, what="the terminal's focus to go")
        hostile = next(iter(screen.fleet.rows))
        labels = await degrade(h, pilot)
        sent = [w for w in written if "\x1b]9;" in w]
        assert sent == [
            f"\x1b]9;drtui: {labels[-1]}: service OK → FAIL (+5 more)\x07"
            f"\x1b]777;notify;drtui;{labels[-1]}: service OK → FAIL (+5 more)\x07"
        ]
        # Focused: the toast is enough.
        h.app.post_message(events.AppFocus())
        await until(pilot, lambda: h.app.app_focus, what="focus back")
        written.clear()
        h.state.set_health(hostile, "modelHealth", "failing")
        await poll(h, pilot)
        assert not [w for w in written if "\x1b]9;" in w]


async def test_the_notification_is_one_sanitised_line_and_can_be_turned_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from textual import events

    written = terminal_writes(monkeypatch)
    for wanted in (True, False):
        written.clear()
        async with (
            harness(attention_first=False, terminal_notify=wanted) as h,
            h.app.run_test(size=(120, 40)) as pilot,
        ):
            screen = screen_of(h.app)
            await until(pilot, functools.partial(lambda s: s.refreshes == 1, screen), what="first")
            h.app.post_message(events.AppBlur())
            await until(pilot, lambda: not h.app.app_focus, what="blur")
            healthy = next(
                r for r in screen.fleet.rows.values() if all(is_passing(s) for s in r.health)
            )
            h.state.update_deployment(
                healthy.id, {"label": "Evil\x1b]0;pwned\x07; x\nsecond line\x1b[2J"}
            )
            h.state.set_health(healthy.id, "serviceHealth", "failing")
            await poll(h, pilot)
            sent = [w for w in written if "\x1b]9;" in w]
            if not wanted:
                assert sent == []
                continue
            (sequence,) = sent
            assert sequence == (
                "\x1b]9;drtui: Evil; x second line: service OK → FAIL\x07"
                "\x1b]777;notify;drtui;Evil; x second line: service OK → FAIL\x07"
            )
