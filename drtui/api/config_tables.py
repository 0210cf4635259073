"""The configuration files' tables as pydantic models, and their validation.

Imported only when a file is actually read (``config_files`` and ``drtui.settings`` import it
in their readers): the usual start, flags or the environment with no file, loads no pydantic
model. Unknown keys and wrong types are reported, never coerced; a secret's value is never
repeated.
"""

from __future__ import annotations

import reprlib
from collections.abc import Collection, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from drtui.api.config_files import SECRET_KEYS, ConfigError, unknown_key_warning

M = TypeVar("M", bound=BaseModel)


class ConfigTable(BaseModel):
    """A table of a config file: unknown keys and wrong types are reported, never coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ConnectionTable(ConfigTable):
    """What the official client's file says about where and how to connect."""

    endpoint: str | None = None
    token: str | None = Field(default=None, repr=False)
    token_command: str | None = Field(default=None, repr=False)
    ssl_verify: bool | str | None = None
    ca_bundle: str | None = None


KIND_OF_KEY: dict[str, str] = {
    "endpoint": "text (a URL)",
    "token": "text",
    "token_command": "text (a command line)",
    "ssl_verify": "true, false or the path of a CA bundle",
    "ca_bundle": "text (the path of a CA bundle)",
}
"""How a key's expected type is said in an error; other readers add their keys."""


_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxlist, _REPR.maxdict, _REPR.maxtuple = 2, 4, 4, 4
_REPR.maxstring = _REPR.maxother = 44
"""A value's repr cut while it is made: an alias bomb's billion values are never written."""


def _shown(key: str, value: Any) -> str:
    if key in SECRET_KEYS:
        return ""
    text = _REPR.repr(value)
    return f", not {text[:40] + '…' if len(text) > 40 else text}"


def problem(
    exc: ValidationError,
    values: Mapping[str, Any],
    *,
    kinds: Mapping[str, str] | None = None,
    units: Mapping[str, str] | None = None,
) -> tuple[str, str]:
    """The key of ``exc``'s first error and what is wrong with it, to follow the key's name:
    `` must be true or false, not 'yes'``. A secret's value is never repeated."""
    error = exc.errors(include_input=False, include_url=False)[0]
    key = str(error["loc"][0]) if error["loc"] else "?"
    value = _shown(key, values.get(key))
    if error["type"] == "greater_than_equal":
        unit = (units or {}).get(key)
        return key, f" must be at least {error['ctx']['ge']:g}{' ' + unit if unit else ''}{value}"
    expected = {**KIND_OF_KEY, **(kinds or {})}.get(key)
    if expected is not None and error["type"] != "value_error":
        return key, f" must be {expected}{value}"
    return key, f": {error['msg']}"


def validate_table(
    model: type[M],
    table: Mapping[str, Any],
    where: str,
    *,
    keys: Collection[str] | None = None,
    also_known: Collection[str] = (),
    kinds: Mapping[str, str] | None = None,
    units: Mapping[str, str] | None = None,
) -> tuple[M, list[str]]:
    """``model`` from the keys of ``table`` it knows; a warning for each key nobody knows.

    ``keys`` are the model's fields a file may set (all by default); keys in ``also_known``
    belong to another reader and are skipped silently. A value of the wrong type raises
    ``ConfigError`` naming ``where`` and the key, never a secret's value. Validation is strict:
    a file's value is taken as written, never converted.
    """
    fields = set(model.model_fields if keys is None else keys)
    valid = fields | set(also_known)
    warnings = [
        unknown_key_warning(where, str(key), valid) for key in table if str(key) not in valid
    ]
    mine = {str(k): v for k, v in table.items() if str(k) in fields}
    try:
        return model.model_validate(mine, strict=True), warnings
    except ValidationError as exc:
        key, wrong = problem(exc, mine, kinds=kinds, units=units)
        raise ConfigError(f"{where}: {key}{wrong}.") from None
