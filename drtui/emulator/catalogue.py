"""Fixed catalogues: resource bundles and the Portable Prediction Server image."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from drtui.emulator.clock import iso

_MIB = 1024 * 1024
_GIB = 1024 * _MIB
_ALL_USES = ["customApplication", "customJob", "customModel"]

# (id, name, cpu, memory, gpu maker, gpu count, gpu memory, use cases, default, deleted)
_BUNDLES: tuple[tuple[Any, ...], ...] = (
    ("cpu.nano", "XXS", 0.25, 256 * _MIB, None, None, 0, _ALL_USES, False, False),
    ("cpu.micro", "XS", 0.5, 512 * _MIB, None, None, 0, _ALL_USES, False, False),
    ("cpu.small", "S", 1, 1 * _GIB, None, None, 0, _ALL_USES, False, False),
    ("cpu.medium", "M", 2, 4 * _GIB, None, None, 0, _ALL_USES, True, False),
    ("cpu.large", "L", 4, 8 * _GIB, None, None, 0, _ALL_USES, False, False),
    ("cpu.xlarge", "XL", 8, 32 * _GIB, None, None, 0, ["customModel", "customJob"], False, False),
    ("cpu.legacy", "Legacy 1.5 CPU", 1.5, 3 * _GIB, None, None, 0, ["customModel"], False, True),
    ("gpu.small", "GPU - S", 4, 16 * _GIB, "nvidia", 1, 16 * _GIB, ["customModel"], False, False),
    ("gpu.medium", "GPU - M", 8, 32 * _GIB, "nvidia", 1, 24 * _GIB, ["customModel"], False, False),
    ("gpu.large", "GPU - L", 12, 96 * _GIB, "nvidia", 1, 80 * _GIB, ["customModel"], False, False),
    ("gpu.xlarge", "GPU - XL", 48, 384 * _GIB, "nvidia", 4, 320 * _GIB, ["customModel"], False, False),
    ("gpu.amd.large", "GPU - L (AMD)", 16, 128 * _GIB, "amd", 1, 64 * _GIB, ["customModel", "customJob"], False, False),
    ("gpu.intel.small", "GPU - S (Intel)", 4, 16 * _GIB, "intel", 1, 16 * _GIB, ["sapAICore"], False, False),
)  # fmt: skip

_GPU_NAMES = {"nvidia": "NVIDIA", "amd": "AMD Instinct", "intel": "Intel Data Center GPU"}


def resource_bundles() -> list[dict[str, Any]]:
    """The bundle catalogue; descriptions are never null and cpuCount may be fractional."""
    bundles = []
    for ident, name, cpu, memory, maker, gpus, gpu_memory, uses, default, deleted in _BUNDLES:
        description = f"{cpu:g} CPU, {memory / _GIB:g} GiB memory"
        if maker:
            description += f", {gpus} x {_GPU_NAMES[maker]} GPU ({gpu_memory // gpus // _GIB} GiB)"
        bundles.append(
            {
                "id": ident,
                "name": name,
                "description": description,
                "cpuCount": cpu,
                "memoryBytes": memory,
                "gpuMaker": maker,
                "gpuCount": gpus,
                "gpuMemoryBytes": gpu_memory,
                "hasGpu": maker is not None,
                "useCases": list(uses),
                "isDefault": default,
                "isDeleted": deleted,
            }
        )
    return bundles


@dataclass(frozen=True, slots=True)
class PpsImage:
    """A deterministic stand-in for the PPS tarball; the metadata tells its true hash and size."""

    blob: bytes
    metadata: dict[str, Any]


def pps_image(seed: int, size: int, created: datetime) -> PpsImage:
    rng = random.Random(f"pps:{seed}")
    blob = rng.randbytes(size)
    digest = hashlib.sha256(blob).hexdigest()
    docker_id = "sha256:" + hashlib.sha256(digest.encode()).hexdigest()
    return PpsImage(
        blob=blob,
        metadata={
            "baseImageId": f"{rng.getrandbits(96):024x}",
            "created": iso(created),
            "datarobotRuntimeImageTag": None,
            "dockerImageId": docker_id,
            "filename": "datarobot-portable-prediction-api-11.1.0.tar.gz",
            "hash": digest,
            "hashAlgorithm": "SHA256",
            "imageSize": size,
            "shortDockerImageId": docker_id.removeprefix("sha256:")[:12],
        },
    )
