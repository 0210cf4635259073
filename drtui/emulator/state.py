"""The mutable world behind one emulator: deployments, deletions, logs, jobs, logs of traffic.

Everything a handler reads goes through here under one lock, because the HTTP server runs in its
own thread while tests inspect and poke the same object. Each deployment's JSON is rendered once
per role and kept until it changes; sorted and filtered id lists are kept up to date from the ids
that changed (selections.py). That is what makes a 100-item page of a 100,000 fleet cheap.
"""

from __future__ import annotations

import random
import threading
from collections import deque
from datetime import UTC, datetime, timedelta
from typing import Any

from drtui.emulator.catalogue import PpsImage, pps_image, resource_bundles
from drtui.emulator.clock import Clock, iso
from drtui.emulator.config import ChaosSettings, EmulatorConfig
from drtui.emulator.evolve import (
    LIVE_STATUSES,
    STEP_SECONDS,
    STEPS_PER_DAY,
    evolve_step,
    roll_over_day,
)
from drtui.emulator.filters import DeploymentQuery
from drtui.emulator.fleet import (
    EXTRA_HEALTH_DIMENSIONS,
    HEALTH_DIMENSIONS,
    Catalog,
    DeploymentRecord,
    generate_fleet,
    health,
    health_message,
)
from drtui.emulator.jobs import Job, JobBook, JobEffect
from drtui.emulator.livelog import LogBook
from drtui.emulator.mutations import new_deployment
from drtui.emulator.predictions import Streams, shape_history, stream_for
from drtui.emulator.responses import dumps_fast
from drtui.emulator.selections import Listing, Selections
from drtui.emulator.users import ADMIN_USER, NORMAL_USER, OWNER, ROLE_PERMISSIONS, Account

WALL_BACKLOG_STEPS = 180
"""A wall clock more than this many simulated minutes behind (a laptop that slept) skips ahead
rather than replaying every minute; manual clocks always replay for determinism."""
TRAFFIC_LOG_SIZE = 1000
TRANSITIONS_KEPT = 20_000


