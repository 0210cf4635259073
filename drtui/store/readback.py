"""Reading a history back: the recorded spans, the fleet at any instant, the changes of a window,
and each deployment's health strip of the last 24 hours."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime, timedelta

from drtui.core.recorded import (
    STRIP_BUCKETS,
    STRIP_GLYPHS,
    STRIP_KEPT,
    STRIP_SPAN,
    Change,
    HealthStrip,
    NotRecorded,
    Replay,
    State,
    health_moved,
    strip_level,
)
from drtui.store.history_file import HistoryFile, _unpack, from_ms, to_ms


class Readback(HistoryFile):
    """The reading half of a history."""

    def spans(self) -> list[tuple[datetime, datetime]]:
        """The recorded stretches of time (first and last poll of each), oldest first."""
        return [
            (from_ms(a), from_ms(b))
            for a, b in self._db.execute("SELECT start, last FROM spans ORDER BY start")
        ]

    def _span_of(self, t: int) -> tuple[int, int] | None:
        row = self._db.execute(
            "SELECT start, last FROM spans WHERE start <= ? ORDER BY start DESC LIMIT 1", (t,)
        ).fetchone()
        if row is None or t > row[1] + self.max_gap_ms:
            return None
        return int(row[0]), int(row[1])

    def _codes_at(self, t: int) -> dict[int, int]:
        db = self._db
        snap = db.execute(
            "SELECT t, body FROM snapshots WHERE t <= ? ORDER BY t DESC LIMIT 1", (t,)
        ).fetchone()
        since = -1
        codes: dict[int, int] = {}
        if snap is not None:
            since = snap[0]
            codes = dict(_unpack(snap[1]))
        for dep, code in db.execute(
            "SELECT dep, state FROM changes WHERE t > ? AND t <= ? ORDER BY t, rowid", (since, t)
        ):
            if code:
                codes[dep] = code
            else:
                codes.pop(dep, None)
        return codes

    def at(self, instant: datetime) -> Replay:
        """The fleet as the last poll at or before `instant` saw it.

        Raises NotRecorded when no recording covers that instant.
        """
        t = to_ms(instant)
        span = self._span_of(t)
        if span is None:
            raise NotRecorded(self._not_recorded(instant))
        states = {self._id(dep): self._state(code) for dep, code in self._codes_at(t).items()}
        return Replay(instant, states, (from_ms(span[0]), from_ms(span[1])))

    def _not_recorded(self, instant: datetime) -> str:
        spans = self.spans()
        when = instant.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        if not spans:
            return f"Nothing has been recorded in {self.path} yet, so {when} cannot be replayed."
        first = spans[0][0].strftime("%Y-%m-%d %H:%M UTC")
        last = spans[-1][1].strftime("%Y-%m-%d %H:%M UTC")
        return (
            f"No recording covers {when}: the history holds {first} to {last}"
            f"{f' in {len(spans)} stretches' if len(spans) > 1 else ''}."
        )

    def transition_before(self, instant: datetime) -> datetime | None:
        """The newest instant strictly before `instant` at which any deployment changed."""
        row = self._db.execute("SELECT MAX(t) FROM changes WHERE t < ?", (to_ms(instant),))
        found = row.fetchone()[0]
        return None if found is None else from_ms(int(found))

    def transition_after(self, instant: datetime) -> datetime | None:
        """The oldest instant strictly after `instant` at which any deployment changed."""
        row = self._db.execute("SELECT MIN(t) FROM changes WHERE t > ?", (to_ms(instant),))
        found = row.fetchone()[0]
        return None if found is None else from_ms(int(found))

    def strips(
        self,
        until: datetime,
        *,
        span: timedelta = STRIP_SPAN,
        buckets: int = STRIP_BUCKETS,
        kept: int = STRIP_KEPT,
        only: Collection[str] | None = None,
    ) -> dict[str, HealthStrip]:
        """Every deployment's health over the `span` before `until` (see HealthStrip): one
        snapshot and the span's changes are read, once, for the whole fleet. With `only`, the
        strips of those deployments alone (the rest of the answer would be unchanged)."""
        end = to_ms(until)
        start = end - int(span.total_seconds() * 1000)
        width = max(1, (end - start) // buckets)
        initial = self._codes_at(start)
        events: dict[int, list[tuple[int, int]]] = {}
        for t, dep, code in self._db.execute(
            "SELECT t, dep, state FROM changes WHERE t > ? AND t <= ? ORDER BY t, rowid",
            (start, end),
        ):
            events.setdefault(dep, []).append((t, code))
        covered = [False] * buckets
        for a, b in self._db.execute(
            "SELECT start, last FROM spans WHERE last >= ? AND start <= ?", (start, end)
        ):
            first = min(buckets - 1, max(0, (a - start) // width))  # `until`: the last cell
            last = min(buckets - 1, (b - start) // width)
            for i in range(int(first), int(last) + 1):
                covered[i] = True
        levels: dict[int, int] = {0: -1}
        by_health: dict[tuple[str, str, str], int] = {}
        steady: dict[int, HealthStrip] = {}  # by level: a deployment that did not change
        out: dict[str, HealthStrip] = {}
        deps = initial.keys() | events.keys()
        if only is not None:
            wanted = {self._keys.get(ident) for ident in only}
            deps &= {dep for dep in wanted if dep is not None}
        for dep in deps:
            code = initial.get(dep, 0)
            level = levels.get(code)
            if level is None:
                level = levels[code] = self._level(code, by_health)
            if dep not in events:
                # No change in the span (most of a fleet): the same level in every cell, so
                # one strip per level is shared (strips are immutable).
                strip = steady.get(level)
                if strip is None:
                    glyph = STRIP_GLYPHS[level]
                    cells_text = "".join(
                        glyph if covered[i] else STRIP_GLYPHS[-1] for i in range(buckets)
                    )
                    strip = steady[level] = HealthStrip(cells_text, 0, ())
                out[self._id(dep)] = strip
                continue
            cells = [-1] * buckets
            at = start
            count = 0
            moves: list[tuple[int, int, int]] = []
            for t, new in (*events.get(dep, ()), (end + 1, -1)):
                level = levels.get(code)
                if level is None:
                    level = levels[code] = self._level(code, by_health)
                if level >= 0:
                    first = min(buckets - 1, (at - start) // width)  # `until` is in the last
                    for i in range(first, min(buckets, max(first, (t - 1 - start) // width) + 1)):
                        cells[i] = max(cells[i], level)
                if new < 0:
                    break
                before = self._state(code) if code else None
                after = self._state(new) if new else None
                if health_moved(before, after):
                    if before is not None and after is not None:
                        count += 1
                    moves.append((t, code, new))
                code, at = new, t
            glyphs = "".join(
                STRIP_GLYPHS[c] if covered[i] else STRIP_GLYPHS[-1] for i, c in enumerate(cells)
            )
            key = self._id(dep)
            out[key] = HealthStrip(
                glyphs,
                count,
                tuple(
                    Change(
                        from_ms(t),
                        key,
                        self._state(old) if old else None,
                        self._state(new) if new else None,
                    )
                    for t, old, new in moves[-kept:]
                ),
            )
        return out

    def _level(self, code: int, by_health: dict[tuple[str, str, str], int]) -> int:
        """`strip_level` of a state code; states differ by label, levels only by health."""
        if not code:
            return -1
        state = self._state(code)
        key = state.health
        level = by_health.get(key)
        if level is None:
            level = by_health[key] = strip_level(state)
        return level

    def changes(self, since: datetime, until: datetime) -> tuple[dict[str, State], list[Change]]:
        """The fleet at `since` (as far as it was recorded, else empty) and every change after
        it up to `until`, oldest first."""
        start, end = to_ms(since), to_ms(until)
        codes = self._codes_at(start)
        before = {self._id(dep): self._state(code) for dep, code in codes.items()}
        moves: list[Change] = []
        for t, dep, code in self._db.execute(
            "SELECT t, dep, state FROM changes WHERE t > ? AND t <= ? ORDER BY t, rowid",
            (start, end),
        ):
            old = codes.get(dep)
            if old == (code or None):
                continue
            if code:
                codes[dep] = code
            else:
                codes.pop(dep, None)
            moves.append(
                Change(
                    from_ms(t),
                    self._id(dep),
                    None if old is None else self._state(old),
                    self._state(code) if code else None,
                )
            )
        return before, moves
