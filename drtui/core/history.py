"""The flight recorder: every poll's health states in SQLite, so any past moment can be rebuilt.

One file per installation and profile in the user state directory (stdlib `sqlite3`, WAL).
What is kept, per deployment, is a `State`: label, importance, the three health statuses and
whether its predictions went silent (core/silence.py). The tables:

- `deployments` and `states` intern ids and whole state tuples as small integers, so one change
  costs three integers on disk;
- `current` is the fleet as last recorded (what the next poll is compared with);
- `changes` (t, deployment, state; state 0 = gone) holds every transition;
- `snapshots` hold the whole fleet (zlib-packed integer pairs) every `snapshot_every`, so a
  seek reads one snapshot and at most an interval of changes;
- `spans` say which time the recording covers (a gap longer than `max_gap` between two polls
  starts a new span: nothing is claimed about a time nobody watched).

Bounded by retention (default 30 days) and by size (default 100 MB): the oldest snapshot
intervals are dropped whole, so the oldest kept instant still replays exactly; freed pages go
back to the file system (incremental vacuum). Two processes may record the same file: each write
is one `BEGIN IMMEDIATE` transaction, and a recorder that sees another's commit re-reads
`current` before comparing. A damaged file is moved aside (`<name>.damaged-<stamp>`) with a
message, and recording goes on in a fresh one.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import sqlite3
import threading
import time
import zlib
from array import array
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

import platformdirs

from drtui.core.fleet import Fleet
from drtui.core.health import DIMENSIONS, look, normalise
from drtui.core.rhythm import WEEK_HOURS, Rhythm, Tally, hour_of_week
from drtui.core.rows import Row
from drtui.core.sanitize import safe_filename
from drtui.core.silence import DEFAULT_POLICY, SilencePolicy, is_silent, silent_from
from drtui.statefile import open_state_file, refuse_link

log = logging.getLogger(__name__)

STATE_DIR_ENV = "DRTUI_STATE_DIR"
"""The same override as drtui.crash.state_dir (a test keeps them equal); repeated here so that
the headless commands need not import Textual."""
SCHEMA_VERSION = 1
MB = 1024 * 1024
DEFAULT_RETENTION = timedelta(days=30)
DEFAULT_MAX_BYTES = 100 * MB
DEFAULT_SNAPSHOT_EVERY = timedelta(hours=1)
DEFAULT_MAX_GAP = timedelta(minutes=15)
"""Two polls further apart than this leave a gap the recording does not cover."""
SIZE_CHECK_EVERY = 20
"""Polls between two size checks (a check is a couple of PRAGMAs)."""
BUSY_TIMEOUT_MS = 10_000
OPEN_TRIES = 10
"""Tries to open a file another process is setting up at the same moment (`_connect_when_free`)."""
STRIPS_EVERY = timedelta(minutes=1)
"""How often the recorder's thread recomputes the health strips (a cell is three hours wide)."""
STRIPS_WHOLE_EVERY = timedelta(minutes=10)
"""How often every deployment's strip is recomputed; in between, only those that changed."""
RHYTHM_WEEKS_KEPT = 6
"""An hour of the week watched for longer than this many weeks is halved (predictions and
time alike): the rhythm follows the last weeks, not the first."""


class State(NamedTuple):
    """One deployment as recorded: what replay and the report show of it."""

    label: str
    importance: str
    service: str
    model: str
    accuracy: str
    silent: bool = False

    @property
    def health(self) -> tuple[str, str, str]:
        return (self.service, self.model, self.accuracy)


def fleet_states(
    fleet: Fleet,
    now: datetime,
    policy: SilencePolicy = DEFAULT_POLICY,
    rhythms: Mapping[str, Rhythm] | None = None,
) -> dict[str, State]:
    """The states to record for one poll's fleet (silence judged at `now`)."""
    rhythms = rhythms or {}
    return {
        key: State(
            row.label,
            row.importance,
            row.health[0],
            row.health[1],
            row.health[2],
            is_silent(row, now, policy, rhythms.get(key)),
        )
        for key, row in fleet.rows.items()
    }


@dataclass(frozen=True, slots=True)
class Change:
    """One deployment's state moving at `at` (None: not in the fleet)."""

    at: datetime
    deployment_id: str
    before: State | None
    after: State | None


