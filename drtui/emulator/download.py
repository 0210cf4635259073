"""The PPS image download: a pre-signed-looking URL and a Range-aware blob server.

In production the API redirects to S3 or GCS; the emulator's second listener (another port, so
another origin) plays that role and records whether an `Authorization` header followed the
redirect, which it must not. `serve_blob` is also what the main app answers with when it runs
in-process and there is no second listener.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import datetime
from urllib.parse import urlencode

from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from drtui.emulator.state import EmulatorState
from drtui.emulator.traffic import DroppableStarlette, TrafficMiddleware, drop_connection

IMAGE_PATH = "/pps-images/"
EXPIRES_SECONDS = 3600
_CHUNK = 64 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _signature(state: EmulatorState, filename: str, stamp: str) -> str:
    key = f"drtui-emulator:{state.config.seed}".encode()
    return hmac.new(key, f"{filename}:{stamp}".encode(), hashlib.sha256).hexdigest()


def presigned_url(state: EmulatorState, base_url: str, now: datetime) -> str:
    """An S3-style pre-signed URL for the image on the download listener."""
    filename = state.image.metadata["filename"]
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    query = urlencode(
        {
            "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
            "X-Amz-Credential": f"EMULATOR/{now:%Y%m%d}/us-east-1/s3/aws4_request",
            "X-Amz-Date": stamp,
            "X-Amz-Expires": str(EXPIRES_SECONDS),
            "X-Amz-SignedHeaders": "host",
            "X-Amz-Signature": _signature(state, filename, stamp),
        }
    )
    return f"{base_url.rstrip('/')}{IMAGE_PATH}{filename}?{query}"


def _byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """(first, last) inclusive for a single `bytes=` range; None for a full download.

    Raises ValueError for a range that cannot be satisfied.
    """
    if not header:
        return None
    match = _RANGE.match(header.strip())
    if match is None or match.groups() == ("", ""):
        raise ValueError(header)
    first_text, last_text = match.groups()
    if first_text == "":
        length = int(last_text)
        if length == 0:
            raise ValueError(header)
        return max(0, size - length), size - 1
    first = int(first_text)
    last = min(int(last_text), size - 1) if last_text else size - 1
    if first >= size or last < first:
        raise ValueError(header)
    return first, last


class BlobResponse(Response):
    """Streams a slice of the image, cutting the connection after `drop_after` bytes if set."""

    def __init__(
        self,
        blob: bytes,
        first: int,
        last: int,
        status: int,
        headers: dict[str, str],
        drop_after: int | None,
    ) -> None:
        super().__init__(status_code=status, headers=headers, media_type="application/gzip")
        self.headers["content-length"] = str(last - first + 1)
        self.view = memoryview(blob)[first : last + 1]
        self.drop_after = drop_after

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        )
        if scope.get("method") == "HEAD":
            await send({"type": "http.response.body", "body": b""})
            return
        limit = len(self.view) if self.drop_after is None else min(len(self.view), self.drop_after)
        for start in range(0, limit, _CHUNK):
            end = min(start + _CHUNK, limit)
            await send(
                {
                    "type": "http.response.body",
                    "body": bytes(self.view[start:end]),
                    "more_body": True,
                }
            )
        if limit < len(self.view):
            await drop_connection(scope)
            return
        await send({"type": "http.response.body", "body": b""})


def serve_blob(request: Request, state: EmulatorState) -> Response:
    """The image bytes, honouring a single Range (206 + Content-Range, or 416)."""
    blob = state.image.blob
    size = len(blob)
    filename = state.image.metadata["filename"]
    headers = {
        "Accept-Ranges": "bytes",
        "Content-Disposition": f"attachment; filename={filename}",
        "ETag": f'"{state.image.metadata["hash"]}"',
    }
    try:
        selected = _byte_range(request.headers.get("range"), size)
    except ValueError:
        return PlainTextResponse(
            "Requested range not satisfiable", 416, headers={"Content-Range": f"bytes */{size}"}
        )
    chaos = state.chaos
    drop_after = chaos.drop_download_after_bytes if chaos else None
    if selected is None:
        return BlobResponse(blob, 0, size - 1, 200, headers, drop_after)
    first, last = selected
    headers["Content-Range"] = f"bytes {first}-{last}/{size}"
    return BlobResponse(blob, first, last, 206, headers, drop_after)


def create_download_app(state: EmulatorState) -> DroppableStarlette:
    """The second listener: serves the image at its pre-signed URL, like an object store."""

    async def image(request: Request) -> Response:
        filename = request.path_params["filename"]
        stamp = request.query_params.get("X-Amz-Date", "")
        signature = request.query_params.get("X-Amz-Signature", "")
        if filename != state.image.metadata["filename"]:
            return PlainTextResponse("NoSuchKey", 404)
        if not hmac.compare_digest(signature, _signature(state, filename, stamp)):
            return PlainTextResponse("SignatureDoesNotMatch", 403)
        return serve_blob(request, state)

    def record(scope: Scope, status: int | None) -> None:
        headers = dict(scope.get("headers", []))
        range_header = headers.get(b"range")
        state.downloads.append(
            {
                "range": range_header.decode("latin-1") if range_header else None,
                "authorizationPresent": b"authorization" in headers,
                "status": status,
            }
        )

    return DroppableStarlette(
        routes=[Route(IMAGE_PATH + "{filename}", image, methods=["GET", "HEAD"])],
        middleware=[Middleware(TrafficMiddleware, record=record)],
    )
