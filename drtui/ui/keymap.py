"""The action table (ui/actions.py) as Textual bindings, checked against a user's keymap.

Screens import their bindings from here by list name; the footer, the `?` help and the command
palette are drawn from the active bindings, so every key shown is one of the table's.
`python -m drtui.ui.keymap > docs/keys.md` writes the key reference (a test keeps it current).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.keys import format_key

from drtui.core.sanitize import clean
from drtui.ui.actions import ACTIONS, SCOPES, Action, conflict_groups, in_scope
from drtui.ui.actions import WRITE_IDS as WRITE_IDS  # the write guard's (screens/base.py)
from drtui.ui.textual_compat import node_bindings, normalize_key_list

if TYPE_CHECKING:
    from textual.dom import DOMNode


def binding(action: Action) -> Binding:
    """The Textual binding of one action of the table."""
    return Binding(
        action.keys,
        action.action,
        action.description,
        show=action.show,
        priority=action.priority,
        id=action.id,
    )


def bindings(scope: str, *, write: bool | None = None) -> list[Binding]:
    """`scope`'s bindings in the table's order (`write`: only its writes, or none of them)."""
    return [binding(a) for a in in_scope(scope) if write is None or a.write is write]


APP_BINDINGS = bindings("app")
TABLE_BINDINGS = bindings("table")
SCREEN_BINDINGS = bindings("deployments", write=False)
WRITE_BINDINGS = bindings("deployments", write=True)
"""The deployments view's writes (hidden and refused in read-only mode)."""
FILTER_BINDINGS = bindings("filter")
CHECKLIST_BINDINGS = bindings("checklist")
CUSTOM_BINDINGS = bindings("custom")
LOG_BINDINGS = bindings("logs")
LOG_VIEW_BINDINGS = bindings("log")
EVENT_BINDINGS = bindings("events")
BUNDLE_BINDINGS = bindings("bundles")
PPS_BINDINGS = bindings("pps")
DELETED_BINDINGS = bindings("deleted")
CLOSE_BINDINGS = bindings("modal")
"""Shared by the help, sort, choice, save and log-line dialogs (`:` takes its esc alone)."""
ACTION_BINDINGS = bindings("action")
REPLAY_BINDINGS = bindings("replay")
CHOOSE_BINDINGS = bindings("choose")

ALL_BINDINGS: list[Binding] = [binding(action) for action in ACTIONS]
"""Every binding of the table: what a keymap may name, what help and the palette list."""


def write_actions(node: DOMNode | None = None) -> frozenset[str]:
    """Action names of the bindings that write (by binding id): of `node`'s own bindings (as
    merged by Textual, keymap overrides included) or of every known binding."""
    if node is None:
        return frozenset(b.action for b in ALL_BINDINGS if b.id in WRITE_IDS)
    return frozenset(b.action for b in node_bindings(node) if b.id in WRITE_IDS)


SHARED_KEYS: frozenset[frozenset[str]] = frozenset()
"""Binding ids that share a key on purpose (none now: `n` once opened New deployment when no
search was set, and a search just cleared made that a trap)."""


def keymap_conflicts(keymap: dict[str, str]) -> list[str]:
    """One sentence per key that two actions of the same screen answer, once `keymap` (id ->
    keys) has been applied: Textual would run one and the other would silently never happen."""
    out: list[str] = []
    for scope, actions in conflict_groups().items():
        screen = scope if "app" in (SCOPES[scope].together or ()) else f"{scope} dialog"
        owners: dict[str, list[Action]] = {}
        for action in actions:
            keys = normalize_key_list(keymap.get(action.id, action.keys))
            for key in (k.strip() for k in keys.split(",")):
                if key:
                    owners.setdefault(key, [])
                    if all(a.id != action.id for a in owners[key]):
                        owners[key].append(action)
        for key, users in owners.items():
            ids = frozenset(a.id for a in users)
            if len({a.action for a in users}) < 2 or ids in SHARED_KEYS:
                continue
            named = " and ".join(f"{a.description} ({a.id})" for a in users)
            out.append(
                f"Keymap conflict on {screen}: `{display_key(key)}` is bound to both {named}."
            )
    return out


