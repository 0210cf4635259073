"""`drtui pps`: the Portable Prediction Server image's metadata, and a verified download.

The image can be many gigabytes: the download resumes a `.part` file, checks free space first,
shows progress on stderr (only when stderr is a terminal, so cron logs stay clean) and verifies
the SHA256 the server published before the file takes its final name.

The server is not trusted with the file system: its `filename` is reduced to a safe base name
inside the chosen folder, an existing file is not replaced without `--overwrite`, and an image
that cannot be verified is not downloaded without `--no-verify` (and then is called unverified).
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
from drtui.api.download import verification_problem
from drtui.api.errors import DataRobotError, DownloadError
from drtui.api.models import PPSImageMetadata
from drtui.core.sanitize import clean, safe_filename

EXIT_FAILED = 3
DEFAULT_NAME = "pps-image.tar.gz"


def describe(meta: PPSImageMetadata) -> list[str]:
    """The metadata as aligned lines; every server string sanitised."""
    size = (
        f"{humanize.naturalsize(meta.image_size, binary=True)} ({meta.image_size:,} bytes)"
        if meta.image_size is not None
        else "unknown"
    )
    algorithm = clean(meta.hash_algorithm, limit=20).lower() or "hash"
    image_id = meta.short_docker_image_id or meta.docker_image_id
    return [
        f"filename:        {clean(meta.filename, limit=200) or '—'}",
        f"size:            {size}",
        f"{algorithm + ':':<16} {clean(meta.hash, limit=200) or '—'}",
        f"docker image id: {clean(image_id, limit=200) or '—'}",
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


def target_path(download: str, meta: PPSImageMetadata) -> Path:
    """Where ``--download`` writes: the path given, or a safe name inside the folder given."""
    target = Path(download).expanduser()
    if download.endswith(("/", os.sep)) or target.is_dir():
        if not target.is_dir():
            raise DownloadError(f"The directory {target} does not exist.")
        target = target / safe_filename(meta.filename, default=DEFAULT_NAME)
    return target


async def _run(
    config: ResolvedConfig, download: str | None, verify: bool, overwrite: bool
) -> tuple[Path, str | None] | PPSImageMetadata:
    async with DataRobotClient.from_config(config) as client:
        meta = await client.get_pps_image_metadata()
        if download is None:
            return meta
        target = target_path(download, meta)
        if target.exists() and not overwrite:
            raise DownloadError(
                f"{target} already exists; it was not overwritten (pass --overwrite to replace it)."
            )
        problem = verification_problem(meta)
        if problem is not None and verify:
            raise DownloadError(
                f"The image cannot be verified ({problem}), so it was not downloaded; "
                "pass --no-verify to download it unverified."
            )
        saved = await client.download_pps_image(
            target,
            metadata=meta,
            progress=_Progress(),
            overwrite=overwrite,
            require_verified=False,
        )
        return saved, problem


def run(
    config: ResolvedConfig, download: str | None, *, verify: bool = True, overwrite: bool = False
) -> int:
    """`drtui pps`: 0 when shown or downloaded (verified, or unverified by request), else 3."""
    try:
        result = asyncio.run(_run(config, download, verify, overwrite))
    except DataRobotError as exc:
        if sys.stderr.isatty():
            sys.stderr.write("\n")
        print(f"drtui: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:
        print(f"drtui: could not save the image: {exc.strerror or exc}.", file=sys.stderr)
        return EXIT_FAILED
    if isinstance(result, PPSImageMetadata):
        print("\n".join(describe(result)))
        return 0
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    saved, problem = result
    if problem is None:
        print(f"{saved}: downloaded and verified")
    else:
        print(f"{saved}: downloaded but NOT verified ({problem})")
    return 0
