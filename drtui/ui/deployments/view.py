"""FleetView: what the deployments table is drawn from, and what the filter bar says about it.

The whole fleet is always loaded; a query that filters or searches on the server adds its
narrowed answer, shown in the fleet's place. A plain search typed since that answer stands on
the whole fleet narrowed here (the "stand-in") until the server's answer for it lands, and the
bar already counts what that answer will hold, so an answer that agrees changes nothing on
screen. In a replay, the recorded fleet is shown instead.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from drtui.api.query import DeploymentQuery
from drtui.core.detail import Section, sections
from drtui.core.fleet import Fleet, HealthCounts, summary
from drtui.core.health import look
from drtui.core.recorded import HealthStrip, Replay, timeline_section
from drtui.core.rows import Row
from drtui.core.views import (
    DEFAULT_ORDER,
    ViewCache,
    attention_counts,
    chips,
    parse_search,
    sort_title,
    visible_rows,
)


def narrows(query: DeploymentQuery) -> bool:
    """Whether the query filters or searches on the server (anything but the sort)."""
    return dataclasses.replace(query, order_by=None) != DeploymentQuery()


@dataclass(frozen=True)
class Bar:
    """The filter bar's arguments (`FilterBar.show`)."""

    chips: list[str]
    attention: bool
    shown: int
    total: int
    notes: list[str]
    fleet: int
    grouped: str | None


