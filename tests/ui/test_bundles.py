"""`:bundles`: several use cases at once, deleted dimmed behind a toggle, sort by any column,
instant search, `enter` fetching the bundle into the detail pane, and the preview's 403/404."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import OptionList, SelectionList

from drtui.api.client import DataRobotClient
from drtui.api.retry import NO_RETRY
from drtui.core.bundles import NO_BUNDLES_FEATURE
from drtui.ui.app import DrtuiApp
from drtui.ui.screens.bundles import COLUMNS, BundlesScreen
from drtui.ui.screens.choices import ChooseMany, ChooseOne
from drtui.ui.settings import AppSettings
from tests.observe import screen_text, until
from tests.reliability.hostile_server import HostileServer, Reply
from tests.ui.harness import FIXED_NOW, harness


async def _open(pilot: Any, app: DrtuiApp) -> BundlesScreen:
    await pilot.press("colon", *"bundles", "enter")
    await until(pilot, lambda: isinstance(app.screen, BundlesScreen), what=":bundles")
    screen = app.screen
    assert isinstance(screen, BundlesScreen)
    await until(pilot, lambda: screen.poller.polls >= 1 or screen.poller.freshness.stopped)
    await pilot.pause()
    return screen


def ids(screen: BundlesScreen) -> list[str]:
    return [r.id for r in screen.table.rows]


async def test_several_use_cases_deleted_toggle_and_search() -> None:
    async with harness() as h, h.app.run_test(size=(160, 48)) as pilot:
        screen = await _open(pilot, h.app)
        assert "cpu.legacy" not in ids(screen), "deleted hidden by default"
        assert "1 deleted hidden (x shows)" in screen_text(h.app)
        await pilot.press("x")
        assert "cpu.legacy" in ids(screen)
        assert "1 deleted shown (x hides)" in screen_text(h.app)
        await pilot.press("x")
        # Two use cases at once: any of them matches.
        await pilot.press("u")
        await until(pilot, lambda: isinstance(h.app.screen, ChooseMany), what="use cases")
        choices = h.app.screen.query_one(SelectionList)
        choices.select("sapAICore")
        choices.select("customJob")
        await pilot.press("enter")
        await until(pilot, lambda: h.app.screen is screen, what="applied")
        assert set(ids(screen)) == {
            "cpu.nano",
            "cpu.micro",
            "cpu.small",
            "cpu.medium",
            "cpu.large",
            "cpu.xlarge",
            "gpu.amd.large",
            "gpu.intel.small",
        }
        assert "use cases: customJob, sapAICore" in screen_text(h.app)
        # Instant search narrows as it is typed.
        await pilot.press("slash", *"intel")
        assert ids(screen) == ["gpu.intel.small"]


@pytest.mark.parametrize("key", [c.key for c in COLUMNS])
async def test_every_column_sorts(key: str) -> None:
    async with harness() as h, h.app.run_test(size=(160, 48)) as pilot:
        screen = await _open(pilot, h.app)
        column = next(c for c in COLUMNS if c.key == key)
        assert column.sort_key is not None, f"{key} cannot be sorted"
        await pilot.press("s")
        await until(pilot, lambda: isinstance(h.app.screen, ChooseOne), what="sort choices")
        choices = h.app.screen.query_one(OptionList)
        choices.highlighted = choices.get_option_index(key)
        await pilot.press("enter")
        await until(pilot, lambda: h.app.screen is screen, what="sorted")
        keys = [column.sort_key(r) for r in screen.table.rows]
        present = [k for k in keys if k not in (None, "")]
        assert present == sorted(present)
        await pilot.press("S")
        keys = [column.sort_key(r) for r in screen.table.rows]
        present = [k for k in keys if k not in (None, "")]
        assert present == sorted(present, reverse=True)


async def test_memory_is_binary_and_gpu_is_count_maker_memory() -> None:
    async with harness() as h, h.app.run_test(size=(160, 48)) as pilot:
        await _open(pilot, h.app)
        shown = screen_text(h.app)
        assert "4× nvidia 320.0 GiB" in shown and "384.0 GiB" in shown and "256.0 MiB" in shown


async def test_enter_fetches_the_bundle_and_shows_every_field() -> None:
    async with harness() as h, h.app.run_test(size=(160, 48)) as pilot:
        screen = await _open(pilot, h.app)
        while screen.table.cursor_row is not None and screen.table.cursor_row.id != "gpu.xlarge":
            await pilot.press("down")
        await pilot.press("enter")
        await h.app.workers.wait_for_complete()  # the fetch `enter` started
        fetched = await h.requests("/api/v2/mlops/compute/bundles/gpu.xlarge/")
        assert len(fetched) == 1
        await pilot.pause()
        shown = screen_text(h.app)
        for label in ("GPU maker", "GPU memory", "use cases", "deleted", "default", "CPU"):
            assert label in shown
        assert f"{320 * 1024**3:,} bytes" in shown


@pytest.mark.parametrize("status", [403, 404])
async def test_an_account_without_the_feature_is_told_so_not_an_error(status: int) -> None:
    def route(method: str, path: str, query: dict[str, str]) -> Reply:
        if "/mlops/compute/bundles/" in path:
            return Reply(status, {"message": "MLOPS_RESOURCE_REQUEST_BUNDLES is not enabled"})
        return Reply(body={"count": 0, "data": [], "next": None, "totalCount": 0})

    with HostileServer(route) as server:
        app = DrtuiApp(
            AppSettings(endpoint=server.endpoint, token="t-123", profile_name="test"),
            client=DataRobotClient(server.endpoint, "t-123", retry=NO_RETRY),
            now=lambda: FIXED_NOW,
        )
        async with app.run_test(size=(160, 48)) as pilot:
            screen = await _open(pilot, app)
            await until(pilot, lambda: screen.poller.freshness.stopped, what="stopped")
            await pilot.pause()
            header = screen_text(app).splitlines()[:2]
            assert "STALE" not in " ".join(header)
            assert "resource-bundles feature not enabled for this account" in header[1]
            assert screen.table.empty_message == NO_BUNDLES_FEATURE
