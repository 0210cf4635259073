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
import sqlite3
import time
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Self

from drtui.core.recorded import State
from drtui.core.rhythm import Rhythm, Tally
from drtui.core.rows import Row
from drtui.core.silence import DEFAULT_POLICY
from drtui.store.statefile import open_state_file, refuse_link

log = logging.getLogger(__name__)


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


class HistoryFile:
    """The SQLite file under a history: opening it (never through a link, 0600), moving a
    damaged one aside, and interning ids and states as small integers. Not thread-safe: one
    thread uses it."""

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
            self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

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
