"""Every use of Textual's private API, in one place: the rest of drtui imports it from here.

drtui reaches past Textual's public API where the public path measured too slow for a
keystroke (the styles caches, the scroll views' sizing, the prompt's line), to reorder what
Textual builds (the footer), or to keep a secret off the terminal (the crash exit). Each
submodule names the internals it uses, checks once at import that they are as it expects
(`check_*`: the problems found, empty when there are none) and falls back to Textual's own
path when they are not. `tests/ui/test_textual_compat.py` runs every check: a Textual upgrade
that moves one of them fails a named test there. Textual is pinned to the minor version these
were written against (pyproject.toml); ruff bans Textual's private modules everywhere else.
"""

from __future__ import annotations

from collections.abc import Callable

from drtui.ui.textual_compat.app import (
    ExitWithoutTraceback,
    check_crash_hook,
    check_driver,
    write_to_terminal,
)
from drtui.ui.textual_compat.bindings import (
    check_bindings,
    check_key_lists,
    node_bindings,
    normalize_key_list,
    screen_bindings,
)
from drtui.ui.textual_compat.scrolling import SteadySizeScrollView, check_scroll_sizing
from drtui.ui.textual_compat.strips import acyclic_strips, check_strip_divide
from drtui.ui.textual_compat.styles import (
    BarStyles,
    KeptStyles,
    LineStyles,
    StillStyles,
    StylesCache,
    check_styles_cache,
    install_styles,
    kept_bar,
    still,
)
from drtui.ui.textual_compat.widgets import (
    KeyFooter,
    SegmentInput,
    check_footer,
    check_input,
    check_select,
    is_open_dropdown,
)

CHECKS: dict[str, Callable[[], list[str]]] = {
    "styles cache": check_styles_cache,
    "scroll sizing": check_scroll_sizing,
    "strip divide": check_strip_divide,
    "bindings": check_bindings,
    "key lists": check_key_lists,
    "footer": check_footer,
    "select overlay": check_select,
    "input line": check_input,
    "crash hook": check_crash_hook,
    "driver": check_driver,
}
"""Each internal's check, by what falls back when it fails."""


def unsupported() -> dict[str, list[str]]:
    """The internals this Textual does not offer as drtui expects, with the problems found."""
    return {name: problems for name, check in CHECKS.items() if (problems := check())}


__all__ = [
    "CHECKS",
    "BarStyles",
    "ExitWithoutTraceback",
    "KeptStyles",
    "KeyFooter",
    "LineStyles",
    "SegmentInput",
    "SteadySizeScrollView",
    "StillStyles",
    "StylesCache",
    "acyclic_strips",
    "install_styles",
    "is_open_dropdown",
    "kept_bar",
    "node_bindings",
    "normalize_key_list",
    "screen_bindings",
    "still",
    "unsupported",
    "write_to_terminal",
]
