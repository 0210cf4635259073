"""`drtui pps`: the Portable Prediction Server image's metadata, and a verified download.

The image can be many gigabytes: the download resumes a `.part` file, checks free space first,
shows progress on stderr (only when stderr is a terminal, so cron logs stay clean) and verifies
the SHA256 the server published before the file takes its final name.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

import humanize

from drtui.api.client import DataRobotClient
from drtui.api.config import ResolvedConfig
from drtui.api.errors import DataRobotError, DownloadError
from drtui.api.models import PPSImageMetadata

EXIT_FAILED = 3


def describe(meta: PPSImageMetadata) -> list[str]:
    size = (
        f"{humanize.naturalsize(meta.image_size, binary=True)} ({meta.image_size:,} bytes)"
        if meta.image_size is not None
        else "unknown"
    )
    return [
        f"filename:        {meta.filename or '—'}",
        f"size:            {size}",
        f"{(meta.hash_algorithm or 'hash').lower() + ':':<16} {meta.hash or '—'}",
        f"docker image id: {meta.short_docker_image_id or meta.docker_image_id or '—'}",
        f"created:         {meta.created.isoformat() if meta.created else '—'}",
    ]


class _Progress:
    """One status line on stderr, redrawn at most ten times a second."""

    def __init__(self) -> None:
        self._last = 0.0
        self._live = sys.stderr.isatty()

    def __call__(self, done: int, total: int | None, rate: float) -> None:
        now = time.monotonic()
        if not self._live or (now - self._last < 0.1 and done != total):
            return
        self._last = now
        share = f"{done / total:6.1%}" if total else ""
        line = (
            f"{share} {humanize.naturalsize(done, binary=True)}"
            f" at {humanize.naturalsize(rate, binary=True)}/s"
        )
        sys.stderr.write(f"\r{line:<60}")
        sys.stderr.flush()


async def _run(config: ResolvedConfig, download: str | None) -> Path | PPSImageMetadata:
    async with DataRobotClient.from_config(config) as client:
        meta = await client.get_pps_image_metadata()
        if download is None:
            return meta
        target = Path(download).expanduser()
        if download.endswith(("/", os.sep)) or target.is_dir():
            if not target.is_dir():
                raise DownloadError(f"The directory {target} does not exist.")
            target = target / (meta.filename or "pps-image.tar.gz")
        return await client.download_pps_image(target, metadata=meta, progress=_Progress())


def run(config: ResolvedConfig, download: str | None) -> int:
    try:
        result = asyncio.run(_run(config, download))
    except DataRobotError as exc:
        if sys.stderr.isatty():
            sys.stderr.write("\n")
        print(f"drtui: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if isinstance(result, PPSImageMetadata):
        print("\n".join(describe(result)))
    else:
        if sys.stderr.isatty():
            sys.stderr.write("\n")
        print(f"{result}: downloaded and verified")
    return 0