class EmulatorState:
    """One emulator's world; `reset()` rebuilds it from the seed."""

    def __init__(self, config: EmulatorConfig, clock: Clock | None = None) -> None:
        self.config = config
        self.lock = threading.RLock()
        self.download_base_url: str | None = None
        self.requests: deque[dict[str, Any]] = deque(maxlen=TRAFFIC_LOG_SIZE)
        self.downloads: deque[dict[str, Any]] = deque(maxlen=TRAFFIC_LOG_SIZE)
        self.accounts: dict[str, Account] = {
            config.user_token: NORMAL_USER,
            config.admin_token: ADMIN_USER,
        }
        self.transitions: deque[dict[str, Any]] = deque(maxlen=TRANSITIONS_KEPT)
        self._build(clock or self._new_clock())
        self.image: PpsImage = pps_image(config.seed, config.image_size, self.clock.start)
        if self.history_steps:
            self.sync()  # play the history now rather than on the first request

    def _new_clock(self) -> Clock:
        return Clock(self.config.clock, history=self.config.history_hours * 3600)

    def _build(self, clock: Clock) -> None:
        self.clock = clock
        self.chaos: ChaosSettings | None = self.config.chaos
        fleet = generate_fleet(self.config.seed, self.config.deployments, clock.start)
        self.catalog: Catalog = fleet.catalog
        self.deployments: dict[str, DeploymentRecord] = {r.id: r for r in fleet.deployments}
        self.live_ids: list[str] = list(self.deployments)
        self.custom_ids: list[str] = [r.id for r in fleet.deployments if r.custom]
        self.deleted: list[dict[str, Any]] = fleet.deleted
        self.logbook = LogBook(
            self.config.seed, clock.start, self.config.log_rate, self.config.log_max_bytes
        )
        self.prediction_logs: dict[tuple[str, str], float | None] = {}
        self.jobs = JobBook(self.config.seed)
        self.bundles = resource_bundles()
        self.steps_done = 0
        self.history_steps = int(self.config.history_hours * 3600 // STEP_SECONDS)
        self.first_alert_id: str | None = None
        self.hushed: set[str] = set()
        seed, start = self.config.seed, clock.start
        self.streams = Streams(seed, start.timestamp())
        for record in fleet.deployments:
            if record.doc.get("status", "active") in LIVE_STATUSES:
                usage = record.doc["predictionUsage"]
                stream = stream_for(seed, record.id, usage["dailyRates"], start.timestamp())
                if stream is not None:
                    last = shape_history(seed, stream, usage["dailyRates"], start)
                    record.last_prediction = last
                    usage["lastTimestamp"] = iso(datetime.fromtimestamp(last, UTC))
                    self.streams.add(stream)
        self._rendered: dict[tuple[str, str], bytes] = {}
        self._selections = Selections(self.deployments)
        self._create_rng = random.Random(f"create:{self.config.seed}")

    # -- time ------------------------------------------------------------------------------

    def sync(self) -> datetime:
        """Bring the world up to the clock: evolution steps, then jobs that came due."""
        with self.lock:
            target = int(self.clock.elapsed() // STEP_SECONDS)
            if self.steps_done < self.history_steps:
                self._run_steps(min(target, self.history_steps))  # history is always played
            if self.clock.mode == "wall" and target - self.steps_done > WALL_BACKLOG_STEPS:
                resume = target - WALL_BACKLOG_STEPS
                self._predict(resume * STEP_SECONDS, count=False)
                days = resume // STEPS_PER_DAY - self.steps_done // STEPS_PER_DAY
                for _ in range(min(7, days)):
                    roll_over_day(self)
                self.steps_done = resume
            self._run_steps(target)
            elapsed = self.clock.elapsed()
            self._first_alert(elapsed)
            self._predict(elapsed)
            now = self.clock.now()
            self.jobs.complete_due(now)
            return now

    def _run_steps(self, target: int) -> None:
        while self.steps_done < target:
            step_end = (self.steps_done + 1) * STEP_SECONDS
            self._first_alert(step_end)
            if (self.steps_done + 1) % STEPS_PER_DAY == 0:
                self._predict(step_end)  # the day's last predictions before it rolls over
            self.steps_done += 1
            evolve_step(self, self.steps_done)

    def _predict(self, until: float, count: bool = True) -> None:
        """Busy deployments' predictions up to `until` elapsed seconds (see predictions.py)."""
        for stream, events, last in self.streams.due(until):
            record = self.deployments.get(stream.deployment_id)
            if record is None:
                self.streams.drop(stream.deployment_id)
                continue
            if count:
                record.doc["predictionUsage"]["dailyRates"][-1] += events
            self.note_prediction(record, last)

    def note_prediction(self, record: DeploymentRecord, when: float) -> None:
        """A prediction at `when` (a POSIX timestamp); the last prediction only moves forward."""
        if record.last_prediction is None or when > record.last_prediction:
            record.last_prediction = when
            record.doc["predictionUsage"]["lastTimestamp"] = iso(datetime.fromtimestamp(when, UTC))
        self.touch(record.id, traffic=True)

    def _first_alert(self, until: float) -> None:
        """The demo's opening act: at `first_alert_seconds`, one important, healthy, active
        deployment (chosen by the seed) starts failing service health."""
        due = self.config.first_alert_seconds
        if due is None or self.first_alert_id is not None:
            return
        due += self.config.history_hours * 3600
        if until < due:
            return
        candidates = sorted(
            record.id
            for record in self.deployments.values()
            if record.doc.get("status") == "active"
            and record.doc.get("importance") in ("CRITICAL", "HIGH")
            and record.doc["serviceHealth"]["status"] == "passing"
        )
        if not candidates:
            self.first_alert_id = ""
            return
        target = random.Random(f"first-alert:{self.config.seed}").choice(candidates)
        at = self.clock.start + timedelta(seconds=due)
        message = "Server error rate above 5% in the last hour."
        self.change_health(target, "serviceHealth", "failing", message, at)
        self.first_alert_id = target

    def hush(self, deployment_id: str) -> None:
        """Stop a deployment's traffic for good (its health untouched): a model whose callers
        went away, for drills and tests of silence."""
        with self.lock:
            self.streams.drop(deployment_id)
            self.hushed.add(deployment_id)

    def advance(self, seconds: float) -> datetime:
        with self.lock:
            self.clock.advance(seconds)
            return self.sync()

    def reset(self) -> None:
        with self.lock:
            self.transitions.clear()
            self._build(self._new_clock())
            self.requests.clear()
            self.downloads.clear()
            if self.history_steps:
                self.sync()

    # -- reading -----------------------------------------------------------------------------

    def role_of(self, record: DeploymentRecord, account: Account) -> str:
        return OWNER if account.is_admin else record.user_role

    def render(self, record: DeploymentRecord, account: Account) -> bytes:
        """The deployment's JSON as `account` sees it (permissions depend on the role)."""
        return self.render_ids([record.id], account)[0]

    def render_ids(self, deployment_ids: list[str], account: Account) -> list[bytes]:
        """`render` for a page of ids, each rendered once per role and kept until it changes."""
        records, rendered = self.deployments, self._rendered
        bodies = []
        for deployment_id in deployment_ids:
            record = records[deployment_id]
            role = self.role_of(record, account)
            body = rendered.get((deployment_id, role))
            if body is None:
                body = dumps_fast({**record.doc, "permissions": list(ROLE_PERMISSIONS[role])})
                rendered[(deployment_id, role)] = body
            bodies.append(body)
        return bodies

    def select(self, query: DeploymentQuery, order: str, account: Account) -> Listing:
        """The deployments `account` sees that match `query`, in `order`, as of now. Valid
        until the world next changes: read it under the lock."""
        with self.lock:

            def role(record: DeploymentRecord) -> str:
                return self.role_of(record, account)

            return self._selections.select(query, order, account.id, role)

    def custom_log(self, deployment_id: str, elapsed: float | None = None) -> str | None:
        """The custom model deployment's server log as served now (or at `elapsed` seconds
        after the world began), or None if it has none."""
        with self.lock:
            status = self.deployments[deployment_id].doc.get("status")
            if status == "launching":
                return None
            when = self.clock.elapsed() if elapsed is None else elapsed
            return self.logbook.text(deployment_id, status, when)

    # -- changing ----------------------------------------------------------------------------

    def touch(self, deployment_id: str, *, traffic: bool = False, shown: bool = False) -> None:
        """Forget what was rendered for this deployment after it changed and queue it for the
        sorted lists. `traffic`: only its prediction counts or times moved; `shown`: only fields
        that no filter or order reads (health windows), so the lists need not look at it."""
        for role in ROLE_PERMISSIONS:
            self._rendered.pop((deployment_id, role), None)
        if not shown:
            self._selections.changed(deployment_id, traffic=traffic)

    def change_health(
        self, deployment_id: str, dimension: str, status: str, message: str, at: datetime
    ) -> None:
        """Set one health summary and, if its status changed, note the transition."""
        doc = self.deployments[deployment_id].doc
        before = (doc.get(dimension) or {}).get("status")
        doc[dimension] = health(status, message, at)
        if before != status:
            self.transitions.append(
                {
                    "deploymentId": deployment_id,
                    "dimension": dimension,
                    "from": before,
                    "to": status,
                    "at": iso(at),
                }
            )
        self.touch(deployment_id)

    def set_health(
        self, deployment_id: str, dimension: str, status: str, message: str | None = None
    ) -> None:
        """Force a health status (tests use it to stage a transition)."""
        if dimension not in HEALTH_DIMENSIONS + EXTRA_HEALTH_DIMENSIONS:
            raise ValueError(f"unknown health dimension {dimension!r}")
        with self.lock:
            if deployment_id not in self.deployments:
                raise KeyError(deployment_id)
            if message is None:
                message = health_message(random.Random(status), dimension, status)
            self.change_health(deployment_id, dimension, status, message, self.clock.now())

    def update_deployment(self, deployment_id: str, changes: dict[str, Any]) -> None:
        with self.lock:
            self.deployments[deployment_id].doc.update(changes)
            self.touch(deployment_id)

    def delete_deployment(self, deployment_id: str) -> None:
        """Move a deployment to the deleted list (newest first), as DELETE does."""
        with self.lock:
            record = self.deployments.pop(deployment_id)
            self.live_ids.remove(deployment_id)
            if record.custom:
                self.custom_ids.remove(deployment_id)
            self.deleted.insert(
                0,
                {
                    "id": deployment_id,
                    "label": record.doc["label"],
                    "deletedAt": iso(self.clock.now()),
                },
            )
            self.touch(deployment_id)

    def start_job(
        self, description: str, result_path: str, on_done: JobEffect | None = None
    ) -> Job:
        return self.jobs.start(
            self.clock.now(), self.config.job_seconds, description, result_path, on_done
        )

    def erase_deleted(self, deployment_ids: list[str]) -> Job:
        """Start the job that permanently erases deleted deployments."""
        wanted = list(dict.fromkeys(deployment_ids))

        def erase() -> str | None:
            known = {item["id"] for item in self.deleted}
            missing = [i for i in wanted if i not in known]
            self.deleted = [item for item in self.deleted if item["id"] not in wanted]
            if missing:
                return f"Deleted deployments not found: {', '.join(missing)}"
            return None

        with self.lock:
            return self.start_job(
                "Permanently erase deleted deployments", "deletedDeployments/", erase
            )

    def create_deployment(self, fields: dict[str, Any], account: Account) -> tuple[str, Job]:
        """Add a `launching` deployment that turns `active` (or `inactive`) when its job ends."""
        with self.lock:
            now = self.clock.now()
            record = new_deployment(self._create_rng, now, self.catalog, fields, account)
            self.deployments[record.id] = record
            self.live_ids.append(record.id)
            self.touch(record.id)
            final_status = fields.get("status") or "active"

            def launch() -> None:
                if record.id in self.deployments:
                    record.doc["status"] = final_status
                    self.touch(record.id)

            job = self.start_job("Deploy model", f"deployments/{record.id}/", launch)
            return record.id, job

    def request_prediction_logs(self, deployment_id: str) -> Job:
        """Start the job that snapshots a custom model deployment's log under a new log id.

        Only the snapshot's instant is kept; GET by log id regenerates the log as it was then.
        """
        with self.lock:
            log_id = f"{self._create_rng.getrandbits(96):024x}"
            self.prediction_logs[(deployment_id, log_id)] = None

            def snapshot() -> str | None:
                if deployment_id not in self.deployments:
                    return "No logs found."
                at = self.clock.elapsed()
                if self.custom_log(deployment_id, at) is None:
                    return "No logs found."
                self.prediction_logs[(deployment_id, log_id)] = at
                return None

            return self.start_job(
                "Collect custom model deployment logs",
                f"customModelDeployments/{deployment_id}/logs/{log_id}/",
                snapshot,
            )
