"""Issue 16: the log viewer against the emulator's growing logs (manual clock).

Every check compares what the viewer holds with what the server serves, line for line.
"""

from __future__ import annotations

import json
import stat
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.widgets import Static

from drtui.api.client import DataRobotClient
from drtui.api.endpoints.custom_models import LogText
from drtui.api.retry import NO_RETRY
from drtui.core.log_buffer import SEPARATOR
from drtui.core.log_lines import LineParser
from drtui.core.log_snapshots import TEXT_LIMIT, clean_log
from drtui.emulator.app import create_app
from drtui.emulator.config import EmulatorConfig
from drtui.ui.app import DrtuiApp
from drtui.ui.screens.log_dialogs import SaveDialog
from drtui.ui.screens.log_followers import Follower, LogTarget
from drtui.ui.screens.logs import LogScreen
from drtui.ui.settings import AppSettings
from tests.observe import until
from tests.ui.harness import ENDPOINT, FIXED_NOW, Harness


@asynccontextmanager
async def log_harness(**emulator: Any) -> AsyncIterator[Harness]:
    """The usual harness, with the emulator's log rate and size cap chosen by the test."""
    emulator.setdefault("log_rate", 1.0)
    emulator.setdefault("log_max_bytes", 5_000_000)
    config = EmulatorConfig(deployments=60, seed=7, clock="manual", **emulator)
    server = create_app(config)
    client = DataRobotClient(
        ENDPOINT, config.user_token, retry=NO_RETRY, transport=httpx.ASGITransport(app=server)
    )
    app = DrtuiApp(
        AppSettings(
            endpoint=ENDPOINT, token=config.user_token, profile_name="test", refresh_interval=30
        ),
        client=client,
        now=lambda: FIXED_NOW,
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=server),
        base_url="http://emulator.test",
        headers={"Authorization": f"Bearer {config.user_token}"},
    ) as control:
        yield Harness(app, config, control, server.state.emulator)


def ids_with(h: Harness, *statuses: str) -> list[str]:
    state = h.state
    return [
        i
        for i in state.custom_ids
        if state.deployments[i].doc.get("status", "active") in statuses
        and state.custom_log(i) is not None
    ]


def with_tracebacks(h: Harness) -> str:
    """A deployment whose log holds plain-text tracebacks (errors with their stack)."""
    return next(
        i
        for i in ids_with(h, "active", "errored")
        if "\nTraceback (most" in (h.state.custom_log(i) or "")
    )


async def served(h: Harness, deployment_id: str) -> list[str]:
    response = await h.control.get(f"/api/v2/customModelDeployments/{deployment_id}/logs/")
    response.raise_for_status()
    return response.text.splitlines()


async def open_log(h: Harness, pilot: Any, *ids: str, **options: Any) -> LogScreen:
    targets = [LogTarget(i, h.state.deployments[i].doc["label"], "active") for i in ids]
    screen = LogScreen(h.app.settings, h.app.sources, h.app.now, targets, **options)
    await h.app.push_screen(screen)
    await until(pilot, lambda: all(f.loaded for f in screen.followers), what="log loaded")
    return screen


def originals(screen: LogScreen) -> list[str]:
    return [line.original for line in screen.buffer.lines if not line.marker]


def status(screen: LogScreen) -> str:
    return str(screen.query_one("#log-status", Static).content)


async def poll(h: Harness, pilot: Any, screen: LogScreen, seconds: float) -> None:
    before = [p.polls for p in screen.pollers]
    await h.advance(seconds)
    await pilot.press("r")
    await until(
        pilot,
        lambda: all(p.polls > b for p, b in zip(screen.pollers, before, strict=True)),
        what="polled",
    )


async def test_follow_appends_exactly_the_new_lines() -> None:
    async with log_harness() as h, h.app.run_test(size=(120, 30)) as pilot:
        target = ids_with(h, "active")[0]
        screen = await open_log(h, pilot, target)
        assert originals(screen) == await served(h, target)
        first = len(screen.buffer)
        for _ in range(3):
            await poll(h, pilot, screen, 7)
            assert originals(screen) == await served(h, target), "nothing lost or repeated"
        assert len(screen.buffer) >= first + 21
        assert screen.view.following and "FOLLOWING" in status(screen)
        assert screen.view.cursor_line == screen.buffer.end - 1


