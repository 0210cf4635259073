"""Every key of the app, in one place, each with an id the config file's keymap can rebind.

The footer, the `?` help screen and the command palette are all generated from these lists, so
a key cannot exist without being documented. No default here is one that tmux or common
terminals swallow (ctrl+s, ctrl+j, ctrl+o, ctrl+enter, F1 alone).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from textual.binding import Binding

from drtui.core.sanitize import clean
from drtui.ui.textual_compat import node_bindings, normalize_key_list

if TYPE_CHECKING:
    from textual.dom import DOMNode

APP_BINDINGS: list[Binding] = [
    Binding("q", "quit", "Quit", id="app.quit"),
    Binding("ctrl+c", "quit", "Quit", show=False, priority=True, id="app.interrupt"),
    Binding("question_mark", "help", "Help", id="app.help"),
    Binding("ctrl+p", "command_palette", "Commands", show=False, id="app.command_palette"),
    Binding("colon", "command_line", "Go to view", id="app.command_line"),
]

SORT_KEYS: dict[str, tuple[str, str]] = {
    "L": ("label", "label"),
    "H": ("serviceHealth", "service health"),
    "M": ("modelHealth", "model health"),
    "C": ("accuracyHealth", "accuracy health"),
    "I": ("importance", "importance"),
    "P": ("recentPredictions", "predictions, 7 days"),
    "W": ("lastPredictionTimestamp", "last prediction time"),
}
"""k9s-style one-key sorts (shift+letter): the column's sort, again to reverse it."""

SORT_KEY_BINDINGS: list[Binding] = [
    Binding(
        key,
        f"sort_by('{field}')",
        f"Sort by {title}",
        show=False,
        id=f"deployments.sort_{field}",
    )
    for key, (field, title) in SORT_KEYS.items()
]

FILTER_BINDINGS: list[Binding] = [
    Binding("escape", "close", "Cancel", id="filter.cancel"),
    Binding("enter", "apply", "Apply", priority=True, id="filter.apply"),
    Binding("ctrl+r", "clear_all", "Clear all", id="filter.clear"),
    Binding("question_mark", "help", "Help", id="filter.help"),
]
"""The filter dialog: `enter` applies from any field (an open drop-down keeps its enter)."""

CHECKLIST_BINDINGS: list[Binding] = [
    Binding("space", "select", "Toggle", id="filter.toggle"),
]
"""A checklist of the filter dialog: `space` toggles the highlighted option."""

SCREEN_BINDINGS: list[Binding] = [
    Binding("slash", "search", "Search", id="deployments.search"),
    Binding("f", "filter", "Filter", id="deployments.filter"),
    Binding("s", "sort", "Sort", id="deployments.sort"),
    Binding("S", "reverse_sort", "Reverse sort", show=False, id="deployments.reverse_sort"),
    Binding("a", "toggle_attention", "Attention/all", id="deployments.toggle_attention"),
    Binding("u", "toggle_unknown", "Unknown too", show=False, id="deployments.toggle_unknown"),
    Binding("m", "mute", "Mute alerts", show=False, id="deployments.mute"),
    Binding("A", "acknowledge", "Acknowledge", show=False, id="deployments.acknowledge"),
    Binding("r", "refresh", "Refresh", id="deployments.refresh"),
    Binding("p", "pause", "Pause", id="deployments.pause"),
    Binding("enter,tab", "toggle_detail", "Detail", id="deployments.toggle_detail"),
    Binding("J", "detail_down", "Detail down", show=False, id="deployments.detail_down"),
    Binding("K", "detail_up", "Detail up", show=False, id="deployments.detail_up"),
    Binding("y", "copy_id", "Copy id", show=False, id="deployments.copy_id"),
    Binding("Y", "copy_url", "Copy URL", show=False, id="deployments.copy_url"),
    Binding("E", "events", "Events", id="deployments.events"),
    Binding(
        "exclamation_mark", "mark_seen", "Mark changes seen", show=False, id="deployments.mark_seen"
    ),
    Binding("c", "custom_model", "Custom model", show=False, id="deployments.custom_model"),
    Binding("l", "logs", "Logs", show=False, id="deployments.logs"),
    Binding("escape", "clear", "Clear", show=False, id="deployments.clear"),
    Binding("n", "next_match", "Next match", show=False, id="deployments.next_match"),
    Binding("N", "previous_match", "Previous match", show=False, id="deployments.previous_match"),
    *SORT_KEY_BINDINGS,
    Binding(
        "left_square_bracket",
        "replay_step(-1)",
        "Replay: previous change",
        show=False,
        id="deployments.replay_previous",
    ),
    Binding(
        "right_square_bracket",
        "replay_step(1)",
        "Replay: next change",
        show=False,
        id="deployments.replay_next",
    ),
    Binding(
        "left_curly_bracket",
        "replay_hour(-1)",
        "Replay: an hour back",
        show=False,
        id="deployments.replay_hour_back",
    ),
    Binding(
        "right_curly_bracket",
        "replay_hour(1)",
        "Replay: an hour forward",
        show=False,
        id="deployments.replay_hour_forward",
    ),
    Binding("T", "replay_at", "Replay at a time", show=False, id="deployments.replay_at"),
]
"""`n`/`N` move between search matches, and only that (no write shares their keys: right
after a search is cleared, a vim user's `n` must not open a dialog)."""

