"""Issue 16: `:custom` lists every custom model deployment, filters on the server, searches
locally, jumps from the deployments view, and tails several logs merged by time."""

from __future__ import annotations

from typing import Any

from drtui.ui.app import DrtuiApp
from drtui.ui.screens.choices import ChooseMany
from drtui.ui.screens.custom import CustomScreen
from drtui.ui.screens.logs import LogScreen
from tests.observe import screen_lines, screen_of, screen_text, until
from tests.ui.harness import Harness
from tests.ui.test_logs import log_harness


def custom(app: DrtuiApp) -> CustomScreen:
    screen = app.screen
    assert isinstance(screen, CustomScreen)
    return screen


async def open_custom(h: Harness, pilot: Any) -> CustomScreen:
    await pilot.press("colon", *"custom", "enter")
    await until(pilot, lambda: isinstance(h.app.screen, CustomScreen), what=":custom")
    screen = custom(h.app)
    await until(pilot, lambda: screen.poller.polls >= 1, what="custom loaded")
    return screen


async def test_every_custom_deployment_is_listed_searched_and_filtered_on_the_server() -> None:
    async with log_harness() as h, h.app.run_test(size=(160, 48)) as pilot:
        screen = await open_custom(h, pilot)
        assert {r.id for r in screen.table.rows} == set(h.state.custom_ids)
        header = screen_lines(h.app)[2]
        for title in ("LABEL", "STATUS", "CUSTOM MODEL", "VERSION", "DEPLOYED", "ENVIRONMENT"):
            assert title in header
        first = screen.table.rows[0]
        word = first.label.split()[0]
        await pilot.press("slash", *word)
        assert screen.table.rows and all(word.lower() in r.haystack for r in screen.table.rows)
        assert len(screen.table.rows) < len(screen.rows) or len(screen.rows) == 1
        await pilot.press("escape")
        assert len(screen.table.rows) == len(screen.rows)
        await pilot.press("m")
        await until(pilot, lambda: isinstance(h.app.screen, ChooseMany), what="model chooser")
        dialog = h.app.screen
        assert isinstance(dialog, ChooseMany)
        dialog.dismiss(frozenset({first.model_id}))
        await until(
            pilot,
            lambda: (
                screen.poller.polls >= 2
                and all(r.model_id == first.model_id for r in screen.table.rows)
            ),
            what="filtered",
        )
        requests = await h.requests("/api/v2/customModelDeployments/")
        assert any(first.model_id in str(r.get("query", "")) for r in requests), requests[-1]


async def test_c_jumps_from_a_deployment_running_a_custom_model() -> None:
    async with log_harness() as h, h.app.run_test(size=(160, 48), message_hook=h.heard) as pilot:
        fleet = screen_of(h.app)
        await until(pilot, lambda: fleet.refreshes >= 1, what="fleet")
        wanted = next(r for r in fleet.table.rows if r.id in h.state.custom_ids)
        assert fleet.table.move_cursor_to_id(wanted.id)
        await pilot.press("c")
        await until(pilot, lambda: isinstance(h.app.screen, CustomScreen), what=":custom")
        screen = custom(h.app)
        await until(pilot, lambda: screen.table.cursor_id == wanted.id, what="selected")
        await pilot.press("escape")
        await until(pilot, lambda: h.app.screen is fleet, what="back")
        plain = next(r for r in fleet.table.rows if r.id not in h.state.custom_ids)
        fleet.table.move_cursor_to_id(plain.id)
        await pilot.press("c")
        await pilot.pause()
        assert h.app.screen is fleet
        await until(pilot, lambda: h.heard.saying("does not run a custom model"), what="said")


async def test_three_logs_merged_in_time_order_each_with_its_label() -> None:
    async with log_harness() as h, h.app.run_test(size=(160, 48)) as pilot:
        screen = await open_custom(h, pilot)
        with_logs = [
            r
            for r in screen.table.rows
            if r.status == "active" and h.state.custom_log(r.id) is not None
        ][:3]
        for row in with_logs:
            screen.table.move_cursor_to_id(row.id)
            await pilot.press("space")
        assert screen.table.selected == {r.id for r in with_logs}
        await pilot.press("l")
        await until(pilot, lambda: isinstance(h.app.screen, LogScreen), what="log view")
        logs = h.app.screen
        assert isinstance(logs, LogScreen) and logs.merged
        await until(pilot, lambda: all(f.loaded for f in logs.followers), what="all loaded")

        def check() -> None:
            lines = logs.buffer.lines
            assert {line.source for line in lines} == {0, 1, 2}
            firsts = [
                line.stamp
                for i, line in enumerate(lines)
                if i == 0 or lines[i - 1].record != line.record
            ]
            assert all(s is not None for s in firsts)
            assert firsts == sorted(firsts), "records ordered by time"  # type: ignore[type-var]

        check()
        before = len(logs.buffer)
        await h.advance(20)
        await pilot.press("r")
        await until(pilot, lambda: all(p.polls >= 2 for p in logs.pollers), what="polled")
        assert len(logs.buffer) >= before + 3 * 20
        check()
        drawn = screen_text(h.app)
        labels = {w.labels[i].text for w in [logs.view] for i in range(3)}
        assert sum(label in drawn for label in labels) >= 2, "each line carries its short label"
        await pilot.press("escape")
        await until(pilot, lambda: h.app.screen is screen, what="back to :custom")
