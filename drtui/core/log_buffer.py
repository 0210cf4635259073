"""The lines a log view keeps and which of them show: a bounded buffer, logs merged by time,
filters with context, and search.

Lines have absolute numbers (`LogBuffer`), so a filter's result and a cursor survive the head
being dropped. Pure Python, no I/O, no Textual.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from drtui.core.log_lines import LogLine
from drtui.core.sanitize import clean

DEFAULT_CAPACITY = 100_000
"""Lines a log view keeps; older lines are dropped from the top and counted."""


# ----- the bounded buffer ----------------------------------------------------------------------


@dataclass
class LogBuffer:
    """The lines of a view, at most `capacity` (the oldest dropped and counted).

    Lines have absolute numbers: line `k` of everything ever kept is `lines[k - dropped]`, so
    a filter's result survives the head being dropped.
    """

    capacity: int = DEFAULT_CAPACITY
    lines: list[LogLine] = field(default_factory=list)
    dropped: int = 0

    @property
    def end(self) -> int:
        """Absolute number after the last line."""
        return self.dropped + len(self.lines)

    def __len__(self) -> int:
        return len(self.lines)

    def at(self, number: int) -> LogLine:
        return self.lines[number - self.dropped]

    def extend(self, lines: Sequence[LogLine]) -> int:
        """Append; returns how many old lines were dropped to stay within capacity."""
        self.lines.extend(lines)
        return self._trim()

    def splice(self, start: int, lines: Sequence[LogLine]) -> int:
        """Replace everything from absolute line `start` on (a merged view inserting older
        records); returns lines dropped."""
        del self.lines[max(0, start - self.dropped) :]
        return self.extend(lines)

    def _trim(self) -> int:
        # Deleting a list's head moves pointers only (a 100,000-line list: tens of µs).
        drop = len(self.lines) - self.capacity
        if drop <= 0:
            return 0
        del self.lines[:drop]
        self.dropped += drop
        return drop


def merge_records(
    existing: Sequence[LogLine], incoming: Sequence[LogLine]
) -> tuple[int, list[LogLine]]:
    """Merge newly arrived lines into the tail of a time-ordered merged log.

    Returns (index into `existing` from which it changes, the new tail). Records (a line and
    its traceback) move together; equal times keep their arrival order. Most batches are newer
    than everything shown and are simply appended (index == len(existing)).
    """
    if not incoming:
        return len(existing), []
    first = min((line.stamp for line in incoming if line.stamp is not None), default=None)
    if first is None or not existing:
        return len(existing), list(incoming)
    # Find where records with a later time begin (scanning back from the end: usually short).
    i = len(existing)
    while i > 0:
        stamp = existing[i - 1].stamp
        if stamp is not None and stamp <= first:
            break
        i -= 1
    # Do not split a record.
    while 0 < i < len(existing) and existing[i].record == existing[i - 1].record:
        i += 1
    if i == len(existing):
        return i, list(incoming)
    merged = heapq.merge(
        _records(existing[i:], 0), _records(incoming, 1), key=lambda r: (r[0], r[1])
    )
    return i, [line for _, _, lines in merged for line in lines]


def _records(lines: Sequence[LogLine], rank: int) -> Iterator[tuple[float, int, list[LogLine]]]:
    current: list[LogLine] = []
    stamp = float("-inf")
    for line in lines:
        if current and line.record != current[0].record:
            yield stamp, rank, current
            current = []
        if not current:
            stamp = line.stamp if line.stamp is not None else stamp
        current.append(line)
    if current:
        yield stamp, rank, current


# ----- search and filter -----------------------------------------------------------------------


def compile_pattern(text: str) -> tuple[re.Pattern[str] | None, str]:
    """(pattern, error): a regular expression, case-insensitive unless it has a capital; an
    invalid one is said in one sentence, never raised."""
    if not text:
        return None, ""
    flags = 0 if any(c.isupper() for c in text) else re.IGNORECASE
    try:
        return re.compile(text, flags), ""
    except re.error as error:
        return None, f"Invalid regular expression: {clean(error.msg, limit=80)}."
    except (OverflowError, RecursionError):
        return None, "Invalid regular expression: too complex."


@dataclass(frozen=True, slots=True)
class LineFilter:
    """Which lines show: a pattern (records matching it, or not matching with `!`), a minimum
    level, and lines of context around each."""

    pattern: re.Pattern[str] | None = None
    exclude: bool = False
    min_level: int = 0
    context: int = 0

    @property
    def active(self) -> bool:
        return self.pattern is not None or self.min_level > 0

    @staticmethod
    def parse(text: str, *, min_level: int = 0, context: int = 0) -> tuple[LineFilter, str]:
        """`!` prefix hides matching lines. Returns (filter, error sentence or "")."""
        exclude = text.startswith("!")
        pattern, error = compile_pattern(text[1:] if exclude else text)
        return LineFilter(pattern, exclude and pattern is not None, min_level, context), error


SEPARATOR = -1
"""In a filtered view, a gap between groups of context (drawn as a rule)."""


def matching(lines: Sequence[LogLine], start: int, flt: LineFilter) -> list[int]:
    """Absolute numbers (from `start`, the number of `lines[0]`) of lines whose record passes:
    a record is kept whole when any of its lines matches, and has its first line's level."""
    out: list[int] = []
    pattern = flt.pattern
    search = pattern.search if pattern is not None else None
    min_level = flt.min_level
    exclude = flt.exclude
    i = 0
    n = len(lines)
    while i < n:
        record = lines[i].record
        j = i + 1
        while j < n and lines[j].record == record:
            j += 1
        first = lines[i]
        ok = first.marker or first.level >= min_level
        if ok and search is not None and not first.marker:
            hit = any(search(lines[k].text) for k in range(i, j))
            ok = hit != exclude
        if ok:
            out.extend(range(start + i, start + j))
        i = j
    return out


