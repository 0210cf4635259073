"""Opening a file in drtui's state directory: never through a link, readable by the user only.

The state directory holds the audit trail, the debug log and the flight recorder. A symbolic
link planted there (or left by a restore from backup) would have drtui append to, chmod or
create whatever file the link names, with the user's rights. Every state file is opened with
`open_state_file` (``O_NOFOLLOW``: a link is refused, in one sentence) or, for a file another
library opens by name (sqlite), checked first with `refuse_link`.

No Textual, no I/O beyond the open: the audit log, the history and the debug log share it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

PRIVATE = 0o600
"""The mode a state file is created with (and brought back to, if it is more open)."""


class StateFileError(OSError):
    """A state file drtui refuses to open; ``str()`` is one sentence naming it."""

    def __str__(self) -> str:
        return str(self.strerror)


def _link(path: Path) -> StateFileError:
    return StateFileError(
        errno.ELOOP,
        f"{path} is a symbolic link, and drtui writes its state files only where they are, "
        "never through a link: remove the link to go on",
        str(path),
    )


def refuse_link(path: Path) -> None:
    """Raise `StateFileError` when `path` is a symbolic link (dangling or not)."""
    if path.is_symlink():
        raise _link(path)


def open_state_file(path: Path, flags: int = os.O_WRONLY | os.O_APPEND) -> int:
    """A descriptor of the regular file `path` (created 0600 when missing), opened with `flags`.

    A symbolic link at `path` is refused (``O_NOFOLLOW``), and so is anything but a regular
    file (a FIFO would block the app; it is opened non-blocking only to be looked at). A file
    readable by others is made 0600. Raises `StateFileError` (an `OSError`) for a link or a
    file that is not regular, `OSError` for the rest.
    """
    opening = flags | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        fd = os.open(path, opening, PRIVATE)
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.EMLINK) and path.is_symlink():
            raise _link(path) from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise StateFileError(
                errno.EINVAL,
                f"{path} is not a regular file, so drtui does not write its state there: "
                "remove it to go on",
                str(path),
            )
        os.set_blocking(fd, True)
        if stat.S_IMODE(info.st_mode) & 0o077:
            with contextlib.suppress(OSError):  # not ours to change: it is still written
                os.fchmod(fd, PRIVATE)
    except BaseException:
        os.close(fd)
        raise
    return fd
