"""The wheel, not the source tree, is what users install: prove it carries the styles and starts."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv holding only the built wheel; dependencies come from this venv via a .pth."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(work),
            str(REPO),
        ],
        check=True,
    )
    wheel = next(work.glob("drtui-*.whl"))
    env_dir = work / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    site = subprocess.run(
        [py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # Only the dependencies are borrowed; a .pth path is not a site dir, so the editable
    # drtui of the outer venv stays invisible and the wheel's copy is the one imported.
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([py, "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True)
    return env_dir


def test_wheel_console_script_reports_version(installed_wheel: Path) -> None:
    from drtui import __version__

    out = subprocess.run(
        [installed_wheel / "bin" / "drtui", "--version"],
        capture_output=True,
        text=True,
        check=True,
        cwd=installed_wheel,
    )
    assert out.stdout.strip() == f"drtui {__version__}"


def test_wheel_demo_help_runs(installed_wheel: Path) -> None:
    out = subprocess.run(
        [installed_wheel / "bin" / "drtui", "demo", "--help"],
        capture_output=True,
        text=True,
        check=True,
        cwd=installed_wheel,
    )
    assert "--deployments" in out.stdout


def test_wheel_ships_the_stylesheets_inside_the_package(installed_wheel: Path) -> None:
    out = subprocess.run(
        [
            installed_wheel / "bin" / "python",
            "-c",
            "import drtui, pathlib; p = pathlib.Path(drtui.__file__).parent / 'styles';"
            "print(*sorted(f.name for f in p.glob('*.tcss')))",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=installed_wheel,
    )
    shipped = out.stdout.split()
    assert "app.tcss" in shipped
    assert shipped == sorted(f.name for f in (REPO / "styles").glob("*.tcss"))
