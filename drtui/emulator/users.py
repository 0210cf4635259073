"""The two accounts the emulator knows, and what each role may do on a deployment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

OWNER = "OWNER"
USER_ROLE = "USER"

OWNER_PERMISSIONS: tuple[str, ...] = (
    "CAN_VIEW",
    "CAN_EDIT_DEPLOYMENT",
    "CAN_DELETE_DEPLOYMENT",
    "CAN_MAKE_PREDICTIONS",
    "CAN_SHARE",
    "CAN_SHARE_DEPLOYMENT_OWNERSHIP",
    "CAN_REPLACE_MODEL",
    "CAN_SUBMIT_ACTUALS",
    "CAN_UPDATE_DEPLOYMENT_THRESHOLDS",
    "CAN_APPROVE_REPLACEMENT_MODEL",
    "CAN_ADD_CHALLENGERS",
)
USER_PERMISSIONS: tuple[str, ...] = (
    "CAN_VIEW",
    "CAN_MAKE_PREDICTIONS",
    "CAN_SUBMIT_ACTUALS",
    "CAN_SHARE",
)
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    OWNER: OWNER_PERMISSIONS,
    USER_ROLE: USER_PERMISSIONS,
}

ADMIN_PERMISSION = "CAN_DELETE_APP_PROJECTS"
"""The account-level permission behind the deleted-deployments endpoints."""


@dataclass(frozen=True, slots=True)
class Account:
    """A person who can call the API. The admin owns every deployment; the user owns some."""

    id: str
    email: str
    first_name: str
    last_name: str
    is_admin: bool

    def as_owner(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "email": self.email,
            "firstName": self.first_name,
            "lastName": self.last_name,
        }


NORMAL_USER = Account("64b7f0c1a2d3e4f5a6b7c8d9", "dana.ortiz@example.com", "Dana", "Ortiz", False)
ADMIN_USER = Account("64b7f0c1a2d3e4f5a6b7c8da", "sam.rivera@example.com", "Sam", "Rivera", True)
