"""Compute (resource) bundles as table rows and detail sections: shared by the view and CLI."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import humanize

from drtui.core.listing import first_by_id, matching
from drtui.core.sanitize import clean

if TYPE_CHECKING:
    from drtui.api.models import ResourceBundle

USE_CASES: tuple[str, ...] = ("customApplication", "customJob", "customModel", "sapAICore")
"""The use cases the reference names; a server may send others, shown verbatim."""

NO_BUNDLES_FEATURE = (
    "This account does not have the resource-bundles feature (a preview on most "
    "installations): there are no compute bundles to show."
)
"""What a 403/404 on GET /mlops/compute/bundles/ means: not an error, a feature not enabled."""

Field = tuple[str, str]
Section = tuple[str, list[Field]]


def memory(value: int | None) -> str:
    """Binary units, as the platform sizes them (`4.0 GiB`); blank when unknown."""
    if value is None or value < 0:
        return ""
    return str(humanize.naturalsize(value, binary=True, format="%.1f"))


def cpus(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}"


@dataclass(frozen=True, slots=True)
class BundleRow:
    id: str
    name: str
    description: str
    cpu_count: float | None
    memory_bytes: int | None
    gpu: str
    gpu_count: int
    is_default: bool
    is_deleted: bool
    use_cases: tuple[str, ...]
    haystack: str
    source: ResourceBundle | None = field(default=None, compare=False, repr=False)

    @property
    def cpu_text(self) -> str:
        return cpus(self.cpu_count)

    @property
    def memory_text(self) -> str:
        return memory(self.memory_bytes)

    @property
    def use_case_text(self) -> str:
        return ", ".join(self.use_cases)


def bundle_row(bundle: ResourceBundle, index: int = 0) -> BundleRow:
    """A row for one bundle; never raises on missing fields (an id-less bundle gets one)."""
    gpu_count = max(0, bundle.gpu_count or 0)
    has_gpu = bool(bundle.has_gpu) or gpu_count > 0
    gpu = ""
    if has_gpu:
        maker = clean(bundle.gpu_maker, limit=20) or "GPU"
        gpu = f"{gpu_count or 1}× {maker}"
        if bundle.gpu_memory_bytes:
            gpu += f" {memory(bundle.gpu_memory_bytes)}"
    name = clean(bundle.name, limit=200) or "(no name)"
    description = clean(bundle.description, limit=500)
    use_cases = tuple(clean(u, limit=40) for u in bundle.use_cases if u)
    return BundleRow(
        id=clean(bundle.id, limit=100) or f"(no id #{index})",
        name=name,
        description=description,
        cpu_count=bundle.cpu_count,
        memory_bytes=bundle.memory_bytes,
        gpu=gpu,
        gpu_count=gpu_count if has_gpu else 0,
        is_default=bool(bundle.is_default),
        is_deleted=bool(bundle.is_deleted),
        use_cases=use_cases,
        haystack=f"{name}\n{description}\n{' '.join(use_cases)}".lower(),
        source=bundle,
    )


def bundle_rows(bundles: Iterable[ResourceBundle]) -> list[BundleRow]:
    return first_by_id(bundle_row(bundle, i) for i, bundle in enumerate(bundles))


def narrow(
    rows: Sequence[BundleRow],
    *,
    search: str = "",
    use_cases: frozenset[str] = frozenset(),
    show_deleted: bool = False,
) -> list[BundleRow]:
    """What the view shows: deleted hidden unless asked, any of the use cases, the search."""
    kept = [
        row
        for row in rows
        if (show_deleted or not row.is_deleted)
        and (not use_cases or use_cases & set(row.use_cases))
    ]
    return matching(kept, search)


def _value(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return clean(value, limit=1000) or "—"


def bundle_sections(bundle: ResourceBundle) -> list[Section]:
    """Every field of GET /mlops/compute/bundles/{id}/, for the detail pane."""
    size = bundle.memory_bytes
    gpu_memory = bundle.gpu_memory_bytes
    return [
        (
            "Bundle",
            [
                ("name", _value(bundle.name)),
                ("id", _value(bundle.id)),
                ("description", _value(bundle.description)),
                ("default", _value(bundle.is_default)),
                ("deleted", _value(bundle.is_deleted)),
                ("use cases", ", ".join(clean(u, limit=40) for u in bundle.use_cases) or "—"),
            ],
        ),
        (
            "Resources",
            [
                ("CPU", cpus(bundle.cpu_count) or "—"),
                ("memory", f"{memory(size)} ({size:,} bytes)" if size is not None else "—"),
                ("has GPU", _value(bundle.has_gpu)),
                ("GPU count", _value(bundle.gpu_count)),
                ("GPU maker", _value(bundle.gpu_maker)),
                (
                    "GPU memory",
                    f"{memory(gpu_memory)} ({gpu_memory:,} bytes)" if gpu_memory else "—",
                ),
            ],
        ),
    ]


BUNDLE_FIELDS = (
    "id",
    "name",
    "description",
    "cpuCount",
    "memoryBytes",
    "memory",
    "gpu",
    "gpuCount",
    "gpuMaker",
    "gpuMemoryBytes",
    "isDefault",
    "isDeleted",
    "useCases",
)
"""`drtui bundles --csv` columns: one flat value each."""


def bundle_record(row: BundleRow) -> dict[str, object]:
    """One bundle for `drtui bundles --json`: the reference's names, sanitised, plus the
    humanized memory and GPU the table shows."""
    source = row.source
    maker = clean(source.gpu_maker, limit=20) if source is not None else ""
    return {
        "id": row.id,
        "name": row.name,
        "description": row.description or None,
        "cpuCount": row.cpu_count,
        "memoryBytes": row.memory_bytes,
        "memory": row.memory_text or None,
        "gpu": row.gpu or None,
        "gpuCount": row.gpu_count,
        "gpuMaker": maker or None,
        "gpuMemoryBytes": source.gpu_memory_bytes if source is not None else None,
        "isDefault": row.is_default,
        "isDeleted": row.is_deleted,
        "useCases": list(row.use_cases),
    }


def flat_bundle_record(row: BundleRow) -> dict[str, object]:
    record = bundle_record(row)
    record["useCases"] = " ".join(row.use_cases)
    return record


def canonical_use_case(text: str) -> str | None:
    """A use case as the API spells it (case-insensitive match); None when not one."""
    wanted = text.strip().lower()
    return next((u for u in USE_CASES if u.lower() == wanted), None)
