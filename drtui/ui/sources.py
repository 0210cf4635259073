"""What the views read from (and write to) the API: the only UI module that holds the client.

Screens and widgets never import the client, `drtui.api.http` or httpx (an import-linter
contract): they are handed a `Sources` and call its coroutines, which the shared poller runs in
its workers. A view that needs a new call adds a method here.
"""

from __future__ import annotations

from drtui.api.client import DataRobotClient
from drtui.api.models import Deployment, ResourceBundle
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
