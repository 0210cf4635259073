"""Server logs as lines: what changed between two snapshots, parsing, a bounded buffer, filters.

DataRobot's log endpoints answer with the whole log every time (capped near 1 MB, the head cut).
Following a log means finding, in each new snapshot, where the previous one ends (`overlap`), so
exactly the new lines are appended: nothing duplicated when the log grew, nothing lost when its
head was cut off, and a marker when the model restarted and the log began again.

Pure Python, no I/O, no Textual: the log view and the benchmark share it.
"""

from __future__ import annotations

import heapq
import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from drtui.core.sanitize import clean, clean_lines, is_invisible

DEFAULT_CAPACITY = 100_000
"""Lines a log view keeps; older lines are dropped from the top and counted."""
LINE_LIMIT = 8_000
"""Characters of one line kept for drawing (a megabyte line is cut, not drawn)."""
MAX_CANDIDATES = 64
"""Anchored overlap candidates tried before the linear-time search takes over."""
TEXT_LIMIT = 2_000_000
"""Characters of one log snapshot kept: its newest whole lines. Twice the server's own cap (near
1 MB), so a real log is never cut here; a bigger answer loses its head, as the server's cap
does, never its tail (the newest lines are the ones a follower needs)."""

# ----- a snapshot's text -------------------------------------------------------------------------


def log_tail(text: str, limit: int = TEXT_LIMIT) -> str:
    """The newest whole lines of `text` that fit in `limit` characters.

    The cut falls on a line boundary, so the first line kept is a whole line; only a last line
    longer than `limit` on its own is kept in part (its end).
    """
    if len(text) <= limit:
        return text
    start = len(text) - limit
    if text[start - 1] == "\n":
        return text[start:]
    newline = text.find("\n", start)
    if newline == -1 or newline == len(text) - 1:
        return text[start:]  # one line longer than the limit: its newest characters
    return text[newline + 1 :]


def clean_log(text: str, limit: int = TEXT_LIMIT) -> str:
    """A log snapshot as the server sent it, made safe to draw and bounded: its newest lines
    within `limit` characters (`log_tail`), then each line sanitised (`clean_lines`).

    Cutting before sanitising keeps the tail: `clean_lines`'s own bound keeps the head, which
    for a log at the server's cap would drop exactly the lines a follower is waiting for.
    """
    return clean_lines(log_tail(text, limit), limit=limit)


# ----- overlap of two snapshots -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Delta:
    """What a new snapshot adds to the previous one."""

    added: Sequence[str]
    """Lines to append, in order."""
    restarted: bool = False
    """No overlap with a non-empty previous snapshot: the log began again (or was replaced)."""
    cut: int = 0
    """Lines at the head of the previous snapshot that the new one no longer holds."""


def overlap(previous: Sequence[str], current: Sequence[str]) -> Delta:
    """The lines `current` adds after `previous`, two snapshots of the same log.

    The previous snapshot's longest suffix that is a prefix of the new one is what both hold
    (the server keeps the newest lines and cuts the head): what follows it is new. No overlap
    means the log began again (a restart) unless the new snapshot is empty and so was the old.
    A snapshot that is wholly inside the previous one (it shrank: only its head was cut) adds
    nothing. A first line that is the end of a line the previous snapshot holds (the head was
    cut inside a line) is passed over.
    """
    n, m = len(previous), len(current)
    if n == 0:
        return Delta(list(current))
    if m == 0:
        return Delta([], restarted=True, cut=n)
    # Growth without a cut (the usual poll): the previous snapshot is a prefix of the new one.
    if m >= n and current[n - 1] == previous[n - 1] and current[:n] == previous:
        return Delta(current[n:])
    size = _longest_suffix_prefix(previous, current)
    if size:
        return Delta(current[size:], cut=n - size)
    if m > 1:
        # The server may cut the head inside a line: the new snapshot then begins with the end
        # of a line the previous one holds whole, and the overlap starts after it.
        size = _longest_suffix_prefix(previous, current[1:])
        if 0 < size < n and previous[n - size - 1].endswith(current[0]):
            return Delta(current[1 + size :], cut=n - size - 1)
    return Delta(list(current), restarted=True, cut=n)


def _longest_suffix_prefix(previous: Sequence[str], current: Sequence[str]) -> int:
    """Length of the longest suffix of `previous` that is a prefix of `current`."""
    n, m = len(previous), len(current)
    start = max(0, n - m)  # an overlap cannot be longer than the new snapshot
    first = current[0]
    tried = 0
    i = start
    prev_list = previous if isinstance(previous, list) else list(previous)
    while tried < MAX_CANDIDATES:
        try:
            i = prev_list.index(first, i, n)
        except ValueError:
            return 0
        size = n - i
        if prev_list[i:] == list(current[:size]):
            return size
        tried += 1
        i += 1
    return _kmp_overlap(prev_list[start:], current)


