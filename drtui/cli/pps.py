"""`drtui pps`: the Portable Prediction Server image's metadata, and a verified download.

The image can be many gigabytes: the download resumes a `.part` file, checks free space first,
shows progress on stderr (a bar on a terminal, one plain line per tenth otherwise, so a cron log
stays short) and verifies the SHA256 the server published before the file takes its final name.
A file already there whose SHA256 matches is not downloaded again.

The server is not trusted with the file system: its `filename` is reduced to a safe base name
inside the chosen folder, an existing file is not replaced without `--overwrite`, and an image
that cannot be verified is not downloaded without `--no-verify` (and then is called unverified).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from drtui.api.client import DataRobotClient
from drtui.api.config import ResolvedConfig
from drtui.api.download import already_verified, verification_problem
from drtui.api.errors import DataRobotError, DownloadError, NotFoundError
from drtui.api.models import PPSImageMetadata
from drtui.core.pps import NO_IMAGE, docker_load_line, pps_json, progress_text
from drtui.core.pps import describe as describe_lines
from drtui.core.sanitize import safe_filename

EXIT_FAILED = 3
DEFAULT_NAME = "pps-image.tar.gz"
BAR_WIDTH = 24
PLAIN_STEP = 0.1
"""Without a terminal, one plain line per tenth of the image (a log stays short)."""


def describe(meta: PPSImageMetadata, now: datetime | None = None) -> list[str]:
    """The metadata as aligned lines (core.pps, the same presentation as the `:pps` view)."""
    return describe_lines(meta, now or datetime.now(UTC))


class Progress:
    """A redrawn bar on a terminal; plain lines, one per tenth, when stderr is not one."""

    def __init__(self, out: TextIO | None = None, *, live: bool | None = None) -> None:
        self._out = out or sys.stderr
        self._live = self._out.isatty() if live is None else live
        self._last = 0.0
        self._next_share = PLAIN_STEP
        self.drawn = False

    def __call__(self, done: int, total: int | None, rate: float) -> None:
        text = progress_text(done, total, rate)
        if not self._live:
            if total and done / total >= self._next_share - 1e-9:
                while self._next_share <= done / total + 1e-9:
                    self._next_share += PLAIN_STEP
                self._out.write(f"drtui: downloading {text}\n")
                self._out.flush()
            return
        now = time.monotonic()
        if now - self._last < 0.1 and done != total:
            return
        self._last = now
        share = min(done / total, 1.0) if total else 0.0
        filled = int(share * BAR_WIDTH)
        bar = "█" * filled + "░" * (BAR_WIDTH - filled)
        self._out.write(f"\r{bar} {text:<64}")
        self._out.flush()
        self.drawn = True

    def end(self) -> None:
        if self.drawn:
            self._out.write("\n")
            self._out.flush()
            self.drawn = False


def target_path(download: str, meta: PPSImageMetadata) -> Path:
    """Where ``--download`` writes: the path given, or a safe name inside the folder given (a
    folder that does not exist yet is made when the download starts, as the screen's ``D``
    does)."""
    target = Path(download).expanduser()
    if download.endswith(("/", os.sep)) or target.is_dir():
        if target.exists() and not target.is_dir():
            raise DownloadError(f"{target} is a file, not a directory to download into.")
        target = target / safe_filename(meta.filename, default=DEFAULT_NAME)
    return target


@dataclass(frozen=True)
class Saved:
    path: Path
    problem: str | None
    """Why it is not verified (downloaded with --no-verify); None when verified."""
    already: bool = False
    """The file was already there and verified: nothing was downloaded."""


async def _run(
    config: ResolvedConfig,
    download: str | None,
    verify: bool,
    overwrite: bool,
    progress: Progress,
) -> Saved | PPSImageMetadata:
    async with DataRobotClient.from_config(config) as client:
        try:
            meta = await client.get_pps_image_metadata()
        except NotFoundError:
            raise DataRobotError(NO_IMAGE) from None
        if download is None:
            return meta
        target = target_path(download, meta)
        if target.exists() and await already_verified(target, meta):
            return Saved(target, None, already=True)
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
        try:
            saved = await client.download_pps_image(
                target,
                metadata=meta,
                progress=progress,
                overwrite=overwrite,
                require_verified=False,
            )
        except NotFoundError:
            raise DataRobotError(NO_IMAGE) from None
        return Saved(saved, problem)


def run(
    config: ResolvedConfig,
    download: str | None,
    *,
    verify: bool = True,
    overwrite: bool = False,
    as_json: bool = False,
) -> int:
    """`drtui pps`: 0 when shown or downloaded (verified, or unverified by request), else 3."""
    progress = Progress()
    try:
        result = asyncio.run(_run(config, download, verify, overwrite, progress))
    except DataRobotError as exc:
        progress.end()
        print(f"drtui: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:
        progress.end()
        print(f"drtui: could not save the image: {exc.strerror or exc}.", file=sys.stderr)
        return EXIT_FAILED
    progress.end()
    if isinstance(result, PPSImageMetadata):
        if as_json:
            print(json.dumps(pps_json(result), ensure_ascii=False))
        else:
            print("\n".join(describe(result)))
        return 0
    if result.already:
        print(f"{result.path}: already downloaded and verified; nothing was downloaded")
    elif result.problem is None:
        print(f"{result.path}: downloaded and verified")
    else:
        print(f"{result.path}: downloaded but NOT verified ({result.problem})")
    print(f"drtui: load it with: {docker_load_line(result.path)}", file=sys.stderr)
    return 0
