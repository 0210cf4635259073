"""The wire: one keep-alive ``httpx.AsyncClient``, retries, and turning failures into errors.

Everything above this module speaks in paths and models; everything that can go wrong on the
way comes out of here as a ``DataRobotError`` with a sentence, never a raw httpx exception,
a pydantic ``ValidationError`` or a ``KeyError``.
"""

from __future__ import annotations

import gc
import json
import re
import socket
import ssl
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from drtui import __version__
from drtui.api.body import (
    ACCEPT_ENCODING,
    ERROR_BODY_LIMIT,
    JSON_BODY_LIMIT,
    TooLarge,
    Undecodable,
    UnknownEncoding,
    read_capped,
    size_text,
)
from drtui.api.errors import (
    BadResponseError,
    ConnectionFailed,
    DataRobotError,
    InvalidTokenError,
    ReadOnlyError,
    RequestTimeout,
    ResponseTooLarge,
    UnreadableBody,
    error_from_status,
    parse_retry_after,
)
from drtui.api.retry import NO_RETRY, RetryPolicy
from drtui.core.sanitize import clean, register_secret

if TYPE_CHECKING:
    import pydantic

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


class HttpCore:
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

    def endpoint_name(self, method: str, url: httpx.URL | str) -> str:
        """``GET /deployments/`` style: the path relative to the endpoint, no query string."""
        path = httpx.URL(url).path if not isinstance(url, httpx.URL) else url.path
        base = self.endpoint_url.path.rstrip("/")
        if base and path.startswith(base):
            path = path[len(base) :] or "/"
        return f"{method} {path}"

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
                if attempt >= HOPELESS_CONNECT_ATTEMPTS and _hopeless(exc):
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

    async def read_body(self, response: httpx.Response, limit: int) -> None:
        """Read a streamed ``response``'s body under ``limit`` decoded bytes (an error answer's
        under ``ERROR_BODY_LIMIT``, cut there): afterwards ``.content`` and ``.text`` hold it."""
        failed = response.status_code >= 400
        endpoint = self.endpoint_name(response.request.method, response.request.url)
        facts: dict[str, Any] = {
            "status_code": response.status_code,
            "host": self.host,
            "endpoint": endpoint,
        }
        try:
            body = await read_capped(response, ERROR_BODY_LIMIT if failed else limit, cut=failed)
        except TooLarge as too_large:
            raise self.scrub(
                ResponseTooLarge(
                    f"{self.host} sent more than {size_text(too_large.limit)} in answer to "
                    f"{endpoint}, more than drtui reads for it; it stopped reading.",
                    **facts,
                )
            ) from None
        except UnknownEncoding as unknown:
            raise BadResponseError(
                f"{self.host} answered {endpoint} in an encoding drtui did not ask for "
                f"({clean(unknown.encoding, limit=40)}); it was not read.",
                **facts,
            ) from None
        except Undecodable:
            raise UnreadableBody(
                f"{self.host} sent a compressed response to {endpoint} that does not inflate.",
                **facts,
            ) from None
        # What httpx's own `aread` does: the body, decoded, becomes the response's content.
        response._content = body

    def read(self, response: httpx.Response, reader: Callable[[bytes], T]) -> T:
        """Read a JSON body with a slim reader (``models/slim.py``); a body it refuses
        (``SlimPageError``) is a BadResponseError, as with ``parse``."""
        from drtui.api.models.slim import SlimPageError

        endpoint = self._refuse_redirect(response)
        paused = gc.isenabled()
        if paused:
            gc.disable()
        try:
            return reader(response.content)
        except SlimPageError as exc:
            what = "is not valid JSON" if exc.not_json else "does not have the documented shape"
            kind = UnreadableBody if exc.not_json else BadResponseError
            raise self.scrub(
                kind(
                    f"{self.host} sent a response to {endpoint} that {what}.",
                    status_code=response.status_code,
                    host=self.host,
                    endpoint=endpoint,
                )
            ) from None
        finally:
            if paused:
                gc.enable()

    def _refuse_redirect(self, response: httpx.Response) -> str:
        """The endpoint's name; a 3xx (never followed) is a BadResponseError."""
        endpoint = self.endpoint_name(response.request.method, response.request.url)
        if 300 <= response.status_code < 400:
            location = clean(response.headers.get("Location"), limit=200) or "nowhere"
            raise self.scrub(
                BadResponseError(
                    f"{self.host} redirected the API call {endpoint} "
                    f"({response.status_code}) to {location}; it was not followed.",
                    status_code=response.status_code,
                    host=self.host,
                    endpoint=endpoint,
                )
            )
        return endpoint

    def parse(self, response: httpx.Response, adapter: pydantic.TypeAdapter[T]) -> T:
        """Validate a JSON body into a model; a body that cannot be read is a BadResponseError."""
        import pydantic

        endpoint = self._refuse_redirect(response)
        try:
            return _validate_without_gc(adapter, response.content)
        except pydantic.ValidationError as exc:
            not_json = any(e["type"] == "json_invalid" for e in exc.errors())
            if not_json:
                lenient = _validate_deep(adapter, response.content)
                if lenient is not None:
                    return lenient
            what = "is not valid JSON" if not_json else "does not have the documented shape"
            kind = UnreadableBody if not_json else BadResponseError
            raise self.scrub(
                kind(
                    f"{self.host} sent a response to {endpoint} that {what}.",
                    status_code=response.status_code,
                    host=self.host,
                    endpoint=endpoint,
                )
            ) from None

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


async def _as_it_is(response: httpx.Response) -> httpx.Response:
    return response


def _validate_without_gc(adapter: pydantic.TypeAdapter[T], content: bytes) -> T:
    """Validate with the cyclic garbage collector paused.

    A page of 100 deployments allocates a few thousand small objects; with the collector on,
    its older generations rescan every record already parsed, page after page, which made
    reading a 10,000-deployment fleet four times slower. Pydantic models hold no reference
    cycles, so nothing is lost by pausing it for the few milliseconds a page takes.
    """
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        return adapter.validate_json(content)
    finally:
        if paused:
            gc.enable()


def _validate_deep(adapter: pydantic.TypeAdapter[T], content: bytes) -> T | None:
    """The lenient second reading of a body the fast JSON parser refused.

    The fast parser stops at a nesting depth of 200 and rejects the whole body; a record with
    one deeply nested unknown field would sink its page. Python's parser reads deeper (a body
    nested deeper still, or not JSON at all, stays refused), and the lenient models then drop
    or ignore what they cannot read, one record at a time.
    """
    try:
        data = json.loads(content)
    except (ValueError, RecursionError):
        return None
    import pydantic

    try:
        return adapter.validate_python(data)
    except (pydantic.ValidationError, RecursionError):
        return None


HOPELESS_CONNECT_ATTEMPTS = 2
"""A connection refused or a host name that does not resolve is tried this often, not the
policy's five times: a typo'd port or host is said in half a second, not after 8 s of backoff."""
_HOPELESS_REASONS = frozenset(
    {
        "the connection was refused (is the server running on that port?)",
        "the host name could not be resolved",
    }
)


def _hopeless(exc: httpx.TransportError) -> bool:
    return isinstance(exc, httpx.ConnectError) and _connect_reason(exc) in _HOPELESS_REASONS


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
