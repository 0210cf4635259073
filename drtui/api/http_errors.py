"""How the wire turns a failure into a ``DataRobotError`` with a sentence: an HTTP error status,
a request that got no answer, and the token kept out of every message.

``ErrorMapping`` is a base of ``HttpCore`` (api/http.py), which sets what it reads: the
endpoint, its host and the token.
"""

from __future__ import annotations

import re
import socket
import ssl
from typing import Any

import httpx

from drtui.api.errors import (
    BadResponseError,
    ConnectionFailed,
    DataRobotError,
    RequestTimeout,
    error_from_status,
)

HOPELESS_CONNECT_ATTEMPTS = 2
"""A connection refused or a host name that does not resolve is tried this often, not the
policy's five times: a typo'd port or host is said in half a second, not after 8 s of backoff."""
_HOPELESS_REASONS = frozenset(
    {
        "the connection was refused (is the server running on that port?)",
        "the host name could not be resolved",
    }
)


def hopeless(exc: httpx.TransportError) -> bool:
    """A connection refused or a host that does not resolve: retrying will not help."""
    return isinstance(exc, httpx.ConnectError) and _connect_reason(exc) in _HOPELESS_REASONS


class ErrorMapping:
    """Names an endpoint and turns what went wrong with it into an error, token redacted."""

    endpoint_url: httpx.URL
    host: str
    _token: str
    _token_pattern: re.Pattern[str] | None

    def endpoint_name(self, method: str, url: httpx.URL | str) -> str:
        """``GET /deployments/`` style: the path relative to the endpoint, no query string."""
        path = httpx.URL(url).path if not isinstance(url, httpx.URL) else url.path
        base = self.endpoint_url.path.rstrip("/")
        if base and path.startswith(base):
            path = path[len(base) :] or "/"
        return f"{method} {path}"

    def status_error(self, response: httpx.Response) -> DataRobotError:
        """The error for a 4xx/5xx response whose body has been read."""
        import pydantic

        from drtui.api.models import ErrorBody

        body: dict[str, Any] | None = None
        try:
            parsed = ErrorBody.model_validate_json(response.content[:1_000_000])
        except pydantic.ValidationError:
            parsed = None  # an HTML error page from a proxy, say: the status alone must do
        if parsed is not None:
            body = {"message": parsed.message, "errors": parsed.errors}
        request = response.request
        error = error_from_status(
            response.status_code,
            host=request.url.netloc.decode("ascii"),
            method=request.method,
            path=self.endpoint_name(request.method, request.url).split(" ", 1)[1],
            body=body,
            headers=response.headers,
            redact=self.redact,
        )
        return self.scrub(error)

    def transport_error(
        self, exc: httpx.TransportError, method: str, url: str | httpx.URL
    ) -> DataRobotError:
        """A sentence for a request that got no HTTP answer."""
        target = self.endpoint_url.join(url) if isinstance(url, str) else url
        host = target.netloc.decode("ascii")
        endpoint = self.endpoint_name(method, target)
        facts: dict[str, Any] = {"host": host, "endpoint": endpoint}
        if isinstance(exc, httpx.RemoteProtocolError) and isinstance(
            exc.__context__, httpx.InvalidURL
        ):
            # httpx reads a redirect's Location even when it will not follow it.
            return BadResponseError(
                f"{host} redirected the API call {endpoint} to an address that is not a "
                "valid URL; it was not followed.",
                **facts,
            )
        if isinstance(exc, httpx.TimeoutException):
            phase = "connect" if isinstance(exc, httpx.ConnectTimeout) else "answer"
            return RequestTimeout(f"{host} did not {phase} in time for {endpoint}.", **facts)
        if isinstance(exc, httpx.ConnectError):
            return ConnectionFailed(
                f"Could not connect to {host}: {_connect_reason(exc)}.", **facts
            )
        return self.scrub(
            ConnectionFailed(
                f"The connection to {host} closed without an answer to {endpoint}.", **facts
            )
        )

    def redact(self, text: str) -> str:
        """``text`` with the token replaced by ``[token]``, as a token, not as letters.

        A token of ``MIN_SCRUB_LENGTH`` or more is replaced wherever it occurs; a shorter one
        only where it stands alone, so a token ``T`` does not turn "The job" into "[token]he job".
        """
        token = self._token
        if not token or token not in text:
            return text
        if self._token_pattern is not None:
            return self._token_pattern.sub("[token]", text)
        return text.replace(token, "[token]")

    def scrub(self, error: DataRobotError) -> DataRobotError:
        """Belt and braces: a server that echoes the token must not get it onto the screen."""
        if not self._token:
            return error
        error.message = self.redact(error.message)
        error.args = (error.message,)
        if error.server_message:
            error.server_message = self.redact(error.server_message)
        if error.request_id:
            error.request_id = self.redact(error.request_id)
        field_errors = getattr(error, "field_errors", None)
        if field_errors:
            error.field_errors = {  # type: ignore[attr-defined]
                self.redact(k): self.redact(v) for k, v in field_errors.items()
            }
        return error


def _connect_reason(exc: BaseException) -> str:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    for link in chain:
        if isinstance(link, socket.gaierror):
            return "the host name could not be resolved"
        if isinstance(link, ssl.SSLCertVerificationError):
            return (
                "its TLS certificate could not be verified "
                "(set ssl_verify to your CA bundle path if it uses a private CA)"
            )
        if isinstance(link, ssl.SSLError):
            return "the TLS handshake failed"
        if isinstance(link, ConnectionRefusedError):
            return "the connection was refused (is the server running on that port?)"
    text = " ".join(str(link) for link in chain).lower()
    if "name or service not known" in text or "nodename nor servname" in text:
        return "the host name could not be resolved"
    if "certificate" in text:
        return "its TLS certificate could not be verified"
    if "ssl" in text or "tls" in text:
        return "the TLS handshake failed"
    if "refused" in text:
        return "the connection was refused (is the server running on that port?)"
    return "the network connection failed"
