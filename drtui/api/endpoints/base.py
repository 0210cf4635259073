"""What every endpoint family of the client shares: the wire (``HttpCore``), GET and parse,
every page of a list within the client's bounds, following a job, and the API version.

The families (deployments.py, custom_models.py, deleted.py, bundles.py, pps.py) subclass
``Endpoints``; ``DataRobotClient`` (api/client.py) is all of them at once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from drtui.api.errors import BadResponseError
from drtui.api.http import HttpCore, RetryHook
from drtui.api.paging import MAX_PAGES, MAX_RECORDS, fetch_all_pages
from drtui.api.retry import RetryPolicy

if TYPE_CHECKING:
    # Imported where they are used: the list path (`drtui deployments`, `check`, the poll)
    # builds no pydantic model, and following jobs is for other commands.
    from pydantic import TypeAdapter

    from drtui.api.jobs import JobProgress, JobResult, PollSchedule
    from drtui.api.models import ApiVersion, Page

T = TypeVar("T")
UNSET: Any = object()
"""An argument not given (``None`` means something: no deadline, clear the description)."""


class _LazyAdapter:
    """A pydantic ``TypeAdapter`` built on its first use (its models' schemas with it)."""

    def __init__(self, model: str, *, page: bool = False) -> None:
        self._model = model
        self._page = page
        self._adapter: Any = None

    def _get(self) -> Any:
        if self._adapter is None:
            from pydantic import TypeAdapter

            from drtui.api import models

            model: Any = getattr(models, self._model)
            page: Any = models.Page
            self._adapter = TypeAdapter(page[model] if self._page else model)
        return self._adapter

    def validate_json(self, data: bytes | str, /) -> Any:
        return self._get().validate_json(data)

    def validate_python(self, data: object, /) -> Any:
        return self._get().validate_python(data)


def lazy_adapter(model: str, *, page: bool = False) -> Any:
    """A ``TypeAdapter`` for ``models.<model>`` (or a page of them), built on its first use."""
    return _LazyAdapter(model, page=page)


_VERSION: TypeAdapter[ApiVersion] = lazy_adapter("ApiVersion")


class Endpoints:
    """The client's state and the calls every endpoint family makes."""

    def __init__(
        self,
        endpoint: str,
        token: str,
        *,
        verify: bool | str = True,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 60.0,
        connect_timeout: float = 6.0,
        retry: RetryPolicy | None = None,
        on_retry: RetryHook | None = None,
        concurrency: int = 4,
        job_schedule: PollSchedule | None = None,
        read_only: bool = False,
        deadline: float | None = None,
        max_pages: int = MAX_PAGES,
        max_records: int = MAX_RECORDS,
    ) -> None:
        """``read_only`` refuses every request but GET/HEAD/OPTIONS before a byte is sent.

        ``deadline`` (seconds) bounds each whole ``list_all_*`` call, every page and retry
        included; ``max_pages``/``max_records`` bound what one listing reads, whatever the
        server claims. An unusable token (several lines, non-ASCII, huge) raises
        ``InvalidTokenError`` here, before any request.
        """
        self._core = HttpCore(
            endpoint,
            token,
            verify=verify,
            transport=transport,
            timeout=timeout,
            connect_timeout=connect_timeout,
            retry=retry,
            on_retry=on_retry,
            read_only=read_only,
        )
        self.concurrency = concurrency
        self.job_schedule: PollSchedule | None = job_schedule
        """None: the jobs module's default schedule."""
        self.deadline = deadline
        self.max_pages = max_pages
        self.max_records = max_records
        self.dropped_records = 0
        """Deployment records left out of listings so far because no reader can read them
        (nested deeper than Python's recursion allows); the rest of each page stands."""

    @property
    def read_only(self) -> bool:
        """Whether this client refuses every request that could change something."""
        return self._core.read_only

    @property
    def endpoint(self) -> str:
        """The normalised endpoint, ``https://host/api/v2`` (no trailing slash)."""
        return self._core.endpoint

    async def aclose(self) -> None:
        await self._core.aclose()

    async def _get(self, url: str, adapter: TypeAdapter[T], params: Any = None) -> T:
        async def parse(response: httpx.Response) -> T:
            return self._core.parse(response, adapter)

        return await self._core.exchange("GET", url, parse, params=params)

    async def _all(
        self,
        path: str,
        fetch_offset: Callable[[int, int], Awaitable[Page[T]]],
        adapter: TypeAdapter[Page[T]],
        *,
        concurrency: int | None = None,
        deadline: float | None = UNSET,
    ) -> list[T]:
        """Every page of the list at ``path``, within the client's bounds and deadline."""
        return await fetch_all_pages(
            fetch_offset,
            lambda url: self._get_next(url, adapter),
            concurrency=concurrency or self.concurrency,
            max_pages=self.max_pages,
            max_records=self.max_records,
            deadline=self.deadline if deadline is UNSET else deadline,
            what=f"{self._core.host}'s GET /{path}",
        )

    async def _get_next(self, url: str, adapter: TypeAdapter[T]) -> T:
        """Fetch a ``next`` link, refusing one that leaves the endpoint's origin."""
        self._check_next(url)
        return await self._get(url, adapter)

    def _check_next(self, url: str) -> None:
        try:
            same_origin = self._core.same_origin(url)
        except httpx.InvalidURL:
            raise BadResponseError(
                f"{self._core.host} sent a next-page link that is not a valid URL; "
                "it was not followed.",
                host=self._core.host,
            ) from None
        if not same_origin:
            raise BadResponseError(
                f"{self._core.host} sent a next-page link to another host; it was not followed.",
                host=self._core.host,
            )

    async def version(self) -> ApiVersion:
        """The server's API version; a cheap first call that proves endpoint and token."""
        return await self._get("version/", _VERSION)

    async def follow_job(
        self,
        status_url: str,
        *,
        progress: JobProgress | None = None,
        resource_id: str | None = None,
    ) -> JobResult:
        """Wait for the job at ``status_url`` (a 202's Location); raises JobFailedError.

        ``resource_id``: the id the 202's body announced, the result of a 200 COMPLETED.
        """
        from drtui.api.jobs import follow_job

        return await follow_job(
            self._core,
            status_url,
            progress=progress,
            schedule=self.job_schedule,
            resource_id=resource_id,
        )