WRITE_BINDINGS: list[Binding] = [
    Binding("e", "edit", "Edit", id="deployments.edit"),
    Binding("d", "delete", "Delete", id="deployments.delete"),
    Binding("plus", "create", "New", id="deployments.create"),
    Binding("R", "redeploy", "Redeploy model", show=False, id="deployments.redeploy"),
]
"""The deployments view's writes (hidden and refused in read-only mode)."""

DELETED_BINDINGS: list[Binding] = [
    Binding("x", "erase", "Erase selected", id="deleted.erase"),
    Binding("r", "refresh", "Refresh", id="deleted.refresh"),
    Binding("escape", "back", "Back", show=False, id="deleted.back"),
]

ACTION_BINDINGS: list[Binding] = [
    Binding("escape", "cancel", "Cancel", id="action.cancel"),
]
"""Write dialogs: esc cancels (while a request is in flight, a second esc stops waiting)."""

TABLE_BINDINGS: list[Binding] = [
    Binding("down,j", "cursor_down", "Down", show=False, id="table.down"),
    Binding("up,k", "cursor_up", "Up", show=False, id="table.up"),
    Binding("pagedown", "page_down", "Page down", show=False, id="table.page_down"),
    Binding("pageup", "page_up", "Page up", show=False, id="table.page_up"),
    Binding("g,home", "first", "First", show=False, id="table.first"),
    Binding("G,end", "last", "Last", show=False, id="table.last"),
    Binding("space", "toggle_select", "Select", show=False, id="table.select"),
    Binding("asterisk", "select_all", "Select all", show=False, id="table.select_all"),
]

EVENT_BINDINGS: list[Binding] = [
    Binding("slash", "search", "Filter", id="events.search"),
    Binding("enter", "open", "Go to deployment", id="events.open"),
    Binding("x", "export", "Export CSV", id="events.export"),
    Binding("escape", "back", "Back", show=False, id="events.back"),
]

VIEW_BINDINGS: list[Binding] = [
    Binding("escape", "back", "Back", show=False, id="view.back"),
]
"""Shared by every view but the deployments one (whose esc clears first, then goes back)."""

BUNDLE_BINDINGS: list[Binding] = [
    Binding("slash", "search", "Search", id="bundles.search"),
    Binding("u", "use_cases", "Use cases", id="bundles.use_cases"),
    Binding("x", "toggle_deleted", "Deleted", id="bundles.toggle_deleted"),
    Binding("s", "sort", "Sort", id="bundles.sort"),
    Binding("S", "reverse_sort", "Reverse sort", show=False, id="bundles.reverse_sort"),
    Binding("enter", "open", "Details", id="bundles.open"),
    Binding("r", "refresh", "Refresh", id="bundles.refresh"),
    Binding("p", "pause", "Pause", show=False, id="bundles.pause"),
    Binding("escape", "back", "Back", show=False, id="bundles.back"),
]

PPS_BINDINGS: list[Binding] = [
    Binding("D", "download", "Download", id="pps.download"),
    Binding("r", "refresh", "Refresh", id="pps.refresh"),
    Binding("escape", "back", "Cancel/back", show=False, id="pps.back"),
]
"""The PPS image view (`:pps`): `D` downloads (resumable, verified); esc cancels a download
(the .part file is kept), then goes back."""

CUSTOM_BINDINGS: list[Binding] = [
    Binding("l,enter", "logs", "Logs", id="custom.logs"),
    Binding("slash", "search", "Search", id="custom.search"),
    Binding("m", "models", "Models", id="custom.models"),
    Binding("v", "environments", "Environments", id="custom.environments"),
    Binding("s", "sort", "Sort", id="custom.sort"),
    Binding("S", "reverse_sort", "Reverse sort", show=False, id="custom.reverse_sort"),
    Binding("r", "refresh", "Refresh", id="custom.refresh"),
    Binding("p", "pause", "Pause", show=False, id="custom.pause"),
    Binding("escape", "back", "Back", show=False, id="custom.back"),
]
"""The custom model deployments view (`:custom`); `space`/`*` select several to tail at once."""

