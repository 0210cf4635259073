"""The Portable Prediction Server image, presented once for `drtui pps` and the `:pps` view.

Every server string passes through `clean`; sizes are shown humanized and in exact bytes,
times absolute (UTC) and relative. Pure: no I/O, the caller says what `now` is.
"""

from __future__ import annotations

import shlex
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import humanize

from drtui.core.sanitize import clean

if TYPE_CHECKING:
    from drtui.api.models import PPSImageMetadata

LABEL_WIDTH = 18
NO_IMAGE = "This installation has no Portable Prediction Server image (the server answered 404)."


def size_text(size: int | None) -> str:
    if size is None or size < 0:
        return "unknown"
    return f"{humanize.naturalsize(size, binary=True)} ({size:,} bytes)"


def created_text(created: datetime | None, now: datetime) -> str:
    if created is None:
        return "—"
    when = created if created.tzinfo else created.replace(tzinfo=UTC)
    absolute = when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return f"{absolute} ({humanize.naturaltime(now - when)})"


def pps_fields(meta: PPSImageMetadata, now: datetime) -> list[tuple[str, str]]:
    """(label, value) for every field of the metadata; the runtime tag only when present."""
    algorithm = clean(meta.hash_algorithm, limit=20)
    fields = [
        ("filename", clean(meta.filename, limit=200) or "—"),
        ("size", size_text(meta.image_size)),
        ("created", created_text(meta.created, now)),
        ("docker image id", clean(meta.docker_image_id, limit=200) or "—"),
        ("short image id", clean(meta.short_docker_image_id, limit=40) or "—"),
        ("hash algorithm", algorithm or "—"),
        (algorithm.lower() or "hash", clean(meta.hash, limit=200) or "—"),
        ("base image id", clean(meta.base_image_id, limit=200) or "—"),
    ]
    tag = clean(meta.datarobot_runtime_image_tag, limit=200)
    if tag:
        fields.append(("runtime image tag", tag))
    return fields


def describe(meta: PPSImageMetadata, now: datetime) -> list[str]:
    """The metadata as aligned `label: value` lines."""
    return [f"{label + ':':<{LABEL_WIDTH}} {value}" for label, value in pps_fields(meta, now)]


def pps_json(meta: PPSImageMetadata) -> dict[str, Any]:
    """The metadata as one JSON object (the reference's names), every string sanitised."""

    def text(value: str | None, limit: int = 200) -> str | None:
        return clean(value, limit=limit) or None if value is not None else None

    return {
        "filename": text(meta.filename),
        "imageSize": meta.image_size,
        "imageSizeHuman": (
            humanize.naturalsize(meta.image_size, binary=True)
            if meta.image_size is not None
            else None
        ),
        "created": meta.created.isoformat() if meta.created else None,
        "dockerImageId": text(meta.docker_image_id),
        "shortDockerImageId": text(meta.short_docker_image_id, 40),
        "hashAlgorithm": text(meta.hash_algorithm, 20),
        "hash": text(meta.hash),
        "baseImageId": text(meta.base_image_id),
        "datarobotRuntimeImageTag": text(meta.datarobot_runtime_image_tag),
    }


def docker_load_line(path: Path) -> str:
    """What to run next: the saved image's `docker load` command, quoted for a shell."""
    return f"docker load -i {shlex.quote(str(path))}"


def eta_text(done: int, total: int | None, rate: float) -> str:
    if total is None or rate <= 0:
        return "ETA unknown"
    if done >= total:
        return "done"
    seconds = int((total - done) / rate)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"ETA {hours}h {minutes:02d}m"
    if minutes:
        return f"ETA {minutes}m {secs:02d}s"
    return f"ETA {secs}s"


def progress_text(done: int, total: int | None, rate: float) -> str:
    """`1.2 GiB of 4.0 GiB (30.0%) · 12.0 MiB/s · ETA 3m 12s`."""
    amount = humanize.naturalsize(done, binary=True)
    if total:
        amount += f" of {humanize.naturalsize(total, binary=True)} ({min(done / total, 1.0):.1%})"
    return f"{amount} · {humanize.naturalsize(rate, binary=True)}/s · {eta_text(done, total, rate)}"
