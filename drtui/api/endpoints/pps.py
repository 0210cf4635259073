"""``/mlops/portablePredictionServerImage/``: the image's metadata, and its verified download."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from drtui.api.endpoints.base import Endpoints, lazy_adapter

if TYPE_CHECKING:
    from pydantic import TypeAdapter

    from drtui.api.download import DownloadProgress
    from drtui.api.models import PPSImageMetadata

_PPS: TypeAdapter[PPSImageMetadata] = lazy_adapter("PPSImageMetadata")


class PpsEndpoints(Endpoints):
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
