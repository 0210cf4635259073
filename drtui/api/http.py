"""The wire: one keep-alive ``httpx.AsyncClient``, retries, and turning failures into errors.

Everything above this module speaks in paths and models; everything that can go wrong on the
way comes out of here as a ``DataRobotError`` with a sentence, never a raw httpx exception,
a pydantic ``ValidationError`` or a ``KeyError``. ``HttpCore`` sends and retries; reading a
body is ``BodyReading``'s (http_bodies.py), naming a failure ``ErrorMapping``'s (http_errors.py).
"""

from __future__ import annotations

import re
import ssl
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

import httpx

from drtui import __version__
from drtui.api.body import ACCEPT_ENCODING, JSON_BODY_LIMIT
from drtui.api.errors import (
    BadResponseError,
    DataRobotError,
    InvalidTokenError,
    ReadOnlyError,
    UnreadableBody,
    parse_retry_after,
)
from drtui.api.http_bodies import BodyReading
from drtui.api.http_errors import HOPELESS_CONNECT_ATTEMPTS, hopeless
from drtui.api.retry import NO_RETRY, RetryPolicy
from drtui.core.sanitize import clean, register_secret

T = TypeVar("T")
RetryHook = Callable[[DataRobotError, float], None]
"""Called before each retry with the error and the wait, so a UI can say "retrying in 2 s"."""
Params = Sequence[tuple[str, str]] | None

USER_AGENT = f"drtui/{__version__}"
_IDEMPOTENT = frozenset({"GET", "HEAD", "PATCH", "DELETE", "PUT"})
_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
"""All a read-only client may send."""
MAX_TOKEN_LENGTH = 4096
"""DataRobot tokens are well under 200 characters; anything this long is a pasted file."""
MIN_SCRUB_LENGTH = 8
"""A token this long or longer is scrubbed wherever it appears; a shorter one (a test token
such as ``T``) only where it stands as a word of its own, so its letters survive in words."""


def token_problem(token: str) -> str | None:
    """Why ``token`` cannot be sent as a bearer token, as a sentence; None when it can.

    Checked before any request: a token of several lines or with a non-ASCII character would
    otherwise fail as "connection closed" after every retry, and never name the real cause.
    The sentence never contains the token.
    """
    if len(token) > MAX_TOKEN_LENGTH:
        return (
            f"The API token is {len(token):,} characters long, which is no DataRobot token "
            "(a whole file pasted?); check where the token comes from."
        )
    if "\n" in token or "\r" in token:
        return "The API token is not a single line; check where the token comes from."
    if not token.isascii():
        return (
            "The API token contains a non-ASCII character (a pasted curly quote or dash?); "
            "check where the token comes from."
        )
    if any(not (" " < ch < "\x7f") for ch in token):
        return (
            "The API token contains a space or control character; check where the token comes from."
        )
    return None


def ssl_verification(verify: bool | str) -> bool | ssl.SSLContext:
    """``True``/``False``, or a context trusting the CA bundle at the given path."""
    if isinstance(verify, str):
        return ssl.create_default_context(cafile=verify)
    return verify


def origin(url: httpx.URL) -> tuple[str, str, int | None]:
    """Scheme, host and port: what must match before credentials may be sent."""
    return (url.scheme, url.host, url.port)


