"""ServerSearch: a typed search is also asked of the server, once the typing pauses.

Until the answer lands the whole fleet, always loaded, is narrowed here in its place (the
stand-in, view.py). Once the fleet is loaded, a new search text asks the server for the narrowed
view alone (a few pages), not the whole fleet again (100 pages at 10,000: seconds of CPU while
the user is still typing); the poll keeps its own clock. A key typed while an answer is on its
way cancels it when the answer would be for a text the user has moved on from.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import Any

from drtui.api.errors import DataRobotError
from drtui.api.models.slim_records import SlimDeployment
from drtui.api.query import DeploymentQuery
from drtui.core.rows import Row, row_id, row_of
from drtui.core.views import FETCH_ORDER
from drtui.ui.deployments.ports import Ports, Stoppable
from drtui.ui.deployments.view import FleetView, narrows

SEARCH_DEBOUNCE = 0.4
"""Seconds without a key before the server is asked."""
WIDE_SEARCH_DEBOUNCE = 1.2
WIDE_SEARCH_ROWS = 1_000
"""A typed search matching more deployments than this (ten pages) is asked of the server after
a longer pause: its answer is pages of rows the loaded fleet already shows, and a search that
wide (a letter or two) is usually on its way to a narrower one."""
VIEW_CHUNK = 500
"""Server-narrowed records turned into rows between two yields to the event loop."""

Records = list[SlimDeployment | Row]


class ServerSearch:
    """The debounce, the request in flight (`asking`), its cancellation, and its answer."""

    def __init__(
        self,
        view: FleetView,
        ports: Ports,
        *,
        fetch: Callable[[DeploymentQuery, Mapping[str, Row]], Awaitable[Records]],
        start: Callable[[Coroutine[Any, Any, None]], object],
        cancel: Callable[[], object],
        polled: Callable[[], bool],
        requery: Callable[[DeploymentQuery], None],
        redraw_bar: Callable[[], None],
        redraw: Callable[[], None],
    ) -> None:
        """`fetch(query, known)`: the server's listing, known records not read again; `start`
        runs the request as the one search worker, `cancel` stops it; `polled`: the fleet has
        loaded once; `requery`: the screen's new query (filters changed, or nothing loaded)."""
        self._view = view
        self._fetch = fetch
        self._schedule = ports.schedule
        self._start = start
        self._cancel = cancel
        self._polled = polled
        self._requery = requery
        self._redraw_bar = redraw_bar
        self._redraw = redraw
        self._timer: Stoppable | None = None
        self._delay: float | None = None
        self._asking: DeploymentQuery | None = None

    @property
    def asking(self) -> DeploymentQuery | None:
        """The query the server is being asked for its narrowing."""
        return self._asking

    @property
    def debounce(self) -> float | None:
        """The pause the armed debounce waits for (None: not armed)."""
        return self._delay if self._timer is not None else None

    def typed(self, drawn: int) -> None:
        """The search text changed and the view was drawn for it (`drawn` rows): drop a request
        for a text the user moved on from, and ask once the typing pauses."""
        asking = self._asking
        if asking is not None and asking.search != self._view.typed_search():
            # Its answer's pages would only be read and parsed on the event loop between the
            # next keys, to be set aside.
            self._cancel()
            self._asking = None
        self.stop()
        view = self._view
        needle = view.standing_in()
        wide = (
            needle is not None and view.bar_counts(view.shown, needle, drawn)[0] > WIDE_SEARCH_ROWS
        )
        self._delay = WIDE_SEARCH_DEBOUNCE if wide else SEARCH_DEBOUNCE
        self._timer = self._schedule(self._delay, self._paused)

    def stop(self) -> None:
        """No debounce pending (the search was cleared, the screen is going)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _paused(self) -> None:
        self._timer = None  # fired: nothing to stop
        self.ask()

    def ask(self) -> None:
        """The typing paused (or the caller will not wait): plain text is asked of the server
        (its `search`); a regular expression or an inverse search narrows here only."""
        self.stop()
        view = self._view
        current = view.query
        query = dataclasses.replace(current, search=view.typed_search())
        polled = self._polled()
        if query == current and (
            query in (self._asking, view.answers) or not polled or not narrows(query)
        ):
            return  # asked already (a request cancelled by a key typed since is asked again)
        if not polled or view.replay is not None:
            self._requery(query)
            return
        view.query = query
        if narrows(query):
            self._asking = query  # from now: a key typed before the worker starts cancels it
            self._start(self._narrow(query))
        else:
            view.set_narrowed(None, None)
        # The rows shown are the same (the whole fleet narrowed here until the answer lands);
        # only the bar may say something new.
        self._redraw_bar()

    async def _narrow(self, query: DeploymentQuery) -> None:
        self._asking = query
        try:
            await self._answer(query)
        finally:
            if self._asking == query:
                self._asking = None

    def _current(self, query: DeploymentQuery) -> bool:
        return query == self._view.query and self._view.replay is None

    async def _answer(self, query: DeploymentQuery) -> None:
        try:
            # The fleet's records are not read again: most of a short search's answer is
            # rows the fleet holds (a one-letter search is most of the fleet, a hundred pages).
            records = await self._fetch(
                dataclasses.replace(query, order_by=FETCH_ORDER), self._view.fleet.known_texts()
            )
        except DataRobotError:
            return  # the local narrowing stands; the next poll says what the server says
        if not self._current(query):
            return  # the user moved on meanwhile
        rows = await self._rows_of(records)
        if not self._current(query):
            return
        self._view.set_narrowed(rows, query)
        self._redraw()

    async def _rows_of(self, records: Records) -> dict[str, Row]:
        """The server's narrowed rows, in its order: the fleet's own row for a deployment the
        fleet holds (the same objects, so the view cache orders them from the fleet's order),
        a row read from the record for the others. Built a few hundred records at a time,
        yielding between them: a short search's answer is most of the fleet, and a key typed
        meanwhile is handled between two chunks, not after all of them."""
        out: dict[str, Row] = {}
        for start in range(0, len(records), VIEW_CHUNK):
            if start:
                await asyncio.sleep(0)
            rows = self._view.fleet.rows  # a poll may have landed meanwhile
            for record in records[start : start + VIEW_CHUNK]:
                if isinstance(record, Row):  # a record the fleet had read: its row
                    row = rows.get(record.id, record)
                else:
                    row = rows.get(row_id(record.id)) or row_of(record, keep_slim=False)
                out.setdefault(row.id, row)
        return out
