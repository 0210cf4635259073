"""`offset`/`limit` validation and the list envelope with absolute `next`/`previous` URLs."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.datastructures import QueryParams
from starlette.requests import Request

from drtui.emulator.responses import validation_error


def parse_paging(params: QueryParams, default_limit: int, max_limit: int) -> tuple[int, int]:
    """(offset, limit) from the query; anything out of range is a 422 naming the parameter."""
    offset = _integer(params, "offset", 0)
    limit = _integer(params, "limit", default_limit)
    if offset < 0:
        raise validation_error("offset", "must be greater than or equal to 0")
    if not 1 <= limit <= max_limit:
        raise validation_error("limit", f"must be between 1 and {max_limit}")
    return offset, limit


def _integer(params: QueryParams, name: str, default: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise validation_error(name, f"value {raw!r} is not an integer") from None


def page_links(
    request: Request, offset: int, limit: int, total: int
) -> tuple[str | None, str | None]:
    """Absolute URLs of the neighbouring pages, keeping every other query parameter as sent."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in ("offset", "limit")]

    def link(at: int) -> str:
        query = urlencode([*kept, ("offset", str(at)), ("limit", str(limit))])
        return str(request.url.replace(query=query))

    following = link(offset + limit) if offset + limit < total else None
    preceding = link(max(0, offset - limit)) if offset > 0 else None
    return following, preceding


def envelope(
    request: Request,
    items: list[bytes],
    offset: int,
    limit: int,
    total: int,
    with_total: bool = True,
) -> bytes:
    """The list body, assembled from already-serialized items so big pages cost one join."""
    following, preceding = page_links(request, offset, limit, total)
    head = [b'{"count":', str(len(items)).encode()]
    if with_total:
        head += [b',"totalCount":', str(total).encode()]
    head += [
        b',"next":',
        _json_str(following),
        b',"previous":',
        _json_str(preceding),
        b',"data":[',
        b",".join(items),
        b"]}",
    ]
    return b"".join(head)


def _json_str(value: str | None) -> bytes:
    if value is None:
        return b"null"
    return b'"' + value.replace("\\", "\\\\").replace('"', '\\"').encode() + b'"'
