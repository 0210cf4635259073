"""Polish: every view's footer is drtui's (help and quit first, still there at 80x24), help
explains the silent mark and the health strip's glyphs, the sort chip names the column."""

from __future__ import annotations

from typing import Any

import pytest

from drtui.api.query import DeploymentQuery
from drtui.core.views import chips
from drtui.ui.app import DrtuiApp
from drtui.ui.screens.custom import CustomScreen
from drtui.ui.screens.deployments import DeploymentsScreen
from drtui.ui.screens.events_log import EventsScreen
from drtui.ui.screens.help import HelpScreen
from drtui.ui.widgets.footer import DrtuiFooter
from tests.observe import screen_text, until
from tests.ui.harness import harness


async def _go(pilot: Any, app: DrtuiApp, name: str, kind: type) -> Any:
    await pilot.press("colon", *name, "enter")
    await until(pilot, lambda: isinstance(app.screen, kind), what=f":{name}")
    screen = app.screen
    poller = getattr(screen, "poller", None)
    if poller is not None:
        await until(pilot, lambda: poller.polls >= 1, what=f"{name} listed")
    await pilot.pause()
    return screen


@pytest.mark.parametrize(("name", "kind"), [("custom", CustomScreen), ("events", EventsScreen)])
async def test_other_views_keep_help_and_quit_first_in_the_footer_at_80x24(
    name: str, kind: type
) -> None:
    async with harness() as h, h.app.run_test(size=(80, 24)) as pilot:
        await _go(pilot, h.app, name, kind)
        footer = h.app.screen.query_one(DrtuiFooter)
        assert footer.compact, "below 100 columns the keys lose their padding"
        last = screen_text(h.app).splitlines()[-1]
        assert last.lstrip().startswith("? Help"), last
        assert "q Quit" in last


async def test_help_explains_the_silent_mark_and_the_strip_glyphs() -> None:
    async with harness() as h, h.app.run_test(size=(120, 48)) as pilot:
        screen = h.app.screen
        assert isinstance(screen, DeploymentsScreen)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(h.app.screen, HelpScreen), what="help")
        body = str(h.app.screen.query_one("#help-body").render())
        lines = body.splitlines()

        def meaning(symbol: str) -> str:
            found = [line for line in lines if line.strip().startswith(symbol + " ")]
            assert found, f"{symbol!r} is not explained"
            return found[0]

        assert "silent" in meaning("∅")
        assert "failing" in meaning("▇")
        assert "warning" in meaning("▄")
        assert "passing" in meaning("▁")
        assert "no verdict" in meaning("·")
        assert "not recorded" in meaning("blank")
        assert "changes" in meaning("#")
        assert "LAST 24H" in body


def test_the_sort_chip_names_the_column_and_its_direction() -> None:
    assert chips(DeploymentQuery(order_by="-lastPredictionTimestamp")) == [
        "sort: Last prediction ▼"
    ]
    assert chips(DeploymentQuery(order_by="label")) == ["sort: Label ▲"]


async def test_the_filter_bar_shows_the_sort_by_its_column_name() -> None:
    query = DeploymentQuery(order_by="label")
    async with (
        harness(attention_first=False, query=query) as h,
        h.app.run_test(size=(160, 40)) as pilot,
    ):
        screen = h.app.screen
        assert isinstance(screen, DeploymentsScreen)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        await pilot.pause()
        text = screen_text(h.app)
        assert "sort: Label ▲" in text and "sort: label" not in text