async def test_a_head_cut_by_the_size_cap_neither_repeats_nor_loses_lines() -> None:
    async with (
        log_harness(log_max_bytes=6_000, log_rate=2.0) as h,
        h.app.run_test(size=(120, 30)) as pilot,
    ):
        target = ids_with(h, "active")[0]
        screen = await open_log(h, pilot, target)
        for _ in range(4):
            before = originals(screen)
            await poll(h, pilot, screen, 5)
            now = await served(h, target)
            kept = originals(screen)
            assert kept[: len(before)] == before
            assert kept[-len(now) :] == now, "the new snapshot is the tail of what is shown"
            assert kept[len(before) :] == now[len(now) - (len(kept) - len(before)) :]
        stamps = [line for line in kept if line[:4] == "2026" or line.startswith("{")]
        assert len(stamps) == len(set(stamps)), "no record twice"


async def test_scrolling_up_pauses_and_counts_new_lines_end_resumes() -> None:
    async with log_harness() as h, h.app.run_test(size=(120, 30)) as pilot:
        target = ids_with(h, "active")[0]
        screen = await open_log(h, pilot, target)
        view = screen.view
        await pilot.press("k", "k")
        assert not view.following and "PAUSED" in status(screen)
        top, cursor = view.scroll_y, view.cursor_line
        count = len(screen.buffer)
        await poll(h, pilot, screen, 10)
        added = len(screen.buffer) - count
        assert added >= 10
        assert view.scroll_y == top and view.cursor_line == cursor, "the view stays put"
        assert f"{added:,} new lines ↓" in status(screen)
        await pilot.press("end")
        assert view.following and "new lines" not in status(screen)
        assert view.cursor_line == screen.buffer.end - 1
        await pilot.press("k", "F")
        assert view.following


async def test_search_highlights_jumps_and_says_an_invalid_expression() -> None:
    async with log_harness() as h, h.app.run_test(size=(120, 30)) as pilot:
        target = with_tracebacks(h)
        screen = await open_log(h, pilot, target)
        await pilot.press("slash", *"(", "enter")
        assert "Invalid regular expression" in status(screen)
        await pilot.press("slash", "backspace", *"ERROR", "enter")
        line = screen.view.cursor_log_line
        assert line is not None and "ERROR" in screen.view.text_of(line)
        first = screen.view.cursor_line
        await pilot.press("n")
        assert screen.view.cursor_line != first
        await pilot.press("N")
        assert screen.view.cursor_line == first
        assert not screen.view.following


async def test_filter_with_context_and_level_keeps_tracebacks_with_their_error() -> None:
    async with log_harness() as h, h.app.run_test(size=(120, 30)) as pilot:
        target = with_tracebacks(h)
        screen = await open_log(h, pilot, target)
        view = screen.view
        await pilot.press("vertical_line", *"Traceback", "enter")
        assert view.filtered is not None
        maybe = [view.line_at(r) for r in range(view.row_count)]
        shown = [line for line in maybe if line is not None]
        assert shown and len(shown) == len(maybe)
        records = {line.record for line in shown if line is not None}
        assert all(
            line.record in records for line in screen.buffer.lines if "Traceback" in line.text
        )
        assert any(
            line is not None and line.text[line.stamp_len :].startswith("ERROR") for line in shown
        ), "the error line that owns the traceback is shown too"
        await pilot.press("C")
        rows = view.filtered.rows
        matched = [n for n in rows if n != SEPARATOR]
        assert screen.context == 2 and matched[0] - 2 >= screen.buffer.dropped
        first_match = view.filtered.matches[0]
        assert first_match - 2 in rows and first_match - 1 in rows, "two lines of context"
        assert view.row_count > len(shown)
        await pilot.press("escape")  # clears the filter
        await pilot.press("C", "C")  # context back to 0
        assert screen.context == 0
        await pilot.press("L", "L")  # ERROR only
        assert all((view.line_at(r) or shown[0]).level >= 40 for r in range(view.row_count))
        await pilot.press("escape", "vertical_line", *"!INFO", "enter")
        assert all("INFO" not in (view.line_at(r) or shown[0]).text for r in range(view.row_count))
        count = view.row_count
        await poll(h, pilot, screen, 30)  # the filter follows appended lines
        fresh = view.filtered
        assert fresh is not None and view.row_count >= count
        assert all("INFO" not in (view.line_at(r) or shown[0]).text for r in range(view.row_count))


