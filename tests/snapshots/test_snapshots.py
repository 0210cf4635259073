"""What the deployments screen looks like, at 80x24 and 160x48, in each state worth seeing.

Deterministic: the emulator runs on its manual clock with a fixed seed, the app's `now` is
fixed, and the client does not retry.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import SelectionList

from tests.observe import screen_of, until
from tests.ui.harness import build_app

SIZES = [(80, 24), (160, 48)]


async def _loaded(pilot: Pilot[Any]) -> None:
    await until(pilot, lambda: screen_of(pilot.app).refreshes >= 1, what="first refresh")


def _snapshot(
    snap_compare: Any,
    size: tuple[int, int],
    then: Callable[[Pilot[Any], Any], Awaitable[None]] | None = None,
    **settings: Any,
) -> bool:
    app, emulator, config = build_app(**settings)

    async def run_before(pilot: Pilot[Any]) -> None:
        await _loaded(pilot)
        if then is not None:
            await then(pilot, (emulator, config))
        await pilot.pause()

    return bool(snap_compare(app, terminal_size=size, run_before=run_before))


@pytest.mark.parametrize("size", SIZES)
def test_normal(snap_compare: Any, size: tuple[int, int]) -> None:
    assert _snapshot(snap_compare, size)


@pytest.mark.parametrize("size", SIZES)
def test_stale(snap_compare: Any, size: tuple[int, int]) -> None:
    async def outage(pilot: Pilot[Any], world: Any) -> None:
        emulator, config = world
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=emulator),
            base_url="http://emulator.test",
            headers={"Authorization": f"Bearer {config.user_token}"},
        ) as control:
            (
                await control.put("/_emulator/chaos", json={"rateLimitRate": 1.0, "retryAfter": 7})
            ).raise_for_status()
        await pilot.press("r")
        await until(
            pilot, lambda: screen_of(pilot.app).freshness.stale_since is not None, what="stale"
        )

    assert _snapshot(snap_compare, size, outage)


def _answers(pilot: Pilot[Any], search: str) -> bool:
    """The server's narrowing for `search` is what the table shows."""
    answers = screen_of(pilot.app).view_answers
    return answers is not None and answers.search == search


@pytest.mark.parametrize("size", SIZES)
def test_filtered(snap_compare: Any, size: tuple[int, int]) -> None:
    async def filtered(pilot: Pilot[Any], _: Any) -> None:
        await pilot.press("f")
        pilot.app.screen.query_one("#f-modelHealth", SelectionList).select("failing")
        await pilot.click("#apply")
        await until(pilot, lambda: screen_of(pilot.app).refreshes >= 2, what="filtered refresh")
        await pilot.press("slash", "c", "enter")
        await until(pilot, lambda: _answers(pilot, "c"), what="server search")

    assert _snapshot(snap_compare, size, filtered, attention_first=False)


@pytest.mark.parametrize("size", SIZES)
def test_detail(snap_compare: Any, size: tuple[int, int]) -> None:
    async def detail(pilot: Pilot[Any], _: Any) -> None:
        # Narrow: enter opens the pane below the table. Wide: it is already beside the
        # table, so page its content (J) to show the groups further down.
        await pilot.press("j", "j", "enter" if size[0] < 120 else "J")

    assert _snapshot(snap_compare, size, detail)


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare: Any, size: tuple[int, int]) -> None:
    async def help_screen(pilot: Pilot[Any], _: Any) -> None:
        await pilot.press("question_mark")

    assert _snapshot(snap_compare, size, help_screen)


@pytest.mark.parametrize("size", SIZES)
def test_no_color(
    snap_compare: Any, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert _snapshot(snap_compare, size, read_only=True)
