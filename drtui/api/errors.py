"""One exception tree for everything the API can do wrong, each a sentence a person can act on.

``str(error)`` is that sentence. It names the host and the endpoint (method and path, never the
query string or headers) and never the token. The structured facts (status, request id,
permission, field errors, retry-after) are attributes, for code that wants to react.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from drtui.core.sanitize import clean

REQUEST_ID_HEADER = "X-DataRobot-Request-ID"
_MAX_SERVER_TEXT = 300
_MAX_MESSAGE = 2000
_MAX_REQUEST_ID = 128
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
        # Sanitised here, at construction, so every consumer (CLI, screen, log) gets text that
        # cannot move a cursor or retitle a window, whatever a server put into it.
        message = clean(message, limit=_MAX_MESSAGE)
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.host = clean(host) if host is not None else None
        self.endpoint = clean(endpoint) if endpoint is not None else None
        self.request_id = clean(request_id, limit=_MAX_REQUEST_ID) or None
        self.server_message = clean(server_message) if server_message is not None else None

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


class ResponseTooLarge(BadResponseError):
    """The body went past what drtui reads for that endpoint (an endless body, a gzip bomb)."""


class UnreadableBody(BadResponseError):
    """A 2xx body that is not valid JSON (cut short or garbled on the way): a read asks again."""


class JobFailedError(DataRobotError):
    """An asynchronous job ended ERROR, ABORTED or EXPIRED, or did not end before the deadline."""

    job_status: str | None = None


class DownloadError(DataRobotError):
    """The PPS image could not be saved: no space, a checksum mismatch, or a cut transfer."""


class ReadOnlyError(DataRobotError):
    """A read-only client was asked to send a request that could change something."""


class InvalidTokenError(DataRobotError):
    """The configured token cannot be a DataRobot API token (several lines, not ASCII, huge)."""


class DeadlineExceeded(RequestTimeout):
    """A whole listing (every page, every retry) did not finish within its deadline."""


Redact = Callable[[str], str]


def _keep(text: str) -> str:
    return text


def server_text(text: str | None, redact: Redact = _keep) -> str | None:
    """A server message made safe for one line of a terminal: clean, redacted, then bounded.

    Redacting comes before the cut, so a token straddling the cut cannot leave a prefix behind.
    """
    if not text:
        return None
    flat = redact(clean(text, limit=_MAX_SERVER_TEXT * 20))
    if not flat:
        return None
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
    redact: Redact = _keep,
) -> DataRobotError:
    """Build the error for a non-success answer; ``body`` is the parsed JSON object, if any.

    Every server string (message, field errors, request id) is sanitised and passed through
    ``redact`` (which removes the token) before it is cut to length or put into a sentence.
    """
    endpoint = clean(f"{method} {path}")
    raw_id = headers.get(REQUEST_ID_HEADER) or headers.get(REQUEST_ID_HEADER.lower())
    request_id = (redact(clean(raw_id, limit=_MAX_REQUEST_ID)) or None) if raw_id else None
    message = (
        server_text(str(body.get("message")), redact) if body and body.get("message") else None
    )
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
            f"The API token was rejected by {host} (401): it is wrong, expired or revoked; "
            "check the token your configuration gives drtui.",
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
        field_errors = _field_errors(body, redact)
        base = message or "the request was not valid"
        # A server that already put a field's error in its message (`serviceHealth: invalid
        # value …`) would have it printed twice: only what the message leaves unsaid is added.
        detail = "; ".join(
            f"{name}: {text}" for name, text in field_errors.items() if text not in base
        )
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


_MAX_FIELD_ERRORS = 20


def _field_errors(body: Mapping[str, Any] | None, redact: Redact = _keep) -> dict[str, str]:
    errors = body.get("errors") if body else None
    if isinstance(errors, Mapping):
        items = list(errors.items())[:_MAX_FIELD_ERRORS]
    elif isinstance(errors, list):
        items = list(enumerate(errors))[:_MAX_FIELD_ERRORS]
    else:
        return {}
    return {
        server_text(str(k), redact) or "?": server_text(_flatten(v), redact) or "" for k, v in items
    }


def _flatten(value: Any, depth: int = 0) -> str:
    if isinstance(value, list) and depth < 5:
        return "; ".join(_flatten(v, depth + 1) for v in value[:_MAX_FIELD_ERRORS])
    return str(value)[: _MAX_SERVER_TEXT * 20]


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