async def test_save_writes_the_log_and_never_overwrites_without_asking(tmp_path: Path) -> None:
    async with log_harness() as h, h.app.run_test(size=(120, 30), message_hook=h.heard) as pilot:
        target = ids_with(h, "active")[0]
        screen = await open_log(h, pilot, target)
        destination = tmp_path / "saved.log"
        for attempt in range(2):
            await pilot.press("ctrl+w")
            await until(pilot, lambda: isinstance(h.app.screen, SaveDialog), what="dialog")
            dialog = h.app.screen
            field = dialog.query_one("#save-path")
            assert field.value.endswith(f"deployment-{target}.log")  # type: ignore[attr-defined]
            field.value = str(destination)  # type: ignore[attr-defined]
            await pilot.press("enter")
            if attempt == 1:
                assert "exists" in str(dialog.query_one("#save-note", Static).content)
                assert isinstance(h.app.screen, SaveDialog), "asked, not overwritten"
                await pilot.press("enter")
            await until(pilot, lambda: h.app.screen is screen, what="dialog closed")
            await until(pilot, lambda: destination.exists(), what="file written")
        text = destination.read_text()
        assert text.splitlines() == originals(screen)
        assert h.config.user_token not in text and "\x1b" not in text
        await until(
            pilot,
            lambda: h.heard.saying(str(destination)),
            what="says the path",
        )


async def test_runtime_logs_follow_the_202_job_and_the_header_says_so() -> None:
    async with log_harness() as h, h.app.run_test(size=(120, 30)) as pilot:
        target = ids_with(h, "active")[0]
        screen = await open_log(h, pilot, target)
        assert "deployment log" in str(screen.query_one("#view-header", Static).content)
        await pilot.press("R")
        progress: set[str] = set()
        for _ in range(60):  # the job ends on the emulator's clock: move it while it is followed
            progress.add(status(screen))
            if screen.runtime_at is not None:
                break
            await h.advance(1)
            await pilot.pause(0.2)
        assert screen.runtime_at is not None, progress
        assert any("Requesting runtime logs" in p and "job" in p for p in progress), progress
        header = str(screen.query_one("#view-header", Static).content)
        assert "runtime log requested at" in header
        assert screen.pollers[0].freshness.paused
        posted = await h.requests(f"/api/v2/customModelDeployments/{target}/logs/")
        assert any(r["method"] == "POST" for r in posted)
        assert len(screen.buffer) > 0
        await pilot.press("F")
        await until(
            pilot, lambda: screen.followers[0].loaded and screen.runtime_at is None, what="back"
        )
        assert "deployment log" in str(screen.query_one("#view-header", Static).content)


async def test_a_deployment_without_logs_is_explained() -> None:
    async with log_harness() as h, h.app.run_test(size=(120, 30)) as pilot:
        state = h.state
        missing = next(i for i in state.custom_ids if state.custom_log(i) is None)
        targets = [LogTarget(missing, "Silent", "active")]
        screen = LogScreen(h.app.settings, h.app.sources, h.app.now, targets)
        await h.app.push_screen(screen)
        await until(pilot, lambda: bool(screen.followers[0].problem), what="problem")
        assert "No logs found for Silent" in screen.view.empty_message


def screen_lines(view: Any) -> list[str]:
    """What the log view draws, line by line (the Line API's own output)."""
    return [
        "".join(segment.text for segment in view.render_line(y))
        for y in range(view.scrollable_content_region.height)
    ]


def wrapped_row(drawn: list[str], first: str) -> str:
    """The text of the row whose first screen line holds `first`, its wrapped parts joined
    (each part after the two-cell gutter; only the last is padded)."""
    start = next(i for i, line in enumerate(drawn) if first in line)
    parts = [drawn[start]]
    for line in drawn[start + 1 :]:
        if not line.startswith("↪ "):
            break
        parts.append(line)
    return "".join(part[2:] for part in parts[:-1]) + parts[-1][2:].rstrip()


