"""Saving the Portable Prediction Server image: big, slow, and often on a flaky link.

The image (14 GB and more) is streamed to ``<path>.part`` and only renamed to ``<path>`` once
its size and SHA256 match the metadata, so a file at ``path`` is always a whole, verified image.
A cut transfer resumes with ``Range`` from what the part file holds, within this call (bounded
by the retry policy) or the next. The 302 to a pre-signed URL on another host is followed with
httpx's own redirect rules, which keep the Authorization header home.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import hashlib
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import httpx

from drtui.api.body import ERROR_BODY_LIMIT
from drtui.api.errors import (
    ConnectionFailed,
    DataRobotError,
    DownloadError,
    RateLimitedError,
    RequestTimeout,
    ServerError,
)
from drtui.api.http import HttpCore
from drtui.core.sanitize import clean

if TYPE_CHECKING:
    from drtui.api.models import PPSImageMetadata

DownloadProgress = Callable[[int, int | None, float], None]
"""Called with bytes done, total bytes (None if unknown) and the current rate in bytes/s."""

CHUNK = 1 << 20
MAX_UNDECLARED_IMAGE = 256 * 1024**3
"""An image whose size nobody declared (no metadata size, no Content-Length) stops here."""
MAX_REDIRECTS = 5
_RESUMABLE = (ConnectionFailed, RequestTimeout, ServerError, RateLimitedError)
_SHA256_HEX = re.compile(r"[0-9a-fA-F]{64}")


def verification_problem(metadata: PPSImageMetadata) -> str | None:
    """Why the image described by ``metadata`` cannot be verified; None when it can.

    Only a SHA256 (the reference's algorithm) of 64 hex digits can be checked. Anything else
    must not be reported as verified.
    """
    algorithm = clean(metadata.hash_algorithm or "SHA256", limit=40)
    if algorithm.upper().replace("-", "") != "SHA256":
        return f"the server publishes a {algorithm} hash, and drtui checks only SHA256"
    if not metadata.hash:
        return "the server publishes no hash for it"
    if not _SHA256_HEX.fullmatch(metadata.hash.strip()):
        return "the published SHA256 is not 64 hexadecimal digits"
    return None


def part_path(path: Path) -> Path:
    """Where the bytes of ``path`` gather until they are verified."""
    return path.with_name(path.name + ".part")


def _file_matches(path: Path, metadata: PPSImageMetadata) -> bool:
    if metadata.image_size is not None and path.stat().st_size != metadata.image_size:
        return False
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest() == (metadata.hash or "").strip().lower()


async def already_verified(path: Path, metadata: PPSImageMetadata) -> bool:
    """True when ``path`` is a whole image whose SHA256 matches ``metadata`` (so no download).

    False when it differs, is missing, or the metadata gives nothing verifiable. The file is
    hashed in a thread: it can be many gigabytes.
    """
    if verification_problem(metadata) is not None or not path.is_file():
        return False
    try:
        return await asyncio.to_thread(_file_matches, path, metadata)
    except OSError:
        return False


@contextlib.contextmanager
def _disk(path: Path) -> Iterator[None]:
    """File-system failures (a full disk, a read-only folder) as one DownloadError sentence."""
    try:
        yield
    except OSError as exc:
        reason = "no space is left on the device" if exc.errno == errno.ENOSPC else None
        reason = reason or (exc.strerror or type(exc).__name__).lower()
        raise DownloadError(
            f"Could not write {path}: {reason}; run it again to resume once that is fixed."
        ) from None


class _PartFile:
    """The ``.part`` file and a running SHA256 of everything in it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sha256 = hashlib.sha256()
        self.size = 0
        if path.exists():
            with path.open("rb") as existing:
                while chunk := existing.read(CHUNK):
                    self.sha256.update(chunk)
                    self.size += len(chunk)

    def restart(self) -> None:
        self.path.unlink(missing_ok=True)
        self.sha256 = hashlib.sha256()
        self.size = 0

    def open(self) -> BinaryIO:
        return self.path.open("ab")

    def write(self, handle: BinaryIO, chunk: bytes) -> None:
        handle.write(chunk)
        self.sha256.update(chunk)
        self.size += len(chunk)


async def download_to_file(
    core: HttpCore,
    url: str,
    path: Path,
    metadata: PPSImageMetadata,
    *,
    progress: DownloadProgress | None = None,
    overwrite: bool = False,
    require_verified: bool = True,
) -> Path:
    """Download ``url`` to ``path``, verified against ``metadata``; returns ``path``.

    An existing file at ``path`` is never replaced unless ``overwrite``. When the metadata
    gives nothing that can be verified (no hash, another algorithm), nothing is downloaded
    unless ``require_verified`` is False; the size is checked whenever it is known.
    """
    problem = verification_problem(metadata)
    if problem is not None and require_verified:
        raise DownloadError(f"The image cannot be verified ({problem}), so it was not downloaded.")
    if path.exists() and not overwrite:
        raise DownloadError(f"{path} already exists; it was not overwritten.")
    with _disk(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        # Hashing what a resumed part file holds (gigabytes) must not stall the caller's loop.
        part = await asyncio.to_thread(_PartFile, path.with_name(path.name + ".part"))
    total = metadata.image_size
    if total is not None and part.size > total:
        with _disk(part.path):
            part.restart()
    with _disk(path.parent):
        _check_space(path.parent, (total - part.size) if total is not None else 0)
    policy = core.retry
    started = policy.clock()
    attempt = 0
    while True:
        attempt += 1
        try:
            await _transfer(core, url, part, total, progress)
            break
        except _RESUMABLE as error:
            retry_after = error.retry_after if isinstance(error, RateLimitedError) else None
            wait = policy.delay(attempt, retry_after)
            if not policy.should_retry(attempt, started, wait):
                raise DownloadError(
                    f"The download stopped at {part.size:,} of "
                    f"{f'{total:,}' if total is not None else 'unknown'} bytes ({error}); "
                    f"run it again to resume from {part.path}.",
                    host=error.host,
                ) from error
            await policy.sleep(wait)
    _verify(part, path, metadata)
    with _disk(path):
        part.path.replace(path)
    return path


def _check_space(directory: Path, needed: int) -> None:
    free = shutil.disk_usage(directory).free
    if needed > free:
        import humanize  # only for this message

        raise DownloadError(
            f"Not enough free space in {directory}: the image needs "
            f"{humanize.naturalsize(needed, binary=True)} more and only "
            f"{humanize.naturalsize(free, binary=True)} is free."
        )


async def _open(core: HttpCore, url: str, offset: int) -> httpx.Response:
    """Send the GET and follow redirects one at a time with httpx's own rules.

    httpx builds each redirect's request (``response.next_request``) and drops Authorization
    whenever the new address is on another origin (a pre-signed S3/GCS URL); stepping through
    them here only adds what httpx does not: an https→http downgrade is refused before it is
    sent, and the hops are bounded.
    """
    headers = {"Range": f"bytes={offset}-"} if offset else {}
    request = core.http.build_request("GET", core.endpoint_url.join(url), headers=headers)
    for _ in range(MAX_REDIRECTS + 1):
        try:
            response = await core.http.send(request, stream=True, follow_redirects=False)
        except httpx.RemoteProtocolError as exc:
            if str(exc).startswith("Invalid URL in location header"):
                raise DownloadError(
                    f"{core.host} redirected the image download to an address that is not a "
                    "valid URL.",
                    host=core.host,
                ) from None
            raise core.transport_error(exc, "GET", request.url) from None
        except httpx.TransportError as exc:
            raise core.transport_error(exc, "GET", request.url) from None
        following = response.next_request
        if following is None:
            return response
        await response.aclose()
        if request.url.scheme == "https" and following.url.scheme != "https":
            raise DownloadError(
                f"{core.host} redirected the image download from https to "
                f"{clean(following.url.scheme, limit=20) or 'another scheme'} "
                f"({clean(str(following.url.copy_with(query=None)), limit=200)}); "
                "that downgrade was refused.",
                host=core.host,
            )
        request = following
    raise DataRobotError(
        f"{core.host} did not lead to the image within {MAX_REDIRECTS} redirects.", host=core.host
    )


async def _transfer(
    core: HttpCore,
    url: str,
    part: _PartFile,
    total: int | None,
    progress: DownloadProgress | None,
) -> None:
    response = await _open(core, url, part.size)
    try:
        if response.status_code == 416 and total is not None and part.size == total:
            return  # the part file already holds every byte
        if response.status_code >= 400:
            await core.read_body(response, ERROR_BODY_LIMIT)  # an error page, cut at its cap
            raise core.status_error(response)
        if response.status_code != 206:
            part.restart()  # the server ignored Range: start over rather than append twice
        length = response.headers.get("Content-Length")
        expected = total if total is not None else (part.size + int(length) if length else None)
        clock = core.retry.clock
        began, began_size = clock(), part.size
        with _disk(part.path), part.open() as handle:
            # Raw bytes, as received: the hash is over the bytes as sent (no content decoding),
            # and nothing sits in a buffer to be lost if the connection drops.
            try:
                async for chunk in response.aiter_raw():
                    if part.size + len(chunk) > (expected or MAX_UNDECLARED_IMAGE):
                        raise _overlong(core, part.size + len(chunk), expected)
                    part.write(handle, chunk)
                    if progress is not None:
                        elapsed = clock() - began
                        rate = (part.size - began_size) / elapsed if elapsed > 0 else 0.0
                        progress(part.size, expected, rate)
            except httpx.TransportError as exc:
                raise core.transport_error(exc, "GET", response.request.url) from None
        if expected is not None and part.size < expected:
            raise ConnectionFailed(
                f"The connection to {response.request.url.host} closed after "
                f"{part.size:,} of {expected:,} bytes.",
                host=response.request.url.host,
            )
    finally:
        await response.aclose()


def _overlong(core: HttpCore, size: int, expected: int | None) -> DownloadError:
    """The server sent more than the image's declared size (or, undeclared, a sane maximum)."""
    if expected is None:
        said = f"more than {MAX_UNDECLARED_IMAGE // 1024**3} GiB with no declared size"
    else:
        said = f"more than the {expected:,} bytes declared"
    return DownloadError(
        f"{core.host} sent {said} for the image; the download was stopped and not verified.",
        host=core.host,
    )


def _verify(part: _PartFile, path: Path, metadata: PPSImageMetadata) -> None:
    """Size and SHA256 must match; a bad part file is removed so the next try starts clean."""
    problem: str | None = None
    if metadata.image_size is not None and part.size != metadata.image_size:
        problem = f"it is {part.size:,} bytes, the metadata says {metadata.image_size:,}"
    if problem is None and metadata.hash and verification_problem(metadata) is None:
        actual = part.sha256.hexdigest()
        expected = metadata.hash.strip().lower()
        if actual != expected:
            problem = f"its SHA256 is {actual}, the metadata says {expected}"
    if problem is not None:
        part.path.unlink(missing_ok=True)
        raise DownloadError(
            f"The downloaded image failed verification ({problem}); "
            f"the bad file was removed and {path} was not written."
        )
