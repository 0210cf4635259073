"""How the wire reads a response's body: streamed in under its cap, then read into slim records
or validated into models, a body that cannot be read being an error with a sentence.

``BodyReading`` is a base of ``HttpCore`` (api/http.py).
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from drtui.api.body import (
    ERROR_BODY_LIMIT,
    TooLarge,
    Undecodable,
    UnknownEncoding,
    read_capped,
    size_text,
)
from drtui.api.errors import BadResponseError, ResponseTooLarge, UnreadableBody
from drtui.api.http_errors import ErrorMapping
from drtui.core.sanitize import clean

if TYPE_CHECKING:
    import pydantic

T = TypeVar("T")


class BodyReading(ErrorMapping):
    """Reads and parses the bodies of the answers ``HttpCore`` receives."""

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
        from drtui.api.models.slim_records import SlimPageError

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
            return validate_without_gc(adapter, response.content)
        except pydantic.ValidationError as exc:
            not_json = any(e["type"] == "json_invalid" for e in exc.errors())
            if not_json:
                lenient = validate_deep(adapter, response.content)
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


def validate_without_gc(adapter: pydantic.TypeAdapter[T], content: bytes) -> T:
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


def validate_deep(adapter: pydantic.TypeAdapter[T], content: bytes) -> T | None:
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
