"""``DataRobotClient``: one method per endpoint of the reference, plus ``version()``.

One client per profile; it owns one keep-alive connection pool, so open it once and reuse it
(``async with DataRobotClient(...) as client``). Every failure is a ``DataRobotError``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from drtui.api.body import LOG_BODY_LIMIT
from drtui.api.config import ResolvedConfig
from drtui.api.errors import BadResponseError
from drtui.api.http import HttpCore, RetryHook
from drtui.api.models.slim import NOTHING_KNOWN, Known, SlimDeployment, SlimPage, read_page
from drtui.api.paging import MAX_PAGES, MAX_RECORDS, PAGE_SIZE, fetch_all_pages
from drtui.api.query import STABLE_ORDER, DeploymentQuery
from drtui.api.retry import RetryPolicy
from drtui.core.sanitize import safe_filename

if TYPE_CHECKING:
    # Imported where they are used: the list path (`drtui deployments`, `check`, the poll)
    # builds no pydantic model, and downloading or following jobs is for other commands.
    from pydantic import TypeAdapter

    from drtui.api.download import DownloadProgress
    from drtui.api.jobs import JobProgress, JobResult, PollSchedule
    from drtui.api.models import (
        ApiVersion,
        CustomModelDeployment,
        DeletedDeployment,
        Deployment,
        Page,
        PPSImageMetadata,
        ResourceBundle,
    )

T = TypeVar("T")
ERASE_BATCH = 100
"""``PATCH /deletedDeployments/`` takes at most 100 ids."""
_UNSET: Any = object()
_FILENAME = re.compile(r"filename\*?=(?:UTF-8'')?\"?([^\";]+)\"?", re.IGNORECASE)


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


def _lazy(model: str, *, page: bool = False) -> Any:
    return _LazyAdapter(model, page=page)


_DEPLOYMENTS: TypeAdapter[Page[Deployment]] = _lazy("Deployment", page=True)
_DEPLOYMENT: TypeAdapter[Deployment] = _lazy("Deployment")
_CUSTOM: TypeAdapter[Page[CustomModelDeployment]] = _lazy("CustomModelDeployment", page=True)
_DELETED: TypeAdapter[Page[DeletedDeployment]] = _lazy("DeletedDeployment", page=True)
_BUNDLES: TypeAdapter[Page[ResourceBundle]] = _lazy("ResourceBundle", page=True)
_BUNDLE: TypeAdapter[ResourceBundle] = _lazy("ResourceBundle")
_PPS: TypeAdapter[PPSImageMetadata] = _lazy("PPSImageMetadata")
_VERSION: TypeAdapter[ApiVersion] = _lazy("ApiVersion")


@dataclass(frozen=True)
class LogText:
    """A log file as the server sent it, with the filename from Content-Disposition."""

    text: str
    filename: str | None


def stable(query: DeploymentQuery | None) -> DeploymentQuery:
    """The query, paged by label when it names no order: the server's default (last prediction
    time) moves with traffic, and offset paging under a moving order misses deployments that
    received predictions between two page requests and repeats others."""
    query = query or DeploymentQuery()
    return query if query.order_by else dataclasses.replace(query, order_by=STABLE_ORDER)


class DataRobotClient:
    """An async client for the DataRobot API v2 deployment endpoints."""

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

    @classmethod
    def from_config(cls, config: ResolvedConfig, **options: Any) -> DataRobotClient:
        """A client for a resolved profile; ``options`` as for the constructor."""
        return cls(config.endpoint, config.token, verify=config.ssl_verify, **options)

    def __repr__(self) -> str:
        return f"DataRobotClient(endpoint={self.endpoint!r})"

    @property
    def read_only(self) -> bool:
        """Whether this client refuses every request that could change something."""
        return self._core.read_only

    @property
    def endpoint(self) -> str:
        """The normalised endpoint, ``https://host/api/v2`` (no trailing slash)."""
        return self._core.endpoint

    async def __aenter__(self) -> DataRobotClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

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
        deadline: float | None = _UNSET,
    ) -> list[T]:
        """Every page of the list at ``path``, within the client's bounds and deadline."""
        return await fetch_all_pages(
            fetch_offset,
            lambda url: self._get_next(url, adapter),
            concurrency=concurrency or self.concurrency,
            max_pages=self.max_pages,
            max_records=self.max_records,
            deadline=self.deadline if deadline is _UNSET else deadline,
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

    # -- version -----------------------------------------------------------------------------

    async def version(self) -> ApiVersion:
        """The server's API version; a cheap first call that proves endpoint and token."""
        return await self._get("version/", _VERSION)

    # -- deployments -------------------------------------------------------------------------

    async def list_deployments(
        self, query: DeploymentQuery | None = None, *, offset: int = 0, limit: int = PAGE_SIZE
    ) -> Page[Deployment]:
        """One page of ``GET /deployments/`` (the server allows ``limit`` up to 100)."""
        params = [("offset", str(offset)), ("limit", str(limit))]
        params += (query or DeploymentQuery()).to_params()
        return await self._get("deployments/", _DEPLOYMENTS, params)

    async def list_all_deployments(
        self,
        query: DeploymentQuery | None = None,
        *,
        concurrency: int | None = None,
        deadline: float | None = _UNSET,
    ) -> list[Deployment]:
        """Every deployment the query matches, in the server's order (by label when the query
        names none: see ``stable``).

        ``deadline`` (seconds; default the client's) bounds the whole call.
        """
        query = stable(query)
        return await self._all(
            "deployments/",
            lambda offset, limit: self.list_deployments(query, offset=offset, limit=limit),
            _DEPLOYMENTS,
            concurrency=concurrency,
            deadline=deadline,
        )

    async def list_deployment_records(
        self,
        query: DeploymentQuery | None = None,
        *,
        offset: int = 0,
        limit: int = PAGE_SIZE,
        known: Mapping[str, Known] = NOTHING_KNOWN,
    ) -> SlimPage[Known]:
        """One page of ``GET /deployments/`` read slim (``models/slim.py``): what the table,
        filters, health and alerts read, plus each record's text for its full model on demand.
        A record whose text is in ``known`` is not read again (``read_page``)."""
        params = [("offset", str(offset)), ("limit", str(limit))]
        params += (query or DeploymentQuery()).to_params()
        return await self._read("deployments/", params, known)

    async def list_all_deployment_records(
        self,
        query: DeploymentQuery | None = None,
        *,
        concurrency: int | None = None,
        deadline: float | None = _UNSET,
        on_page: Callable[[Sequence[SlimDeployment | Known]], object] | None = None,
        known: Mapping[str, Known] = NOTHING_KNOWN,
    ) -> list[SlimDeployment | Known]:
        """Every deployment the query matches, read slim, in the server's order: the list path
        of the screen and of ``drtui deployments``/``check`` (bounds and deadline as
        ``list_all_deployments``).

        ``on_page`` is called with each page's records as it arrives (in any order), so a caller
        can work on them while the server prepares the next pages; what it returns is ignored.
        ``known`` maps record texts already read to what the caller holds for them (a poll
        passes its last rows): such a record is not read again, the caller's object stands in
        its place in the answer (``read_page``).
        """
        query = stable(query)

        async def offset_page(offset: int, limit: int) -> SlimPage[Known]:
            page = await self.list_deployment_records(
                query, offset=offset, limit=limit, known=known
            )
            if on_page is not None:
                on_page(page.data)
            return page

        async def next_page(url: str) -> SlimPage[Known]:
            self._check_next(url)
            page = await self._read(url, None, known)
            if on_page is not None:
                on_page(page.data)
            return page

        return await fetch_all_pages(
            offset_page,
            next_page,
            concurrency=concurrency or self.concurrency,
            max_pages=self.max_pages,
            max_records=self.max_records,
            deadline=self.deadline if deadline is _UNSET else deadline,
            what=f"{self._core.host}'s GET /deployments/",
        )

    async def _read(
        self, url: str, params: Any = None, known: Mapping[str, Known] = NOTHING_KNOWN
    ) -> SlimPage[Known]:
        """One page, read on a worker thread: the event loop (keystrokes, drawing) waits for
        no page, only for the interpreter's switch interval (5 ms) while pages are read."""

        def reader(content: bytes) -> SlimPage[Known]:
            return read_page(content, known)

        async def read(response: httpx.Response) -> SlimPage[Known]:
            page = await asyncio.to_thread(self._core.read, response, reader)
            self.dropped_records += page.dropped
            return page

        return await self._core.exchange("GET", url, read, params=params)

    async def get_deployment(self, deployment_id: str) -> Deployment:
        return await self._get(f"deployments/{deployment_id}/", _DEPLOYMENT)

    async def update_deployment(
        self,
        deployment_id: str,
        *,
        label: str | None = _UNSET,
        description: str | None = _UNSET,
        importance: str = _UNSET,
    ) -> None:
        """PATCH only the fields given (``description=None`` clears the description)."""
        given = {"label": label, "description": description, "importance": importance}
        body = {name: value for name, value in given.items() if value is not _UNSET}
        if not body:
            raise ValueError(
                "update_deployment needs at least one of label, description, importance."
            )
        await self._core.request("PATCH", f"deployments/{deployment_id}/", json_body=body)

    async def delete_deployment(
        self, deployment_id: str, *, ignore_management_agent: bool = False
    ) -> None:
        params = [("ignoreManagementAgent", "true")] if ignore_management_agent else None
        await self._core.request("DELETE", f"deployments/{deployment_id}/", params=params)

    async def create_deployment_from_learning_model(
        self,
        model_id: str,
        label: str,
        *,
        description: str | None = None,
        default_prediction_server_id: str | None = None,
        importance: str | None = None,
        status: str | None = None,
        prediction_threshold: float | None = None,
        grant_initial_deployment_roles_from_project: bool | None = None,
        progress: JobProgress | None = None,
    ) -> JobResult:
        """Create a deployment and wait for the job; never retried (it would create two)."""
        body: dict[str, Any] = {"modelId": model_id, "label": label, "description": description}
        optional = {
            "defaultPredictionServerId": default_prediction_server_id,
            "importance": importance,
            "status": status,
            "predictionThreshold": prediction_threshold,
            "grantInitialDeploymentRolesFromProject": grant_initial_deployment_roles_from_project,
        }
        body.update({k: v for k, v in optional.items() if v is not None})
        response = await self._core.request(
            "POST", "deployments/fromLearningModel/", json_body=body
        )
        from drtui.api.jobs import created_resource_id, location_of

        return await self.follow_job(
            location_of(response), progress=progress, resource_id=created_resource_id(response)
        )

    # -- custom model deployments ------------------------------------------------------------

    async def list_custom_model_deployments(
        self,
        *,
        custom_model_ids: Iterable[str] = (),
        environment_ids: Iterable[str] = (),
        offset: int = 0,
        limit: int = PAGE_SIZE,
    ) -> Page[CustomModelDeployment]:
        params = [("offset", str(offset)), ("limit", str(limit))]
        params += [("customModelIds", i) for i in custom_model_ids]
        params += [("environmentIds", i) for i in environment_ids]
        return await self._get("customModelDeployments/", _CUSTOM, params)

    async def list_all_custom_model_deployments(
        self,
        *,
        custom_model_ids: Iterable[str] = (),
        environment_ids: Iterable[str] = (),
        deadline: float | None = _UNSET,
    ) -> list[CustomModelDeployment]:
        models, environments = tuple(custom_model_ids), tuple(environment_ids)
        return await self._all(
            "customModelDeployments/",
            lambda offset, limit: self.list_custom_model_deployments(
                custom_model_ids=models, environment_ids=environments, offset=offset, limit=limit
            ),
            _CUSTOM,
            deadline=deadline,
        )

    async def get_custom_model_deployment_log(self, deployment_id: str) -> LogText:
        """The log written while the custom model was being deployed."""
        return await self._log(f"customModelDeployments/{deployment_id}/logs/")

    async def request_custom_model_deployment_logs(
        self, deployment_id: str, *, progress: JobProgress | None = None
    ) -> JobResult:
        """Ask the deployed model for its prediction logs; the job's resource is the log."""
        response = await self._core.request("POST", f"customModelDeployments/{deployment_id}/logs/")
        from drtui.api.jobs import location_of

        return await self.follow_job(location_of(response), progress=progress)

    async def get_custom_model_deployment_prediction_log(
        self, deployment_id: str, log_id: str
    ) -> LogText:
        return await self._log(f"customModelDeployments/{deployment_id}/logs/{log_id}/")

    async def _log(self, url: str) -> LogText:
        """The log text with escapes and control characters removed, line by line."""
        response = await self._core.request(
            "GET", url, headers={"Accept": "text/plain, */*"}, limit=LOG_BODY_LIMIT
        )
        found = _FILENAME.search(response.headers.get("Content-Disposition", ""))
        filename = safe_filename(found.group(1), default="log.txt") if found else None
        from drtui.core.log_snapshots import clean_log  # here: headless start-up stays lean

        return LogText(clean_log(response.text), filename)

    # -- deleted deployments -----------------------------------------------------------------

    async def list_deleted_deployments(
        self, *, offset: int = 0, limit: int = PAGE_SIZE
    ) -> Page[DeletedDeployment]:
        params = [("offset", str(offset)), ("limit", str(limit))]
        return await self._get("deletedDeployments/", _DELETED, params)

    async def list_all_deleted_deployments(
        self, *, deadline: float | None = _UNSET
    ) -> list[DeletedDeployment]:
        return await self._all(
            "deletedDeployments/",
            lambda offset, limit: self.list_deleted_deployments(offset=offset, limit=limit),
            _DELETED,
            deadline=deadline,
        )

    async def erase_deleted_deployments(
        self, deployment_ids: Iterable[str], *, progress: JobProgress | None = None
    ) -> list[JobResult]:
        """Permanently erase, in batches of at most 100 ids, each batch one job, one by one.

        Not retried: the PATCH starts a job, like a POST.
        """
        ids = list(deployment_ids)
        results: list[JobResult] = []
        for start in range(0, len(ids), ERASE_BATCH):
            body = {"action": "PermanentlyErase", "deploymentIds": ids[start : start + ERASE_BATCH]}
            response = await self._core.request(
                "PATCH", "deletedDeployments/", json_body=body, retry=False
            )
            results.append(await self.follow_job(_location_of(response), progress=progress))
        return results

    # -- resource bundles --------------------------------------------------------------------

    async def list_bundles(
        self,
        *,
        use_case: str | None = None,
        use_cases: Iterable[str] = (),
        offset: int = 0,
        limit: int = PAGE_SIZE,
    ) -> Page[ResourceBundle]:
        """One page; ``useCases`` repeated for each use case asked (any of them matches)."""
        params = [("offset", str(offset)), ("limit", str(limit))]
        wanted = dict.fromkeys([*([use_case] if use_case else []), *use_cases])
        params.extend(("useCases", u) for u in wanted if u)
        return await self._get("mlops/compute/bundles/", _BUNDLES, params)

    async def list_all_bundles(
        self,
        *,
        use_case: str | None = None,
        use_cases: Iterable[str] = (),
        deadline: float | None = _UNSET,
    ) -> list[ResourceBundle]:
        wanted = tuple(use_cases)
        return await self._all(
            "mlops/compute/bundles/",
            lambda offset, limit: self.list_bundles(
                use_case=use_case, use_cases=wanted, offset=offset, limit=limit
            ),
            _BUNDLES,
            deadline=deadline,
        )

    async def get_bundle(self, bundle_id: str) -> ResourceBundle:
        return await self._get(f"mlops/compute/bundles/{bundle_id}/", _BUNDLE)

    # -- portable prediction server image ----------------------------------------------------

    async def get_pps_image_metadata(self) -> PPSImageMetadata:
        return await self._get("mlops/portablePredictionServerImage/metadata/", _PPS)

    async def download_pps_image(
        self,
        path: Path | str,
        *,
        progress: DownloadProgress | None = None,
        metadata: PPSImageMetadata | None = None,
        overwrite: bool = False,
        require_verified: bool = True,
    ) -> Path:
        """Stream the PPS image to ``path`` (resuming ``<path>.part``) and verify its SHA256.

        An existing ``path`` is kept unless ``overwrite``; an image whose metadata gives no
        SHA256 is not downloaded unless ``require_verified`` is False.
        """
        meta = metadata or await self.get_pps_image_metadata()
        from drtui.api.download import download_to_file

        return await download_to_file(
            self._core,
            "mlops/portablePredictionServerImage/",
            Path(path),
            meta,
            progress=progress,
            overwrite=overwrite,
            require_verified=require_verified,
        )

    # -- jobs --------------------------------------------------------------------------------

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


def _location_of(response: httpx.Response) -> str:
    from drtui.api.jobs import location_of

    return location_of(response)
