"""Following an asynchronous job from its 202 to its end.

The status URL is polled without following redirects, because the 303 that marks success is
the answer itself: its Location is the finished resource. Polls back off (the server is doing
work, not waiting for us) and stop at a deadline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import httpx
from pydantic import TypeAdapter

from drtui.api.errors import BadResponseError, JobFailedError
from drtui.api.http import HttpCore
from drtui.api.models import FAILED_JOB_STATES, JobState, JobStatus

JobProgress = Callable[[JobStatus], None]
_STATUS = TypeAdapter(JobStatus)


@dataclass(frozen=True)
class JobResult:
    """A finished job: where its resource lives (when it made one) and the last status seen."""

    status_url: str
    resource_url: str | None = None
    resource_id: str | None = None
    last_status: JobStatus | None = None


@dataclass(frozen=True)
class PollSchedule:
    first: float = 0.25
    factor: float = 1.5
    longest: float = 5.0
    deadline: float = 600.0

    def wait(self, poll: int) -> float:
        return min(self.longest, self.first * self.factor**poll)


def location_of(response: httpx.Response) -> str:
    """The absolute Location of a 202/303, or a BadResponseError naming the endpoint."""
    location = response.headers.get("Location")
    if not location:
        request = response.request
        raise BadResponseError(
            f"{request.url.host} answered {response.status_code} to "
            f"{request.method} {request.url.path} without a Location header.",
            status_code=response.status_code,
        )
    return str(response.request.url.join(location))


def resource_id_of(url: str) -> str | None:
    """The last path segment of a resource URL (``…/deployments/<id>/`` gives ``<id>``)."""
    parts = [p for p in httpx.URL(url).path.split("/") if p]
    return parts[-1] if parts else None


async def follow_job(
    core: HttpCore,
    status_url: str,
    *,
    progress: JobProgress | None = None,
    schedule: PollSchedule | None = None,
) -> JobResult:
    """Poll ``status_url`` until the job succeeds (303 or COMPLETED) or fails (raises)."""
    if not core.same_origin(status_url):
        raise BadResponseError(
            f"{core.host} pointed a job's status at another host; it was not followed.",
            host=core.host,
        )
    plan = schedule or PollSchedule()
    policy = core.retry
    started = policy.clock()
    last: JobStatus | None = None
    poll = 0
    while True:
        response = await core.request("GET", status_url)
        if response.status_code in (301, 302, 303, 307, 308):
            resource = location_of(response)
            return JobResult(status_url, resource, resource_id_of(resource), last)
        last = core.parse(response, _STATUS)
        if progress is not None:
            progress(last)
        if last.status in FAILED_JOB_STATES:
            job_state = last.status or "ERROR"
            reason = last.message or last.description or "the server gave no reason"
            error = JobFailedError(
                f"The job at {core.endpoint_name('GET', status_url)} ended {job_state}: {reason}",
                host=core.host,
                server_message=last.message,
            )
            error.job_status = job_state
            raise core.scrub(error)
        if last.status == JobState.COMPLETED:
            return JobResult(status_url, None, None, last)
        wait = plan.wait(poll)
        if policy.clock() - started + wait > plan.deadline:
            error = JobFailedError(
                f"The job at {core.endpoint_name('GET', status_url)} did not finish within "
                f"{plan.deadline:g} seconds (last status {last.status or 'unknown'}); "
                "it may still be running.",
                host=core.host,
            )
            error.job_status = last.status
            raise error
        poll += 1
        await policy.sleep(wait)
