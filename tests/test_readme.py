"""README.md is the first thing a newcomer reads: keep its promises checkable."""

from __future__ import annotations

import re
from pathlib import Path

from drtui.ui.keymap import ALL_BINDINGS

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_every_screenshot_the_readme_shows_exists() -> None:
    shown = set(re.findall(r"\((screenshots/[^)]+\.svg)\)", README))
    assert shown, "README shows no screenshots"
    missing = sorted(p for p in shown if not (REPO / p).is_file())
    assert not missing, f"README shows screenshots that do not exist: {missing}"


def test_every_key_binding_is_in_the_readme_table() -> None:
    missing = sorted({b.id for b in ALL_BINDINGS if b.id and f"`{b.id}`" not in README})
    assert not missing, f"bindings missing from README's key table: {missing}"


def test_the_two_commands_are_the_ones_ci_runs() -> None:
    blocks = re.findall(r"```sh\n(.+?)\n```", README, flags=re.S)
    assert blocks[0].endswith("drtui demo")
    test_command = blocks[1]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command.split("&& ")[-1] in ci
