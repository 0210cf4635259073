"""One exception tree for everything the API can do wrong, each a sentence a person can act on.

``str(error)`` is that sentence. It names the host and the endpoint (method and path, never the
query string or headers) and never the token. The structured facts (status, request id,
permission, field errors, retry-after) are attributes, for code that wants to react.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

REQUEST_ID_HEADER = "X-DataRobot-Request-ID"
_MAX_SERVER_TEXT = 300
_PERMISSION = re.compile(r"\bCAN_[A-Z_]+\b")


class DataRobotError(Exception):
    """Base of every error the client raises."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        host: str | None = None,
        endpoint: str | None = None,
        request_id: str | None = None,
        server_message: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.host = host
        self.endpoint = endpoint
        self.request_id = request_id
        self.server_message = server_message

    def __str__(self) -> str:
        return self.message


class AuthenticationError(DataRobotError):
    """401: the token is wrong, expired or missing."""


class PermissionDeniedError(DataRobotError):
    """403: the token is fine but lacks a permission (``permission`` when the server names it)."""

    permission: str | None = None


class NotFoundError(DataRobotError):
    """404: the resource does not exist, or is not visible to this user."""


class ValidationError(DataRobotError):
    """400/422: the server refused the request's content; ``field_errors`` per field."""

    field_errors: dict[str, str]


class RateLimitedError(DataRobotError):
    """429 after the retries ran out; ``retry_after`` seconds if the server said."""

    retry_after: float | None = None


class ServerError(DataRobotError):
    """5xx: the server failed; ``request_id`` is what DataRobot support asks for."""


class RequestTimeout(DataRobotError):
    """No answer in time."""


class ConnectionFailed(DataRobotError):
    """No connection: DNS, refused, TLS, or the connection dropped without a response."""


class BadResponseError(DataRobotError):
    """The answer was not JSON or not the shape the reference describes."""


class JobFailedError(DataRobotError):
    """An asynchronous job ended ERROR, ABORTED or EXPIRED, or did not end before the deadline."""

    job_status: str | None = None


class DownloadError(DataRobotError):
    """The PPS image could not be saved: no space, a checksum mismatch, or a cut transfer."""


def server_text(text: str | None) -> str | None:
    """A server message made safe for one line of a terminal: single-line and bounded."""
    if not text:
        return None
    flat = " ".join(text.split())
    return flat if len(flat) <= _MAX_SERVER_TEXT else flat[: _MAX_SERVER_TEXT - 1] + "…"


def describe_resource(path: str) -> str:
    """Name the thing a path points at, for a 404 sentence (``deployment 5f3c…``)."""
    parts = [p for p in path.split("/") if p]
    if parts[:2] == ["api", "v2"]:
        parts = parts[2:]
    match parts:
        case ["deployments", deployment_id, *_]:
            return f"Deployment {deployment_id}"
        case ["customModelDeployments", deployment_id, "logs", log_id, *_]:
            return f"Prediction log {log_id} of custom model deployment {deployment_id}"
        case ["customModelDeployments", deployment_id, "logs"]:
            return f"The log of custom model deployment {deployment_id}"
        case ["customModelDeployments", deployment_id, *_]:
            return f"Custom model deployment {deployment_id}"
        case ["mlops", "compute", "bundles", bundle_id, *_]:
            return f"Resource bundle {bundle_id}"
        case ["mlops", "portablePredictionServerImage", *_]:
            return "The Portable Prediction Server image"
        case ["status", status_id, *_]:
            return f"Job {status_id}"
        case _:
            return "/" + "/".join(parts) + "/" if parts else "The resource"


def error_from_status(
    status_code: int,
    *,
    host: str,
    method: str,
    path: str,
    body: Mapping[str, Any] | None,
    headers: Mapping[str, str],
) -> DataRobotError:
    """Build the error for a non-success answer; ``body`` is the parsed JSON object, if any."""
    endpoint = f"{method} {path}"
    request_id = headers.get(REQUEST_ID_HEADER) or headers.get(REQUEST_ID_HEADER.lower())
    message = server_text(str(body.get("message"))) if body and body.get("message") else None
    facts: dict[str, Any] = {
        "status_code": status_code,
        "host": host,
        "endpoint": endpoint,
        "request_id": request_id,
        "server_message": message,
    }
    said = f": {message}" if message else "."
    if status_code == 401:
        return AuthenticationError(
            f"The API token was rejected by {host} (401). "
            "Check DATAROBOT_API_TOKEN or your profile.",
            **facts,
        )
    if status_code == 403:
        found = _PERMISSION.search(message or "")
        permission = found.group(0) if found else None
        need = f"the {permission} permission" if permission else "permission"
        text = f"You lack {need} for {endpoint} on {host} (403){said}"
        denied = PermissionDeniedError(text, **facts)
        denied.permission = permission
        return denied
    if status_code == 404:
        return NotFoundError(f"{describe_resource(path)} was not found on {host} (404).", **facts)
    if status_code in (400, 422):
        field_errors = _field_errors(body)
        detail = "; ".join(f"{name}: {text}" for name, text in field_errors.items())
        base = message or "the request was not valid"
        text = f"{host} refused {endpoint} ({status_code}): {base}"
        text += f" ({detail})." if detail else "."
        invalid = ValidationError(text, **facts)
        invalid.field_errors = field_errors
        return invalid
    if status_code == 429:
        retry_after = parse_retry_after(headers.get("Retry-After") or headers.get("retry-after"))
        wait = f"; retry after {retry_after:g} seconds." if retry_after is not None else "."
        limited = RateLimitedError(f"{host} is rate limiting requests (429){wait}", **facts)
        limited.retry_after = retry_after
        return limited
    if status_code >= 500:
        rid = f" (request id {request_id})" if request_id else " (no request id)"
        return ServerError(
            f"{host} failed with {status_code} on {endpoint}{rid}{said}",
            **facts,
        )
    return DataRobotError(f"{host} answered {status_code} to {endpoint}{said}", **facts)


def _field_errors(body: Mapping[str, Any] | None) -> dict[str, str]:
    errors = body.get("errors") if body else None
    if isinstance(errors, Mapping):
        return {str(k): server_text(_flatten(v)) or "" for k, v in errors.items()}
    if isinstance(errors, list):
        return {str(i): server_text(_flatten(v)) or "" for i, v in enumerate(errors)}
    return {}


def _flatten(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(_flatten(v) for v in value)
    return str(value)


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header: delta-seconds (DataRobot's form) or an HTTP date."""
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
        return max(0.0, seconds)
    return seconds if seconds >= 0 else None
