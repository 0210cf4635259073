"""Run a command in a real pseudo-terminal and time what it writes: the benchmarks' eyes.

Headless Pilot runs draw nothing, so latency and bandwidth are measured here, on the bytes a
terminal would receive. The harness answers Textual's synchronized-output query, so every frame
arrives wrapped in begin/end markers and a frame's end is a byte-exact event.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import termios
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

SYNC_QUERY = b"\x1b[?2026$p"
SYNC_SUPPORTED = b"\x1b[?2026;2$y"
SYNC_END = b"\x1b[?2026l"


@dataclass
class Chunk:
    at: float
    data: bytes


@dataclass
class PtyApp:
    """A child process on a pty of a given size, with its output recorded as it arrives."""

    argv: Sequence[str]
    env: Mapping[str, str]
    columns: int = 200
    lines: int = 50
    chunks: list[Chunk] = field(default_factory=list)
    started: float = 0.0
    pid: int = 0
    _fd: int = -1
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _reader: threading.Thread | None = None

    def start(self) -> PtyApp:
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # child
            os.execvpe(self.argv[0], list(self.argv), {**self.env, "TERM": "xterm-256color"})
        self.pid, self._fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", self.lines, self.columns, 0, 0))
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        return self

    def _read(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self._fd], [], [], 0.5)
                if not ready:
                    if self._exited():
                        return
                    continue
                data = os.read(self._fd, 65536)
            except OSError:
                return
            if not data:
                return
            now = time.perf_counter()
            if SYNC_QUERY in data:
                os.write(self._fd, SYNC_SUPPORTED)
            with self._lock:
                self.chunks.append(Chunk(now, data))

    def _exited(self) -> bool:
        try:
            return os.waitpid(self.pid, os.WNOHANG) != (0, 0)
        except ChildProcessError:
            return True

    def terminal_mode(self) -> list[Any]:
        """The pty's termios attributes now: the mode the app left the terminal in."""
        return termios.tcgetattr(self._fd)

    def drained(self, timeout: float = 10.0) -> None:
        """Wait until all the app wrote has been read (the reader ends as the terminal closes)."""
        if self._reader is not None:
            self._reader.join(timeout)

    def send(self, keys: str) -> float:
        at = time.perf_counter()
        os.write(self._fd, keys.encode())
        return at

    def chunks_since(self, at: float) -> list[Chunk]:
        """The output that arrived at or after `at`, read by read."""
        with self._lock:
            return [c for c in self.chunks if c.at >= at]

    def output_since(self, at: float) -> bytes:
        with self._lock:
            return b"".join(c.data for c in self.chunks if c.at >= at)

    def bytes_since(self, at: float) -> int:
        return len(self.output_since(at))

    def _frame_end(self, since: float, needle: bytes) -> float | None:
        """Arrival of the end of the first frame after `since` that holds `needle`."""
        with self._lock:
            seen = b""
            for chunk in self.chunks:
                if chunk.at < since:
                    continue
                seen += chunk.data
                if needle in seen and SYNC_END in seen[seen.index(needle) :]:
                    return chunk.at
        return None

    def wait_for(self, needle: bytes, since: float = 0.0, timeout: float = 60.0) -> float:
        """Time at which the end of the first frame containing `needle` arrived."""
        end = self.next_frame_end(since, timeout, needle=needle)
        if end is None:
            raise TimeoutError(f"{needle!r} did not appear within {timeout} s")
        return end

    def next_frame_end(
        self, since: float, timeout: float = 5.0, *, needle: bytes = b""
    ) -> float | None:
        """Arrival time of the first frame end after `since` (None if nothing was drawn)."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            end = self._frame_end(since, needle)
            if end is not None:
                return end
            time.sleep(0.001)
        return None

    def wait_quiet(self, gap: float = 0.5, timeout: float = 30.0) -> None:
        """Return once nothing has been written for `gap` seconds, counted from now at the earliest."""
        called = time.perf_counter()
        deadline = called + timeout
        while time.perf_counter() < deadline:
            with self._lock:
                last = max(self.chunks[-1].at if self.chunks else self.started, called)
            if time.perf_counter() - last >= gap:
                return
            time.sleep(gap / 5)
        raise TimeoutError("the app never went quiet")

    def cpu_seconds(self) -> float:
        """User + system CPU of the child so far, from /proc."""
        with open(f"/proc/{self.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / ticks

    def stop(self) -> None:
        try:
            self.send("q")
            for _ in range(50):
                if self._exited():
                    return
                time.sleep(0.05)
            os.kill(self.pid, signal.SIGTERM)
        except OSError:
            pass


@dataclass
class Keystroke:
    """What one key caused: times from sending it to the end of its first and of its last
    synchronized-update frame (the app then stayed quiet), the bytes written and the frames."""

    first_ms: float
    last_ms: float
    bytes: int
    frames: int


def keystroke(app: PtyApp, key: str, quiet: float = 0.15, timeout: float = 10.0) -> Keystroke:
    """Send `key`, wait for a frame and then for `quiet` seconds of silence: the key's figures.

    The finished frame is the end of the LAST frame before the silence, so a key that repaints
    twice (a second pass, a timer landing) is timed to the frame the user finally sees."""
    sent = app.send(key)
    if app.next_frame_end(sent, timeout=timeout) is None:
        raise TimeoutError(f"no frame after {key!r}")
    app.wait_quiet(quiet)
    chunks = app.chunks_since(sent)
    # A frame's end marker may be split between two reads: look for it in the joined bytes.
    seen, first, last = b"", 0.0, sent
    for chunk in chunks:
        found = seen.count(SYNC_END)
        seen += chunk.data
        if seen.count(SYNC_END) > found:
            last = chunk.at
            first = first or chunk.at
    return Keystroke((first - sent) * 1000, (last - sent) * 1000, len(seen), seen.count(SYNC_END))
