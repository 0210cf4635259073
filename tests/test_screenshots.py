"""README's screenshots are what the app draws today: a change that alters a picture fails here
until `python screenshots/regenerate.py` is run (and the new pictures looked at)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]


def _regenerate() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "regenerate", REPO / "screenshots" / "regenerate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("regenerate", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


async def test_every_readme_screenshot_is_what_the_app_draws_today(tmp_path: Path) -> None:
    regenerate = _regenerate()
    stale = []
    for shot in regenerate.SHOTS:
        made = await regenerate.render(shot, tmp_path)
        committed = REPO / "screenshots" / made.name
        if not committed.exists() or committed.read_bytes() != made.read_bytes():
            stale.append(made.name)
    assert not stale, (
        f"stale screenshots: {', '.join(stale)}; run `python screenshots/regenerate.py`, "
        "convert the new SVGs to PNG and look at them before committing"
    )


def test_every_screenshot_readme_shows_is_one_the_script_makes() -> None:
    names = {f"{shot.name}.svg" for shot in _regenerate().SHOTS}
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = {part.split(")")[0] for part in readme.split("(screenshots/")[1:]}
    assert shown and shown <= names
