"""A deployment as the list path reads it (``SlimDeployment``), a page of them (``SlimPage``),
and the full model of a record, validated from its kept text on demand (``full_deployment``).

Both readings of a page (slim_fast.py, slim_general.py) make these; ``read_page`` (slim.py)
chooses between them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from drtui.api.models.deployment import Deployment


class SlimPageError(ValueError):
    """A body that cannot be read as a page; ``not_json`` tells which way it failed."""

    def __init__(self, not_json: bool) -> None:
        super().__init__("not JSON" if not_json else "not a page")
        self.not_json = not_json


class SlimDeployment:
    """One deployment as the list path reads it. Plain values; strings not yet sanitised."""

    __slots__ = (
        "accuracy_health",
        "created_at",
        "daily_rates",
        "deployed_at",
        "description",
        "health_messages",
        "id",
        "importance",
        "label",
        "last_timestamp",
        "model_health",
        "owners",
        "owners_count",
        "platform",
        "service_health",
        "status",
        "tags",
        "target_type",
        "text",
    )

    id: str | None
    label: str | None
    description: str | None
    status: str | None
    importance: str | None
    target_type: str | None
    platform: str | None
    service_health: str | None
    model_health: str | None
    accuracy_health: str | None
    health_messages: tuple[str | None, str | None, str | None]
    tags: tuple[tuple[str | None, str | None], ...]
    owners: tuple[tuple[str | None, str | None, str | None, str | None], ...]
    """(id, first name, last name, email) of each owner in the preview."""
    owners_count: int | None
    daily_rates: tuple[int, ...]
    last_timestamp: datetime | None
    created_at: datetime | None
    deployed_at: datetime | None
    text: str
    """The record's JSON text as the server sent it."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SlimDeployment) and self.text == other.text

    def __hash__(self) -> int:
        return hash(self.text)

    def __repr__(self) -> str:
        return f"SlimDeployment(id={self.id!r}, label={self.label!r})"

    @property
    def full(self) -> Deployment:
        """The full, lenient ``Deployment`` model, validated from the kept text (cached)."""
        return full_deployment(self.text)


Known = TypeVar("Known")
"""What a caller already holds for a record's text (``read_page``'s ``known``)."""


class SlimPage(Generic[Known]):
    """One page of the list envelope; the attributes ``paging`` reads of a ``Page``.

    ``data`` holds a ``SlimDeployment`` per record, or, for a record whose text is one of the
    reader's ``known`` texts, what the caller holds for it (see ``read_page``)."""

    __slots__ = ("count", "data", "dropped", "next", "total_count")

    def __init__(
        self,
        data: list[SlimDeployment | Known],
        count: int | None,
        total: int | None,
        nxt: str | None,
        dropped: int = 0,
    ) -> None:
        self.data = data
        self.count = count
        self.total_count = total
        self.next = nxt
        self.dropped = dropped
        """Records left out because no reader can read them (nested deeper than Python's
        recursion allows): the rest of the page stands, the caller may say how many."""

    @property
    def skipped(self) -> int:
        return max(0, self.count - len(self.data)) if self.count is not None else 0


NOTHING_KNOWN: Mapping[str, Any] = {}
"""No text known: every record is read."""


@lru_cache(maxsize=64)
def full_deployment(text: str) -> Deployment:
    """The full lenient model of one record's JSON text (the detail pane's), parsed on demand."""
    from drtui.api.models.deployment import Deployment

    try:
        return Deployment.model_validate_json(text)
    except ValueError:  # deeper than the fast parser reads, NaN...: the lenient second reading
        try:
            return Deployment.model_validate(json.loads(text))
        except (ValueError, RecursionError):
            return Deployment()
