"""``/customModelDeployments/``: the list, the deployment log, and the prediction logs (asked
for as a job, then read)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from drtui.api.body import LOG_BODY_LIMIT
from drtui.api.endpoints.base import UNSET, Endpoints, lazy_adapter
from drtui.api.paging import PAGE_SIZE
from drtui.core.sanitize import safe_filename

if TYPE_CHECKING:
    from pydantic import TypeAdapter

    from drtui.api.jobs import JobProgress, JobResult
    from drtui.api.models import CustomModelDeployment, Page

_FILENAME = re.compile(r"filename\*?=(?:UTF-8'')?\"?([^\";]+)\"?", re.IGNORECASE)
_CUSTOM: TypeAdapter[Page[CustomModelDeployment]] = lazy_adapter("CustomModelDeployment", page=True)


@dataclass(frozen=True)
class LogText:
    """A log file as the server sent it, with the filename from Content-Disposition."""

    text: str
    filename: str | None


class CustomModelEndpoints(Endpoints):
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
        deadline: float | None = UNSET,
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
