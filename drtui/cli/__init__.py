"""The `drtui` console script: parse the command line, then run the command.

``parser`` reads the command line, ``dispatch`` runs it; the headless commands (``fleet``,
``check``, ``pps``, ``history``...) print for scripts and cron and never import Textual, the UI
or the emulator (an import-linter contract): only ``dispatch`` starts the dashboard and the
emulator, through lazy imports, so a headless command starts fast and runs anywhere.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from drtui.cli.parser import UsageError, parse_args

__all__ = ["main", "skip_httpx_cli"]


def skip_httpx_cli() -> None:
    """Keep httpx's command-line module (``httpx._main``: click, rich, pygments) unimported.

    httpx's package ``__init__`` imports it only to offer ``httpx.main``, which drtui never
    calls, inside a ``try``/``except ImportError``. A ``None`` in ``sys.modules`` makes that
    import fail by the import system's own rule, so httpx defines its stub ``main`` instead:
    about 0.1 s off every command's start. Nothing else changes (the dashboard imports rich
    through Textual anyway). Only before httpx is first imported, and only in drtui's own
    process (the console script), never when drtui is imported as a library.
    """
    if "httpx" not in sys.modules and "httpx._main" not in sys.modules:
        sys.modules["httpx._main"] = None  # type: ignore[assignment]


def main(argv: Sequence[str] | None = None) -> int:
    """The console script: exit 3 for a command line that cannot run, 130 on ctrl+c."""
    skip_httpx_cli()
    args, usage = parse_args(argv)
    from drtui.cli.dispatch import dispatch

    try:
        return dispatch(args)
    except UsageError as exc:
        usage.error(str(exc))
    except KeyboardInterrupt:
        return 130
