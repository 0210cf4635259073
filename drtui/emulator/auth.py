"""Who is calling: `Authorization: Bearer <token>` or `Token <token>` (the Python client's form)."""

from __future__ import annotations

import hmac
from collections.abc import Mapping

from drtui.emulator.responses import ApiError
from drtui.emulator.users import Account

_SCHEMES = {"bearer": "Bearer", "token": "Token"}


def auth_scheme(authorization: str | None) -> str | None:
    """The scheme as written in the request log ("Bearer"/"Token"), never the token itself."""
    if not authorization:
        return None
    return _SCHEMES.get(authorization.partition(" ")[0].lower())


def authenticate(authorization: str | None, accounts: Mapping[str, Account]) -> Account:
    """The account behind the header, or a 401 whose message never repeats what was sent."""
    if not authorization:
        raise ApiError(401, "Authentication required: send 'Authorization: Bearer <API token>'.")
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() not in _SCHEMES or not token.strip():
        raise ApiError(401, "Unsupported authorization scheme: use 'Bearer <API token>'.")
    offered = token.strip().encode()
    for known, account in accounts.items():
        if hmac.compare_digest(known.encode(), offered):
            return account
    raise ApiError(401, "The API token is invalid or has expired.")
