"""What the views read from (and write to) the API: the only UI module that holds the client.

Screens and widgets never import the client, `drtui.api.http` or httpx (an import-linter
contract): they are handed a `Sources` and call its coroutines, which the shared poller runs in
its workers. A view that needs a new call adds a method here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from drtui.api.client import DataRobotClient
from drtui.api.client import LogText as LogText
from drtui.api.errors import DataRobotError
from drtui.api.models import CustomModelDeployment, Deployment, JobStatus, ResourceBundle
from drtui.api.query import DeploymentQuery


class Sources:
    def __init__(self, client: DataRobotClient) -> None:
        self._client = client

    @property
    def endpoint(self) -> str:
        return self._client.endpoint

    # ----- deployments ----------------------------------------------------------------------

    async def deployments(self, query: DeploymentQuery) -> list[Deployment]:
        return await self._client.list_all_deployments(query)

    async def deployment(self, deployment_id: str) -> Deployment:
        return await self._client.get_deployment(deployment_id)

    # ----- compute bundles ------------------------------------------------------------------

    async def bundles(self) -> list[ResourceBundle]:
        return await self._client.list_all_bundles()

    async def bundle(self, bundle_id: str) -> ResourceBundle:
        return await self._client.get_bundle(bundle_id)

    # ----- custom model deployments and their logs (issue 16) --------------------------------

    async def custom_deployments(
        self, model_ids: Iterable[str] = (), environment_ids: Iterable[str] = ()
    ) -> list[CustomModelDeployment]:
        return await self._client.list_all_custom_model_deployments(
            custom_model_ids=model_ids, environment_ids=environment_ids
        )

    async def custom_log(self, deployment_id: str) -> LogText:
        """GET .../logs/: the deployment's log as it is now (a whole snapshot)."""
        return await self._client.get_custom_model_deployment_log(deployment_id)

    async def request_runtime_log(
        self, deployment_id: str, progress: Callable[[JobStatus], None] | None = None
    ) -> LogText:
        """POST .../logs/ (202), follow the job, then GET .../logs/{logId}/."""
        result = await self._client.request_custom_model_deployment_logs(
            deployment_id, progress=progress
        )
        log_id = result.resource_id or (result.resource_url or "").rstrip("/").rsplit("/", 1)[-1]
        if not log_id:
            raise DataRobotError("The log request finished without naming the log it made.")
        return await self._client.get_custom_model_deployment_prediction_log(deployment_id, log_id)
