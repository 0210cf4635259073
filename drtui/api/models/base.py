"""The one model configuration every API schema shares."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class ApiModel(BaseModel):
    """camelCase on the wire, snake_case in Python; unknown fields kept, not fatal.

    ``coerce_numbers_to_str`` lets an id sent as a number still read as an id.

    ``defer_build``: a model's validator is built on its first validation, not when its module
    is imported. The dashboard lists the fleet without any pydantic model (``slim.py``) and
    validates a full one only on demand (the detail pane, an action), so most of the schemas
    here are never built in a session, and the ones that are cost their objects only then: a
    full garbage collection scans every object start-up leaves behind.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        alias_generator=to_camel,
        coerce_numbers_to_str=True,
        defer_build=True,
    )
