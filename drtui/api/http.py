"""The wire: one keep-alive ``httpx.AsyncClient``, retries, and turning failures into errors.

Everything above this module speaks in paths and models; everything that can go wrong on the
way comes out of here as a ``DataRobotError`` with a sentence, never a raw httpx exception,
a pydantic ``ValidationError`` or a ``KeyError``.
"""

from __future__ import annotations

import gc
import socket
import ssl
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import httpx
import pydantic

from drtui import __version__
from drtui.api.errors import (
    BadResponseError,
    ConnectionFailed,
    DataRobotError,
    RequestTimeout,
    error_from_status,
    parse_retry_after,
)
from drtui.api.models import ErrorBody
from drtui.api.retry import NO_RETRY, RetryPolicy

T = TypeVar("T")
RetryHook = Callable[[DataRobotError, float], None]
"""Called before each retry with the error and the wait, so a UI can say "retrying in 2 s"."""
Params = Sequence[tuple[str, str]] | None

USER_AGENT = f"drtui/{__version__}"
_IDEMPOTENT = frozenset({"GET", "HEAD", "PATCH", "DELETE", "PUT"})


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
    ) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.endpoint_url = httpx.URL(self.endpoint + "/")
        self.host = self.endpoint_url.netloc.decode("ascii")
        self.retry = retry or RetryPolicy()
        self._on_retry = on_retry
        self._token = token
        self.http = httpx.AsyncClient(
            base_url=self.endpoint_url,
            headers={
                "Authorization": f"Bearer {token}",
                "User-Agent": USER_AGENT,
                "Accept": "application/json",
            },
            verify=ssl_verification(verify),
            trust_env=True,
            transport=transport,
            follow_redirects=False,
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            limits=httpx.Limits(max_connections=16, max_keepalive_connections=8),
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

    async def request(
        self,
        method: str,
        url: str,
        *,
        params: Params = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
        retry: bool | None = None,
    ) -> httpx.Response:
        """Send a request; 1xx-3xx come back as they are, 4xx/5xx raise ``DataRobotError``.

        ``retry`` defaults to True for GET/PATCH/DELETE and False for POST.
        """
        retryable = method in _IDEMPOTENT if retry is None else retry
        policy = self.retry if retryable else NO_RETRY
        started = policy.clock()
        attempt = 0
        while True:
            attempt += 1
            retry_after: float | None = None
            try:
                response = await self.http.request(
                    method,
                    url,
                    params=tuple(params) if params else None,
                    json=json_body,
                    headers=headers,
                )
            except httpx.TransportError as exc:
                error = self.transport_error(exc, method, url)
            else:
                if response.status_code < 400:
                    return response
                if method == "DELETE" and attempt > 1 and response.status_code == 404:
                    return response  # an earlier attempt deleted it; its answer was lost
                error = self.status_error(response)
                if response.status_code not in policy.statuses:
                    raise error
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
            wait = policy.delay(attempt, retry_after)
            if not policy.should_retry(attempt, started, wait):
                raise error
            if self._on_retry is not None:
                self._on_retry(error, wait)
            await policy.sleep(wait)

    def parse(self, response: httpx.Response, adapter: pydantic.TypeAdapter[T]) -> T:
        """Validate a JSON body into a model; a body that cannot be read is a BadResponseError."""
        try:
            return _validate_without_gc(adapter, response.content)
        except pydantic.ValidationError as exc:
            not_json = any(e["type"] == "json_invalid" for e in exc.errors())
            what = "is not valid JSON" if not_json else "does not have the documented shape"
            endpoint = self.endpoint_name(response.request.method, response.request.url)
            raise self.scrub(
                BadResponseError(
                    f"{self.host} sent a response to {endpoint} that {what}.",
                    status_code=response.status_code,
                    host=self.host,
                    endpoint=endpoint,
                )
            ) from None

    def status_error(self, response: httpx.Response) -> DataRobotError:
        """The error for a 4xx/5xx response whose body has been read."""
        body: dict[str, Any] | None = None
        try:
            parsed = ErrorBody.model_validate_json(response.content)
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

    def scrub(self, error: DataRobotError) -> DataRobotError:
        """Belt and braces: a server that echoes the token must not get it onto the screen."""
        token = self._token
        if not token:
            return error
        if token in error.message:
            error.message = error.message.replace(token, "[token]")
            error.args = (error.message,)
        if error.server_message:
            error.server_message = error.server_message.replace(token, "[token]")
        field_errors = getattr(error, "field_errors", None)
        if field_errors:
            error.field_errors = {  # type: ignore[attr-defined]
                k: v.replace(token, "[token]") for k, v in field_errors.items()
            }
        return error


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
