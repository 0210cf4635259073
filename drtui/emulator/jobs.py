"""Asynchronous jobs: 202 + Location now, a status resource while running, 303 when done.

A job finishes `duration` simulated seconds after it was created; its effect (`on_done`) runs the
first time the state notices it is due, so wall-clock and manual-clock emulators behave alike.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from drtui.emulator.clock import iso

JobEffect = Callable[[], str | None]
"""Runs when the job completes; returns an error message to fail the job, or None."""


@dataclass(slots=True)
class Job:
    id: str
    description: str
    created: datetime
    due: datetime
    result_path: str
    on_done: JobEffect | None = None
    status: str = "INITIALIZED"
    message: str = ""
    finished: bool = field(default=False)

    def status_body(self, now: datetime) -> dict[str, Any]:
        """The 200 body of GET /status/{id}/ for a job that is running or failed."""
        status = self.status
        if not self.finished:
            status = "RUNNING" if now > self.created else "INITIALIZED"
        return {
            "status": status,
            "message": self.message,
            "statusId": self.id,
            "created": iso(self.created),
            "code": 1 if status == "ERROR" else 0,
            "description": self.description,
        }

    @property
    def succeeded(self) -> bool:
        return self.finished and self.status == "COMPLETED"


class JobBook:
    """Every job ever started in this world (they are tiny; tests and demos start few)."""

    def __init__(self, seed: int) -> None:
        self._jobs: dict[str, Job] = {}
        self._ids = random.Random(seed)

    def start(
        self,
        now: datetime,
        seconds: float,
        description: str,
        result_path: str,
        on_done: JobEffect | None = None,
    ) -> Job:
        job_id = str(uuid.UUID(int=self._ids.getrandbits(128), version=4))
        job = Job(job_id, description, now, now + timedelta(seconds=seconds), result_path, on_done)
        self._jobs[job_id] = job
        return job

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def complete_due(self, now: datetime) -> None:
        """Finish every job whose time has come, in creation order."""
        for job in self._jobs.values():
            if job.finished or job.due > now:
                continue
            error = job.on_done() if job.on_done else None
            job.finished = True
            job.status = "ERROR" if error else "COMPLETED"
            job.message = error or ""
