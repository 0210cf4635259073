"""Field types that never fail a whole record.

Real DataRobot installations send nulls where the schema promises values, omit "required" fields
and invent new enum values (PROTOCOL-NOTES.md). A dashboard must still show the deployment, so a
field whose value cannot be read falls back to its default instead of failing validation. The
fallback is done inside pydantic-core (``with_default_schema(on_error=...)``), not by a Python
validator, so parsing 10,000 deployments stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, TypeVar

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

T = TypeVar("T")


class OrDefault:
    """Replace an unreadable value with ``None`` (or a factory's value) instead of raising."""

    def __init__(self, factory: Callable[[], Any] | None = None) -> None:
        self._factory = factory

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        if self._factory is None:
            return core_schema.with_default_schema(
                handler(source), default=None, on_error="default"
            )
        return core_schema.with_default_schema(
            handler(source), default_factory=self._factory, on_error="default"
        )


class _OmitInvalid:
    """Drop a list item that cannot be read at all (e.g. a string where a record belongs)."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.with_default_schema(handler(source), on_error="omit")


LStr = Annotated[str | None, OrDefault()]
LInt = Annotated[int | None, OrDefault()]
LFloat = Annotated[float | None, OrDefault()]
LBool = Annotated[bool | None, OrDefault()]
LDatetime = Annotated[datetime | None, OrDefault()]
LOpt = Annotated[T | None, OrDefault()]
"""A nested object that becomes ``None`` when it is null or not an object."""
Item = Annotated[T, _OmitInvalid()]
"""A list item dropped (not fatal) when it cannot be read."""
LList = Annotated[list[Annotated[T, _OmitInvalid()]], OrDefault(list)]
"""A list that becomes ``[]`` when it is null or not a list; one unreadable item is dropped,
never the whole list (one malformed tag must not hide the others)."""
Count = Annotated[int, OrDefault(int)]
"""A count where a null or unreadable value means 0 (a day with no figure in ``dailyRates``),
so the other days keep their places and their sums."""
