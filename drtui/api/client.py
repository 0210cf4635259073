"""``DataRobotClient``: one method per endpoint of the reference, plus ``version()``.

One client per profile; it owns one keep-alive connection pool, so open it once and reuse it
(``async with DataRobotClient(...) as client``). Every failure is a ``DataRobotError``. The
methods live with their endpoint family in ``drtui.api.endpoints``.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from drtui.api.config import ResolvedConfig
from drtui.api.endpoints.bundles import BundleEndpoints
from drtui.api.endpoints.custom_models import CustomModelEndpoints
from drtui.api.endpoints.deleted import DeletedEndpoints
from drtui.api.endpoints.deployments import DeploymentEndpoints
from drtui.api.endpoints.pps import PpsEndpoints


class DataRobotClient(
    DeploymentEndpoints, CustomModelEndpoints, DeletedEndpoints, BundleEndpoints, PpsEndpoints
):
    """An async client for the DataRobot API v2 deployment endpoints."""

    @classmethod
    def from_config(cls, config: ResolvedConfig, **options: Any) -> DataRobotClient:
        """A client for a resolved profile; ``options`` as for the constructor."""
        return cls(config.endpoint, config.token, verify=config.ssl_verify, **options)

    def __repr__(self) -> str:
        return f"DataRobotClient(endpoint={self.endpoint!r})"

    async def __aenter__(self) -> DataRobotClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()
