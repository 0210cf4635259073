"""Every page of a list, as fast as the server allows and in the server's order.

With ``totalCount`` the remaining offsets are known after the first page, so they are fetched
concurrently (bounded, so one dashboard does not flood the server). Without it (deleted
deployments) the ``next`` links are followed one by one, and only while they stay on the
endpoint's origin: the token must never be sent elsewhere.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from drtui.api.errors import BadResponseError
from drtui.api.models import Page

T = TypeVar("T")
PAGE_SIZE = 100
"""The deployments list allows at most 100 per page."""
MAX_PAGES = 10_000
"""A guard against a server whose ``next`` links never end."""


async def fetch_all_pages(
    fetch_offset: Callable[[int, int], Awaitable[Page[T]]],
    fetch_url: Callable[[str], Awaitable[Page[T]]],
    *,
    page_size: int = PAGE_SIZE,
    concurrency: int = 4,
) -> list[T]:
    """All records of a list, in order, without duplicates (by ``id``).

    ``fetch_offset(offset, limit)`` fetches one page by offset; ``fetch_url(url)`` fetches the
    page a ``next`` link names.
    """
    first = await fetch_offset(0, page_size)
    pages = [first]
    total = first.total_count
    if total is None:
        pages += await _follow_next(first, fetch_url)
    else:
        got = len(first.data) + first.skipped
        step = got if 0 < got < page_size and total > got else page_size  # server capped limit
        offsets = range(step, total, step)
        pages += await _fetch_offsets(fetch_offset, offsets, step, concurrency)
    return _unique([record for page in pages for record in page.data])


async def _fetch_offsets(
    fetch_offset: Callable[[int, int], Awaitable[Page[T]]],
    offsets: range,
    limit: int,
    concurrency: int,
) -> list[Page[T]]:
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(offset: int) -> Page[T]:
        async with gate:
            return await fetch_offset(offset, limit)

    # A TaskGroup cancels the other pages as soon as one fails: a partial fleet is not a fleet.
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(one(offset)) for offset in offsets]
    except ExceptionGroup as failed:
        raise _first_leaf(failed) from None
    return [task.result() for task in tasks]


async def _follow_next(
    first: Page[T], fetch_url: Callable[[str], Awaitable[Page[T]]]
) -> list[Page[T]]:
    pages: list[Page[T]] = []
    seen: set[str] = set()
    link = first.next if first.data else None
    while link and link not in seen:
        if len(seen) >= MAX_PAGES:
            raise BadResponseError(f"The server's next links went past {MAX_PAGES} pages.")
        seen.add(link)
        page = await fetch_url(link)
        pages.append(page)
        link = page.next if page.data else None
    return pages


def _first_leaf(group: BaseExceptionGroup[Exception]) -> Exception:
    """The first real error, so callers see a DataRobotError, not an ExceptionGroup."""
    first = group.exceptions[0]
    if isinstance(first, BaseExceptionGroup):
        return _first_leaf(first)
    return first


def _unique(records: list[T]) -> list[T]:
    """Drop repeats a fleet changing between page requests can cause; first one wins."""
    seen: set[Any] = set()
    unique: list[T] = []
    for record in records:
        key = getattr(record, "id", None)
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        unique.append(record)
    return unique