def _kmp_overlap(tail: Sequence[str], current: Sequence[str]) -> int:
    """Knuth–Morris–Pratt over lines: linear even for a log of identical lines."""
    m = len(current)
    failure = [0] * m
    k = 0
    for q in range(1, m):
        while k and current[q] != current[k]:
            k = failure[k - 1]
        if current[q] == current[k]:
            k += 1
        failure[q] = k
    k = 0
    for line in tail:
        while k and (k == m or line != current[k]):
            k = failure[k - 1]
        if k < m and line == current[k]:
            k += 1
    return k


# ----- lines ---------------------------------------------------------------------------------

DEBUG, INFO, WARNING, ERROR = 10, 20, 30, 40
LEVEL_NAMES = {
    "CRITICAL": ERROR + 10,
    "FATAL": ERROR + 10,
    "ERROR": ERROR,
    "ERR": ERROR,
    "EXCEPTION": ERROR,
    "WARNING": WARNING,
    "WARN": WARNING,
    "INFO": INFO,
    "NOTICE": INFO,
    "DEBUG": DEBUG,
    "TRACE": DEBUG,
}
LEVEL_WORD = {ERROR + 10: "CRIT", ERROR: "ERROR", WARNING: "WARN", INFO: "INFO", DEBUG: "DEBUG"}
_LEVEL = re.compile(r"\b(CRITICAL|FATAL|ERROR|ERR|WARNING|WARN|INFO|NOTICE|DEBUG|TRACE)\b")
_STAMP = re.compile(
    r"^\[?(\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?)\]?\s?"
)
_CONTINUATION = re.compile(
    r"^(?:\s|Traceback \(|During handling|The above exception|[\w.]*(?:Error|Exception|Warning"
    r"|Exit|Interrupt)\b|\^+$)"
)


@dataclass(slots=True)
class LogLine:
    """One line as drawn: sanitised text, its record's level and time, where it came from."""

    text: str
    """What is drawn (a JSON line compacted: time, level, message, the rest)."""
    level: int = 0
    stamp: float | None = None
    """Seconds since the epoch of its record (for merging); None when the log has no times."""
    stamp_len: int = 0
    """Leading characters that are the timestamp (hidden when timestamps are off)."""
    record: int = 0
    """The record the line belongs to: a traceback shares its error line's record."""
    source: int = 0
    """Which log (of a merged view) it came from."""
    raw: str | None = None
    """The line as the server wrote it (sanitised), when `text` differs (JSON)."""
    marker: bool = False
    """A line drtui wrote (the log began again), not the server."""

    @property
    def original(self) -> str:
        return self.text if self.raw is None else self.raw

    def pretty(self) -> str:
        """The whole line, pretty-printed when it is JSON (for `enter`)."""
        source = self.original
        if source.startswith("{"):
            try:
                value = json.loads(source)
            except ValueError:
                return source
            return clean_lines(json.dumps(value, indent=2, ensure_ascii=False))
        return source


_RECORDS = itertools.count(1)

_ESCAPED = re.compile(
    r"(?<!\\)((?:\\\\)*)\\u(?:([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})"
    r"|([0-9a-fA-F]{4}))"
)
"""A JSON ``\\u`` escape (a surrogate pair as one), preceded by an even number of backslashes, so
it is an escape and not an escaped backslash followed by ``u``."""


def _picture(match: re.Match[str]) -> str:
    if match.group(4) is not None:
        code = int(match.group(4), 16)
        if 0xD800 <= code <= 0xDFFF:  # half a pair: no character to judge
            return match.group(0)
    else:
        high, low = int(match.group(2), 16), int(match.group(3), 16)
        code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
    if not is_invisible(chr(code)):
        return match.group(0)
    if code < 0x20:
        shown = chr(0x2400 + code)  # ␛ for ESC: the Unicode control pictures
    elif code == 0x7F:
        shown = "\u2421"
    else:
        shown = "\ufffd"
    return match.group(1) + shown


def neutralise_json_escapes(text: str) -> str:
    """`text` (a JSON log line) with escaped control characters made visible and harmless.

    Sanitising removes control characters, but a JSON string can still hold ``"\\u001b[31m"``:
    six printable characters that `jq -r` (or any JSON reader) turns back into a live escape
    sequence. Each escape of a character the sanitiser would remove (`is_invisible`: controls,
    format characters such as bidi marks, zero-width and tag characters) becomes its picture
    (``␛`` for ESC, U+FFFD for the rest), so the line stays valid JSON and says what was there.
    """
    if "\\u" not in text or not text.lstrip().startswith(("{", "[")):
        return text
    return _ESCAPED.sub(_picture, text)


