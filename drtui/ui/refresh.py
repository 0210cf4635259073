"""The fleet refresh worker: the only place the screen's data touches the network.

It awaits the client, builds the new snapshot and its diff against the one the screen showed
when the refresh started, and posts a message. It never touches a widget; the screen's handlers
apply what it posts and re-arm the next refresh only after this one ended (never two in flight,
never a pile-up on a slow server).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from textual.message_pump import MessagePump

from drtui.api.client import DataRobotClient
from drtui.api.errors import DataRobotError, RateLimitedError
from drtui.api.models import Deployment
from drtui.api.query import DeploymentQuery
from drtui.core.fleet import Fleet, FleetDiff, HealthTransition, diff, transitions
from drtui.ui.heap import COLLECTOR
from drtui.ui.messages import FleetStale, FleetUpdated

log = logging.getLogger(__name__)


def backoff(failures: int, interval: float) -> float:
    """Seconds before retry number `failures`: quick first retry, doubling, capped.

    Starts at the refresh interval or 5 s, whichever is shorter, and never waits more than
    the interval (at least 5 s), so data is fresh within one interval of the server's return.
    """
    base = min(interval, 5.0)
    cap = max(interval, base)
    return min(cap, base * 2 ** max(0, failures - 1))


async def fetch_fleet(
    target: MessagePump,
    client: DataRobotClient,
    query: DeploymentQuery,
    base: Fleet,
    *,
    generation: int,
    failures: int,
    interval: float,
    now: Callable[[], datetime],
) -> None:
    """Fetch every page for `query` and post FleetUpdated, or FleetStale with the reason."""
    try:
        with COLLECTOR.building():
            deployments = await client.list_all_deployments(query)
            # Building 10,000 rows and diffing them is CPU work: off the event loop, so keys
            # and repaints stay responsive meanwhile.
            changes, moves = await asyncio.to_thread(_compare, base, deployments)
        target.post_message(FleetUpdated(changes, moves, now(), generation))
    except asyncio.CancelledError:
        raise
    except DataRobotError as error:
        delay = backoff(failures + 1, interval)
        if isinstance(error, RateLimitedError) and error.retry_after:
            delay = max(delay, error.retry_after)  # the server said when; never sooner
        retry_at = now() + timedelta(seconds=delay)
        target.post_message(FleetStale(_one_line(str(error)), retry_at, generation))
    except Exception as error:  # a bug must not stop monitoring; the log keeps the traceback
        log.exception("refresh failed unexpectedly")
        retry_at = now() + timedelta(seconds=backoff(failures + 1, interval))
        reason = f"unexpected error ({type(error).__name__}); details in the log file"
        target.post_message(FleetStale(reason, retry_at, generation))


def _compare(
    base: Fleet, deployments: list[Deployment]
) -> tuple[FleetDiff, list[HealthTransition]]:
    fleet = Fleet.from_deployments(deployments)
    changes = diff(base, fleet)
    return changes, transitions(base, fleet, changes.changed)


def _one_line(text: str) -> str:
    return " ".join(text.split())
