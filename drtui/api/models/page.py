"""The list envelope ``{count, totalCount, next, previous, data}`` shared by every list endpoint."""

from __future__ import annotations

from typing import Generic, TypeVar

from drtui.api.models.base import ApiModel
from drtui.api.models.lenient import Item, LInt, LStr

T = TypeVar("T")


class Page(ApiModel, Generic[T]):
    """One page of a list. ``total_count`` is absent on some lists (deleted deployments).

    A record that is not an object at all is dropped rather than losing the page;
    ``skipped`` says how many were (the server's ``count`` minus what was read). ``data``
    itself must be a list: an answer without one (``{}``, ``{"error": ...}``) is not an empty
    list but a bad response, or a monitoring check would read it as a healthy, empty fleet.
    """

    count: LInt = None
    total_count: LInt = None
    next: LStr = None
    previous: LStr = None
    data: list[Item[T]]

    @property
    def skipped(self) -> int:
        """Records the server counted on this page that could not be read."""
        return max(0, self.count - len(self.data)) if self.count is not None else 0
