"""``/mlops/compute/bundles/``: the resource bundles (a page, all of them, one)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from drtui.api.endpoints.base import UNSET, Endpoints, lazy_adapter
from drtui.api.paging import PAGE_SIZE

if TYPE_CHECKING:
    from pydantic import TypeAdapter

    from drtui.api.models import Page, ResourceBundle

_BUNDLES: TypeAdapter[Page[ResourceBundle]] = lazy_adapter("ResourceBundle", page=True)
_BUNDLE: TypeAdapter[ResourceBundle] = lazy_adapter("ResourceBundle")


class BundleEndpoints(Endpoints):
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
        deadline: float | None = UNSET,
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