def with_context(matches: Sequence[int], context: int, end: int, begin: int = 0) -> list[int]:
    """The shown rows: matches with `context` lines either side (within [begin, end)), and a
    SEPARATOR between groups that do not touch."""
    if context <= 0:
        return list(matches)
    out: list[int] = []
    last = begin - 1
    for number in matches:
        low = max(begin, number - context, last + 1)
        high = min(end - 1, number + context)
        if low > high:
            continue
        if out and low > last + 1:
            out.append(SEPARATOR)
        out.extend(range(low, high + 1))
        last = high
    return out


class FilteredView:
    """The rows a filtered log shows, kept up to date as lines are appended (only the new
    lines, and the record still open before them, are tested)."""

    def __init__(self, flt: LineFilter) -> None:
        self.filter = flt
        self.matches: list[int] = []
        self.rows: list[int] = []
        self._tested_to = 0

    def rebuild(self, buffer: LogBuffer) -> None:
        self.matches = matching(buffer.lines, buffer.dropped, self.filter)
        self._tested_to = buffer.end
        self._rows(buffer)

    def changed_from(self, buffer: LogBuffer, start: int) -> None:
        """Lines from absolute `start` on are new (or replaced): test them (with the record
        open before them) and redo the rows."""
        start = max(buffer.dropped, min(start, self._tested_to))
        while (
            buffer.dropped < start < buffer.end
            and buffer.at(start - 1).record == buffer.at(start).record
        ):
            start -= 1
        cut = _bisect_left(self.matches, start)
        del self.matches[cut:]
        self.matches += matching(buffer.lines[start - buffer.dropped :], start, self.filter)
        low = _bisect_left(self.matches, buffer.dropped)
        if low:
            del self.matches[:low]
        self._tested_to = buffer.end
        self._rows(buffer)

    def _rows(self, buffer: LogBuffer) -> None:
        self.rows = with_context(self.matches, self.filter.context, buffer.end, buffer.dropped)


def _bisect_left(values: Sequence[int], target: int) -> int:
    lo, hi = 0, len(values)
    while lo < hi:
        mid = (lo + hi) // 2
        if values[mid] < target:
            lo = mid + 1
        else:
            hi = mid
    return lo


def next_match(
    count: int,
    text_at: Callable[[int], str],
    pattern: re.Pattern[str],
    start: int,
    *,
    backwards: bool = False,
) -> int | None:
    """The next row (after `start`, wrapping) whose text matches, or None."""
    if count == 0:
        return None
    step = -1 if backwards else 1
    for offset in range(1, count + 1):
        row = (start + step * offset) % count
        if pattern.search(text_at(row)):
            return row
    return None
