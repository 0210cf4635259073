"""How the fleet changes with simulated time, one step per simulated minute.

Step `n` draws from `Random(f"{seed}:{n}")`, so the world after N minutes depends only on the seed
and what the API did to it, never on how often anyone looked. Health is sticky: each minute a few
deployments are examined and most of those stay put; the transition odds keep the fleet mostly
passing in the long run. Usage grows, last-prediction times advance, and the seven daily rates
roll over at each simulated day. (Custom model logs grow by themselves: see livelog.)
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from drtui.emulator.fleet import HEALTH_DIMENSIONS, health_message, move_windows, window_bounds

if TYPE_CHECKING:
    from drtui.emulator.state import EmulatorState

STEP_SECONDS = 60
STEPS_PER_DAY = 24 * 60
LIVE_STATUSES = frozenset({"active", "replacingModel", "errored"})

# current status -> (next statuses, cumulative odds); the remainder keeps the status.
_TRANSITIONS: dict[str, tuple[tuple[str, float], ...]] = {
    "passing": (("warning", 0.04), ("failing", 0.05)),
    "warning": (("passing", 0.30), ("failing", 0.35)),
    "failing": (("passing", 0.20), ("warning", 0.40)),
    "unknown": (("passing", 0.30),),
    "notStarted": (("passing", 0.20),),
}


def evolve_step(state: EmulatorState, step: int) -> None:
    """Apply simulated minute `step` (1-based) to the world."""
    rng = random.Random(f"{state.config.seed}:{step}")
    at = state.clock.start + timedelta(seconds=step * STEP_SECONDS)
    ids = state.live_ids
    if not ids:
        return
    for _ in range(max(10, len(ids) // 50)):
        _maybe_change_health(state, rng.choice(ids), rng.choice(HEALTH_DIMENSIONS), rng, at)
    for _ in range(max(3, len(ids) // 40)):
        _record_traffic(state, rng.choice(ids), rng, at)
    if step % 60 == 0:
        bounds = window_bounds(at)
        for deployment_id in ids:
            record = state.deployments[deployment_id]
            if not record.dormant:
                move_windows(record.doc, bounds)
                state.touch(deployment_id, shown=True)
    if step % STEPS_PER_DAY == 0:
        roll_over_day(state)


def roll_over_day(state: EmulatorState) -> None:
    """A new day: the oldest daily rate drops out and today starts at zero."""
    for deployment_id in state.live_ids:
        rates = state.deployments[deployment_id].doc["predictionUsage"]["dailyRates"]
        rates[:] = [*rates[1:], 0]
        state.touch(deployment_id, traffic=True)


def _maybe_change_health(
    state: EmulatorState, deployment_id: str, dimension: str, rng: random.Random, at: datetime
) -> None:
    record = state.deployments[deployment_id]
    if record.dormant or record.doc.get("status", "active") not in LIVE_STATUSES:
        return
    current = record.doc[dimension]["status"]
    roll = rng.random()
    for new_status, odds in _TRANSITIONS.get(current, ()):
        if roll < odds:
            message = health_message(rng, dimension, new_status)
            state.change_health(deployment_id, dimension, new_status, message, at)
            return


def _record_traffic(
    state: EmulatorState, deployment_id: str, rng: random.Random, at: datetime
) -> None:
    record = state.deployments[deployment_id]
    doc = record.doc
    if record.dormant or doc.get("status", "active") not in LIVE_STATUSES:
        return
    if state.streams.has(deployment_id) or deployment_id in state.hushed:
        return  # a busy deployment's traffic follows its own beat and rhythm
    usage = doc["predictionUsage"]
    rates = usage["dailyRates"]
    typical = max(rates[:-1] or [1]) or 1
    rates[-1] += 1 + int(rng.random() * max(1, typical // 200))
    when = at - timedelta(seconds=rng.uniform(0, STEP_SECONDS))
    state.note_prediction(record, when.timestamp())
