"""PPS image metadata as a server sends it, for the tests that serve an image."""

from __future__ import annotations

import hashlib
from typing import Any


def pps_metadata(image: bytes, **extra: Any) -> dict[str, Any]:
    """The metadata of `image` (its real size and SHA256), with `extra` keys replaced."""
    meta: dict[str, Any] = {
        "filename": "pps.tar.gz",
        "imageSize": len(image),
        "hash": hashlib.sha256(image).hexdigest(),
        "hashAlgorithm": "SHA256",
        "created": "2026-03-01T10:00:00Z",
        "dockerImageId": "sha256:" + "ab" * 32,
        "shortDockerImageId": "abababababab",
        "baseImageId": "base-1",
    }
    meta.update(extra)
    return meta