class FleetView:
    """The fleet, the query and search over it, the server's narrowing, the replayed fleet."""

    def __init__(self, query: DeploymentQuery, search_text: str, attention: bool) -> None:
        self.fleet = Fleet()
        self.counts: dict[str, HealthCounts] = {}
        """The whole fleet's health counts (the header's)."""
        self.query = query
        self.search_text = search_text
        self.attention = attention
        """The attention view shows failing and warning; `include_unknown` adds unknown / N/A."""
        self.include_unknown = False
        self.narrowed: dict[str, Row] | None = None
        """The server's narrowing for `answers`, in its order (None: no server narrowing)."""
        self.answers: DeploymentQuery | None = None
        self.replay: Replay | None = None
        """The recorded fleet shown instead of the live one."""
        self.replay_rows: dict[str, Row] = {}
        self._cache = ViewCache()
        """The ordered rows and the narrowings typed over them, kept between keystrokes."""
        self._bar_kept: tuple[dict[str, Row], str | None, int, int] | None = None
        """The attention view's bar figures (`bar_counts`) and the rows and search they are of."""

    # ----- what changes it ----------------------------------------------------------------------

    def set_fleet(
        self, fleet: Fleet, narrowed: dict[str, Row] | None, answers: DeploymentQuery | None
    ) -> None:
        """A poll's result: the whole fleet, and the server's narrowing for `answers`."""
        self.fleet = fleet
        self.set_narrowed(narrowed, answers if narrowed is not None else None)
        self.counts = summary(fleet.rows.values())

    def set_narrowed(self, rows: dict[str, Row] | None, answers: DeploymentQuery | None) -> None:
        self.narrowed, self.answers = rows, answers

    def requery(self, query: DeploymentQuery) -> bool:
        """A new query; True when its filters or search changed (the server is asked again; a
        new sort is applied here)."""
        refetch = dataclasses.replace(query, order_by=None) != dataclasses.replace(
            self.query, order_by=None
        )
        self.query = query
        if refetch and not narrows(query):
            self.set_narrowed(None, None)
        return refetch

    def change_rows(self, change: Callable[[dict[str, Row]], object]) -> None:
        """A write's result, applied to the fleet and to the server's narrowing alike."""
        rows = dict(self.fleet.rows)
        change(rows)
        self.fleet = Fleet(rows, self.fleet.missing & rows.keys())
        if self.narrowed is not None:  # a server-narrowed view shows its own copy
            view = dict(self.narrowed)
            change(view)
            self.narrowed = view
        self.counts = summary(self.fleet.rows.values())

    # ----- what it shows ------------------------------------------------------------------------

    @property
    def shown(self) -> dict[str, Row]:
        """What the view is drawn from: the recorded fleet in a replay, the server-narrowed
        rows, or the whole fleet."""
        if self.replay is not None:
            return self.replay_rows
        view, answers = self.narrowed, self.answers
        if view is None:
            return self.fleet.rows
        # The typed search moved on since the server narrowed for it (a letter deleted would
        # narrow its answer, too narrow): with no other filter, the whole fleet is narrowed
        # here until the server's answer for the new text arrives.
        if (
            answers is not None
            and answers.search != self.typed_search()
            and not narrows(dataclasses.replace(self.query, search=None))
        ):
            return self.fleet.rows
        return view

    def rows(self) -> list[Row]:
        """The table's rows: shown, in the attention view or not, sorted, searched."""
        return visible_rows(
            self.shown.values(),
            attention=self.attention,
            search=self.search_text,
            order_by=self.query.order_by,
            include_unknown=self.include_unknown,
            cache=self._cache,
        )

    @property
    def order(self) -> str | None:
        """The column the table marks sorted: none in the attention view, which groups by
        health first (the filter bar says "worst first, then <sort>")."""
        return None if self.attention else self.query.order_by or DEFAULT_ORDER

    def empty_message(self) -> str:
        """What an empty table says once the fleet is loaded."""
        if self.attention and not self.search_text and self.shown:
            return "No deployment needs attention. Press a to show all."
        return "No deployments match."

    def header_counts(self) -> dict[str, HealthCounts]:
        return summary(self.replay_rows.values()) if self.replay is not None else self.counts

    def sections(
        self, row: Row, now: datetime, strips: Mapping[str, HealthStrip] | None
    ) -> list[Section]:
        """The detail pane: the deployment as polled, or as recorded in a replay; with the
        recorder's `strips`, its last 24 h (up to the replayed instant)."""
        replay = self.replay
        if replay is not None:
            shown = [recorded_section(row.id, replay)]
        else:
            shown = sections(row.source, now)
        if strips is not None:
            until = replay.at if replay is not None else None
            shown.append(timeline_section(strips.get(row.id), until))
        return shown

    # ----- the search ---------------------------------------------------------------------------

    def typed_search(self) -> str | None:
        """What the server is asked for the search text as typed: plain text only. A regular
        expression, a `!` search or a deployment's id narrow the fleet here only (the server's
        `search` is a substring of label and description: its answer would contradict them)."""
        search = parse_search(self.search_text)
        if not search.plain or not search.text or search.text in self.fleet.rows:
            return None
        return search.text

    def standing_in(self) -> str | None:
        """The plain search the server is (or will be) asked for, while the whole fleet is
        narrowed here in place of its answer: None when the rows shown are not such a stand-in
        (no typed search, a regular expression, the server's answer itself, other filters)."""
        typed = self.typed_search()
        if typed is None or self.replay is not None:
            return None
        if self.narrowed is None:
            return typed if not narrows(dataclasses.replace(self.query, search=None)) else None
        return typed if self.shown is self.fleet.rows else None

    def bar_counts(self, shown: dict[str, Row], needle: str | None, drawn: int) -> tuple[int, int]:
        """(the view's total, how many of them have no verdict) for the filter bar: of `shown`,
        or of those the plain search `needle` matches when the fleet stands in for the server's
        answer to it (what that answer will hold; `drawn`, the table's rows, outside the
        attention view). The attention view's figures are kept until the rows or the search
        change: a keystroke does not rescan the fleet for them."""
        if not self.attention:
            return (len(shown) if needle is None else drawn), 0
        kept = self._bar_kept
        if kept is None or kept[0] is not shown or kept[1] != needle:
            rows = (
                list(shown.values())
                if needle is None
                else [r for r in shown.values() if needle in r.haystack]
            )
            kept = self._bar_kept = (shown, needle, len(rows), attention_counts(rows)[1])
        return kept[2], kept[3]

    def bar(self, drawn: int) -> Bar:
        """The filter bar over `drawn` table rows. While the fleet stands in for the server's
        answer to a typed search, the bar counts and names what that answer will hold (the
        search chip, its figures beside the fleet's): an answer that agrees with it then
        changes nothing on screen, and the debounce that asks the server draws nothing either."""
        needle = self.standing_in()
        total, unknown = self.bar_counts(self.shown, needle, drawn)
        query = self.query
        if needle is not None:
            query = dataclasses.replace(query, search=needle)
        notes: list[str] = []
        if unknown:  # counted in the attention view only
            notes.append(
                f"{unknown} with no verdict {'shown' if self.include_unknown else 'hidden'} (u)"
            )
        search = parse_search(self.search_text)
        if search.error:
            notes.insert(0, search.error)
        return Bar(
            chips(query, self.search_text),
            attention=self.attention,
            shown=drawn,
            total=total,
            notes=notes,
            fleet=len(self.fleet),
            grouped=(
                f"worst first, then {sort_title(self.query.order_by)}" if self.attention else None
            ),
        )


def recorded_section(key: str, replay: Replay) -> Section:
    """The detail pane in a replay: what the recorder kept of the deployment."""
    state = replay.states[key]
    fields = [
        ("Label", state.label),
        ("Id", key),
        ("Importance", state.importance or "—"),
        ("Service", look(state.service).cell),
        ("Model", look(state.model).cell),
        ("Accuracy", look(state.accuracy).cell),
        ("Predictions", "∅ silent" if state.silent else "not silent"),
        ("Live", "esc returns to live (every other field is shown there)"),
    ]
    return f"As recorded at {replay.at:%Y-%m-%d %H:%M:%S} UTC", fields
