import subprocess
import sys

from drtui import __version__


def test_version_is_printed_by_the_console_entry() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "drtui", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == f"drtui {__version__}"
