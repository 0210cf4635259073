"""Hostile records served by the emulator, drawn by the real screen: inert text, never a crash.

A label can carry an escape sequence that retitles the window or sets the clipboard, Rich
markup, bidi overrides or a megabyte of text. What reaches the terminal is checked on the
strips the compositor hands the driver, and on the exported screenshot.
"""

from __future__ import annotations

import pytest

from drtui.api.client import DataRobotClient
from drtui.api.retry import NO_RETRY
from drtui.emulator.server import EmulatorServer
from drtui.ui.app import DrtuiApp
from drtui.ui.screens.events_log import EventsScreen
from drtui.ui.settings import AppSettings
from tests.observe import screen_lines, screen_of, screen_text, until
from tests.reliability.fuzzing import unsafe_characters

MARK = "zzhostile"
"""In every hostile label, so a search brings exactly those rows up."""


def _hostile_changes(n: int) -> dict[str, object]:
    changes: list[dict[str, object]] = [
        {
            "label": f"[bold red]{MARK}[/] \x1b]0;pwned\x07\x1b[31mred\x1b[0m",
            "description": f"{MARK} \x1b]52;c;cm0gLXJmIH4=\x07 clipboard",
            "status": "\x1b[5mactive",
            "importance": "CRITICAL\x07",
            "tags": [{"id": "t1", "name": "\x1b[2Jenv", "value": "\x9b31mprod\u202e"}],
        },
        {
            "label": f"{MARK} link \x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",
            "serviceHealth": {
                "status": "\x1b[31mfailing",
                "message": "\x1bP+q544e\x1b\\ bad\r\nline",
                "startDate": None,
            },
            "model": {"targetType": "Bin\x00ary", "type": "\u202eevil"},
            "predictionEnvironment": {"platform": "aws\x07", "name": "\x9d0;t\x9c"},
            "owners": {
                "count": 2,
                "preview": [
                    {"firstName": "\x1b[1mMallory", "lastName": "\x1b]0;x\x07", "email": "m@x"}
                ],
            },
        },
        {"label": f"{MARK} " + "x\x1b[1m" * 50_000, "description": "\t\x0b\x0c\x85" * 1000},
    ]
    return changes[n]


def _app(server: EmulatorServer) -> DrtuiApp:
    token = server.config.user_token
    client = DataRobotClient(server.endpoint, token, retry=NO_RETRY, timeout=5.0)
    return DrtuiApp(
        AppSettings(
            endpoint=server.endpoint, token=token, refresh_interval=30, attention_first=False
        ),
        client=client,
    )


def _assert_inert(app: DrtuiApp, where: str) -> None:
    for line in screen_lines(app):
        assert not unsafe_characters(line), (where, unsafe_characters(line), line[:160])
    svg = app.export_screenshot()
    assert not unsafe_characters(svg.replace("\n", "")), (where, unsafe_characters(svg))
    assert "Traceback" not in svg


async def test_hostile_records_render_as_inert_text(server: EmulatorServer) -> None:
    state = server.state
    targets = state.live_ids[:3]
    for n, deployment_id in enumerate(targets):
        state.update_deployment(deployment_id, _hostile_changes(n))
    app = _app(server)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = screen_of(app)
        await until(pilot, lambda: screen.refreshes >= 1, 5.0, "the first refresh")
        await pilot.press("slash", *MARK, "enter")
        await until(pilot, lambda: len(screen.table.rows) == 3, 3.0, "the three hostile rows")
        for _ in range(3):
            row = screen.table.cursor_row
            assert row is not None and row.id in targets
            _assert_inert(app, f"table and detail of {row.id}")
            await pilot.press("j")
        text = screen_text(app)
        assert f"[bold red]{MARK}[/]" in text  # markup shown literally, not interpreted
        assert "pwned" not in text and "https://evil.example" not in text
        await pilot.press("E")
        await until(pilot, lambda: isinstance(app.screen, EventsScreen), 3.0, "the events log")
        _assert_inert(app, "events log")
        assert app.is_running and app.return_code is None
    await app.client.aclose()


async def test_a_health_alert_about_a_hostile_label_is_inert(server: EmulatorServer) -> None:
    state = server.state
    target = state.live_ids[5]
    state.set_health(target, "serviceHealth", "passing")
    app = _app(server)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = screen_of(app)
        await until(pilot, lambda: screen.refreshes >= 1, 5.0, "the first refresh")
        state.update_deployment(target, {"label": f"{MARK} \x1b]0;alert\x07[reverse]toast[/]"})
        state.set_health(target, "serviceHealth", "failing", message="\x1b[2J\x1b]52;c;eA==\x07")
        await pilot.press("r")
        await until(pilot, lambda: len(screen.events) >= 1, 3.0, "the degradation event")
        await pilot.pause(0.1)  # let the toast mount
        _assert_inert(app, "toast")
        assert "[reverse]toast[/]" in screen_text(app)
        await pilot.press("E")
        await until(pilot, lambda: isinstance(app.screen, EventsScreen), 3.0, "the events log")
        _assert_inert(app, "events log")
    await app.client.aclose()


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"])
async def test_one_odd_timestamp_does_not_blind_the_whole_fleet(
    server: EmulatorServer, moment: str
) -> None:
    """A single record with a timestamp outside datetime's UTC range must not stop refreshes."""
    state = server.state
    odd, other = state.live_ids[10], state.live_ids[11]
    usage = state.deployments[odd].doc["predictionUsage"]
    app = _app(server)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = screen_of(app)
            await until(pilot, lambda: screen.refreshes >= 1, 5.0, "the first refresh")
            state.update_deployment(
                odd, {"predictionUsage": {"dailyRates": [1] * 7, "lastTimestamp": moment}}
            )
            state.update_deployment(other, {"label": f"renamed {moment}"})
            await pilot.press("r")
            await until(
                pilot,
                lambda: (
                    screen.fleet.rows[other].label == f"renamed {moment}"
                    or screen.freshness.stale_since is not None
                ),
                3.0,
                "the refresh",
            )
            assert screen.freshness.stale_since is None, screen.freshness.reason
    finally:
        state.update_deployment(odd, {"predictionUsage": usage})
        await app.client.aclose()
