"""Hypothesis strategies for what a hostile or broken server can send.

Documents start from real emulator answers and are damaged the ways PROTOCOL-NOTES.md and
experience say servers damage them: fields removed, null, the wrong type, unknown enum values,
extra fields, huge strings, control characters and terminal escape sequences.
"""

from __future__ import annotations

import json
import re
from typing import Any

from hypothesis import strategies as st

HOSTILE_TEXT = (
    "\x1b[31mred\x1b[0m",
    "\x1b]0;pwned\x07",
    "\x1b]52;c;cm0gLXJmIH4=\x07",  # OSC 52: set the clipboard
    "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\",
    "\x1bP+q544e\x1b\\",
    "\x9b2J\x9d0;title\x9c",
    "\x1b[2J\x1b[H",
    "\x1b",
    "[bold red]x[/]",
    "[link=file:///etc/passwd]y[/link]",
    "line\r\nbreak\x0bvt\x0cff\x85nel\u2028ls",
    "nul\x00del\x7fbs\x08bel\x07",
    "\u202eevil\u202c \u2066iso\u2069 zw\u200bsp",
    "\t\ttabs\t",
    "🦊 wide 全角 e\u0301",
)
"""Escape sequences that retitle the window, set the clipboard, clear the screen or hide a
link, C0/C1 controls, bidi overrides, Rich markup: none may reach the terminal as such."""

EXTREME_DATES = (
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-12:00",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "1970-01-01T00:00:00Z",
    "2026-02-30T25:61:00Z",
    "not a date",
    "",
)
"""The first two parse but have no UTC equivalent: datetime.astimezone overflows on them."""

UNKNOWN_ENUMS = ("notStarted", "not_started", "DEGRADED", "", "FAILING", "passing ", "🔥")

texts = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.sampled_from(EXTREME_DATES + UNKNOWN_ENUMS),
    st.text(st.characters(max_codepoint=0x2FF), max_size=30),
    st.builds(
        lambda piece, n: piece * n, st.sampled_from((*HOSTILE_TEXT, "x")), st.integers(500, 6000)
    ),
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts,
    lambda kids: (
        st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=10), kids, max_size=3)
    ),
    max_leaves=6,
)
OPERATIONS = (
    "keep",
    "keep",
    "recurse",
    "recurse",
    "drop",
    "null",
    "replace",
    "text",
    "variant",
    "variant",
)
_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT")


def _variant(value: Any) -> st.SearchStrategy[Any]:
    """A wrong value of the right kind: an extreme date for a date, an odd word for a word."""
    if isinstance(value, str) and _TIMESTAMP.match(value):
        return st.sampled_from(EXTREME_DATES)
    if isinstance(value, str):
        return st.sampled_from(UNKNOWN_ENUMS + HOSTILE_TEXT)
    if isinstance(value, bool):
        return st.sampled_from(("true", 1, "yes", None))
    if isinstance(value, int | float):
        return st.sampled_from((-1, 10**30, 1.5, "12", float("1e308")))
    return json_values


def _operated(draw: st.DrawFn, operation: str, item: Any) -> Any:
    match operation:
        case "keep":
            return item
        case "recurse":
            return draw(damaged(item))
        case "null":
            return None
        case "replace":
            return draw(json_values)
        case "text":
            return draw(texts)
        case _:
            return draw(_variant(item))


@st.composite
def damaged(draw: st.DrawFn, value: Any) -> Any:
    """`value` with some of its fields removed, nulled, retyped or made hostile, at any depth."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            operation = draw(st.sampled_from(OPERATIONS))
            if operation != "drop":
                out[key] = _operated(draw, operation, item)
        out.update(draw(st.dictionaries(st.text(max_size=12), json_values, max_size=2)))
        return out
    if isinstance(value, list):
        items = [draw(damaged(item)) for item in value[:3]]
        return items + draw(st.lists(json_values, max_size=2))
    return draw(st.one_of(st.just(value), _variant(value)))


def bodies(sample: Any) -> st.SearchStrategy[bytes]:
    """A response body: mostly `sample` damaged, sometimes not JSON or not an object at all."""
    return st.one_of(
        damaged(sample).map(lambda doc: json.dumps(doc).encode()),
        damaged(sample).map(lambda doc: json.dumps(doc).encode()),
        damaged(sample).map(lambda doc: json.dumps(doc).encode()),
        json_values.map(lambda doc: json.dumps(doc).encode()),
        st.binary(max_size=40),
        damaged(sample).map(lambda doc: json.dumps(doc).encode()[:-7]),
    )


UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""C0 and C1 controls (ESC, BEL, CSI, OSC...) and bidi overrides: never drawn."""


def unsafe_characters(text: str) -> list[str]:
    return sorted({repr(c) for c in UNSAFE.findall(text)})
