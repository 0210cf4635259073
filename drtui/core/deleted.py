"""Deleted deployments as the `:deleted` view shows them, and how an erase is cut into batches.

GET /deletedDeployments/ has no totalCount (the client follows `next`); PATCH erases at most 100
ids per request, each batch one job, so 250 ids go out as 100, 100 and 50.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from drtui.core.sanitize import clean

if TYPE_CHECKING:
    from drtui.api.models import DeletedDeployment

ERASE_BATCH = 100


@dataclass(frozen=True, slots=True)
class DeletedRow:
    id: str
    label: str
    deleted_at: datetime | None
    haystack: str = field(default="", repr=False)


def deleted_rows(items: Iterable[DeletedDeployment]) -> list[DeletedRow]:
    """Rows newest deletion first (unknown times last); a record without an id is skipped."""
    rows: dict[str, DeletedRow] = {}
    for item in items:
        if not item.id:
            continue
        row_id = clean(item.id, limit=64)
        label = clean(item.label, limit=512) or "(no label)"
        rows.setdefault(row_id, DeletedRow(row_id, label, item.deleted_at, label.lower()))
    out = list(rows.values())
    out.sort(
        key=lambda r: r.deleted_at.timestamp() if r.deleted_at else float("-inf"), reverse=True
    )
    return out


def batches(ids: Sequence[str], size: int = ERASE_BATCH) -> list[list[str]]:
    """`ids` (duplicates dropped, order kept) in batches of at most `size`."""
    unique = list(dict.fromkeys(ids))
    return [unique[start : start + size] for start in range(0, len(unique), size)]


def erase_phrase(count: int) -> str:
    """What the user types to confirm erasing `count` deleted deployments."""
    return f"ERASE {count}"
