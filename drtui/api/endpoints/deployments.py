"""``GET/PATCH/DELETE /deployments/`` and creating one from a learning model: full models, and
the slim reading of the list path (``models/slim.py``)."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import httpx

from drtui.api.endpoints.base import UNSET, Endpoints, lazy_adapter
from drtui.api.models.slim import read_page
from drtui.api.models.slim_records import NOTHING_KNOWN, Known, SlimDeployment, SlimPage
from drtui.api.paging import PAGE_SIZE, fetch_all_pages
from drtui.api.query import STABLE_ORDER, DeploymentQuery

if TYPE_CHECKING:
    from pydantic import TypeAdapter

    from drtui.api.jobs import JobProgress, JobResult
    from drtui.api.models import Deployment, Page

_DEPLOYMENTS: TypeAdapter[Page[Deployment]] = lazy_adapter("Deployment", page=True)
_DEPLOYMENT: TypeAdapter[Deployment] = lazy_adapter("Deployment")


def stable(query: DeploymentQuery | None) -> DeploymentQuery:
    """The query, paged by label when it names no order: the server's default (last prediction
    time) moves with traffic, and offset paging under a moving order misses deployments that
    received predictions between two page requests and repeats others."""
    query = query or DeploymentQuery()
    return query if query.order_by else dataclasses.replace(query, order_by=STABLE_ORDER)


class DeploymentEndpoints(Endpoints):
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
        deadline: float | None = UNSET,
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
        deadline: float | None = UNSET,
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
            deadline=self.deadline if deadline is UNSET else deadline,
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
        label: str | None = UNSET,
        description: str | None = UNSET,
        importance: str = UNSET,
    ) -> None:
        """PATCH only the fields given (``description=None`` clears the description)."""
        given = {"label": label, "description": description, "importance": importance}
        body = {name: value for name, value in given.items() if value is not UNSET}
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
