"""The rhythm part of a history file: what the polls teach about each deployment's hours (see
core/rhythm.py), tallied in memory, added to the file once an hour and when it closes, and read
back as `Rhythm`s for silence."""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from drtui.core.fleet import Fleet
from drtui.core.rhythm import WEEK_HOURS, Rhythm, hour_of_week
from drtui.store.history_file import HistoryFile, from_ms, to_ms

RHYTHM_WEEKS_KEPT = 6
"""An hour of the week watched for longer than this many weeks is halved (predictions and
time alike): the rhythm follows the last weeks, not the first."""


class RhythmStore(HistoryFile):
    """Learning each deployment's rhythm from the polls a history records."""

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.flush_rhythm(keep_baseline=True)
        super().close()

    def _learn(self, fleet: Fleet, at: datetime) -> None:
        """Tally this poll's predictions by hour of the week; when the hour changes, add the
        tally to the file and forget the rhythms read (and the silence instants made of them)."""
        if self._tally.baseline is None:
            self._resume_baseline()
        self._tally.observe(fleet.rows, at)
        slot = hour_of_week(at.astimezone(UTC))
        if self._tally_slot is None:
            self._tally_slot = slot
        if slot != self._tally_slot:
            self._tally_slot = slot
            self.flush_rhythm()

    def _resume_baseline(self) -> None:
        """The last poll another process of this file saw (`drtui record --once` from cron is a
        new process each poll): this poll's growth is counted from it."""
        row = self._db.execute("SELECT value FROM meta WHERE key = 'rhythm_at'").fetchone()
        if row is None:
            return
        rates = {
            self._id(dep): tuple(int(n) for n in text.split(",") if n)
            for dep, text in self._db.execute("SELECT dep, rates FROM rhythm_base")
        }
        self._tally.resume(from_ms(int(row[0])), rates)

    def flush_rhythm(self, keep_baseline: bool = False) -> None:
        """Write what the polls taught since the last flush; on close also the last poll's
        counts, for the next process to go on from."""
        predictions, watched = self._tally.take()
        baseline = self._tally.baseline if keep_baseline else None
        if not watched and baseline is None:
            return
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            if baseline is not None:
                at, rates = baseline
                db.execute("DELETE FROM rhythm_base")
                db.executemany(
                    "INSERT INTO rhythm_base (dep, rates) VALUES (?, ?)",
                    [(self._key(k), ",".join(map(str, r))) for k, r in rates.items()],
                )
                db.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('rhythm_at', ?)",
                    (str(to_ms(at)),),
                )
            db.executemany(
                "INSERT INTO rhythm_watched (slot, seconds) VALUES (?, ?) ON CONFLICT (slot) "
                "DO UPDATE SET seconds = seconds + excluded.seconds",
                list(watched.items()),
            )
            db.executemany(
                "INSERT INTO rhythm (dep, slot, predictions) VALUES (?, ?, ?) "
                "ON CONFLICT (dep, slot) DO UPDATE SET predictions = predictions + "
                "excluded.predictions",
                [(self._key(key), slot, made) for (key, slot), made in predictions.items()],
            )
            full = RHYTHM_WEEKS_KEPT * 3600.0
            for slot in watched:
                db.execute(
                    "UPDATE rhythm_watched SET seconds = seconds / 2 "
                    "WHERE slot = ? AND seconds > ?",
                    (slot, full),
                )
                if db.execute("SELECT changes()").fetchone()[0]:
                    db.execute(
                        "UPDATE rhythm SET predictions = predictions / 2 WHERE slot = ?", (slot,)
                    )
            db.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            raise
        self._rhythms = None
        self._rows.clear()

    def rhythms(self) -> dict[str, Rhythm]:
        """Each deployment's rhythm as learnt so far (read once per flush)."""
        if self._rhythms is None:
            self._rhythms = _rhythms_in(self._db)
        return self._rhythms


def _rhythms_in(db: sqlite3.Connection) -> dict[str, Rhythm]:
    watched = [0.0] * WEEK_HOURS
    for slot, seconds in db.execute("SELECT slot, seconds FROM rhythm_watched"):
        watched[slot] = seconds
    if not any(watched):
        return {}
    ids = dict(db.execute("SELECT key, id FROM deployments"))
    seen: dict[str, list[float]] = {}
    for dep, slot, made in db.execute("SELECT dep, slot, predictions FROM rhythm"):
        seen.setdefault(ids[dep], [0.0] * WEEK_HOURS)[slot] = made
    return {key: Rhythm.learned(made, watched) for key, made in seen.items()}


def read_rhythms(path: Path) -> dict[str, Rhythm]:
    """The rhythms learnt in a history file, for a process that only reads (`drtui check`): {}
    when there is no file or it cannot be read, and silence is then judged conservatively."""
    if not path.is_file() or path.is_symlink():
        return {}
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=2)
        try:
            return _rhythms_in(db)
        finally:
            db.close()
    except (sqlite3.Error, OSError, KeyError, IndexError):
        return {}
