"""Which rows the table shows, in which order: the attention view, local sorting, narrowing.

The fleet is fetched in an order that cannot move between two page requests (so offset paging
cannot drop or repeat a deployment that receives predictions meanwhile) and sorted here, by any
orderBy the API knows. The attention view re-ranks the rows worst first. Narrowing is a
substring test over each row's precomputed haystack. It matches what the API's `search` does
(case-insensitive, label and description), so the instant preview and the debounced server
answer agree.

A keystroke changes only the search text, so `visible_rows` keeps the last view's ordered rows
(sorting 10,000 rows per key was most of a keystroke's cost) and the narrowings typed over them:
a longer needle narrows what the shorter one found, and deleting a character finds its answer
kept. Nothing is reused across fleets: a poll's new rows (compared by identity) start afresh.
"""

from __future__ import annotations

import dataclasses
import operator
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from drtui.api.query import LIST_FILTERS, SCALAR_FILTERS, STABLE_ORDER, DeploymentQuery
from drtui.core.health import is_problem, normalise, severity
from drtui.core.rows import IMPORTANCE_RANK, Row

FETCH_ORDER = STABLE_ORDER
"""What the fleet is fetched by: it does not move with traffic (ties are broken by id)."""
DEFAULT_ORDER = "-lastPredictionTimestamp"
"""What the API sorts by when no orderBy is sent, and what the table shows by default."""


def _time(moment: datetime | None) -> float:
    return moment.timestamp() if moment is not None else float("-inf")


SORT_KEYS: dict[str, Callable[[Row], Any]] = {
    "label": lambda r: r.label.lower(),
    "serviceHealth": lambda r: severity(r.health[0]),
    "modelHealth": lambda r: severity(r.health[1]),
    "accuracyHealth": lambda r: severity(r.health[2]),
    "recentPredictions": lambda r: sum(r.daily_rates),
    "lastPredictionTimestamp": lambda r: _time(r.last_prediction),
    "createdAtTimestamp": lambda r: _time(r.created_at),
    "currentModelDeployedTimestamp": lambda r: _time(r.deployed_at),
    "importance": lambda r: r.importance_rank,
}
"""Local sort keys for every orderBy the table offers (the rest keep fetch order)."""

SORT_TITLES: dict[str, str] = {
    "label": "Label",
    "serviceHealth": "Service health",
    "modelHealth": "Model health",
    "accuracyHealth": "Accuracy health",
    "recentPredictions": "Predictions, last 7 days",
    "lastPredictionTimestamp": "Last prediction",
    "createdAtTimestamp": "Created",
    "currentModelDeployedTimestamp": "Current model deployed",
    "importance": "Importance",
}


def sort_title(order_by: str | None) -> str:
    """`Last prediction ▼`: the column's human name and the direction (`-` descends)."""
    order = order_by or DEFAULT_ORDER
    arrow = "▼" if order.startswith("-") else "▲"
    return f"{SORT_TITLES.get(order.lstrip('-'), order.lstrip('-'))} {arrow}"


MISSING_LAST: dict[str, Callable[[Row], bool]] = {
    "importance": lambda r: r.importance_rank >= len(IMPORTANCE_RANK),
}
"""Sorts whose rows without a value (older sparse records have no importance) go last in
both directions: `Importance ▼` (LOW first) must not open on the rows that say nothing."""


def sort_rows(rows: Iterable[Row], order_by: str | None) -> list[Row]:
    """Rows in `order_by` (a `-` prefix descends); ties keep fetch order (stable)."""
    order = order_by or DEFAULT_ORDER
    field = order.lstrip("-")
    key = SORT_KEYS.get(field)
    out = list(rows)
    if key is not None:
        out.sort(key=key, reverse=order.startswith("-"))
        missing = MISSING_LAST.get(field)
        if missing is not None and order.startswith("-"):
            out = [r for r in out if not missing(r)] + [r for r in out if missing(r)]
    return out


def is_unknown(status: str) -> bool:
    """Unknown, N/A, not started: no verdict (a new or idle deployment), not a problem."""
    return not is_problem(status) and normalise(status) != "passing"


def needs_attention(row: Row, *, include_unknown: bool = False) -> bool:
    """Failing or warning in any dimension; with `include_unknown`, also no verdict at all."""
    if any(is_problem(status) for status in row.health):
        return True
    return include_unknown and any(is_unknown(status) for status in row.health)


def attention_order(rows: Iterable[Row], *, include_unknown: bool = False) -> list[Row]:
    """Rows needing attention, worst health first, then most important; the given order (the
    chosen sort) breaks ties."""
    chosen = [row for row in rows if needs_attention(row, include_unknown=include_unknown)]
    chosen.sort(key=lambda row: (row.worst, row.importance_rank))  # stable
    return chosen


def attention_counts(rows: Iterable[Row]) -> tuple[int, int]:
    """(with a problem, with no verdict only): what the attention view shows and hides."""
    problems = unknown = 0
    for row in rows:
        if any(is_problem(status) for status in row.health):
            problems += 1
        elif any(is_unknown(status) for status in row.health):
            unknown += 1
    return problems, unknown