LOG_BINDINGS: list[Binding] = [
    Binding("F", "toggle_follow", "Follow", id="logs.follow"),
    Binding("slash", "search", "Search", id="logs.search"),
    Binding("n", "next_match", "Next", show=False, id="logs.next"),
    Binding("N", "previous_match", "Previous", show=False, id="logs.previous"),
    Binding("vertical_line", "filter", "Filter", id="logs.filter"),
    Binding("C", "cycle_context", "Context", show=False, id="logs.context"),
    Binding("L", "cycle_level", "Level", id="logs.level"),
    Binding("enter", "show_line", "Whole line", show=False, id="logs.line"),
    Binding("w", "toggle_wrap", "Wrap", show=False, id="logs.wrap"),
    Binding("t", "toggle_timestamps", "Times", show=False, id="logs.timestamps"),
    Binding("R", "runtime_log", "Runtime log", id="logs.runtime"),
    Binding("ctrl+w", "save", "Save", id="logs.save"),
    Binding("r", "refresh", "Refresh", show=False, id="logs.refresh"),
    Binding("escape", "back", "Back", show=False, id="logs.back"),
]
"""The log viewer (`l` on custom model deployments)."""

LOG_VIEW_BINDINGS: list[Binding] = [
    Binding("down,j", "line_down", "Down", show=False, id="log.down"),
    Binding("up,k", "line_up", "Up", show=False, id="log.up"),
    Binding("pagedown", "page_down", "Page down", show=False, id="log.page_down"),
    Binding("pageup", "page_up", "Page up", show=False, id="log.page_up"),
    Binding("g,home", "top", "Top", show=False, id="log.top"),
    Binding("G,end", "bottom", "Bottom (follow)", show=False, id="log.bottom"),
    Binding("left,h", "scroll_left", "Left", show=False, id="log.left"),
    Binding("right,l", "scroll_right", "Right", show=False, id="log.right"),
]
"""The log widget's own movement keys (vi's `h`/`l` scroll sideways); `G`/`end` resumes
following."""

CLOSE_BINDINGS: list[Binding] = [
    Binding("escape,q", "close", "Close", id="modal.close"),
]
"""Shared by the help, events, sort and filter screens."""

WRITE_IDS: frozenset[str] = frozenset(
    {
        "deployments.edit",
        "deployments.delete",
        "deployments.create",
        "deployments.redeploy",
        "deleted.erase",
    }
)
"""Bindings whose action changes something on the server. In read-only mode they are absent
from the footer, help and palette, and their keys answer "read-only mode"."""


ALL_BINDINGS: list[Binding] = (
    APP_BINDINGS
    + SCREEN_BINDINGS
    + TABLE_BINDINGS
    + VIEW_BINDINGS
    + EVENT_BINDINGS
    + BUNDLE_BINDINGS
    + PPS_BINDINGS
    + CUSTOM_BINDINGS
    + LOG_BINDINGS
    + LOG_VIEW_BINDINGS
    + CLOSE_BINDINGS
    + FILTER_BINDINGS
    + CHECKLIST_BINDINGS
    + WRITE_BINDINGS
    + DELETED_BINDINGS
    + ACTION_BINDINGS
)


def write_actions(node: DOMNode | None = None) -> frozenset[str]:
    """Action names of the bindings that write (by binding id): of `node`'s own bindings (as
    merged by Textual, keymap overrides included) or of every known binding."""
    if node is None:
        return frozenset(b.action for b in ALL_BINDINGS if b.id in WRITE_IDS)
    return frozenset(b.action for b in node_bindings(node) if b.id in WRITE_IDS)


SHARED_KEYS: frozenset[frozenset[str]] = frozenset()
"""Binding ids that share a key on purpose (none now: `n` once opened New deployment when no
search was set, and a search just cleared made that a trap)."""


def _together() -> dict[str, list[Binding]]:
    """Bindings active at the same time, per screen (app keys are active everywhere)."""
    return {
        "deployments": APP_BINDINGS + SCREEN_BINDINGS + WRITE_BINDINGS + TABLE_BINDINGS,
        "custom": APP_BINDINGS + CUSTOM_BINDINGS + TABLE_BINDINGS,
        "bundles": APP_BINDINGS + BUNDLE_BINDINGS + TABLE_BINDINGS,
        "logs": APP_BINDINGS + LOG_BINDINGS + LOG_VIEW_BINDINGS,
        "deleted": APP_BINDINGS + DELETED_BINDINGS + TABLE_BINDINGS,
        "filter dialog": FILTER_BINDINGS + CHECKLIST_BINDINGS,
    }


def keymap_conflicts(keymap: dict[str, str]) -> list[str]:
    """One sentence per key that two actions of the same screen answer, once `keymap` (id ->
    keys) has been applied: Textual would run one and the other would silently never happen."""
    out: list[str] = []
    for screen, bindings in _together().items():
        owners: dict[str, list[Binding]] = {}
        for binding in bindings:
            if binding.id is None:
                continue
            keys = normalize_key_list(keymap.get(binding.id, binding.key))
            for key in (k.strip() for k in keys.split(",")):
                if key:
                    owners.setdefault(key, [])
                    if all(b.id != binding.id for b in owners[key]):
                        owners[key].append(binding)
        for key, users in owners.items():
            ids = frozenset(b.id for b in users if b.id)
            if len({b.action for b in users}) < 2 or ids in SHARED_KEYS:
                continue
            named = " and ".join(f"{b.description} ({b.id})" for b in users)
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
