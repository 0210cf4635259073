"""A log snapshot's text, and what a new snapshot adds to the previous one.

DataRobot's log endpoints answer with the whole log every time (capped near 1 MB, the head cut).
Following a log means finding, in each new snapshot, where the previous one ends (`overlap`), so
exactly the new lines are appended: nothing duplicated when the log grew, nothing lost when its
head was cut off, and a marker when the model restarted and the log began again.

Pure Python, no I/O, no Textual: the log view and the benchmark share it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from drtui.core.sanitize import clean_lines

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
