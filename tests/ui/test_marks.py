"""Choices read without colour: a multi-choice dialog's `[x]` / `[ ]`, and the write dialogs'
checkboxes (on `▐X▌`, off `▐ ▌`), as a NO_COLOR or 16-colour terminal shows them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App

from drtui.ui.screens.choices import ChooseMany
from drtui.ui.screens.confirm_dialog import ConfirmDialog
from drtui.ui.screens.edit_dialogs import CreateDialog
from tests.observe import screen_text, until
from tests.ui.harness import harness
from tests.ui.test_bundles import _open as open_bundles
from tests.ui.write_harness import loaded, write_harness


async def test_a_chosen_use_case_is_marked_x_and_the_others_blank() -> None:
    async with harness() as h, h.app.run_test(size=(120, 40)) as pilot:
        await open_bundles(pilot, h.app)
        await pilot.press("u")
        await until(pilot, lambda: isinstance(h.app.screen, ChooseMany), what="use cases")
        await pilot.press("space")
        await pilot.pause()
        lines = [line for line in screen_text(h.app).splitlines() if "[x]" in line or "[ ]" in line]
        assert len(lines) > 1
        assert "[x]" in lines[0] and all("[ ]" in line for line in lines[1:])


def _box(app: App[Any], title: str) -> str:
    (line,) = [line for line in screen_text(app).splitlines() if title in line]
    return line[: line.index(title)].strip()


async def test_write_dialog_checkboxes_show_on_and_off_without_colour(tmp_path: Path) -> None:
    async with (
        write_harness(tmp_path, attention_first=False) as h,
        h.app.run_test(size=(120, 40)) as pilot,
    ):
        await loaded(pilot, h.app)
        await pilot.press("d")
        await until(pilot, lambda: isinstance(h.app.screen, ConfirmDialog), what="delete")
        await pilot.pause()
        title = "Ignore the management agent"
        assert _box(h.app, title).endswith("▐ ▌")
        h.app.screen.query_one("#option-ignore_management_agent").toggle()  # type: ignore[attr-defined]
        await pilot.pause()
        assert _box(h.app, title).endswith("▐X▌")
        await pilot.press("escape")
        await pilot.press("plus")
        await until(pilot, lambda: isinstance(h.app.screen, CreateDialog), what="create")
        await pilot.pause()
        assert _box(h.app, "Grant roles from the project").endswith("▐ ▌")
