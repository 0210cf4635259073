"""Make server strings safe to draw.

Labels, descriptions, tags and messages come from other people; a terminal escape sequence in a
label must not move the cursor, retitle the window or set the clipboard on the engineer's machine.
Every server string goes through `clean` before it reaches a widget.

The API token is a secret every function here removes (`register_secret`): a server that
echoes it into a label, a message or a log must not get it onto the screen, into an export, the
history database or a saved file's name.
"""

from __future__ import annotations

import re
import unicodedata

# ----- secrets: a server that echoes the token back must not get it shown, saved or exported --

MIN_SECRET_LENGTH = 8
"""A secret this long or longer is scrubbed wherever it occurs. A shorter one (a test token such
as ``T``; no DataRobot token is this short) is not registered: scrubbing a one-letter word out
of every label would destroy the text, and the client still scrubs it from its own errors."""
MAX_SECRETS = 16
"""At most this many secrets are remembered (a process uses one or two tokens)."""
SECRET_MARK = "[token]"

_secrets: tuple[str, ...] = ()
"""Replaced whole, never changed in place: a reader on another thread sees one tuple or the
next (core takes no lock; clients are made on the main thread)."""


def register_secret(secret: str | None) -> None:
    """Remember ``secret`` (an API token) so that every sanitising function here removes it:
    labels, messages, logs, file names, exports, whatever a server echoes it into. Called where
    a client is made, once its token has been checked. Idempotent; bounded by MAX_SECRETS."""
    global _secrets
    if not secret or len(secret) < MIN_SECRET_LENGTH:
        return
    if secret in _secrets:
        return
    # Longest first, so a secret containing another is replaced whole.
    kept = sorted((*_secrets, secret), key=len, reverse=True)
    _secrets = tuple(kept[:MAX_SECRETS])


def scrub_secrets(text: str) -> str:
    """``text`` with every registered secret replaced by ``[token]``."""
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, SECRET_MARK)
    return text


# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), DCS/SOS/PM/APC (ESC P/X/^/_ ... ST), the
# C1 single-character forms (0x9b CSI, 0x9d OSC, ...), and two-character ESC sequences.
_ESCAPE_SEQUENCE = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]                       # CSI
    | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f]).*?(?:\x07|\x1b\\|\x9c|$)  # OSC/DCS/SOS/PM/APC
    | \x1b[ -/]*[0-~]?                                     # other ESC sequences, or a lone ESC
    """,
    re.VERBOSE | re.DOTALL,
)
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")
FORMAT_CHARACTERS = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f"
)
"""Unicode's format characters (category Cf), as a regular-expression class body: invisible
characters that reorder (bidi marks and isolates, U+061C), join or hide text (zero-width,
U+2060 word joiner, U+FEFF byte order mark), so a label could look like another."""
_CONTROL = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{FORMAT_CHARACTERS}\\ud800-\\udfff]")
"""Control and format characters (zero-width, bidi...), and lone surrogates (a JSON
``\\ud800`` escape decodes to one; no terminal or UTF-8 stream can take it)."""
_INVISIBLE = frozenset({"Cc", "Cf", "Cs"})
"""Categories stripped still (a format character newer than the list above)."""


def is_invisible(char: str) -> bool:
    """Whether the sanitiser removes ``char`` (a control, format or surrogate character): for a
    reader of JSON escapes (``\\u2060`` in a log line) to tell which ones must not be decoded
    live, exactly as `clean` would tell for the character itself."""
    return char != "\t" and (
        bool(_CONTROL.match(char))
        or (not char.isprintable() and unicodedata.category(char) in _INVISIBLE)
    )


def _strip_invisible(text: str) -> str:
    """What the patterns left that is still a control, format or surrogate character."""
    if text.isprintable():
        return text
    return "".join(
        ch for ch in text if ch.isprintable() or unicodedata.category(ch) not in _INVISIBLE
    )


_SPACES = re.compile(r"[ \t]{2,}")


def clean(value: object, *, limit: int = 2000) -> str:
    """One printable line: escape sequences and control characters removed, breaks collapsed.

    `limit` bounds what a single cell or field can cost to render; a megabyte label is cut, not
    drawn. Bidi overrides go too, so a label cannot visually reorder the columns after it.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if _secrets:
        text = scrub_secrets(text)  # before any cut: no prefix of a secret is left
    if text.isprintable() and text.strip() == text:
        # Fast path for the usual label: no control, format (bidi, zero-width) or separator
        # characters, which is exactly what str.isprintable() rules out.
        return text if len(text) <= limit else text[: limit - 1] + "…"
    if len(text) > limit * 4:
        text = text[: limit * 4]
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = _LINE_BREAKS.sub(" ", text)
    text = _strip_invisible(_CONTROL.sub("", text.replace("\t", " ")))
    text = _SPACES.sub(" ", text).strip()
    if _secrets:
        text = scrub_secrets(text)  # one split by an escape sequence is whole again now
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def clean_lines(value: object, *, limit: int = 1_000_000) -> str:
    """Multi-line server text (a log) made safe to print: each line as `clean` makes it.

    Line breaks survive as ``\\n``; escape sequences, control and bidi characters do not.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if _secrets:
        text = scrub_secrets(text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    if text.isprintable():
        return text
    lines = (_ESCAPE_SEQUENCE.sub("", line) for line in _LINE_BREAKS_ONE.split(text))
    text = "\n".join(
        _strip_invisible(_CONTROL.sub("", line.replace("\t", "    "))).rstrip() for line in lines
    )
    return scrub_secrets(text) if _secrets else text


_LINE_BREAKS_ONE = re.compile(r"\r\n|[\r\n\u2028\u2029\x0b\x0c\x85]")


_UNSAFE_IN_NAMES = re.compile(r"[^\w.+=@-]", re.ASCII)


def safe_filename(value: object, *, default: str) -> str:
    """A server-supplied file name reduced to a safe base name, or ``default``.

    No directory part (``/`` or ``\\``), no ``..``, no control characters, no leading dot (a
    hidden file, or a name that means "here" or "up"), nothing but letters, digits and
    ``._-+=@``, at most 200 characters. The result can only name a file inside the folder it is
    joined to.
    """
    text = clean(value, limit=1000)
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = _UNSAFE_IN_NAMES.sub("_", text).lstrip(".-")
    text = text[:200]
    if not text or set(text) <= {".", "_"}:
        return default
    return text
