"""Custom model deployments as table rows: shared by the `:custom` view and its tests."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from drtui.core.formatting import as_utc
from drtui.core.listing import first_by_id, matching
from drtui.core.sanitize import clean

if TYPE_CHECKING:
    from drtui.api.models import CustomModelDeployment

RUNNING = frozenset({"active", "errored", "replacingmodel", "launching"})
"""Statuses whose model server writes a log now; others' logs (if any) stopped growing."""


@dataclass(frozen=True, slots=True)
class CustomRow:
    id: str
    label: str
    model: str
    model_id: str
    version: str
    environment: str
    environment_id: str
    environment_version: str
    status: str
    testing: str
    image_type: str
    deployed: datetime | None
    deployed_by: str
    haystack: str
    source: CustomModelDeployment | None = field(default=None, compare=False, repr=False)

    @property
    def environment_text(self) -> str:
        if self.environment and self.environment_version:
            return f"{self.environment} {self.environment_version}"
        return self.environment or self.environment_version

    @property
    def inactive(self) -> bool:
        return bool(self.status) and self.status.lower() not in RUNNING


def _when(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return as_utc(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        return None


def custom_row(item: CustomModelDeployment, index: int = 0) -> CustomRow:
    """A row for one custom model deployment; never raises on missing fields."""
    model = item.custom_model
    version = item.custom_model_version
    environment = item.execution_environment
    env_version = item.execution_environment_version
    label = clean(item.label, limit=200) or "(no label)"
    model_name = clean(model.name if model else None, limit=120)
    environment_name = clean(environment.name if environment else None, limit=120)
    return CustomRow(
        id=clean(item.id, limit=100) or f"(no id #{index})",
        label=label,
        model=model_name,
        model_id=clean(model.id if model else None, limit=100),
        version=clean(version.label if version else None, limit=60),
        environment=environment_name,
        environment_id=clean(environment.id if environment else None, limit=100),
        environment_version=clean(env_version.label if env_version else None, limit=60),
        status=clean(item.status, limit=40),
        testing=clean(item.testing_status, limit=40),
        image_type=clean(item.image_type, limit=40),
        deployed=_when(item.deployed),
        deployed_by=clean(item.deployed_by, limit=80),
        haystack=f"{label}\n{model_name}\n{environment_name}\n{clean(item.id)}".lower(),
        source=item,
    )


def custom_rows(items: Iterable[CustomModelDeployment]) -> list[CustomRow]:
    return first_by_id(custom_row(item, i) for i, item in enumerate(items))


def narrow(rows: Sequence[CustomRow], search: str = "") -> list[CustomRow]:
    """The instant search over loaded rows (label, model, environment, id)."""
    return matching(rows, search)


def present(rows: Iterable[CustomRow], what: str) -> list[tuple[str, str]]:
    """(id, name) of the custom models (`what="model"`) or environments present, by name."""
    found: dict[str, str] = {}
    for row in rows:
        key, name = (
            (row.model_id, row.model) if what == "model" else (row.environment_id, row.environment)
        )
        if key:
            found.setdefault(key, name or key)
    return sorted(found.items(), key=lambda kv: (kv[1].lower(), kv[0]))
