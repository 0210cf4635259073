"""A log's raw lines as `LogLine`s: sanitised, a JSON record compacted, its level and time read.

A line that continues a record (a traceback) keeps its error line's record, level and time, even
across polls (`LineParser` keeps the open record). Pure Python, no I/O, no Textual.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from drtui.core.sanitize import clean, clean_lines, is_invisible

LINE_LIMIT = 8_000
"""Characters of one line kept for drawing (a megabyte line is cut, not drawn)."""

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