async def test_wrap_shows_a_long_line_whole_and_follow_lands_on_the_newest() -> None:
    async with log_harness() as h, h.app.run_test(size=(80, 24)) as pilot:
        target = ids_with(h, "active")[0]
        screen = await open_log(h, pilot, target)
        view = screen.view
        words = " ".join(f"w{i:03d}" for i in range(60))
        long = f"2026-03-02T10:00:00Z INFO    wrap-start {words} wrap-end"
        assert len(long) > 2 * view.scrollable_content_region.width
        screen.append(screen.followers[0].parser.parse([long]))  # as a poll appends
        await pilot.pause()
        drawn = screen_lines(view)
        assert "wrap-start" in drawn[-1] and "wrap-end" not in "".join(drawn), "cut, not wrapped"

        await pilot.press("w")
        await pilot.pause()
        assert view.wrap and "wrapped" in status(screen)
        drawn = screen_lines(view)
        assert "wrap-end" in drawn[-1], "following, the newest line's last part is at the bottom"
        assert view.following and view.cursor_line == screen.buffer.end - 1
        assert wrapped_row(drawn, "wrap-start") == long, "every character is on screen, in order"

        await poll(h, pilot, screen, 5)  # new lines arrive: follow still lands on the newest
        assert view.following and view.cursor_line == screen.buffer.end - 1
        newest = view.text_of(screen.buffer.lines[-1])
        drawn = screen_lines(view)
        assert newest.endswith(drawn[-1][2:].rstrip()) and drawn[-1][2:].strip()
        assert view.virtual_size.height > view.row_count, "long lines take several screen lines"

        await pilot.resize_terminal(60, 24)  # a resize wraps again at the new width
        await pilot.pause()
        again = long.replace("wrap-", "again-")
        screen.append(screen.followers[0].parser.parse([again]))
        await pilot.pause()
        drawn = screen_lines(view)
        assert all(len(line) == view.scrollable_content_region.width for line in drawn)
        assert again.endswith(drawn[-1][2:].rstrip()), "its last part on the last line"
        assert wrapped_row(drawn, "again-start") == again

        await pilot.press("w")  # back to cutting
        await pilot.pause()
        assert "again-end" not in "".join(screen_lines(view)) and not view.wrap


async def test_the_view_draws_what_textuals_own_styling_would_draw() -> None:
    """LineStyles skips Textual's per-line styling (the view has no border, padding, tint or
    opacity): what reaches the screen is line for line what Textual's StylesCache makes,
    through searching, the cursor, a horizontal scroll, wrapping and the timestamps."""
    from textual.geometry import Region

    from drtui.ui.textual_compat import StylesCache

    async with log_harness() as h, h.app.run_test(size=(100, 30)) as pilot:
        screen = await open_log(h, pilot, with_tracebacks(h))
        view = screen.view

        async def same(what: str, fast: bool = True) -> None:
            await pilot.pause()
            whole = Region(0, 0, view.region.width, view.region.height)
            drawn = view.render_lines(whole)
            textual = StylesCache().render_widget(view, whole)
            # Only the cells the vertical scrollbar leaves are drawn (it covers the rest).
            shown = view.region.width - (view.scrollbar_size_vertical if fast else 0)
            assert [strip.cell_length for strip in drawn] == [shown] * len(textual), what
            textual = [strip.crop(0, shown) for strip in textual]
            assert [list(strip) for strip in drawn] == [list(strip) for strip in textual], what

        await same("following")
        await pilot.press("slash", *"err")
        await same("highlights as typed")
        await pilot.press("backspace", "enter")
        await same("a letter deleted, the cursor on a match")
        await pilot.press("k", "k", "right", "right")
        await same("cursor moved, scrolled right")
        await pilot.press("w")
        await same("wrapped")
        await pilot.press("t")
        await same("timestamps hidden")
        view.styles.padding = (0, 1)  # a rule the fast path does not draw: Textual draws
        await same("padded", fast=False)