def parse_stamp(text: str) -> float | None:
    try:
        value = datetime.fromisoformat(text.replace(",", ".").replace(" ", "T", 1))
    except ValueError:
        return None
    if value.tzinfo is None:  # a log without a zone: read as UTC, the servers' habit
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


def level_of(word: object) -> int:
    return LEVEL_NAMES.get(str(word).upper(), 0) if word is not None else 0


def _field(obj: dict[str, object], *names: str) -> object:
    for name in names:
        if name in obj:
            return obj[name]
    return None


def _compact_json(obj: dict[str, object]) -> tuple[str, str, int]:
    """(stamp text, text without the stamp, level) of a JSON record: level and message first."""
    stamp = _field(obj, "timestamp", "time", "ts", "@timestamp", "asctime")
    level_word = _field(obj, "level", "levelname", "severity", "lvl")
    message = _field(obj, "message", "msg", "event")
    level = level_of(level_word)
    rest = []
    for key, value in obj.items():
        if value is None or key in (
            "timestamp",
            "time",
            "ts",
            "@timestamp",
            "asctime",
            "level",
            "levelname",
            "severity",
            "lvl",
            "message",
            "msg",
            "event",
        ):
            continue
        if isinstance(value, str) and "\n" in value:  # a traceback: its last line says most
            lines = [line for line in value.splitlines() if line.strip()]
            value = f"{lines[-1].strip()} (+{len(lines) - 1} lines, enter shows)" if lines else ""
        elif not isinstance(value, str):
            value = json.dumps(value, ensure_ascii=False)
        rest.append(f"{key}={value}")
    word = LEVEL_WORD.get(level) or clean(level_word, limit=10).upper() or "-"
    body = f"{word:<5} {clean(message, limit=LINE_LIMIT) if message is not None else ''}"
    if rest:
        body += "  · " + clean(" ".join(rest), limit=LINE_LIMIT)
    return (clean(stamp, limit=40) if stamp is not None else ""), body, level


class LineParser:
    """Turns one log's raw lines into `LogLine`s; keeps the open record across polls (a
    traceback split by a poll still belongs to its error line)."""

    def __init__(self, source: int = 0) -> None:
        self.source = source
        self._record = 0
        self._level = 0
        self._stamp: float | None = None

    def copy(self) -> LineParser:
        """The same state, to parse ahead in a thread and commit only if the result is used."""
        clone = LineParser(self.source)
        clone._record, clone._level, clone._stamp = self._record, self._level, self._stamp
        return clone

    def marker(self, text: str) -> LogLine:
        return LogLine(
            clean(text, limit=500),
            level=0,
            stamp=self._stamp,
            record=next(_RECORDS),
            source=self.source,
            marker=True,
        )

    def parse(self, raw_lines: Iterable[str]) -> list[LogLine]:
        out: list[LogLine] = []
        append = out.append
        for raw in raw_lines:
            append(self.line(raw))
        return out

    def line(self, raw: str) -> LogLine:
        text = raw if raw.isprintable() else clean_lines(raw)
        if len(text) > LINE_LIMIT:
            text = text[: LINE_LIMIT - 1] + "…"
        safe = neutralise_json_escapes(text)  # what `enter` shows and a save writes
        if text.startswith("{") and text.rstrip().endswith("}"):
            try:
                obj = json.loads(text)
            except ValueError:
                obj = None
            if isinstance(obj, dict):
                stamp_text, body, level = _compact_json(obj)
                self._record = next(_RECORDS)
                self._level = level
                stamp = parse_stamp(stamp_text) if stamp_text else None
                if stamp is not None:
                    self._stamp = stamp
                shown = f"{stamp_text} {body}" if stamp_text else body
                return LogLine(
                    shown,
                    level,
                    self._stamp,
                    len(stamp_text) + 1 if stamp_text else 0,
                    self._record,
                    self.source,
                    raw=safe,
                )
        text = safe
        match = _STAMP.match(text)
        if match is None and self._record and _CONTINUATION.match(text):
            return LogLine(text, self._level, self._stamp, 0, self._record, self.source)
        self._record = next(_RECORDS)
        stamp_len = 0
        if match is not None:
            stamp = parse_stamp(match.group(1))
            if stamp is not None:
                self._stamp = stamp
            stamp_len = match.end()
        found = _LEVEL.search(text, stamp_len, stamp_len + 60)
        self._level = LEVEL_NAMES[found.group(1)] if found else 0
        return LogLine(text, self._level, self._stamp, stamp_len, self._record, self.source)


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
