"""``/deletedDeployments/``: the list, and erasing for good (a job per batch of ids)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import httpx

from drtui.api.endpoints.base import UNSET, Endpoints, lazy_adapter
from drtui.api.paging import PAGE_SIZE

if TYPE_CHECKING:
    from pydantic import TypeAdapter

    from drtui.api.jobs import JobProgress, JobResult
    from drtui.api.models import DeletedDeployment, Page

ERASE_BATCH = 100
"""``PATCH /deletedDeployments/`` takes at most 100 ids."""
_DELETED: TypeAdapter[Page[DeletedDeployment]] = lazy_adapter("DeletedDeployment", page=True)


class DeletedEndpoints(Endpoints):
    async def list_deleted_deployments(
        self, *, offset: int = 0, limit: int = PAGE_SIZE
    ) -> Page[DeletedDeployment]:
        params = [("offset", str(offset)), ("limit", str(limit))]
        return await self._get("deletedDeployments/", _DELETED, params)

    async def list_all_deleted_deployments(
        self, *, deadline: float | None = UNSET
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


def _location_of(response: httpx.Response) -> str:
    from drtui.api.jobs import location_of

    return location_of(response)
