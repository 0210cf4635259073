"""The sorted, filtered id lists behind GET /deployments/, kept current by what changed.

On a wall clock predictions arrive between any two requests, so sorting the fleet again for each
page would make every page cost the fleet's size. Instead each change logs the deployment's id,
and a cached list replays only the ids logged since it last served: each one leaves its old place
and, if it still matches, takes its new one (bisect on a plain sorted list). A list that fell far
behind is rebuilt. Either way a page shows the world as of its request, as a full sort would.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from drtui.emulator.filters import SORT_KEYS, DeploymentQuery
from drtui.emulator.fleet import DeploymentRecord

TRAFFIC_ORDERS = frozenset({"lastPredictionTimestamp", "recentPredictions"})
"""Orders that move with predictions (the others ignore the traffic log)."""
REPLAY_FLOOR = 1000
REPLAY_SHARE = 8
"""A list replays at most max(REPLAY_FLOOR, fleet size // REPLAY_SHARE) changes: further behind,
sorting afresh is cheaper."""
LISTS_KEPT = 64
ENTRIES_KEPT_PER_DEPLOYMENT = 8
"""Cached lists are also evicted once they hold this many entries per deployment in all."""
_INVERT = bytes(255 - code for code in range(256))

Entry = tuple[Any, ...]
"""(sort value, id) ascending; (sort value, inverted id, id) descending. The id is last."""


def inverted(text: str) -> bytes:
    """Bytes that sort before another's exactly when `text` sorts after it, prefixes included
    (UTF-8 keeps code point order; a text never holds NUL, whose inverse is the final 0xFF)."""
    return text.encode().translate(_INVERT) + b"\xff"


class ChangeLog:
    """Ids of changed deployments in the order they changed; positions are absolute."""

    def __init__(self, keep: int) -> None:
        self.keep = keep
        """No list replays more than this many ids, so older ones are dropped now and then."""
        self._ids: list[str] = []
        self._base = 0

    @property
    def end(self) -> int:
        return self._base + len(self._ids)

    def add(self, deployment_id: str) -> None:
        ids = self._ids
        ids.append(deployment_id)
        if len(ids) > 2 * self.keep:
            drop = len(ids) - self.keep
            del ids[:drop]
            self._base += drop

    def since(self, position: int) -> list[str] | None:
        """The ids logged from `position` on, or None if there are too many to replay."""
        if position < self._base or self.end - position > self.keep:
            return None
        return self._ids[position - self._base :]


class Listing:
    """One sorted (maybe filtered) list. Entries ascend; a descending order reads them from the
    end, its ties still by ascending id thanks to the inverted id in each entry."""

    __slots__ = ("at", "descending", "entries", "seen")

    def __init__(self, entries: list[Entry], descending: bool, seen: tuple[int, int]) -> None:
        self.entries = entries
        self.at: dict[str, Entry] = {entry[-1]: entry for entry in entries}
        self.descending = descending
        self.seen = seen
        """(change log end, traffic log end) when the list was last brought up to date."""

    def __len__(self) -> int:
        return len(self.entries)

    def page(self, offset: int, limit: int) -> list[str]:
        """Ids `offset` to `offset + limit` in the order served."""
        entries = self.entries
        if not self.descending:
            return [entry[-1] for entry in entries[offset : offset + limit]]
        stop = len(entries) - offset
        if stop <= 0:
            return []
        return [entry[-1] for entry in reversed(entries[max(0, stop - limit) : stop])]

    def ids(self) -> list[str]:
        return self.page(0, len(self.entries))

    def discard(self, deployment_id: str) -> None:
        old = self.at.pop(deployment_id, None)
        if old is not None:
            del self.entries[bisect_left(self.entries, old)]

    def add(self, entry: Entry) -> None:
        insort(self.entries, entry)
        self.at[entry[-1]] = entry


class Selections:
    """Every cached list of one world, and the two logs they replay: changes to anything a filter
    or order reads, and traffic (prediction times and counts), far more frequent."""

    def __init__(self, records: dict[str, DeploymentRecord]) -> None:
        self._records = records
        keep = max(REPLAY_FLOOR, len(records) // REPLAY_SHARE)
        self.changes = ChangeLog(keep)
        self.traffic = ChangeLog(keep)
        self._lists: OrderedDict[tuple[Any, ...], Listing] = OrderedDict()
        self._inverted: dict[str, bytes] = {}

    def changed(self, deployment_id: str, *, traffic: bool = False) -> None:
        (self.traffic if traffic else self.changes).add(deployment_id)

    def select(
        self,
        query: DeploymentQuery,
        order: str,
        account_id: str,
        role_of: Callable[[DeploymentRecord], str],
    ) -> Listing:
        """The deployments matching `query` for the account in `order`, up to date."""
        name = order.lstrip("-")
        traffic = name in TRAFFIC_ORDERS
        base = self._order(order, traffic)
        if query.is_empty():
            return base
        key = (order, query, account_id)
        listing = self._lists.get(key)
        records = self._records
        pending = self._pending(listing, traffic or query.uses_traffic)
        if listing is None or pending is None:
            entries = [
                entry
                for entry in base.entries
                if query.matches(records[entry[-1]], role_of(records[entry[-1]]), account_id)
            ]
            listing = Listing(entries, base.descending, self._ends())
        else:
            for deployment_id in pending:
                listing.discard(deployment_id)
                record = records.get(deployment_id)
                if record is not None and query.matches(record, role_of(record), account_id):
                    listing.add(base.at[deployment_id])
        self._keep(key, listing)
        return listing

    def _order(self, order: str, traffic: bool) -> Listing:
        key = (order,)
        listing = self._lists.get(key)
        pending = self._pending(listing, traffic)
        if listing is None or pending is None:
            listing = self._sorted(order)
        else:
            records = self._records
            entry = self._entry_maker(order)
            for deployment_id in pending:
                listing.discard(deployment_id)
                record = records.get(deployment_id)
                if record is not None:
                    listing.add(entry(deployment_id, record))
        self._keep(key, listing)
        return listing

    def _pending(self, listing: Listing | None, traffic: bool) -> set[str] | None:
        """The ids `listing` must replay (None: rebuild it), and marks it up to date."""
        if listing is None:
            return None
        changed = self.changes.since(listing.seen[0])
        moved = self.traffic.since(listing.seen[1]) if traffic else []
        if changed is None or moved is None:
            return None
        listing.seen = self._ends()
        return {*changed, *moved}

    def _ends(self) -> tuple[int, int]:
        return (self.changes.end, self.traffic.end)

    def _entry_maker(self, order: str) -> Callable[[str, DeploymentRecord], Entry]:
        value = SORT_KEYS[order.lstrip("-")]
        if not order.startswith("-"):
            return lambda deployment_id, record: (value(record), deployment_id)
        inverted_ids = self._inverted

        def descending(deployment_id: str, record: DeploymentRecord) -> Entry:
            tie = inverted_ids.get(deployment_id)
            if tie is None:
                tie = inverted_ids[deployment_id] = inverted(deployment_id)
            return (value(record), tie, deployment_id)

        return descending

    def _sorted(self, order: str) -> Listing:
        entry = self._entry_maker(order)
        entries = [entry(deployment_id, record) for deployment_id, record in self._records.items()]
        entries.sort()
        return Listing(entries, order.startswith("-"), self._ends())

    def _keep(self, key: tuple[Any, ...], listing: Listing) -> None:
        """Cache `listing` as the most recent; evict the oldest past either limit."""
        lists = self._lists
        lists[key] = listing
        lists.move_to_end(key)
        budget = ENTRIES_KEPT_PER_DEPLOYMENT * max(1000, len(self._records))
        total = sum(len(kept) for kept in lists.values())
        while len(lists) > LISTS_KEPT or (total > budget and len(lists) > 1):
            _, evicted = lists.popitem(last=False)
            total -= len(evicted)