REGEX_CHARACTERS = frozenset(".^$*+?()[]{}|\\")
"""A search holding one of these is read as a regular expression; otherwise as plain text."""


@dataclass(frozen=True)
class Search:
    """What the search line asks: plain text (the fast path, and what the server's `search`
    understands), a case-insensitive regular expression, either one inverted by a leading `!`.

    A text holding regular-expression characters matches as the text itself OR as the pattern:
    a deployment's exact label (`Agent Tool Router (prod)`, where the parentheses are a group)
    finds it, and so does `v[0-9]+$`."""

    text: str
    inverse: bool = False
    pattern: re.Pattern[str] | None = None
    error: str | None = None
    """Why the regular expression is invalid (it is then matched as plain text)."""

    @property
    def plain(self) -> bool:
        """Plain, not inverted: the server's substring search gives the same answer."""
        return self.pattern is None and not self.inverse and self.error is None

    def found(self, haystack: str) -> bool:
        """The text, or the pattern, is in `haystack` (the `!` left aside)."""
        return self.text in haystack or (
            self.pattern is not None and self.pattern.search(haystack) is not None
        )

    def matches(self, haystack: str, *, is_id: bool = False) -> bool:
        """Whether a row with this haystack is shown; `is_id`: the search is the row's id."""
        return (is_id or self.found(haystack)) != self.inverse

    @property
    def chip(self) -> str | None:
        """How the filter bar names this search (None: no search)."""
        if not self.text:
            return None
        how = " (text or regex)" if self.pattern is not None else ""
        return f'{"hiding" if self.inverse else "search"}: "{self.text}"{how}'


def parse_search(text: str) -> Search:
    """`fraud` substring, `v[0-9]+$` regular expression, `!canary` inverse (`!!x`: text `!x`)."""
    needle = text.strip()
    inverse = needle.startswith("!") and not needle.startswith("!!")
    if inverse or needle.startswith("!!"):
        needle = needle[1:].strip()
    if not REGEX_CHARACTERS.intersection(needle):
        return Search(needle.lower(), inverse)
    try:
        return Search(needle.lower(), inverse, re.compile(needle, re.IGNORECASE | re.MULTILINE))
    except re.error as problem:
        return Search(
            needle.lower(), inverse, error=f"invalid pattern ({problem}): matched as text"
        )


def narrow(rows: Sequence[Row], text: str) -> list[Row]:
    """Rows whose label or description matches the search `text` (see `parse_search`),
    case-insensitively, or whose id it is. Plain text is one substring test per row."""
    search = parse_search(text)
    if not search.text:
        return list(rows)
    needle = search.text
    if search.pattern is None and not search.inverse:  # the fast path
        return [row for row in rows if needle in row.haystack or row.id == needle]
    return [row for row in rows if search.matches(row.haystack, is_id=row.id == needle)]


@dataclass
class _Ordered:
    """One base's rows (kept by identity), their view order, and the narrowings made over it."""

    key: tuple[object, ...]
    source: tuple[Row, ...]
    ordered: list[Row]
    found: OrderedDict[tuple[bool, bool, str], list[Row]] = field(default_factory=OrderedDict)
    kept: int = 0
    positions: dict[int, int] | None = None
    """Each source row's index by identity, built when a smaller base is ordered from it."""
    ids: dict[str, Row] | None = None
    """The rows by lowercase id, built when a search first needs it."""

    def by_id(self, needle: str) -> Row | None:
        """The row whose id the search text is (ids are what alerts, URLs and `y` carry)."""
        if self.ids is None:
            self.ids = {row.id.lower(): row for row in self.source}
        return self.ids.get(needle)

    def holds(self, source: tuple[Row, ...], key: tuple[object, ...]) -> bool:
        return (
            key == self.key
            and len(source) == len(self.source)
            and all(map(operator.is_, source, self.source))
        )

    def order_of_part(self, part: tuple[Row, ...]) -> list[Row] | None:
        """The view order of `part`, when it is a subsequence of this base's rows (the same
        objects in the same relative order): these rows' order, restricted to `part`. Sorting
        is stable and the attention view a stable filter and sort, so that is exactly what
        sorting `part` gives, without the sort. None when `part` is not such a subsequence."""
        if len(part) > len(self.source):
            return None
        if self.positions is None:
            self.positions = {id(row): i for i, row in enumerate(self.source)}
        positions = self.positions
        last = -1
        for row in part:
            at = positions.get(id(row), -1)
            if at <= last:
                return None
            last = at
        wanted = {id(row) for row in part}
        return [row for row in self.ordered if id(row) in wanted]