@dataclass(frozen=True, slots=True)
class Replay:
    """The fleet as recorded at `at`."""

    at: datetime
    states: dict[str, State]
    span: tuple[datetime, datetime]
    """The recorded span holding `at` (its first and last poll)."""


STRIP_SPAN = timedelta(hours=24)
STRIP_BUCKETS = 8
"""A health strip: the last 24 h in 8 three-hour cells, oldest first (narrow enough for 80
columns beside the label, importance and last prediction)."""
STRIP_KEPT = 40
"""Transitions kept per deployment for the detail pane's timeline (the newest)."""
STRIP_GLYPHS = {3: "▇", 2: "▄", 1: "▁", 0: "·", -1: " "}
"""Heights read without colour; never the full block, so rows of failing cells keep a gap."""
"""A cell's worst health over its three hours, by height (readable without colour): failing,
warning, passing, no verdict (unknown, N/A), not recorded."""


def strip_level(state: State | None) -> int:
    """3 failing, 2 warning, 1 passing, 0 no verdict (any dimension; worst wins), -1 absent."""
    if state is None:
        return -1
    found = {normalise(s) for s in state.health}
    if "failing" in found:
        return 3
    if "warning" in found or (found - {"passing", "unknown", "", "unavailable", "notstarted"}):
        return 2
    return 1 if "passing" in found else 0


@dataclass(frozen=True, slots=True)
class HealthStrip:
    """One deployment's recent health, as the table and the detail pane show it."""

    cells: str
    """One glyph per bucket (STRIP_GLYPHS), oldest first."""
    changes: int
    """Health changes in the span (a flapping deployment has many)."""
    transitions: tuple[Change, ...]
    """The newest STRIP_KEPT changes of health, silence or presence, oldest first."""

    @property
    def text(self) -> str:
        return f"{self.cells} {min(self.changes, 99):>2}"


def health_moved(before: State | None, after: State | None) -> bool:
    """Whether a change is one of health or silence (not only a renamed label)."""
    if before is None or after is None:
        return before is not after
    return before.health != after.health or before.silent != after.silent


def describe_change(change: Change) -> str:
    """`service OK → FAIL, predictions silent`; the recorder keeps states, not the server's
    messages, so a change reads from → to."""
    before, after = change.before, change.after
    if after is None:
        return "no longer in the fleet"
    if before is None:
        parts = [f"{name} {look(s).word}" for name, s in zip(DIMENSIONS, after.health, strict=True)]
        return "recorded: " + ", ".join(parts) + (", predictions silent" if after.silent else "")
    parts = [
        f"{name} {look(old).word} → {look(new).word}"
        for name, old, new in zip(DIMENSIONS, before.health, after.health, strict=True)
        if old != new
    ]
    if before.silent != after.silent:
        parts.append("predictions silent" if after.silent else "predictions resumed")
    return ", ".join(parts) or "label or importance changed"


def timeline_section(
    strip: HealthStrip | None, until: datetime | None = None
) -> tuple[str, list[tuple[str, str]]]:
    """The detail pane's timeline: every recorded change of the last 24 h, newest first, up to
    `until` (a replay's instant)."""
    heading = "Timeline (recorded, last 24 h, UTC)"
    if strip is None:
        return heading, [("history", "nothing recorded for this deployment yet")]
    moves = [c for c in strip.transitions if until is None or c.at <= until]
    if not moves:
        return heading, [("history", "no change recorded")]
    fields = [
        (change.at.astimezone(UTC).strftime("%m-%d %H:%M:%S"), describe_change(change))
        for change in reversed(moves)
    ]
    if len(strip.transitions) >= STRIP_KEPT:
        fields.append(("older", f"only the newest {STRIP_KEPT} changes are shown"))
    return heading, fields


class NotRecorded(LookupError):
    """The asked instant is outside every recorded span; str() is one sentence."""


def state_directory(env: Mapping[str, str] | None = None) -> Path:
    """$DRTUI_STATE_DIR, else the platform's user state directory (as drtui.crash)."""
    environ = os.environ if env is None else env
    override = environ.get(STATE_DIR_ENV, "").strip()
    return Path(override).expanduser() if override else Path(platformdirs.user_state_dir("drtui"))


