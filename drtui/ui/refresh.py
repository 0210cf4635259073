"""The fleet poll's build step: the new snapshot, its diff and its health transitions.

Run by the shared poller in a thread (ui/polling.py), so building 10,000 rows never blocks keys
and repaints. Pure data in, pure data out; it never touches a widget.

The whole fleet is always fetched (alerts and header counts are about the fleet, whatever the
table shows); when the view narrows on the server (filters, search), that query is fetched too
and its rows are what the table shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from drtui.core.fleet import Fleet, FleetDiff, HealthTransition, diff, transitions
from drtui.core.rows import Row

if TYPE_CHECKING:
    from drtui.api.models import Deployment
    from drtui.api.models.slim_records import SlimDeployment


@dataclass(frozen=True, slots=True)
class FleetUpdate:
    diff: FleetDiff
    transitions: list[HealthTransition]
    view: dict[str, Row] | None = None
    """The server-narrowed view's rows (filters, search), or None when the view is the fleet."""


def build_fleet(
    base: Fleet,
    deployments: Sequence[SlimDeployment | Deployment | Row],
    view: Sequence[SlimDeployment | Deployment | Row] | None = None,
) -> FleetUpdate:
    """The poll's new fleet, what changed and which health moved. A `Row` among the records is
    the last poll's row for a record whose text did not change (`read_page`'s `known`)."""
    fleet = Fleet.from_deployments(deployments, previous=base)
    changes = diff(base, fleet)
    view_rows = None
    if view is not None:
        # Read with the fleet as the previous snapshot, so a record already read is not read
        # again; what that carried over is not in the view (a narrowed view lacks most of the
        # fleet by design). The fleet's row where it has one: the same object, so both agree
        # and share memory.
        narrowed = Fleet.from_deployments(view, previous=fleet)
        view_rows = {
            key: fleet.rows.get(key, row)
            for key, row in narrowed.rows.items()
            if key not in narrowed.missing
        }
    return FleetUpdate(changes, transitions(base, fleet, changes.changed), view_rows)
