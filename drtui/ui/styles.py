"""Where the shipped .tcss files are: inside the wheel, or beside the package in a checkout."""

from __future__ import annotations

from pathlib import Path

import drtui

STYLE_FILES = ("app.tcss", "deployments.tcss", "modals.tcss", "logs.tcss")


def styles_dir() -> Path:
    """`drtui/styles` in an installed wheel (hatch force-include), `<repo>/styles` in a checkout."""
    package = Path(drtui.__file__).parent
    for candidate in (package / "styles", package.parent / "styles"):
        if (candidate / STYLE_FILES[0]).is_file():
            return candidate
    raise FileNotFoundError(f"drtui styles not found beside {package}")


def css_paths() -> list[Path]:
    root = styles_dir()
    return [root / name for name in STYLE_FILES]
