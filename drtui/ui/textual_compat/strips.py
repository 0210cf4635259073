"""Strips that reference counting frees: `Strip.divide` without its one reference cycle.

Textual's `Strip.divide` caches `[self]` in the strip's own cache when nothing is cut (every
full-width line the compositor draws): a reference cycle, so every drawn strip alive at a
`gc.freeze` became frozen garbage once dropped (ui/heap.py says why that matters).
`acyclic_strips()` makes the uncut case return `[self]` without caching it (nothing is
computed for it) and leaves every other case to Textual.

Textual internal: `Strip.divide` (replaced for the whole process). `STRIPS_OK` says whether it
still behaves as the replacement assumes; when it does not, nothing is replaced.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Sequence
from typing import Any

from rich.segment import Segment
from textual.strip import Strip

TEXTUAL_DIVIDE = Strip.divide
"""Textual's own `Strip.divide`, which the replacement calls for every cut line."""


def _divide(self: Strip, cuts: Iterable[int]) -> Sequence[Strip]:
    """Strip.divide without caching the uncut case (`[self]` in its own cache is a cycle)."""
    length = self.cell_length
    kept = [cut for cut in cuts if cut <= length]
    if kept == [length]:
        return [self]
    return TEXTUAL_DIVIDE(self, kept)


def check_strip_divide() -> list[str]:
    """What the replacement relies on and Textual no longer does (empty: all as assumed)."""
    found = tuple(inspect.signature(TEXTUAL_DIVIDE).parameters)
    if found != ("self", "cuts"):
        return [f"Strip.divide{found} is not divide('self', 'cuts')"]
    problems = []
    strip = Strip([Segment("hello "), Segment("world")])
    if not isinstance(getattr(strip, "cell_length", None), int):
        problems.append("Strip.cell_length is not an int")
    elif TEXTUAL_DIVIDE(strip, [11]) != [strip]:
        problems.append("Strip.divide of an uncut strip is not [strip]")
    for cuts in ([11, 20], [5, 11], [3, 7]):
        ours = [part.text for part in _divide(strip, cuts)]
        theirs = [part.text for part in TEXTUAL_DIVIDE(strip, cuts)]
        if ours != theirs:
            problems.append(f"Strip.divide{cuts}: {theirs}, the replacement {ours}")
    return problems


STRIPS_OK = not check_strip_divide()
"""Read by `acyclic_strips`: False leaves Textual's `Strip.divide` in place."""


def acyclic_strips() -> bool:
    """Draw with strips that reference counting frees (idempotent; see the module docstring).
    False when Textual's `Strip.divide` is not what the replacement assumes (left alone)."""
    if not STRIPS_OK:
        return False
    strip: Any = Strip
    strip.divide = _divide
    return True