KEY_NAME_LIMIT = 40
"""Characters of one key name (Textual's longest are words like ``right_square_bracket``)."""


def _quoted(text: str) -> str:
    """`text` as Python writes a string literal: every unprintable character escaped, so a
    message shows what the file holds (``'\\x1b]0;title\\x07'``) and the terminal only sees
    printable characters."""
    return repr(text if len(text) <= 60 else text[:59] + "…")


def display_key(text: str) -> str:
    """A key as shown in the footer, the help, the palette or a message: printable, short.

    Key strings come from the user's configuration file, which may have come from anywhere: an
    escape sequence in one must not reach the terminal. A key that is not printable is shown
    as a quoted string with its unprintable characters escaped (what the file holds)."""
    if text.isprintable() and len(text) <= KEY_NAME_LIMIT:
        return text
    return _quoted(text)


def _key_name(name: str) -> bool:
    return (
        0 < len(name) <= KEY_NAME_LIMIT
        and name.isprintable()
        and not any(c.isspace() for c in name)
    )


def usable_keymap(keymap: Mapping[str, str], source: str) -> tuple[dict[str, str], list[str]]:
    """(the part of a configuration's keymap to give Textual, one warning per entry left out).

    A keymap value is key names separated by commas. A name holding what no key name holds (a
    control character or escape sequence, a bidi or zero-width character, a space) would be
    drawn raw wherever the key is shown, and no key press can match it: the entry is left out
    and said, its unprintable characters written as escapes."""
    usable: dict[str, str] = {}
    warnings: list[str] = []
    for binding_id, keys in keymap.items():
        text = str(keys)
        if all(_key_name(name.strip()) for name in text.split(",")):
            usable[binding_id] = text
            continue
        warnings.append(
            f"{clean(source, limit=200)}: the keymap gives {_quoted(binding_id)} "
            f"the keys {_quoted(text)}, which are not key names; it is ignored."
        )
    return usable, warnings


DOC_KEYS = {
    "down": "down",
    "up": "up",
    "left": "left",
    "right": "right",
    "enter": "enter",
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "vertical_line": "\\|",
}
"""How docs/keys.md spells keys Textual draws as symbols (and `|`, which ends a table cell)."""


def doc_key(key: str) -> str:
    """One key (Textual's name for it) as docs/keys.md and README write it: `/`, `esc`, `PgDn`."""
    return DOC_KEYS.get(key, format_key(key))


def keys_markdown() -> str:
    """docs/keys.md: every action's default keys, what it does and its id, per scope."""
    lines = [
        "# Keys",
        "",
        "<!-- Generated from drtui/ui/actions.py by `python -m drtui.ui.keymap > docs/keys.md`;",
        "     edit the table there, not this file (a test fails when the two differ). -->",
        "",
        "Every key has an id; rebind it in a profile's `keymap` table (`[profiles.NAME.keymap]`,",
        '`"deployments.refresh" = "R"`). `?` shows the keys of the current screen, and `ctrl+p`',
        "opens the command palette with every action. Keys marked *write* change the server:",
        "read-only mode hides them and answers their keys with a warning.",
    ]
    for name, scope in SCOPES.items():
        lines += ["", f"## {scope.title}", ""]
        if scope.note:
            lines += [scope.note, ""]
        lines += ["| key | action | id |", "|---|---|---|"]
        for action in in_scope(name):
            keys = ", ".join(f"`{doc_key(key)}`" for key in action.keys.split(","))
            doc = action.doc.replace("|", "\\|") + (" (*write*)" if action.write else "")
            lines.append(f"| {keys} | {doc} | `{action.id}` |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(keys_markdown())
