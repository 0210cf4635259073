"""FleetPoll: what one poll of the deployments view fetches, and what its answer changes.

The shared `Poller` (ui/polling.py) runs it: `fetch` in a worker, `build` on a thread, `apply`
on the event loop. Alerts and counts are about the whole fleet, whatever the table shows, so the
whole fleet is fetched every time, beside the server's narrowing when the query filters or
searches. A poll whose listing left records out (nested too deeply to read) says so once,
and again only after a poll that left none out.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from typing import Protocol

from drtui.api.models.slim_records import SlimDeployment
from drtui.api.query import DeploymentQuery
from drtui.core.fleet import Fleet
from drtui.core.rhythm import Rhythm
from drtui.core.rows import Row
from drtui.core.views import FETCH_ORDER
from drtui.ui.deployments.alerts import FleetAlerts
from drtui.ui.deployments.ports import Notify
from drtui.ui.deployments.view import FleetView, narrows
from drtui.ui.refresh import FleetUpdate, build_fleet

Records = list[SlimDeployment | Row]
Fetched = tuple[Records, Records | None]
"""The whole fleet, and the server-narrowed view when the query filters or searches."""


DROPPED = "Some deployment records could not be read (nested too deeply) and were left out."


class Lister(Protocol):
    """The listing of ui/sources.Sources."""

    @property
    def dropped_records(self) -> int: ...

    def deployments(
        self, query: DeploymentQuery, known: Mapping[str, Row], /
    ) -> Awaitable[Records]: ...


class Recording(Protocol):
    """The flight recorder as a poll feeds it (store.recorder.BackgroundRecorder)."""

    @property
    def rhythms(self) -> Mapping[str, Rhythm]: ...
    def submit(self, fleet: Fleet, at: datetime) -> None: ...


class FleetPoll:
    """Fetch, build and apply for the deployments view's `Poller`."""

    def __init__(
        self,
        view: FleetView,
        lister: Lister,
        alerts: FleetAlerts,
        recorder: Recording | None,
        *,
        polls: Callable[[], int],
        notify: Notify,
        redraw: Callable[[], None],
    ) -> None:
        """`polls`: the poller's count of polls applied; `redraw`: the view drawn again."""
        self._view = view
        self._lister = lister
        self._alerts = alerts
        self._recorder = recorder
        self._polls = polls
        self._notify = notify
        self._redraw = redraw
        self._fetched_query: DeploymentQuery | None = None
        """The query the poll in flight was fetched for (its narrowing answers it)."""
        self._dropped = False
        """The poll in flight's listing left records out."""
        self._said_dropped = False

    async def fetch(self) -> Fetched:
        """The whole fleet, in an order traffic cannot move, and the narrowed view when the
        query filters or searches on the server."""
        query = self._fetched_query = self._view.query
        known = self._view.fleet.known_texts()  # records read last time are not read again
        dropped = self._lister.dropped_records
        whole = self._lister.deployments(DeploymentQuery(order_by=FETCH_ORDER), known)
        narrowed: Records | None = None
        if not narrows(query):
            everything = await whole
        else:
            view = self._lister.deployments(dataclasses.replace(query, order_by=FETCH_ORDER), known)
            everything, narrowed = await asyncio.gather(whole, view)
        self._dropped = self._lister.dropped_records > dropped
        return everything, narrowed

    def build(self, fetched: Fetched) -> FleetUpdate:
        """Off the event loop: the new fleet, its diff from the last one, the transitions."""
        return build_fleet(self._view.fleet, *fetched)

    def apply(self, update: FleetUpdate, fetched_at: datetime) -> None:
        view, recorder = self._view, self._recorder
        view.set_fleet(update.diff.fleet, update.view, self._fetched_query)
        self._alerts.poll(
            view.fleet.rows,
            update.transitions,
            fetched_at,
            rhythms=recorder.rhythms if recorder is not None else {},
            first=not self._polls(),
        )
        if recorder is not None:
            recorder.submit(view.fleet, fetched_at)
        self._redraw()
        if self._dropped and not self._said_dropped:
            self._notify(DROPPED, severity="warning", timeout=8, markup=False)
        self._said_dropped = self._dropped
