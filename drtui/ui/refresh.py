"""The fleet poll's build step: the new snapshot, its diff and its health transitions.

Run by the shared poller in a thread (ui/polling.py), so building 10,000 rows never blocks keys
and repaints. Pure data in, pure data out; it never touches a widget.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from drtui.api.models import Deployment
from drtui.core.fleet import Fleet, FleetDiff, HealthTransition, diff, transitions


@dataclass(frozen=True, slots=True)
class FleetUpdate:
    diff: FleetDiff
    transitions: list[HealthTransition]


def build_fleet(base: Fleet, deployments: Sequence[Deployment]) -> FleetUpdate:
    fleet = Fleet.from_deployments(deployments)
    changes = diff(base, fleet)
    return FleetUpdate(changes, transitions(base, fleet, changes.changed))
