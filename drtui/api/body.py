"""Reading a response body with a cap on its decoded size, enforced while it streams.

A server (or whatever answers in its place) can send a body that never ends, or a gzip bomb:
a megabyte that inflates to a gibibyte. Read whole, either one takes the process to gigabytes
before any check could run. Here the raw bytes are read as they arrive and inflated by drtui
itself, each step asked for at most what is left under the cap (zlib's ``max_length``), so the
memory a body can take is the cap plus one network chunk, whatever the compression ratio.

httpx's own decoders inflate each chunk whole (a 64 KiB chunk of a bomb is 64 MiB), and it
would decode encodings drtui never asked for (brotli, zstd, when their packages happen to be
installed): the client asks for ``gzip, deflate`` only, and a body in any other encoding is
refused.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import httpx

ACCEPT_ENCODING = "gzip, deflate"
"""What the client asks for, and all it inflates."""

MiB = 1024 * 1024
JSON_BODY_LIMIT = 32 * MiB
"""An API answer: a page of 100 deployments is ~0.4 MB (a fleet's richest records ~3 MB)."""
LOG_BODY_LIMIT = 16 * MiB
"""A custom model's log: the server caps a log near 1 MB; room for a larger installation's."""
ERROR_BODY_LIMIT = 1 * MiB
"""A 4xx/5xx answer: read this much (its sentence is cut far shorter anyway), the rest dropped."""


@dataclass
class TooLarge(Exception):
    """The decoded body went past ``limit`` bytes."""

    limit: int


class UnknownEncoding(Exception):
    """A Content-Encoding drtui did not ask for and does not inflate."""

    def __init__(self, encoding: str) -> None:
        super().__init__(encoding)
        self.encoding = encoding


class Undecodable(Exception):
    """A compressed body that does not inflate (cut short or garbled on the way)."""


class _Inflater:
    """One compression layer (gzip or deflate), inflated at most ``room`` bytes at a time."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self.first = True
        self.zlib = zlib.decompressobj(
            zlib.MAX_WBITS | 16 if encoding == "gzip" else zlib.MAX_WBITS
        )

    def feed(self, data: bytes, room: int, out: list[bytes]) -> int:
        """Inflate ``data`` into ``out``; the bytes added. Stops after ``room`` + 1 bytes."""
        added = 0
        while True:
            before = data
            try:
                piece = self.zlib.decompress(data, room - added + 1)
            except zlib.error:
                if self.encoding == "deflate" and self.first:
                    # "deflate" as many servers send it: raw, without the zlib header.
                    self.first = False
                    self.zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise Undecodable() from None
            self.first = False
            out.append(piece)
            added += len(piece)
            data = self.zlib.unconsumed_tail
            if added > room or not data or (not piece and data == before):
                return added

    def finish(self, room: int, out: list[bytes]) -> int:
        try:
            rest = self.zlib.flush(room + 1)
        except zlib.error:
            raise Undecodable() from None
        out.append(rest)
        return len(rest)


def _encodings(response: httpx.Response) -> list[str]:
    given = response.headers.get("Content-Encoding", "")
    names = [part.strip().lower() for part in given.split(",") if part.strip()]
    names = ["gzip" if name == "x-gzip" else name for name in names if name != "identity"]
    for name in names:
        if name not in ("gzip", "deflate") or len(names) > 1:
            raise UnknownEncoding(given.strip()[:40])
    return names


async def read_capped(response: httpx.Response, limit: int, *, cut: bool = False) -> bytes:
    """The body of a streamed ``response``, decoded, at most ``limit`` bytes.

    Past the limit: ``TooLarge``, or with ``cut`` the first ``limit`` bytes (an error page, whose
    start is all anyone reads). The response is closed either way. Transport errors while
    reading propagate as httpx raises them (the caller retries or words them).
    """
    try:
        if response.is_stream_consumed:  # built in memory (a mock transport): already decoded
            whole = response.content
            if len(whole) > limit and not cut:
                raise TooLarge(limit)
            return whole[:limit]
        encodings = _encodings(response)
        inflater = _Inflater(encodings[0]) if encodings else None
        declared = response.headers.get("Content-Length", "")
        if inflater is None and declared.isdigit() and int(declared) > limit and not cut:
            raise TooLarge(limit)  # said up front: nothing to read
        out: list[bytes] = []
        size = 0
        async for chunk in response.aiter_raw():
            if inflater is None:
                out.append(chunk)
                size += len(chunk)
            else:
                size += inflater.feed(chunk, limit - size, out)
            if size > limit:
                break
        else:
            if inflater is not None:
                size += inflater.finish(limit - size, out)
        body = b"".join(out)
        if len(body) > limit:
            if not cut:
                raise TooLarge(limit)
            body = body[:limit]
        return body
    finally:
        await response.aclose()


def size_text(limit: int) -> str:
    """``32 MiB``, ``512 KiB``: how a cap is said in a sentence."""
    if limit >= MiB and limit % MiB == 0:
        return f"{limit // MiB} MiB"
    if limit >= 1024 and limit % 1024 == 0:
        return f"{limit // 1024} KiB"
    return f"{limit:,} bytes"