def history_path(directory: Path, profile: str, endpoint: str) -> Path:
    """One file per profile and installation (the endpoint's host and port)."""
    host = urlsplit(endpoint).netloc.rsplit("@", 1)[-1] or "local"
    name = safe_filename(f"{profile or 'default'}@{host}".replace(":", "_"), default="default")
    return directory / f"history-{name}.sqlite3"


def to_ms(moment: datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def from_ms(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS deployments (key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS states (
    code INTEGER PRIMARY KEY, label TEXT NOT NULL, importance TEXT NOT NULL,
    service TEXT NOT NULL, model TEXT NOT NULL, accuracy TEXT NOT NULL, silent INTEGER NOT NULL,
    UNIQUE (label, importance, service, model, accuracy, silent));
CREATE TABLE IF NOT EXISTS current (dep INTEGER PRIMARY KEY, state INTEGER NOT NULL)
    WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS changes (t INTEGER NOT NULL, dep INTEGER NOT NULL,
    state INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS changes_t ON changes (t);
CREATE TABLE IF NOT EXISTS snapshots (t INTEGER PRIMARY KEY, body BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS spans (start INTEGER PRIMARY KEY, last INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS rhythm_watched (slot INTEGER PRIMARY KEY, seconds REAL NOT NULL);
CREATE TABLE IF NOT EXISTS rhythm (dep INTEGER NOT NULL, slot INTEGER NOT NULL,
    predictions REAL NOT NULL, PRIMARY KEY (dep, slot)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rhythm_base (dep INTEGER PRIMARY KEY, rates TEXT NOT NULL)
    WITHOUT ROWID;
"""


class Damaged(sqlite3.DatabaseError):
    """The file opened but its content cannot be trusted (integrity check, schema)."""


def damaged(error: sqlite3.DatabaseError) -> bool:
    """Whether the error says the file is damaged (not busy, full, read-only or misused)."""
    if isinstance(error, Damaged):
        return True
    code = getattr(error, "sqlite_errorcode", None)
    return code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def _pack(pairs: Iterable[tuple[int, int]]) -> bytes:
    flat = array("q")
    for key, code in sorted(pairs):
        flat.append(key)
        flat.append(code)
    return zlib.compress(flat.tobytes(), 6)


def _unpack(body: bytes) -> Iterator[tuple[int, int]]:
    flat = array("q")
    flat.frombytes(zlib.decompress(body))
    return zip(flat[0::2], flat[1::2], strict=True)


class History:
    """The recorder and its reader, on one SQLite file. Not thread-safe: one thread uses it
    (the app hands polls to `BackgroundRecorder`, which owns one)."""

    def __init__(
        self,
        path: Path,
        *,
        retention: timedelta = DEFAULT_RETENTION,
        max_bytes: int = DEFAULT_MAX_BYTES,
        snapshot_every: timedelta = DEFAULT_SNAPSHOT_EVERY,
        max_gap: timedelta = DEFAULT_MAX_GAP,
        on_message: Callable[[str], None] | None = None,
    ) -> None:
        self.path = path
        self.retention = retention
        self.max_bytes = max_bytes
        self.snapshot_every_ms = int(snapshot_every.total_seconds() * 1000)
        self.max_gap_ms = int(max_gap.total_seconds() * 1000)
        self.messages: list[str] = []
        self._on_message = on_message
        self._keys: dict[str, int] = {}
        self._ids: dict[int, str] = {}
        self._codes: dict[State, int] = {}
        self._states: dict[int, State] = {}
        self._current: dict[str, State] = {}
        self._generation = -1
        self._polls = 0
        self.last_moved: list[str] = []
        """Ids whose state the last recorded poll changed (added and removed ones too)."""
        self._policy = DEFAULT_POLICY
        self._rows: dict[str, tuple[Row, State, State, int]] = {}
        """Per deployment: the last row object seen, its state (not silent, silent) and the
        instant (ms) it goes silent, 0 never (see record_fleet)."""
        self._tally = Tally()
        self._tally_slot: int | None = None
        self._rhythms: dict[str, Rhythm] | None = None
        self._db = self._open()

    # ----- opening, damage ----------------------------------------------------------------------

    def _say(self, message: str) -> None:
        self.messages.append(message)
        log.warning("%s", message)
        if self._on_message is not None:
            self._on_message(message)

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            return self._connect_when_free()
        except sqlite3.DatabaseError as error:
            if not damaged(error):  # locked, unreadable, misused: not damage
                raise
            self._move_aside(error)
            return self._connect()

    def _connect_when_free(self) -> sqlite3.Connection:
        """`_connect`, tried again while another process opens the same file: two drtui started
        together on one profile both set up a new file (its journal mode, its schema), and the
        switch to WAL answers "database is locked" at once rather than waiting its busy timeout.
        A few tries, 0.2 s apart; then the error stands (history is then off, and says why)."""
        for _ in range(OPEN_TRIES - 1):
            try:
                return self._connect()
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) and "busy" not in str(error):
                    raise
            time.sleep(0.2)
        return self._connect()

    def _connect(self) -> sqlite3.Connection:
        fresh = not self.path.exists()
        for suffix in ("-wal", "-shm"):  # sqlite opens these by name, links and all
            refuse_link(Path(f"{self.path}{suffix}"))
        os.close(open_state_file(self.path, os.O_RDWR))  # 0600 from the start, never a link
        db = sqlite3.connect(
            self.path,
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,  # one thread at a time, maybe not the opener's
        )
        try:
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if fresh:
                db.execute("PRAGMA auto_vacuum = INCREMENTAL")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            check = db.execute("PRAGMA quick_check").fetchone()
            if not check or check[0] != "ok":
                raise Damaged(f"integrity check failed: {check[0] if check else ''}")
            db.executescript(_SCHEMA)
            db.execute(
                "INSERT OR IGNORE INTO meta VALUES ('schema', ?), ('generation', '0')",
                (str(SCHEMA_VERSION),),
            )
            version = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0]
            if version != str(SCHEMA_VERSION):
                raise Damaged(f"unknown schema version {version}")
        except BaseException:
            db.close()
            raise
        self._db = db
        self._reset_caches()
        return db

    def _reset_caches(self) -> None:
        self._keys.clear()
        self._ids.clear()
        self._codes.clear()
        self._states.clear()
        self._current.clear()
        self._generation = -1

    def _move_aside(self, error: BaseException) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{self.path}{suffix}")
            with contextlib.suppress(FileNotFoundError):
                os.replace(source, Path(f"{aside}{suffix}"))
        self._say(
            f"The history file {self.path} was damaged ({error}); it was moved to {aside.name} "
            "and recording goes on in a new file."
        )

    def _recover(self, error: sqlite3.DatabaseError) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._db.close()
        self._move_aside(error)
        self._db = self._connect()

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.flush_rhythm(keep_baseline=True)
        with contextlib.suppress(sqlite3.Error):
            self._db.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # ----- interning ----------------------------------------------------------------------------

    def _key(self, deployment_id: str) -> int:
        key = self._keys.get(deployment_id)
        if key is None:
            db = self._db
            db.execute("INSERT OR IGNORE INTO deployments (id) VALUES (?)", (deployment_id,))
            key = int(
                db.execute("SELECT key FROM deployments WHERE id = ?", (deployment_id,)).fetchone()[
                    0
                ]
            )
            self._keys[deployment_id] = key
            self._ids[key] = deployment_id
        return key

    def _code(self, state: State) -> int:
        code = self._codes.get(state)
        if code is None:
            values = (*state[:5], int(state.silent))
            self._db.execute(
                "INSERT OR IGNORE INTO states "
                "(label, importance, service, model, accuracy, silent) VALUES (?, ?, ?, ?, ?, ?)",
                values,
            )
            code = int(
                self._db.execute(
                    "SELECT code FROM states WHERE label = ? AND importance = ? AND service = ? "
                    "AND model = ? AND accuracy = ? AND silent = ?",
                    values,
                ).fetchone()[0]
            )
            self._codes[state] = code
            self._states[code] = state
        return code

    def _state(self, code: int) -> State:
        found = self._states.get(code)
        if found is None:
            for row in self._db.execute(
                "SELECT code, label, importance, service, model, accuracy, silent FROM states"
            ):
                state = State(row[1], row[2], row[3], row[4], row[5], bool(row[6]))
                self._states[row[0]] = state
                self._codes[state] = row[0]
            found = self._states[code]
        return found

    def _id(self, key: int) -> str:
        found = self._ids.get(key)
        if found is None:
            for k, ident in self._db.execute("SELECT key, id FROM deployments"):
                self._ids[k] = ident
                self._keys[ident] = k
            found = self._ids[key]
        return found

    # ----- recording ----------------------------------------------------------------------------

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

    # ----- rhythm -------------------------------------------------------------------------------

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

    # ----- bounds -------------------------------------------------------------------------------

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

    # ----- reading ------------------------------------------------------------------------------

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


class BackgroundRecorder:
    """Records polls on its own thread, so the event loop never waits for the disk.

    `submit` never blocks: when the thread is still writing, the newest waiting poll replaces
    the older one (the next poll records every change since anyway). Messages (a damaged file
    moved aside, a write that failed) go to `on_message`, called on the recorder's thread.
    """

    def __init__(
        self,
        path: Path,
        *,
        on_message: Callable[[str], None] | None = None,
        policy: SilencePolicy = DEFAULT_POLICY,
        on_strips: Callable[[dict[str, HealthStrip], datetime], None] | None = None,
        strips_every: timedelta = STRIPS_EVERY,
        **options: object,
    ) -> None:
        self.path = path
        self._on_message = on_message
        self._on_strips = on_strips
        self._strips_every = strips_every
        self._strips_at: datetime | None = None
        self._strips_whole_at: datetime | None = None
        self._strips_last: dict[str, HealthStrip] = {}
        self._strips_moved: set[str] = set()
        self._policy = policy
        self._options = options
        self._queue: queue.Queue[tuple[Fleet, datetime] | None] = queue.Queue(maxsize=1)
        self._failed = False
        self.rhythms: Mapping[str, Rhythm] = {}
        """Each deployment's rhythm as learnt (replaced whole from the recorder's thread, so a
        reader on another thread sees one version or the next)."""
        self._thread = threading.Thread(target=self._run, name="drtui-history", daemon=True)
        self._thread.start()

    def submit(self, fleet: Fleet, at: datetime) -> None:
        item = (fleet, at)
        while True:
            try:
                self._queue.put_nowait(item)
                return
            except queue.Full:
                with contextlib.suppress(queue.Empty):
                    self._queue.get_nowait()

    def close(self, timeout: float = 5.0) -> None:
        with contextlib.suppress(queue.Empty):
            self._queue.get_nowait()
        self._queue.put(None)
        self._thread.join(timeout)

    def _say(self, message: str) -> None:
        if self._on_message is not None:
            self._on_message(message)

    def _strips(self, history: History, at: datetime) -> None:
        """After a recorded poll, at most every `strips_every`: the fleet's health strips (one
        read of the last 24 h, on this thread), handed to `on_strips`.

        The whole fleet's strips are computed every STRIPS_WHOLE_EVERY (cells are three hours
        wide: time moves them that slowly); in between, only the deployments recorded as
        changed since the last strips are computed again (a fleet of 10,000 costs ~0.3 s of
        CPU a time, the few that changed ~nothing), and nothing is handed over when none did."""
        if self._on_strips is None:
            return
        self._strips_moved.update(history.last_moved)
        if self._strips_at is not None and at - self._strips_at < self._strips_every:
            return
        self._strips_at = at
        if self._strips_whole_at is None or at - self._strips_whole_at >= STRIPS_WHOLE_EVERY:
            strips = history.strips(at)
            self._strips_whole_at = at
        elif self._strips_moved:
            strips = {**self._strips_last, **history.strips(at, only=self._strips_moved)}
        else:
            return
        self._strips_moved.clear()
        self._strips_last = strips
        self._on_strips(strips, at)

    def _run(self) -> None:
        try:
            history = History(self.path, on_message=self._say, **self._options)  # type: ignore[arg-type]
        except (sqlite3.Error, OSError) as error:
            self._say(f"Fleet history is off: {self.path} could not be opened ({error}).")
            return
        with history:
            while (item := self._queue.get()) is not None:
                fleet, at = item
                try:
                    history.record_fleet(fleet, at, self._policy)
                    self.rhythms = history.rhythms()
                    self._failed = False
                    self._strips(history, at)
                except (sqlite3.Error, OSError) as error:
                    if not self._failed:  # one message per spell of failures
                        self._say(f"Fleet history could not record a poll ({error}).")
                    self._failed = True
