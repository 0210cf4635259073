"""The flight recorder: every poll's health states in SQLite (see history_file.py for the
tables), so any past moment can be rebuilt (readback.py) and each deployment's hours learnt
(rhythm_store.py)."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from drtui.core.fleet import Fleet
from drtui.core.recorded import State
from drtui.core.silence import DEFAULT_POLICY, SilencePolicy, silent_from
from drtui.store.history_file import SIZE_CHECK_EVERY, _pack, damaged, from_ms, log, to_ms
from drtui.store.readback import Readback
from drtui.store.rhythm_store import RhythmStore


class History(Readback, RhythmStore):
    """The recorder and its reader, on one SQLite file. Not thread-safe: one thread uses it
    (the app hands polls to `BackgroundRecorder`, which owns one)."""

    def record(self, states: Mapping[str, State], at: datetime) -> int:
        """Store one poll's states taken at `at`; the number of deployments that changed.

        A damaged file is moved aside (see `messages`) and the poll is recorded in a new one.
        """
        try:
            return self._record(states, to_ms(at))
        except sqlite3.DatabaseError as error:
            if not damaged(error):  # busy, disk full, misused: not damage
                raise
            self._recover(error)
            return self._record(states, to_ms(at))

    def record_fleet(
        self, fleet: Fleet, at: datetime, policy: SilencePolicy = DEFAULT_POLICY
    ) -> int:
        """`record(fleet_states(fleet, at, policy), at)`, cheaper: a row that is the very object
        of the last poll (the fleet keeps unchanged rows) reuses its state and the instant it
        would go silent, so only changed rows are read again."""
        if policy is not self._policy:
            self._policy = policy
            self._rows.clear()
        self._learn(fleet, at)
        rhythms = self.rhythms()
        rows = self._rows
        now = to_ms(at)
        states: dict[str, State] = {}
        for key, row in fleet.rows.items():
            seen = rows.get(key)
            if seen is None or seen[0] is not row:
                moment = silent_from(row, policy, rhythms.get(key))
                loud = State(row.label, row.importance, row.health[0], row.health[1], row.health[2])
                seen = (
                    row,
                    loud,
                    loud._replace(silent=True),
                    0 if moment is None else to_ms(moment),
                )
                rows[key] = seen
            states[key] = seen[2] if seen[3] and now >= seen[3] else seen[1]
        if len(rows) > len(states):
            for key in rows.keys() - states.keys():
                del rows[key]
        return self.record(states, at)

    def _record(self, states: Mapping[str, State], t: int) -> int:
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            generation = int(
                db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0]
            )
            if generation != self._generation:
                self._reload_current()
            current = self._current
            last_t = db.execute("SELECT MAX(t) FROM changes").fetchone()[0]
            t = max(t, int(last_t or 0))  # another recorder's clock may be ahead: never go back
            get = current.get
            moved: list[tuple[str, State | None]] = [
                (key, state)
                for key, state in states.items()
                if (was := get(key)) is not state and was != state
            ]
            moved.extend((key, None) for key in current.keys() - states.keys())
            self.last_moved = [key for key, _ in moved]
            rows = []
            for key, state in moved:
                dep = self._key(key)
                rows.append((t, dep, 0 if state is None else self._code(state)))
            if rows:
                db.executemany("INSERT INTO changes (t, dep, state) VALUES (?, ?, ?)", rows)
                db.executemany(
                    "INSERT OR REPLACE INTO current (dep, state) VALUES (?, ?)",
                    [(dep, code) for _, dep, code in rows if code],
                )
                db.executemany(
                    "DELETE FROM current WHERE dep = ?",
                    [(dep,) for _, dep, code in rows if not code],
                )
                for key, state in moved:
                    if state is None:
                        current.pop(key, None)
                    else:
                        current[key] = state
            self._extend_span(t)
            latest = db.execute("SELECT MAX(t) FROM snapshots").fetchone()[0]
            # A snapshot is the fleet after every change at or before its instant: one taken at
            # this very instant (two polls in the same millisecond) is taken again.
            if latest is None or t - latest >= self.snapshot_every_ms or (rows and t == latest):
                self._snapshot(t)
            self._generation = generation + 1
            db.execute(
                "UPDATE meta SET value = ? WHERE key = 'generation'", (str(self._generation),)
            )
            db.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            self._generation = -1
            raise
        self._polls += 1
        if self._polls % SIZE_CHECK_EVERY == 1:
            self.prune(from_ms(t))
        return len(moved)

    def _reload_current(self) -> None:
        self._current = {
            self._id(dep): self._state(code)
            for dep, code in self._db.execute("SELECT dep, state FROM current")
        }

    def _extend_span(self, t: int) -> None:
        db = self._db
        row = db.execute("SELECT start, last FROM spans ORDER BY start DESC LIMIT 1").fetchone()
        if row is not None and t - row[1] <= self.max_gap_ms:
            db.execute("UPDATE spans SET last = ? WHERE start = ?", (max(t, row[1]), row[0]))
        else:
            db.execute("INSERT OR REPLACE INTO spans (start, last) VALUES (?, ?)", (t, t))

    def _snapshot(self, t: int) -> None:
        pairs = [(self._keys[key], self._codes[state]) for key, state in self._current.items()]
        self._db.execute(
            "INSERT OR REPLACE INTO snapshots (t, body) VALUES (?, ?)", (t, _pack(pairs))
        )

    def size(self) -> int:
        """Bytes the live pages take (what pruning keeps under `max_bytes`)."""
        db = self._db
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        free = db.execute("PRAGMA freelist_count").fetchone()[0]
        return int((pages - free) * db.execute("PRAGMA page_size").fetchone()[0])

    def prune(self, now: datetime) -> None:
        """Drop what is older than the retention, then the oldest intervals while too big."""
        try:
            self._drop_before(to_ms(now - self.retention))
            while self.size() > self.max_bytes:
                times = [r[0] for r in self._db.execute("SELECT t FROM snapshots ORDER BY t")]
                if len(times) < 2:
                    break
                # Drop a tenth of the recorded time at once (at least one snapshot interval).
                self._drop_before(times[max(1, len(times) // 10)])
            self._db.execute("PRAGMA incremental_vacuum")
        except sqlite3.OperationalError as error:  # busy: the next check will do it
            log.warning("history pruning postponed: %s", error)

    def _drop_before(self, cutoff: int) -> None:
        """Keep the newest snapshot at or before `cutoff` and everything after it."""
        db = self._db
        row = db.execute("SELECT MAX(t) FROM snapshots WHERE t <= ?", (cutoff,)).fetchone()
        keep = row[0]
        if keep is None:
            return
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("DELETE FROM snapshots WHERE t < ?", (keep,))
            db.execute("DELETE FROM changes WHERE t <= ?", (keep,))
            db.execute("DELETE FROM spans WHERE last < ?", (keep,))
            db.execute("UPDATE spans SET start = ? WHERE start < ?", (keep, keep))
            db.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            raise


def record_past(
    history: History,
    first: Mapping[str, State],
    changes: Iterable[tuple[datetime, str, str, str]],
    start: datetime,
    end: datetime,
    every: timedelta = timedelta(minutes=5),
) -> None:
    """Record a stretch of the past known as the fleet at `start` and each health change after
    it (instant, deployment id, dimension "service"/"model"/"accuracy", status), as polls every
    `every` up to `end`: what a demo's emulator played before the screen opened, so its strips
    and replay show that day from the first frame."""
    states = dict(first)
    pending = sorted(changes)
    index = 0
    moment = start
    while moment <= end:
        while index < len(pending) and pending[index][0] <= moment:
            _, key, dimension, status = pending[index]
            index += 1
            state = states.get(key)
            if state is None:
                continue
            if dimension == "service":
                states[key] = state._replace(service=status)
            elif dimension == "model":
                states[key] = state._replace(model=status)
            elif dimension == "accuracy":
                states[key] = state._replace(accuracy=status)
        history.record(dict(states), moment)
        moment += every
