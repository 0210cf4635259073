"""ARCHITECTURE.md is the map a maintainer reads first: it names every module of the package, so
a module added without a place in the map fails here."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_every_module_is_named_in_the_architecture() -> None:
    text = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")
    modules = sorted(
        path.relative_to(REPO / "drtui")
        for path in (REPO / "drtui").rglob("*.py")
        if path.name not in ("__init__.py", "__main__.py")
    )
    unnamed = [str(m) for m in modules if m.name not in text]
    assert not unnamed, f"modules ARCHITECTURE.md does not name: {unnamed}"
