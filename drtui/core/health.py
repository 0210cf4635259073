"""The health vocabulary: how bad each status is, and how it reads without colour.

Health must be readable by glyph and word alone (NO_COLOR, 16-colour terminals, screen readers
reading the text), so the word carries the meaning and colour only reinforces it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

DIMENSIONS: Final = ("service", "model", "accuracy")
"""The three health dimensions the table and the alerts follow, in display order."""

DIMENSION_TITLES: Final = {"service": "Service", "model": "Model", "accuracy": "Accuracy"}


@dataclass(frozen=True, slots=True)
class HealthLook:
    """How one status is drawn: glyph, short word, and the style class the theme colours."""

    glyph: str
    word: str
    tone: str  # "bad" | "warn" | "good" | "muted"

    @property
    def cell(self) -> str:
        return f"{self.glyph} {self.word}"


_LOOKS: Final = {
    "failing": HealthLook("✗", "FAIL", "bad"),
    "warning": HealthLook("!", "WARN", "warn"),
    "passing": HealthLook("✓", "OK", "good"),
    "unavailable": HealthLook("·", "N/A", "muted"),
    "notstarted": HealthLook("·", "N/A", "muted"),
    "not_started": HealthLook("·", "N/A", "muted"),
    "unknown": HealthLook("?", "UNK", "muted"),
    "": HealthLook("?", "UNK", "muted"),
}

# Lower is worse. Unknown-to-us values rank just below passing: not known to be fine, but not
# known to be broken either, so they sort after real warnings and ahead of healthy rows.
_SEVERITY: Final = {
    "failing": 0,
    "warning": 1,
    "unknown": 3,
    "": 3,
    "unavailable": 4,
    "notstarted": 4,
    "not_started": 4,
    "passing": 5,
}
_UNRECOGNISED_SEVERITY: Final = 2


def normalise(status: str | None) -> str:
    """The status as compared: lowercase, `not_started` and `notStarted` the same."""
    return (status or "").strip().lower().replace("_", "")


def look(status: str | None) -> HealthLook:
    """Glyph and word for a status; a value we do not know is shown verbatim, never hidden."""
    key = normalise(status)
    found = _LOOKS.get(key)
    if found is not None:
        return found
    return HealthLook("?", (status or "").strip()[:12], "muted")


def severity(status: str | None) -> int:
    """Rank for sorting and for deciding whether a change is a degradation (lower is worse)."""
    return _SEVERITY.get(normalise(status), _UNRECOGNISED_SEVERITY)


def is_passing(status: str | None) -> bool:
    return normalise(status) == "passing"


def is_problem(status: str | None) -> bool:
    """Failing, warning, or a value this version does not know (assume the worst of it)."""
    return severity(status) <= _UNRECOGNISED_SEVERITY


def summary_bucket(status: str | None) -> str:
    """Which header counter a status adds to: failing, warning, passing or other."""
    key = normalise(status)
    return key if key in ("failing", "warning", "passing") else "other"