class HttpCore(BodyReading):
    """Authenticated requests to one DataRobot endpoint, retried where safe."""

    def __init__(
        self,
        endpoint: str,
        token: str,
        *,
        verify: bool | str = True,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 60.0,
        connect_timeout: float = 6.0,
        retry: RetryPolicy | None = None,
        on_retry: RetryHook | None = None,
        read_only: bool = False,
    ) -> None:
        problem = token_problem(token)
        if problem is not None:
            raise InvalidTokenError(problem)
        register_secret(token)  # every sanitised server string from now on is without it
        self.endpoint = endpoint.rstrip("/")
        self.endpoint_url = httpx.URL(self.endpoint + "/")
        self.host = self.endpoint_url.netloc.decode("ascii")
        self.retry = retry or RetryPolicy()
        self.read_only = read_only
        self._on_retry = on_retry
        self._token = token
        self._token_pattern = (
            re.compile(rf"(?<![\w-]){re.escape(token)}(?![\w-])")
            if 0 < len(token) < MIN_SCRUB_LENGTH
            else None
        )
        self.http = httpx.AsyncClient(
            base_url=self.endpoint_url,
            headers={
                "Authorization": f"Bearer {token}",
                "User-Agent": USER_AGENT,
                "Accept": "application/json",
                "Accept-Encoding": ACCEPT_ENCODING,
            },
            verify=ssl_verification(verify),
            trust_env=True,
            transport=transport,
            follow_redirects=False,
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            limits=httpx.Limits(max_connections=16, max_keepalive_connections=8),
            # The last line of the read-only defence: whatever path a request takes through
            # this client, it is refused here before a byte is sent.
            event_hooks={"request": [self._refuse_writes]},
        )

    def __repr__(self) -> str:
        return f"HttpCore(endpoint={self.endpoint!r})"

    async def aclose(self) -> None:
        await self.http.aclose()

    def same_origin(self, url: str) -> bool:
        return origin(self.endpoint_url.join(url)) == origin(self.endpoint_url)

    def check_writable(self, method: str, url: str | httpx.URL) -> None:
        """Raise ReadOnlyError when this client is read-only and ``method`` could write."""
        if self.read_only and method.upper() not in _READ_METHODS:
            try:
                endpoint = self.endpoint_name(method.upper(), self.endpoint_url.join(url))
            except httpx.InvalidURL:
                endpoint = method.upper()
            raise ReadOnlyError(
                f"read-only mode: this would send a {endpoint} to {self.host}; nothing was sent.",
                host=self.host,
                endpoint=endpoint,
            )

    async def _refuse_writes(self, request: httpx.Request) -> None:
        self.check_writable(request.method, request.url)

    async def request(
        self,
        method: str,
        url: str,
        *,
        params: Params = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
        retry: bool | None = None,
        limit: int = JSON_BODY_LIMIT,
    ) -> httpx.Response:
        """Send a request; 1xx-3xx come back as they are, 4xx/5xx raise ``DataRobotError``.

        ``retry`` defaults to True for GET/PATCH/DELETE and False for POST. The body is read
        whole, up to ``limit`` decoded bytes (more is a ``ResponseTooLarge``).
        """
        return await self.exchange(
            method,
            url,
            _as_it_is,
            params=params,
            json_body=json_body,
            headers=headers,
            retry=retry,
            limit=limit,
        )

    async def exchange(
        self,
        method: str,
        url: str,
        finish: Callable[[httpx.Response], Awaitable[T]],
        *,
        params: Params = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
        retry: bool | None = None,
        limit: int = JSON_BODY_LIMIT,
    ) -> T:
        """`request`, then ``finish(response)`` (the body's reading) for a 1xx-3xx answer, in the
        same retries: a GET whose body ``finish`` finds not valid JSON (``UnreadableBody``) is
        asked again, as is a GET answered 500. Writes are never retried on either.
        """
        self.check_writable(method, url)
        retryable = method in _IDEMPOTENT if retry is None else retry
        policy = self.retry if retryable else NO_RETRY
        reading = method in _READ_METHODS
        statuses = policy.statuses | policy.read_statuses if reading else policy.statuses
        started = policy.clock()
        attempt = 0
        while True:
            attempt += 1
            retry_after: float | None = None
            try:
                response = await self._send(method, url, params, json_body, headers, limit)
            except httpx.TransportError as exc:
                error = self.transport_error(exc, method, url)
                if isinstance(error, BadResponseError):
                    raise error from None
                if attempt >= HOPELESS_CONNECT_ATTEMPTS and hopeless(exc):
                    raise error from None  # refused or unresolvable: say so now, not in 8 s
            except UnreadableBody as unreadable:  # a compressed body that does not inflate
                if not reading:
                    raise
                error = unreadable
            except httpx.InvalidURL:
                raise BadResponseError(
                    f"{self.host}: the address {clean(url, limit=200)} is not a valid URL; "
                    "it was not requested.",
                    host=self.host,
                ) from None
            else:
                if response.status_code < 400:
                    try:
                        return await finish(response)
                    except UnreadableBody as unreadable:
                        if not reading:
                            raise
                        error = unreadable
                elif method == "DELETE" and attempt > 1 and response.status_code == 404:
                    return await finish(response)  # an earlier attempt deleted it; lost answer
                else:
                    error = self.status_error(response)
                    if response.status_code not in statuses:
                        raise error
                    retry_after = parse_retry_after(response.headers.get("Retry-After"))
            wait = policy.delay(attempt, retry_after)
            if not policy.should_retry(attempt, started, wait):
                raise error
            if self._on_retry is not None:
                self._on_retry(error, wait)
            await policy.sleep(wait)

    async def _send(
        self,
        method: str,
        url: str,
        params: Params,
        json_body: Any,
        headers: Mapping[str, str] | None,
        limit: int,
    ) -> httpx.Response:
        """One attempt: the request sent, its body streamed in under its cap (an error page's
        under ``ERROR_BODY_LIMIT``, cut there), the response returned read and closed."""
        request = self.http.build_request(
            method, url, params=tuple(params) if params else None, json=json_body, headers=headers
        )
        response = await self.http.send(request, stream=True)
        await self.read_body(response, limit)
        return response


async def _as_it_is(response: httpx.Response) -> httpx.Response:
    return response
