"""README.md is the first thing a newcomer reads: keep its promises checkable."""

from __future__ import annotations

import re
from pathlib import Path

from drtui.ui.actions import BY_ID
from drtui.ui.keymap import doc_key, keys_markdown

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
KEYS = REPO / "docs" / "keys.md"


def test_every_screenshot_the_readme_shows_exists() -> None:
    shown = set(re.findall(r"\((screenshots/[^)]+\.svg)\)", README))
    assert shown, "README shows no screenshots"
    missing = sorted(p for p in shown if not (REPO / p).is_file())
    assert not missing, f"README shows screenshots that do not exist: {missing}"


def test_the_key_reference_is_what_the_action_table_makes() -> None:
    assert KEYS.read_text(encoding="utf-8") == keys_markdown(), (
        "docs/keys.md differs from drtui/ui/actions.py: "
        "run `python -m drtui.ui.keymap > docs/keys.md`"
    )
    missing = sorted(i for i in BY_ID if f"`{i}`" not in KEYS.read_text(encoding="utf-8"))
    assert not missing, f"ids missing from docs/keys.md: {missing}"


def test_the_readme_keys_are_the_tables_defaults_and_link_the_reference() -> None:
    section = README.split("\n## Keys\n", 1)[1].split("\n## ", 1)[0]
    assert "(docs/keys.md)" in section
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    assert 10 <= len(rows) <= 15, "a few essentials; docs/keys.md has the rest"
    for row in rows:
        keys_cell, _, ids_cell = row.strip("|").split(" | ")
        ids = re.findall(r"`([^`]+)`", ids_cell)
        assert ids and all(i in BY_ID for i in ids), f"unknown id in README: {row}"
        defaults = {doc_key(k) for i in ids for k in BY_ID[i].keys.split(",")}
        shown = set(re.findall(r"`([^`]+)`", keys_cell))
        assert shown <= defaults, f"README names keys that are not these ids' defaults: {row}"


def test_the_two_commands_are_the_ones_ci_runs() -> None:
    blocks = re.findall(r"```sh\n(.+?)\n```", README, flags=re.S)
    assert blocks[0].endswith("drtui demo")
    test_command = blocks[1]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command.split("&& ")[-1] in ci
