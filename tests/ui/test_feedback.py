"""Saying what it is doing: freshness that never contradicts itself, one busy toast per poll,
the last poll's duration in help, no TLS warning where there is no TLS."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from drtui.api.config import ConfigOverrides, resolve_config
from drtui.ui.polling import Freshness
from drtui.ui.screens.help import HelpScreen
from drtui.ui.widgets.view_header import freshness_parts
from tests.observe import screen_of, until
from tests.ui.harness import FIXED_NOW
from tests.ui.write_harness import write_harness

LIST = "/api/v2/deployments/"


def plain(parts: list[str | tuple[str, str]]) -> str:
    return "".join(p if isinstance(p, str) else p[0] for p in parts)


def test_stale_data_never_reads_as_freshly_updated() -> None:
    fresh = Freshness(fetched_at=FIXED_NOW)
    assert plain(freshness_parts(fresh, FIXED_NOW)) == "updated just now"
    stale = Freshness(fetched_at=FIXED_NOW, stale_since=FIXED_NOW, reason="503")
    text = plain(freshness_parts(stale, FIXED_NOW + timedelta(minutes=3)))
    assert "STALE" in text and "updated" not in text and "last success 3 min ago" in text


async def test_r_during_a_poll_says_so_once_and_help_shows_the_last_poll(
    tmp_path: Path,
) -> None:
    async with (
        write_harness(tmp_path) as h,
        h.app.run_test(size=(120, 40), message_hook=h.heard) as pilot,
    ):
        screen = screen_of(h.app)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        gate = asyncio.Event()
        h.wire.hold = lambda request: gate if request.url.path == LIST else None
        await pilot.press("r")
        await until(pilot, lambda: screen.refreshing, what="a poll in flight")
        await pilot.pause()
        before = len(h.heard.said())
        await pilot.press("r", "r", "r", "r")
        await until(pilot, lambda: h.heard.saying("already running"), what="busy said")
        await pilot.pause()
        said = h.heard.said()[before:]
        assert len(said) == 1 and "already running" in said[0], said
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(h.app.screen, HelpScreen), what="help")
        status = str(h.app.screen.query_one("#help-status").render())
        assert "last poll took" in status and "a poll is running" in status
        gate.set()
        await pilot.press("escape")
        await until(pilot, lambda: screen.refreshes == 2, what="the slow poll ends")


def test_no_tls_warning_for_plain_http(tmp_path: Path) -> None:
    def resolved(endpoint: str) -> tuple[str | None, str | None]:
        config = resolve_config(
            ConfigOverrides(endpoint=endpoint, token="t0ken-value", ssl_verify=False),
            env={},
            home=tmp_path,
            config_dir=tmp_path,
        )
        return config.tls_warning, config.cleartext_warning

    assert resolved("https://app.example.com")[0] is not None
    tls, _ = resolved("http://127.0.0.1:8080")
    assert tls is None, "no TLS to turn off on plain http"
