"""Every page of a list, as fast as the server allows, in the server's order, and bounded.

With ``totalCount`` the remaining offsets are known after the first page, so they are fetched
concurrently (bounded, so one dashboard does not flood the server). Without it (deleted
deployments) the ``next`` links are followed one by one, and only while they stay on the
endpoint's origin: the token must never be sent elsewhere.

A server can lie, and this module must not obey a lie. Everything is bounded by construction:
page tasks are created lazily, never more than ``concurrency`` at a time; a listing never reads
more than ``max_pages`` pages or ``max_records`` records (a larger claim is refused before the
second request); a page longer than the ``limit`` asked for, or one that repeats a full page
already read, is a bad response; a short page ends the listing; and an optional ``deadline``
bounds the whole listing, retries included, however slowly the bytes trickle in.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol, TypeVar

from drtui.api.errors import BadResponseError, DeadlineExceeded

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Page(Protocol[T_co]):
    """What paging reads of a page: ``models.Page`` (pydantic) or ``models.slim_records.SlimPage``."""

    @property
    def data(self) -> Sequence[T_co]: ...
    @property
    def total_count(self) -> int | None: ...
    @property
    def next(self) -> str | None: ...
    @property
    def skipped(self) -> int: ...


PAGE_SIZE = 100
"""The deployments list allows at most 100 per page."""
MAX_PAGES = 2_000
"""At most this many pages per listing (10,000 deployments are 100 pages)."""
MAX_RECORDS = 100_000
"""At most this many records per listing; a server claiming more is refused, not believed."""


class _Listing:
    """What one listing has read so far, and the checks each new page must pass."""

    def __init__(self, what: str, max_pages: int, max_records: int) -> None:
        self.what = what
        self.max_pages = max_pages
        self.max_records = max_records
        self.pages = 0
        self.records = 0
        self.ids: set[Any] = set()

    def bad(self, problem: str) -> BadResponseError:
        return BadResponseError(f"{self.what}: {problem}; the listing was stopped.")

    def take(self, page: Page[T], limit: int, *, whole: bool = False) -> int:
        """Account for one page; returns how many records the server says it holds.

        ``whole`` allows a page longer than ``limit`` when it holds the entire list (a server
        that ignores ``limit`` but answers truthfully).
        """
        size = len(page.data) + page.skipped
        self.pages += 1
        if size > limit and not whole:
            raise self.bad(f"the server sent {size:,} records on a page of at most {limit:,}")
        self.records += size
        if self.records > self.max_records:
            raise self.bad(
                f"the server sent more than {self.max_records:,} records, "
                "the most drtui reads in one listing"
            )
        if self.pages > self.max_pages:
            raise self.bad(f"the server's pages went past {self.max_pages:,}")
        ids = [key for record in page.data if (key := getattr(record, "id", None)) is not None]
        if len(ids) >= 2 and len(ids) == size and all(key in self.ids for key in ids):
            raise self.bad("the server sent a page that repeats records it had already sent")
        self.ids.update(ids)
        return size


async def fetch_all_pages(
    fetch_offset: Callable[[int, int], Awaitable[Page[T]]],
    fetch_url: Callable[[str], Awaitable[Page[T]]],
    *,
    page_size: int = PAGE_SIZE,
    concurrency: int = 4,
    max_pages: int = MAX_PAGES,
    max_records: int = MAX_RECORDS,
    deadline: float | None = None,
    what: str = "The list",
) -> list[T]:
    """All records of a list, in order, without duplicates (by ``id``).

    ``fetch_offset(offset, limit)`` fetches one page by offset; ``fetch_url(url)`` fetches the
    page a ``next`` link names. ``what`` names the list in error sentences ("host's GET
    /deployments/"). ``deadline`` (seconds) bounds the whole listing; past it the listing is
    cancelled and ``DeadlineExceeded`` raised.
    """
    listing = _Listing(what, max_pages, max_records)
    work = _fetch_all(fetch_offset, fetch_url, listing, page_size, concurrency)
    if deadline is None:
        return await work
    try:
        async with asyncio.timeout(deadline):
            return await work
    except TimeoutError:
        raise DeadlineExceeded(
            f"{what} did not finish within {deadline:g} seconds "
            f"({listing.pages:,} pages read); the listing was stopped."
        ) from None


async def _fetch_all(
    fetch_offset: Callable[[int, int], Awaitable[Page[T]]],
    fetch_url: Callable[[str], Awaitable[Page[T]]],
    listing: _Listing,
    page_size: int,
    concurrency: int,
) -> list[T]:
    first = await fetch_offset(0, page_size)
    total = first.total_count
    got = listing.take(first, page_size, whole=total is not None and total <= listing.max_records)
    pages = [first]
    if total is None:
        pages += await _follow_next(first, fetch_url, listing, page_size)
    elif total < 0:
        raise listing.bad(f"the server gave a negative totalCount ({total:,})")
    elif total > listing.max_records:
        raise listing.bad(
            f"the server claims {total:,} records, more than the {listing.max_records:,} "
            "drtui reads in one listing"
        )
    elif got > page_size and got != total:
        raise listing.bad(f"the server sent {got:,} records on a page of at most {page_size:,}")
    elif got < total:
        if got == 0:
            raise listing.bad(f"the server claims {total:,} records but its first page is empty")
        step = got if got < page_size else page_size  # the server caps the page size
        needed = 1 + -(-(total - got) // step)
        if needed > listing.max_pages:
            raise listing.bad(
                f"the server's {total:,} records at {step:,} a page would take {needed:,} "
                f"pages, more than the {listing.max_pages:,} drtui reads in one listing"
            )
        pages += await _fetch_offsets(
            fetch_offset, range(step, total, step), step, concurrency, listing
        )
    return _unique([record for page in pages for record in page.data])


async def _fetch_offsets(
    fetch_offset: Callable[[int, int], Awaitable[Page[T]]],
    offsets: range,
    limit: int,
    concurrency: int,
    listing: _Listing,
) -> list[Page[T]]:
    """The pages at ``offsets``, at most ``concurrency`` in flight, tasks made as slots free.

    A short page means the list ended (it shrank since the first page): no further offsets
    are requested. The first failure cancels the pages in flight: a partial fleet is not a fleet.
    """
    pending: dict[asyncio.Task[Page[T]], int] = {}
    results: dict[int, Page[T]] = {}
    remaining = iter(offsets)
    ended = False
    try:
        while True:
            while not ended and len(pending) < max(1, concurrency):
                offset = next(remaining, None)
                if offset is None:
                    ended = True
                    break
                pending[asyncio.ensure_future(fetch_offset(offset, limit))] = offset
            if not pending:
                break
            done, _ = await asyncio.wait(set(pending), return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                offset = pending.pop(task)
                page = task.result()
                if listing.take(page, limit) < limit:
                    ended = True
                results[offset] = page
    finally:
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
    return [results[offset] for offset in sorted(results)]


async def _follow_next(
    first: Page[T],
    fetch_url: Callable[[str], Awaitable[Page[T]]],
    listing: _Listing,
    page_size: int,
) -> list[Page[T]]:
    pages: list[Page[T]] = []
    seen: set[str] = set()
    link = first.next if first.data else None
    while link and link not in seen:
        seen.add(link)
        page = await fetch_url(link)
        listing.take(page, max(page_size, len(first.data) + first.skipped))
        pages.append(page)
        link = page.next if page.data else None
    return pages


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
