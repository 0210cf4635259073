"""Every user action of drtui, in one table: id, default keys, what it runs, where it is bound.

A user's keymap names these ids, so an id never changes. Every screen's bindings, the write
guard's ids, `?` help, the command palette, the keymap's conflict check and docs/keys.md are
made from this table (ui/keymap.py), so a key cannot exist undocumented or unchecked. No
default here is one that tmux or common terminals swallow (ctrl+s, ctrl+j, ctrl+o, ctrl+enter,
F1 alone).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Action:
    id: str
    """`scope.name`: what a keymap rebinds; never renamed (users' files name it)."""
    keys: str
    """Default keys, comma-separated, in Textual's spelling (`slash`, `question_mark`)."""
    action: str
    """The Textual action the keys run on the node that binds them."""
    description: str
    """Footer, help and palette text."""
    doc: str = ""
    """docs/keys.md's longer text (the description, lower-cased, when empty)."""
    show: bool = True
    """In the footer (help and palette list every action either way)."""
    priority: bool = False
    write: bool = False
    """Changes the server: hidden and refused in read-only mode (screens/base.py)."""
    scope: str = ""
    """The screen or widget that binds it (a key of SCOPES); empty: the id's prefix."""

    def __post_init__(self) -> None:
        if not self.scope:
            object.__setattr__(self, "scope", self.id.partition(".")[0])
        if not self.doc:
            object.__setattr__(self, "doc", self.description.lower())


@dataclass(frozen=True, slots=True)
class Scope:
    title: str
    """The heading of its keys in docs/keys.md."""
    note: str = ""
    """A sentence under that heading: where these keys answer."""
    together: tuple[str, ...] | None = None
    """The scopes whose keys answer at the same time as its own (a screen's app and table
    keys): a key two of them bind is a conflict. None: a part of other screens, no group of
    its own."""


SCOPES: dict[str, Scope] = {
    "app": Scope("Everywhere"),
    "table": Scope("Every table", "The deployments, custom, bundles, events and deleted views."),
    "deployments": Scope("Deployments (`:deployments`)", together=("app", "table")),
    "filter": Scope("Filter dialog (`f`)", together=("checklist",)),
    "checklist": Scope("Filter dialog, on a checklist"),
    "custom": Scope("Custom model deployments (`:custom`)", together=("app", "table")),
    "logs": Scope("Logs (`l`)", together=("app", "log")),
    "log": Scope("Logs: moving through the lines"),
    "events": Scope("Events (`:events`, `E`)", together=("app", "table")),
    "bundles": Scope("Compute bundles (`:bundles`)", together=("app", "table")),
    "pps": Scope("PPS image (`:pps`)", together=("app",)),
    "deleted": Scope("Deleted deployments (`:deleted`)", together=("app", "table")),
    "modal": Scope(
        "Dialogs", "Help, sort, choices, save, a log line (`:` takes esc alone).", together=()
    ),
    "action": Scope("Write dialogs", "Edit, delete, new, redeploy, erase.", together=()),
    "replay": Scope("Replay time dialog (`T`)", together=()),
    "choose": Scope("Choose several (use cases, models…)", together=("modal",)),
}
"""Where actions are bound, in docs/keys.md's order."""

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


def list_view(
    prefix: str,
    *,
    search: str,
    back: str,
    lead: Iterable[Action] = (),
    narrow: Iterable[Action] = (),
    opens: Iterable[Action] = (),
) -> tuple[Action, ...]:
    """The keys every polled list shares (search, sort, reverse, refresh, pause, back), as
    `prefix.…`, with the view's own in their places (they order its footer): `lead` first,
    `narrow` after the search, `opens` after the sort. `search`, `back`: their docs."""
    return (
        *lead,
        Action(f"{prefix}.search", "slash", "search", "Search", search),
        *narrow,
        Action(f"{prefix}.sort", "s", "sort", "Sort", "sort by a column (a click on a title too)"),
        Action(f"{prefix}.reverse_sort", "S", "reverse_sort", "Reverse sort", show=False),
        *opens,
        Action(f"{prefix}.refresh", "r", "refresh", "Refresh", "refresh now"),
        Action(f"{prefix}.pause", "p", "pause", "Pause", "pause refreshing", show=False),
        Action(f"{prefix}.back", "escape", "back", "Back", back, show=False),
    )


_REPLAYS = "replay: the {} instant any deployment's health changed (recorded history)"
_COPY = "copy {} (OSC 52, works over SSH)"

ACTIONS: tuple[Action, ...] = (
    Action("app.quit", "q", "quit", "Quit"),
    Action("app.interrupt", "ctrl+c", "quit", "Quit", "quit at once", show=False, priority=True),
    Action("app.help", "question_mark", "help", "Help", "help: the keys of this screen"),
    Action("app.command_palette", "ctrl+p", "command_palette", "Commands", show=False,
           doc="command palette: every action of this screen, the views, a deployment by name"),
    Action("app.command_line", "colon", "command_line", "Go to view",
           "go to a view by name (tab completes)"),
    Action("table.down", "down,j", "cursor_down", "Down", "move down", show=False),
    Action("table.up", "up,k", "cursor_up", "Up", "move up", show=False),
    Action("table.page_down", "pagedown", "page_down", "Page down", show=False),
    Action("table.page_up", "pageup", "page_up", "Page up", show=False),
    Action("table.first", "g,home", "first", "First", "first row", show=False),
    Action("table.last", "G,end", "last", "Last", "last row", show=False),
    Action("table.select", "space", "toggle_select", "Select", show=False,
           doc="select a row (where a view acts on several: custom, deleted)"),
    Action("table.select_all", "asterisk", "select_all", "Select all", show=False),
    Action("deployments.search", "slash", "search", "Search",
           "search label and description: text, a regular expression (`v[0-9]+$`; the text "
           "itself matches too, so an exact label with parentheses finds it), a deployment's "
           "id, `!text` hides matches; the filter bar names the search"),
    Action("deployments.filter", "f", "filter", "Filter", "filter builder (every API filter)"),
    Action("deployments.sort", "s", "sort", "Sort", "choose the sort"),
    Action("deployments.reverse_sort", "S", "reverse_sort", "Reverse sort", show=False),
    Action("deployments.toggle_attention", "a", "toggle_attention", "Attention/all",
           "attention view (failing and warning, worst first) / all deployments"),
    Action("deployments.toggle_unknown", "u", "toggle_unknown", "Unknown too", show=False,
           doc="attention view: also deployments with no verdict (unknown, N/A)"),
    Action("deployments.mute", "m", "mute", "Mute alerts", show=False,
           doc="mute this deployment's alerts for a while (still logged; shown `◦`; survives "
           "a restart)"),
    Action("deployments.acknowledge", "A", "acknowledge", "Acknowledge", show=False,
           doc="acknowledge its degradation: no alert until its health changes again (shown "
           "`✓`)"),
    Action("deployments.refresh", "r", "refresh", "Refresh", "refresh now"),
    Action("deployments.pause", "p", "pause", "Pause", "pause refreshing"),
    Action("deployments.toggle_detail", "enter,tab", "toggle_detail", "Detail",
           "detail pane (open / close)"),
    Action("deployments.detail_down", "J", "detail_down", "Detail down", show=False,
           doc="scroll the detail pane down"),
    Action("deployments.detail_up", "K", "detail_up", "Detail up", show=False,
           doc="scroll the detail pane up"),
    Action("deployments.copy_id", "y", "copy_id", "Copy id", _COPY.format("the id"), show=False),
    Action("deployments.copy_url", "Y", "copy_url", "Copy URL", _COPY.format("the web UI URL"),
           show=False),
    Action("deployments.events", "E", "events", "Events", "events log (health changes)"),
    Action("deployments.mark_seen", "exclamation_mark", "mark_seen", "Mark changes seen",
           show=False,
           doc="mark seen the deployments that degraded since you last looked (the header's "
           "`▲3 new`; opening the events log does it too)"),
    Action("deployments.custom_model", "c", "custom_model", "Custom model", show=False,
           doc="the deployment's custom model deployment in `:custom`"),
    Action("deployments.logs", "l", "logs", "Logs", show=False,
           doc="the deployment's log (a custom model's deployment; otherwise it says why there "
           "is none)"),
    Action("deployments.clear", "escape", "clear", "Clear", show=False,
           doc="leave a replay (live again), clear the search, then back"),
    # `n`/`N` move between search matches, and only that (no write shares their keys: right
    # after a search is cleared, a vim user's `n` must not open a dialog).
    Action("deployments.next_match", "n", "next_match", "Next match", show=False,
           doc="next match of the search (nothing else: no dialog opens on a stray `n`)"),
    Action("deployments.previous_match", "N", "previous_match", "Previous match", show=False,
           doc="previous match of the search"),
    *(
        Action(f"deployments.sort_{field}", key, f"sort_by('{field}')", f"Sort by {title}",
               f"sort by {title}; again reverses", show=False)
        for key, (field, title) in SORT_KEYS.items()
    ),
    Action("deployments.replay_previous", "left_square_bracket", "replay_step(-1)",
           "Replay: previous change", _REPLAYS.format("previous"), show=False),
    Action("deployments.replay_next", "right_square_bracket", "replay_step(1)",
           "Replay: next change", _REPLAYS.format("next"), show=False),
    Action("deployments.replay_hour_back", "left_curly_bracket", "replay_hour(-1)",
           "Replay: an hour back", show=False),
    Action("deployments.replay_hour_forward", "right_curly_bracket", "replay_hour(1)",
           "Replay: an hour forward", "replay: an hour forward (past now: live)", show=False),
    Action("deployments.replay_at", "T", "replay_at", "Replay at a time", show=False,
           doc="replay the fleet at a typed time (`08:15` UTC, `2h` ago, `2026-03-02 08:15`)"),
    Action("deployments.edit", "e", "edit", "Edit", "edit label, description, importance",
           write=True),
    Action("deployments.delete", "d", "delete", "Delete",
           "delete (type the label or id to confirm)", write=True),
    Action("deployments.create", "plus", "create", "New",
           "new deployment from a learning model", write=True),
    Action("deployments.redeploy", "R", "redeploy", "Redeploy model",
           "redeploy the selected deployment's model", show=False, write=True),
    Action("filter.cancel", "escape", "close", "Cancel"),
    # `enter` applies from any field (an open drop-down keeps its enter).
    Action("filter.apply", "enter", "apply", "Apply", "apply (from any field)", priority=True),
    Action("filter.clear", "ctrl+r", "clear_all", "Clear all", "clear every filter"),
    Action("filter.help", "question_mark", "help", "Help", "the dialog's keys"),
    Action("filter.toggle", "space", "select", "Toggle", "toggle the highlighted option",
           scope="checklist"),
    *list_view(
        "custom",
        search="instant search (label, model, environment, id)",
        back="clear the search, then the selection, then back",
        lead=[Action("custom.logs", "l,enter", "logs", "Logs",
                     "the log of the deployment, or of every selected one merged by time")],
        narrow=[
            Action("custom.models", "m", "models", "Models",
                   "filter by custom model (on the server)"),
            Action("custom.environments", "v", "environments", "Environments",
                   "filter by execution environment (on the server)"),
        ],
    ),
    Action("logs.follow", "F", "toggle_follow", "Follow", "follow on / off (scrolling up pauses)"),
    Action("logs.search", "slash", "search", "Search", "search (regular expression)"),
    Action("logs.next", "n", "next_match", "Next", "next match", show=False),
    Action("logs.previous", "N", "previous_match", "Previous", "previous match", show=False),
    Action("logs.filter", "vertical_line", "filter", "Filter",
           "filter: only matching lines, `!` hides them"),
    Action("logs.context", "C", "cycle_context", "Context",
           "context around matches: 0, 2, 5 lines", show=False),
    Action("logs.level", "L", "cycle_level", "Level", "level: all, WARN+, ERROR"),
    Action("logs.line", "enter", "show_line", "Whole line", "the whole line, pretty JSON",
           show=False),
    Action("logs.wrap", "w", "toggle_wrap", "Wrap", "wrap long lines", show=False),
    Action("logs.timestamps", "t", "toggle_timestamps", "Times", "timestamps on / off",
           show=False),
    Action("logs.runtime", "R", "runtime_log", "Runtime log",
           "request fresh runtime logs (a job)"),
    Action("logs.save", "ctrl+w", "save", "Save", "save the log to a file"),
    Action("logs.refresh", "r", "refresh", "Refresh", "poll now", show=False),
    Action("logs.back", "escape", "back", "Back", "clear search, filter, then back", show=False),
    Action("log.down", "down,j", "line_down", "Down", "move down", show=False),
    Action("log.up", "up,k", "line_up", "Up", "move up (pauses following)", show=False),
    Action("log.page_down", "pagedown", "page_down", "Page down", show=False),
    Action("log.page_up", "pageup", "page_up", "Page up", "page up (pauses following)",
           show=False),
    Action("log.top", "g,home", "top", "Top", show=False),
    # vi's `h`/`l` scroll sideways; `G`/`end` resumes following.
    Action("log.bottom", "G,end", "bottom", "Bottom (follow)", "bottom (resumes following)",
           show=False),
    Action("log.left", "left,h", "scroll_left", "Left", "scroll left", show=False),
    Action("log.right", "right,l", "scroll_right", "Right", "scroll right", show=False),
    Action("events.search", "slash", "search", "Filter",
           "filter by label, id, importance, health or change (`worse`, `better`, `fail`, "
           "`ok->fail`): text, a regular expression, `!text` hides"),
    Action("events.open", "enter", "open", "Go to deployment",
           "go to that deployment in the deployments view"),
    Action("events.export", "x", "export", "Export CSV",
           "export the shown events as CSV (the path is editable: `~/Downloads`, or the "
           "current folder without one; the file is yours only, no cell can start a formula)"),
    Action("events.back", "escape", "back", "Back", "clear the filter, then back", show=False),
    *list_view(
        "bundles",
        search="search name, description and use cases",
        back="clear the search, then back",
        narrow=[
            Action("bundles.use_cases", "u", "use_cases", "Use cases",
                   "use-case filter (any of several)"),
            Action("bundles.toggle_deleted", "x", "toggle_deleted", "Deleted",
                   "show / hide deleted bundles"),
        ],
        opens=[Action("bundles.open", "enter", "open", "Details",
                      "load the bundle into the detail pane")],
    ),
    # `D` downloads (resumable, verified); esc cancels a download, then goes back.
    Action("pps.download", "D", "download", "Download",
           "download the image (resumes a `.part`; an already verified file is kept)"),
    Action("pps.refresh", "r", "refresh", "Refresh", "refresh the metadata"),
    Action("pps.back", "escape", "back", "Cancel/back", show=False,
           doc="cancel a running download (the `.part` stays), then back"),
    Action("deleted.erase", "x", "erase", "Erase selected",
           "permanently erase the selection (type `ERASE <count>`)", write=True),
    Action("deleted.refresh", "r", "refresh", "Refresh", "refresh now"),
    Action("deleted.back", "escape", "back", "Back", show=False),
    Action("modal.close", "escape,q", "close", "Close"),
    # Write dialogs: esc cancels (while a request is in flight, a second esc stops waiting).
    Action("action.cancel", "escape", "cancel", "Cancel",
           "cancel (while a request runs: warns, a second `esc` stops waiting)"),
    Action("replay.cancel", "escape", "cancel", "Cancel", "cancel: the view stays where it was"),
    Action("choose.apply", "enter", "apply", "Apply", "apply the choices (from anywhere)",
           priority=True),
    Action("choose.clear", "c", "clear", "Clear all", "clear every choice"),
)  # fmt: skip
"""Every action, grouped by scope in SCOPES's order; within a scope in binding order, which is
the order of its footer and help."""

BY_ID: dict[str, Action] = {action.id: action for action in ACTIONS}
WRITE_IDS: frozenset[str] = frozenset(a.id for a in ACTIONS if a.write)
"""Actions that change something on the server. In read-only mode they are absent from the
footer, help and palette, and their keys answer "read-only mode"."""


def in_scope(scope: str) -> tuple[Action, ...]:
    """`scope`'s actions, in binding order."""
    return tuple(action for action in ACTIONS if action.scope == scope)


def conflict_groups() -> dict[str, tuple[Action, ...]]:
    """Actions whose keys answer at the same time, per screen: a screen's own, then those of
    the scopes `together` names."""
    return {
        name: tuple(a for part in (name, *scope.together) for a in in_scope(part))
        for name, scope in SCOPES.items()
        if scope.together is not None
    }
