"""Following an asynchronous job from its 202 to its end.

The status URL is polled without following redirects, because the 303 that marks success is
the answer itself: its Location is the finished resource. A 307/308 only moves the status
resource, so it is followed (same origin only) and polling goes on. States are compared without
regard to case (``completed``, ``Error``, ``ERROR_TIMEOUT``). A relative ``Location`` is read
against the API root, as DataRobot writes it. Polls back off (the server is doing work, not
waiting for us) and stop at a deadline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import httpx
from pydantic import TypeAdapter

from drtui.api.errors import BadResponseError, JobFailedError
from drtui.api.http import HttpCore
from drtui.api.models import FAILED_JOB_STATES, DeploymentCreated, JobState, JobStatus

JobProgress = Callable[[JobStatus], None]
_STATUS = TypeAdapter(JobStatus)
_CREATED = TypeAdapter(DeploymentCreated)
DONE_REDIRECTS = frozenset({301, 302, 303})
"""The job is over; Location is the resource it made."""
MOVED_REDIRECTS = frozenset({307, 308})
"""The status itself moved: poll it there."""
MAX_STATUS_MOVES = 10
API_ROOT_MARK = "/api/v2/"


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


def api_root(url: httpx.URL) -> httpx.URL:
    """``https://host/api/v2/`` of a request URL under it, else the URL itself."""
    path = url.path
    mark = path.find(API_ROOT_MARK)
    if mark < 0:
        return url
    return url.copy_with(path=path[: mark + len(API_ROOT_MARK)], query=None, fragment=None)


def location_of(response: httpx.Response, *, root: httpx.URL | None = None) -> str:
    """The absolute Location of a 202/303, or a BadResponseError naming the endpoint.

    A relative Location without a leading slash (``status/<id>/``) is relative to the API root
    (``root``, or the ``/api/v2/`` prefix of the request), not to the URL that was posted to.
    """
    location = response.headers.get("Location")
    request = response.request
    if not location:
        raise BadResponseError(
            f"{request.url.host} answered {response.status_code} to "
            f"{request.method} {request.url.path} without a Location header.",
            status_code=response.status_code,
        )
    target = httpx.URL(location)
    if not target.is_absolute_url and not location.startswith("/"):
        return str((root or api_root(request.url)).join(location))
    return str(request.url.join(location))


def created_resource_id(response: httpx.Response) -> str | None:
    """The ``id`` a 202's body may carry (the resource the job is making), else None."""
    try:
        return _CREATED.validate_json(response.content).id if response.content else None
    except ValueError:
        return None


def _state(status: str | None) -> str:
    return (status or "").strip().upper()


def is_failed_state(status: str | None) -> bool:
    state = _state(status)
    return state in FAILED_JOB_STATES or state.startswith(f"{JobState.ERROR}_")


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
    resource_id: str | None = None,
) -> JobResult:
    """Poll ``status_url`` until the job succeeds (303 or COMPLETED) or fails (raises).

    ``resource_id`` is the id the 202 announced: the answer when the job ends with a 200
    COMPLETED instead of a 303 to the resource.
    """
    _same_origin_or_raise(core, status_url)
    plan = schedule or PollSchedule()
    policy = core.retry
    started = policy.clock()
    last: JobStatus | None = None
    poll = 0
    moves = 0
    while True:
        response = await core.request("GET", status_url)
        if response.status_code in MOVED_REDIRECTS:
            moves += 1
            if moves > MAX_STATUS_MOVES:
                raise BadResponseError(
                    f"{core.host} moved a job's status more than {MAX_STATUS_MOVES} times; "
                    "it was not followed further.",
                    host=core.host,
                )
            status_url = location_of(response, root=core.endpoint_url)
            _same_origin_or_raise(core, status_url)
            continue
        if response.status_code in DONE_REDIRECTS:
            resource = location_of(response, root=core.endpoint_url)
            return JobResult(status_url, resource, resource_id_of(resource), last)
        last = core.parse(response, _STATUS)
        if progress is not None:
            progress(last)
        if is_failed_state(last.status):
            job_state = _state(last.status) or "ERROR"
            reason = last.message or last.description or "the server gave no reason"
            error = JobFailedError(
                f"The job at {core.endpoint_name('GET', status_url)} ended {job_state}: {reason}",
                host=core.host,
                server_message=last.message,
            )
            error.job_status = job_state
            raise core.scrub(error)
        if _state(last.status) == JobState.COMPLETED:
            return JobResult(status_url, None, resource_id, last)
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


def _same_origin_or_raise(core: HttpCore, status_url: str) -> None:
    if not core.same_origin(status_url):
        raise BadResponseError(
            f"{core.host} pointed a job's status at another host; it was not followed.",
            host=core.host,
        )