@dataclass
class ViewCache:
    """The last views' ordered rows, and the narrowings already computed over each.

    The rows are kept by identity (a fleet's rows are immutable; a poll makes new ones), and
    the narrowings are bounded by `budget` times the view's length in kept row references.
    `bases` views are kept: the whole fleet and the server's narrowing of it alternate under a
    typed search (the server's answer lands, the next key narrows the fleet again), and neither
    is sorted again when it comes back. A base whose rows are a subsequence of a kept one's
    (the server's narrowing, same row objects, same fetch order) takes that one's order
    instead of a sort."""

    budget: int = 4
    bases: int = 2
    _views: list[_Ordered] = field(default_factory=list)
    """Most recently used last; the current one is the last."""

    @property
    def _current(self) -> _Ordered | None:
        return self._views[-1] if self._views else None

    @property
    def found(self) -> OrderedDict[tuple[bool, bool, str], list[Row]]:
        return self._views[-1].found if self._views else OrderedDict()

    @property
    def kept(self) -> int:
        return self._views[-1].kept if self._views else 0

    def view(self, rows: Iterable[Row], key: tuple[object, ...]) -> list[Row]:
        """The ordered rows for `key` (sort and view), sorted again only for other rows."""
        source = tuple(rows)
        views = self._views
        for i in range(len(views) - 1, -1, -1):
            if views[i].holds(source, key):
                views.append(views.pop(i))
                return views[-1].ordered
        ordered = None
        for kept in reversed(views):
            if kept.key == key:
                ordered = kept.order_of_part(source)
                if ordered is not None:
                    break
        if ordered is None:
            ordered = self._order(source, key)
        views.append(_Ordered(key, source, ordered))
        del views[: max(0, len(views) - max(1, self.bases))]
        return ordered

    @staticmethod
    def _order(rows: Sequence[Row], key: tuple[object, ...]) -> list[Row]:
        order_by, attention, include_unknown = key
        ordered = sort_rows(rows, order_by if isinstance(order_by, str) else None)
        if attention:
            return attention_order(ordered, include_unknown=bool(include_unknown))
        return ordered

    def narrow(self, text: str) -> list[Row]:
        """`narrow(self.ordered, text)`, from the closest narrowing already made."""
        search = parse_search(text)
        view = self._current
        if view is None:
            return []
        if not search.text:
            return list(view.ordered)
        name = (search.inverse, search.pattern is not None, search.text)
        hit = view.found.get(name)
        if hit is None:
            hit = self._narrow(view, search)
            view.found[name] = hit
            view.kept += len(hit)
            while view.kept > self.budget * max(1, len(view.ordered)) and len(view.found) > 1:
                _, dropped = view.found.popitem(last=False)
                view.kept -= len(dropped)
        else:
            view.found.move_to_end(name)
        return list(hit)

    @staticmethod
    def _narrow(view: _Ordered, search: Search) -> list[Row]:
        named = view.by_id(search.text)  # a deployment's id, typed or pasted whole
        if search.pattern is not None or search.inverse:
            return [row for row in view.ordered if search.matches(row.haystack, is_id=row is named)]
        needle = search.text
        if named is not None:
            return [row for row in view.ordered if row is named or needle in row.haystack]
        start: list[Row] = view.ordered
        for (inverse, pattern, text), rows in view.found.items():
            # What a needle inside this one matched holds every row this one matches.
            if not inverse and not pattern and text in needle and len(rows) < len(start):
                start = rows
        return [row for row in start if needle in row.haystack]


def visible_rows(
    rows: Iterable[Row],
    *,
    attention: bool,
    search: str,
    order_by: str | None = None,
    include_unknown: bool = False,
    cache: ViewCache | None = None,
) -> list[Row]:
    """The table's content for the current view, sort and search text (a new list).

    `cache` (the view's own, kept between calls) keeps the ordered rows and the narrowings,
    so a keystroke over an unchanged fleet neither sorts nor rescans what it narrows; without
    one, everything is computed afresh."""
    view = cache if cache is not None else ViewCache()
    view.view(rows, (order_by, attention, include_unknown))
    return view.narrow(search)


def chips(query: DeploymentQuery, typed: str | None = None) -> list[str]:
    """`name: values` for every filter set in the query (orderBy as `sort: Label ▲`).

    `typed`: the search line as typed, named in place of the query's search (a regular
    expression or a `!` search narrows here only, and the server is asked a typed text only
    after a pause)."""
    if typed is not None:
        search = parse_search(typed)
        if search.plain:
            query = dataclasses.replace(query, search=search.text or None)
        else:
            listed = chips(dataclasses.replace(query, search=None, order_by=None))
            sort = [f"sort: {sort_title(query.order_by)}"] if query.order_by else []
            return [*listed, *([search.chip] if search.chip else []), *sort]
    out: list[str] = []
    for name, attribute in LIST_FILTERS.items():
        values = getattr(query, attribute)
        if values:
            out.append(f"{name}: {','.join(values)}")
    for name, attribute in SCALAR_FILTERS.items():
        value = getattr(query, attribute)
        if value is None or name in ("orderBy", "search"):
            continue
        out.append(f"{name}: {value}")
    if query.search:
        out.append(f'search: "{query.search}"')
    if query.order_by:
        out.append(f"sort: {sort_title(query.order_by)}")
    return out