async def test_the_prompt_draws_what_textuals_input_would_draw() -> None:
    """PromptInput makes its line from segments (Textual's Input renders a Rich Text through
    the console): the same cells and styles for any value, cursor place and scroll."""
    from textual.app import App, ComposeResult
    from textual.geometry import Region
    from textual.widgets import Input

    from drtui.ui.screens.log_prompt import PromptInput
    from drtui.ui.textual_compat import StylesCache

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield PromptInput(id="prompt", compact=True)

    app = One()
    async with app.run_test(size=(40, 3)) as pilot:
        prompt = app.query_one(PromptInput)
        prompt.cursor_blink = False
        values = ["p", "prediction", "(err|warn) x", "x" * 70, "日本語のテキスト" * 4]
        for value in values:
            prompt.value = value
            for place in sorted({0, 1, len(value) // 2, len(value) - 1, len(value)}):
                prompt.cursor_position = place
                await pilot.pause()
                for visible in (True, False):
                    prompt._cursor_visible = visible
                    ours = prompt.render_line(0)
                    assert list(ours) == list(Input.render_line(prompt, 0)), (value, place)
                    whole = Region(0, 0, 40, 1)
                    textual = StylesCache().render_widget(prompt, whole)
                    assert list(prompt.render_lines(whole)[0]) == list(textual[0]), value
        prompt.value = ""  # the placeholder: Textual draws it
        await pilot.pause()
        assert list(prompt.render_line(0)) == list(Input.render_line(prompt, 0))


async def test_the_screen_and_scrollbars_hand_over_their_lines_until_they_change() -> None:
    """StillStyles gives the log screen, its header, status line and footer and the view's
    scrollbars their previous frame's lines while nothing marked them dirty: a keystroke in the prompt leaves them as they were, and
    what they draw after a scroll or a resize is what Textual's own cache draws."""
    from textual.geometry import Region
    from textual.widget import Widget

    from drtui.ui.textual_compat import StylesCache
    from drtui.ui.widgets.footer import DrtuiFooter

    async with log_harness(log_rate=10.0) as h, h.app.run_test(size=(100, 30)) as pilot:
        screen = await open_log(h, pilot, with_tracebacks(h))
        await poll(h, pilot, screen, 5)  # a log taller than the screen: a vertical scrollbar
        view = screen.view
        assert view.show_vertical_scrollbar and view.show_horizontal_scrollbar
        chrome = [screen.query_one(f"#{name}") for name in ("view-header", "log-status")]
        parts: list[Widget] = [screen, view.vertical_scrollbar, view.scrollbar_corner, *chrome]
        parts.append(screen.query_one(DrtuiFooter))

        def drawn(widget: Widget) -> list[list[object]]:
            whole = Region(0, 0, widget.region.width, widget.region.height)
            return [list(strip) for strip in widget.render_lines(whole)]

        def textual(widget: Widget) -> list[list[object]]:
            whole = Region(0, 0, widget.region.width, widget.region.height)
            return [list(strip) for strip in StylesCache().render_widget(widget, whole)]

        await pilot.press("slash", *"err")
        await pilot.pause()
        before = [drawn(part) for part in parts]
        await pilot.press("o")
        await pilot.pause()
        assert [drawn(part) for part in parts] == before, "a keystroke leaves them as they are"
        await pilot.press("escape", "pageup", "pageup")  # the scrollbar's thumb moves
        await pilot.pause()
        assert drawn(view.vertical_scrollbar) != before[1]
        assert drawn(chrome[1]) != before[4], "the status line says PAUSED and the search"
        assert [drawn(part) for part in parts] == [textual(part) for part in parts]
        await pilot.resize_terminal(90, 26)
        await pilot.pause()
        assert [drawn(part) for part in parts] == [textual(part) for part in parts]


async def test_a_search_keystroke_repaints_every_cell_its_highlights_change() -> None:
    """The view refreshes only the columns whose highlights change: every cell that differs
    between the frames before and after a keystroke lies in a region the frame repaints
    (wide and non-ASCII lines included), so the terminal shows what the view draws."""
    from rich.cells import cell_len
    from rich.segment import Segment
    from textual._compositor import Compositor  # noqa: TID251 (what the frame repaints)
    from textual.geometry import Region

    async with log_harness() as h, h.app.run_test(size=(120, 30)) as pilot:
        screen = await open_log(h, pilot, ids_with(h, "active")[0])
        added = [
            "2026-03-02T10:00:00Z INFO    日本語 prédiction · [model] predict predict",
            '{"time": "2026-03-02T10:00:01Z", "level": "info", "msg": "prediction 日本", "n": 1}',
            "2026-03-02T10:00:02Z INFO    plain predictions " + "x" * 150,
        ]
        screen.append(screen.followers[0].parser.parse(added))
        await pilot.pause()
        compositor = screen._compositor
        painted: list[Region] = []
        partial = Compositor.render_partial_update

        def recording(self: Compositor) -> Any:
            painted.extend(self._dirty_regions)
            return partial(self)

        def cells() -> list[list[tuple[str, object]]]:
            rows = []
            for strip in compositor.render_strips():
                row: list[tuple[str, object]] = []
                for segment in Segment.split_and_crop_lines(list(strip), strip.cell_length):
                    for text, style, _ in segment:
                        for char in text:  # a wide character takes two cells
                            row.extend([(char, style)] + [("", style)] * (cell_len(char) - 1))
                rows.append(row)
            return rows

        Compositor.render_partial_update = recording  # type: ignore[method-assign]
        try:
            await pilot.press("slash")
            await pilot.pause()
            for key in [*"predict", "backspace", "backspace", *"ion", "backspace"]:
                before = cells()
                painted.clear()
                await pilot.press(key)
                await pilot.pause()
                after = cells()
                changed = {
                    (x, y)
                    for y, (old, new) in enumerate(zip(before, after, strict=True))
                    for x, (a, b) in enumerate(zip(old, new, strict=False))
                    if a != b
                }
                missed = {c for c in changed if not any(r.contains(*c) for r in painted)}
                assert not missed, (key, sorted(missed)[:5])
        finally:
            Compositor.render_partial_update = partial  # type: ignore[method-assign]


# ----- logs at and above the server's size cap ----------------------------------------------------


def served_line(i: int) -> str:
    """Line `i` of a busy model server's log (about 100 characters)."""
    return (
        f"2026-03-02T09:{i // 60 % 60:02d}:{i % 60:02d}.{i:06d}Z INFO    [uwsgi] "
        f"POST /predictions/ 200 {i % 97}ms rows={i % 13} request={i:08d}"
    )


def snapshots(
    cap: int, polls: int, per_poll: int = 500, *, inside_a_line: bool = False
) -> list[str]:
    """What the server answers on each poll of a log capped at `cap` characters that grows
    `per_poll` lines between polls: its newest lines, the head cut (at a line boundary, or
    inside a line with `inside_a_line`)."""
    out = []
    end = 40_000
    for _ in range(polls + 1):
        kept, size, i = [], 0, end
        while size + len(served_line(i - 1)) + 1 <= cap:
            i -= 1
            kept.append(served_line(i))
            size += len(kept[-1]) + 1
        kept.reverse()
        if inside_a_line:
            room = cap - size - 1
            cut = served_line(i - 1)
            kept.insert(0, cut[len(cut) - room :] if room > 0 else "")  # the end of a cut line
        out.append("".join(line + "\n" for line in kept))
        end += per_poll
    return out


@pytest.mark.parametrize("cap", [900_000, 1_080_000, 1_350_000, 2_500_000])
@pytest.mark.parametrize("inside_a_line", [False, True])
def test_follow_keeps_the_newest_lines_of_a_log_at_the_servers_cap(
    cap: int, inside_a_line: bool
) -> None:
    """A log at its size cap grows 500 lines a poll while its head is cut: after each poll the
    viewer holds the first answer and exactly the lines written since, nothing repeated, lost
    or marked as a restart (a 1.08 MB log used to show its whole self again on every poll, and
    never its newest lines)."""
    polls = 6
    answers = snapshots(cap, polls, inside_a_line=inside_a_line)
    follower = Follower(0, LogTarget("d1", "Scorer"), LineParser())
    shown: list[str] = []
    for answer in answers:
        update = follower.build(LogText(clean_log(answer), None))
        follower.previous, follower.parser = update.snapshot, update.parser
        assert not update.restarted
        shown += [line.original for line in update.lines]
    first = clean_log(answers[0]).splitlines()
    if cap > TEXT_LIMIT:
        assert sum(len(line) + 1 for line in first) <= TEXT_LIMIT
    newest = int(shown[-1].rsplit("=", 1)[1])
    assert newest == 40_000 + polls * 500 - 1, "the newest line written is shown"
    assert len(shown) == len(first) + polls * 500
    assert shown == first + [served_line(i) for i in range(40_000, newest + 1)]


async def test_a_log_above_a_megabyte_is_followed_line_for_line() -> None:
    """Through the client, against the emulator: a log of 1.08 MB growing a few hundred lines
    between polls shows exactly what the server wrote, its newest line last."""
    async with (
        log_harness(log_max_bytes=1_080_000, log_rate=200.0) as h,
        h.app.run_test(size=(120, 30)) as pilot,
    ):
        target = ids_with(h, "active")[0]
        screen = await open_log(h, pilot, target)
        now = await served(h, target)
        assert sum(len(line) + 1 for line in now) > 1_000_000, "the log is over a megabyte"
        assert originals(screen) == now
        for _ in range(3):
            before = originals(screen)
            await poll(h, pilot, screen, 2.5)
            now = await served(h, target)
            kept = originals(screen)
            assert kept[-1] == now[-1], "the newest line is shown"
            assert kept[: len(before)] == before and kept[-len(now) :] == now
            assert not any(line.marker for line in screen.buffer.lines)


async def test_one_new_line_is_counted_in_the_singular_and_l_scrolls_right() -> None:
    async with log_harness() as h, h.app.run_test(size=(80, 24)) as pilot:
        screen = await open_log(h, pilot, ids_with(h, "active")[0])
        view = screen.view
        await pilot.press("k")
        assert not view.following
        line = "2026-03-02T10:00:00Z INFO    one more " + "x" * 200
        screen.append(screen.followers[0].parser.parse([line]))  # as a poll appends
        assert "PAUSED 1 new line ↓" in status(screen) and "new lines" not in status(screen)
        screen.append(screen.followers[0].parser.parse([line]))
        assert "2 new lines ↓" in status(screen)
        await pilot.pause()
        assert view.scroll_x == 0
        await pilot.press("l", "l")
        await pilot.pause()
        assert view.scroll_x == 16, "l scrolls right as → does"
        await pilot.press("h")
        await pilot.pause()
        assert view.scroll_x == 8 and not view.wrap


async def test_a_saved_log_is_private_and_holds_no_live_escape_nor_the_token(
    tmp_path: Path,
) -> None:
    """ctrl+w writes a file only its owner can read; a JSON line's escaped ESC is saved as
    ``␛`` (jq -r cannot revive it); a server that puts the token in the log's file name does
    not get it on screen or into the path."""
    async with log_harness() as h, h.app.run_test(size=(120, 30), message_hook=h.heard) as pilot:
        screen = await open_log(h, pilot, ids_with(h, "active")[0])
        token = h.config.user_token
        hostile = r'{"level": "info", "message": "\u001b]0;retitled\u0007\u001b[31mred"}'
        screen.append(screen.followers[0].parser.parse([hostile]))
        screen.followers[0].filename = f"log-{token}.txt"  # as Content-Disposition named it
        await pilot.press("ctrl+w")
        await until(pilot, lambda: isinstance(h.app.screen, SaveDialog), what="dialog")
        field = h.app.screen.query_one("#save-path")
        suggested = field.value  # type: ignore[attr-defined]
        assert token not in suggested and suggested.endswith("log-token-removed.txt")
        destination = tmp_path / "saved.log"
        field.value = str(destination)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await until(
            pilot,
            lambda: h.heard.saying(str(destination)),
            what="saved",
        )
        assert stat.S_IMODE(destination.stat().st_mode) == 0o600
        last = destination.read_text().splitlines()[-1]
        assert json.loads(last)["message"] == "␛]0;retitled␇␛[31mred"
