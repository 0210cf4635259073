"""The fleet as the screen sees it, and what changed between two refreshes.

A refresh must update the table in place, not rebuild it (textual#6666, #4959), so the unit of
work is a diff: which ids changed, appeared or went away, and which health dimensions got worse
or better. The same functions serve `drtui check`, so the CLI and the screen cannot disagree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from drtui.api.models.slim_records import SlimDeployment
from drtui.core.health import DIMENSIONS, is_problem, normalise, severity, summary_bucket
from drtui.core.rows import Row, row_id, row_of

if TYPE_CHECKING:
    from drtui.api.models import Deployment


@dataclass(frozen=True, slots=True)
class Fleet:
    """One refresh's rows keyed by id, in the fetch order (stable; views sort locally).

    `missing` holds ids the last poll did not return but the one before did: they are kept one
    poll longer (a deployment that moved between two page requests, or a page lost to a
    hiccup, is not "removed" then "re-added" with its health change unseen in between).
    """

    rows: dict[str, Row] = field(default_factory=dict)
    missing: frozenset[str] = frozenset()
    texts: dict[str, Row] | None = field(default=None, compare=False, repr=False)
    """`known_texts`, made with the rows (on the poll's build thread) or on first use."""

    @classmethod
    def from_deployments(
        cls,
        deployments: Iterable[SlimDeployment | Deployment | Row],
        previous: Fleet | None = None,
    ) -> Fleet:
        """Rows in fetch order; a duplicate id (paging over a changing list) keeps the first.

        With `previous`, a deployment it had that this poll lacks is carried over once (marked
        missing); missing twice in a row, it is gone. A slim record whose text is the one the
        previous row was read from keeps that row: it is not read or sanitised again. Rows keep
        only their record's text (`Row.origin`), not the slim record. A `Row` given in place of
        a record is kept as it is: the reader found the very text that row was read from
        (`known_texts`, `read_page`'s `known`).
        """
        rows: dict[str, Row] = {}
        before = previous.rows if previous is not None else {}
        for deployment in deployments:
            if isinstance(deployment, Row):
                rows.setdefault(deployment.id, deployment)
                continue
            row = None
            if before and isinstance(deployment, SlimDeployment):
                old = before.get(row_id(deployment.id))
                if old is not None and old.text == deployment.text:
                    row = old
            if row is None:
                row = row_of(deployment, keep_slim=False)
            rows.setdefault(row.id, row)
        missing: set[str] = set()
        if previous is not None:
            for key, row in previous.rows.items():
                if key not in rows and key not in previous.missing:
                    rows[key] = row
                    missing.add(key)
        return cls(rows, frozenset(missing), _by_text(rows))

    def __len__(self) -> int:
        return len(self.rows)

    def known_texts(self) -> dict[str, Row]:
        """Each row by the record text it was read from: what the next poll's reader needs
        not read again (`read_page`'s `known`). The texts are the rows' own strings (no copy).
        Do not change the answer: it is the fleet's own."""
        texts = self.texts
        if texts is None:
            texts = _by_text(self.rows)
            object.__setattr__(self, "texts", texts)
        return texts


def _by_text(rows: dict[str, Row]) -> dict[str, Row]:
    return {text: row for row in rows.values() if (text := row.text) is not None}


@dataclass(frozen=True, slots=True)
class FleetDiff:
    """What a refresh changed; `fleet` is the new state to apply."""

    fleet: Fleet
    changed: frozenset[str]
    added: frozenset[str]
    removed: frozenset[str]
    """Gone for two polls in a row (a single missing poll is carried over, see Fleet)."""

    @property
    def is_empty(self) -> bool:
        return not (self.changed or self.added or self.removed)


@dataclass(frozen=True, slots=True)
class HealthTransition:
    """One dimension of one deployment moving between two statuses."""

    deployment_id: str
    label: str
    dimension: str
    old: str
    new: str
    importance: str = ""
    """The deployment's importance when it moved (CRITICAL, HIGH, MODERATE, LOW, or "")."""

    @property
    def worse(self) -> bool:
        """Moved to a worse status that is a problem (warning, failing, or unrecognised).

        passing → unknown is a loss of data, not a degradation: logged, but no alert.
        """
        return severity(self.new) < severity(self.old) and is_problem(self.new)

    @property
    def better(self) -> bool:
        """A problem that went away or eased (failing → warning, warning → passing...)."""
        return severity(self.new) > severity(self.old) and is_problem(self.old)


def diff(old: Fleet, new: Fleet) -> FleetDiff:
    """Ids whose deployment changed in any field (the detail pane shows them all), added, removed."""
    old_rows, new_rows = old.rows, new.rows
    added = frozenset(new_rows.keys() - old_rows.keys())
    removed = frozenset(old_rows.keys() - new_rows.keys())
    changed = frozenset(
        key
        for key, row in new_rows.items()
        if (before := old_rows.get(key)) is not None
        and before is not row
        and (before != row or not before.same_record(row))
    )
    return FleetDiff(new, changed, added, removed)


def transitions(old: Fleet, new: Fleet, ids: Iterable[str]) -> list[HealthTransition]:
    """Health moves for the given ids (usually `diff.changed`), in the new fleet's (server)
    order, then dimension order: the events log and the toast read the same on every run.

    A first sighting is not a transition: a deployment that appears already failing is in the
    attention view, but it did not just degrade.
    """
    wanted = set(ids)
    moves: list[HealthTransition] = []
    for key in (k for k in new.rows if k in wanted):
        before, after = old.rows.get(key), new.rows.get(key)
        if before is None or after is None:
            continue
        for dimension, was, now in zip(DIMENSIONS, before.health, after.health, strict=True):
            if normalise(was) != normalise(now):
                moves.append(
                    HealthTransition(key, after.label, dimension, was, now, after.importance)
                )
    return moves


@dataclass(frozen=True, slots=True)
class HealthCounts:
    failing: int = 0
    warning: int = 0
    passing: int = 0
    other: int = 0


def summary(rows: Iterable[Row]) -> dict[str, HealthCounts]:
    """Per dimension: how many deployments fail, warn, pass, or are unknown/other."""
    counters = {dimension: Counter[str]() for dimension in DIMENSIONS}
    # A fleet has a few dozen distinct health triples: count those, then bucket each once.
    for health, count in Counter([row.health for row in rows]).items():
        for dimension, status in zip(DIMENSIONS, health, strict=True):
            counters[dimension][summary_bucket(status)] += count
    return {
        dimension: HealthCounts(c["failing"], c["warning"], c["passing"], c["other"])
        for dimension, c in counters.items()
    }
