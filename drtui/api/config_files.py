"""Reading the configuration files: the official client's YAML, and TOML for drtui's own file.

Each reader turns a file into a ``CredentialSource`` or a ``ConfigError`` naming the file and,
for a syntax error, the line; a file too large or nested too deep is refused before it is
built. Tables are validated by pydantic models with ``extra="forbid"`` (``config_tables.py``,
imported only when a file is read): a misspelt key is reported with the closest valid name,
never silently ignored, and a value of the wrong type is one sentence that never repeats a
secret. drtui's own file is ``drtui.settings``'s (``read_toml`` reads it); precedence between
sources lives in ``config.py``.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import selectors
import shlex
import signal
import stat
import subprocess
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, overload

TOKEN_COMMAND_TIMEOUT = 15.0
COMMAND_STDERR_LIMIT = 200
TOKEN_OUTPUT_LIMIT = 64 * 1024
"""Bytes of output a token command may print (a token is one short line); more stops it."""
STDERR_KEPT = 16 * 1024
"""Bytes of a token command's error output kept (its last lines: where the reason is)."""
CONFIG_FILE_LIMIT = 1024 * 1024
"""Bytes a configuration or token file may hold; a larger one is not read."""
CONFIG_DEPTH_LIMIT = 32
"""Nesting a configuration file may have (its tables are two or three levels deep)."""
SECRET_KEYS = frozenset({"token", "token_command"})
"""Keys whose values never appear in a message."""


class ConfigError(Exception):
    """The configuration cannot be used; ``str()`` says why and what to do, in one sentence."""


@dataclass
class CredentialSource:
    """One source's connection settings; ``None`` means the source did not say."""

    source: str
    endpoint: str | None = None
    token: str | None = field(default=None, repr=False)
    token_command: str | None = field(default=None, repr=False)
    token_file: Path | None = None
    ssl_verify: bool | str | None = None
    profile: str | None = None
    warnings: list[str] = field(default_factory=list)


def suggest(key: str, valid: Collection[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest valid name, or nothing when none is close."""
    close = difflib.get_close_matches(key, sorted(valid), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def unknown_key_warning(where: str, key: str, valid: Collection[str], what: str = "key") -> str:
    return f"{where}: unknown {what} {key!r}{suggest(key, valid)} is ignored."


def permission_warning(path: Path) -> list[str]:
    """A token in a file others can read is a token others have."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return []
    if mode & (stat.S_IRGRP | stat.S_IROTH):
        return [f"{path} holds an API token and is readable by other users; run: chmod 600 {path}"]
    return []


def credentials(values: Mapping[str, Any], source: str) -> CredentialSource:
    """A file's validated connection keys as one source (``ca_bundle`` verifies unless
    ``ssl_verify`` turns verification off)."""
    ssl_verify = values.get("ssl_verify")
    if values.get("ca_bundle") and ssl_verify is not False:
        ssl_verify = values["ca_bundle"]
    return CredentialSource(
        source=source,
        endpoint=values.get("endpoint"),
        token=values.get("token"),
        token_command=values.get("token_command"),
        ssl_verify=ssl_verify,
    )


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file's tables, or ``ConfigError`` naming the file (and the line of a syntax error),
    for a file too large or nested too deep as well."""
    import tomllib  # here: the usual start, with no file, never needs it

    try:
        data = tomllib.loads(read_config_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}.") from None
    except RecursionError:
        raise _too_deep(path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} could not be read: {exc}.") from None
    if _depth(data) > CONFIG_DEPTH_LIMIT:
        raise _too_deep(path)
    return data


@overload
def load_yaml_file(path: Path, *, required: Literal[True]) -> CredentialSource: ...
@overload
def load_yaml_file(path: Path, *, required: Literal[False]) -> CredentialSource | None: ...
def load_yaml_file(path: Path, *, required: bool) -> CredentialSource | None:
    """The official client's YAML (``endpoint`` and ``token`` required, other keys allowed)."""
    if not path.is_file():
        if required:
            raise ConfigError(f"DATAROBOT_CONFIG_FILE names {path}, which does not exist.")
        return None
    import yaml

    from drtui.api.config_tables import ConnectionTable, validate_table

    try:
        data = yaml.load(read_config_text(path), Loader=_plain_yaml_loader())  # a SafeLoader
    except _AliasRefused as refused:
        raise ConfigError(
            f"{path} uses a YAML alias (*name, line {refused.line}); drtui reads plain keys and "
            "values only, so write the value out."
        ) from None
    except _TooDeep:
        raise _too_deep(path) from None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        raise ConfigError(f"{path} is not valid YAML (line {line}: {exc.problem}).") from None
    except RecursionError:
        raise _too_deep(path) from None
    except (yaml.YAMLError, OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} could not be read: {exc}.") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path} must be a YAML mapping with endpoint and token.")
    known = {k: v for k, v in data.items() if k in ConnectionTable.model_fields}
    connection, _ = validate_table(ConnectionTable, known, str(path))
    settings = credentials(connection.model_dump(), str(path))
    if not settings.endpoint:
        raise ConfigError(f"{path} has no endpoint; add endpoint: https://<host>/api/v2.")
    if settings.token:
        settings.warnings += permission_warning(path)
    return settings


class _AliasRefused(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


class _TooDeep(Exception):
    pass


def _plain_yaml_loader() -> type:
    """A safe YAML loader that refuses aliases (an alias bomb: a kilobyte naming a billion
    values) and nesting deeper than ``CONFIG_DEPTH_LIMIT``, before anything is built."""
    import yaml

    class PlainLoader(yaml.SafeLoader):
        depth = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                raise _AliasRefused(self.peek_event().start_mark.line + 1)  # type: ignore[no-untyped-call]
            self.depth += 1
            try:
                if self.depth > CONFIG_DEPTH_LIMIT:
                    raise _TooDeep()
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    return PlainLoader


def _depth(value: Any, limit: int = CONFIG_DEPTH_LIMIT + 1) -> int:
    """How deeply ``value`` nests (counted no further than ``limit``), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if not isinstance(item, dict | list) or level > limit:
            continue
        deepest = max(deepest, level)
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, level + 1) for child in children)
    return deepest


def _too_deep(path: Path) -> ConfigError:
    return ConfigError(
        f"{path} nests tables or lists more than {CONFIG_DEPTH_LIMIT} levels deep, which no "
        "configuration does; it was not read."
    )


def read_config_text(path: Path) -> str:
    """A configuration file's text, refused when it is larger than ``CONFIG_FILE_LIMIT``."""
    with path.open("rb") as handle:
        data = handle.read(CONFIG_FILE_LIMIT + 1)
    if len(data) > CONFIG_FILE_LIMIT:
        raise ConfigError(
            f"{path} is larger than {CONFIG_FILE_LIMIT // 1024} KiB, which no configuration "
            "file is; it was not read."
        )
    return data.decode("utf-8")


def read_token_file(path: Path, *, source: str) -> tuple[str, list[str]]:
    """The token in ``path`` (its first line) and a warning when others can read the file."""
    try:
        text = read_config_text(path.expanduser())
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
        raise ConfigError(
            f"The token file {path} from {source} cannot be read: {reason}."
        ) from None
    return first_line(text), permission_warning(path.expanduser())


def first_line(text: str) -> str:
    """The first non-blank line, stripped: ``pass show`` prints the secret first, notes after."""
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


def printable(text: str, limit: int = COMMAND_STDERR_LIMIT) -> str:
    """Another program's text made safe for one line of a terminal: no control characters."""
    kept = "".join(ch if ch.isprintable() else " " for ch in text)
    kept = " ".join(kept.split())
    return kept if len(kept) <= limit else kept[: limit - 1] + "…"


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Kill the command and everything it started (it leads its own session)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()
    # A grandchild that left the group may still hold the pipes: read nothing more from
    # them (it could write forever), close ours and wait for the command alone.
    for pipe in (process.stdout, process.stderr):
        if pipe is not None:
            pipe.close()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


class _TooMuchOutput(Exception):
    pass


def _bounded_output(process: subprocess.Popen[bytes], timeout: float) -> tuple[bytes, bytes]:
    """The command's output and error output, read as they come: at most
    ``TOKEN_OUTPUT_LIMIT`` bytes of output (``_TooMuchOutput`` past it), the last
    ``STDERR_KEPT`` bytes of errors; ``subprocess.TimeoutExpired`` after ``timeout`` seconds."""
    assert process.stdout is not None and process.stderr is not None
    deadline = time.monotonic() + timeout
    out, err = bytearray(), bytearray()
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ, out)
        selector.register(process.stderr, selectors.EVENT_READ, err)
        while selector.get_map():
            left = deadline - time.monotonic()
            if left <= 0:
                raise subprocess.TimeoutExpired(process.args, timeout)
            for key, _ in selector.select(left):
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    selector.unregister(key.fileobj)
                    continue
                buffer: bytearray = key.data
                buffer += chunk
                if buffer is out and len(out) > TOKEN_OUTPUT_LIMIT:
                    raise _TooMuchOutput()
                if buffer is err and len(err) > STDERR_KEPT:
                    del err[: len(err) - STDERR_KEPT]
    process.wait(max(0.0, deadline - time.monotonic()))
    return bytes(out), bytes(err)


def run_token_command(command: str, *, source: str) -> str:
    """Run ``token_command`` (no shell) and return the first line it printed, stripped."""
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        raise ConfigError(f"token_command from {source} cannot be parsed: {exc}.") from None
    if not argv:
        raise ConfigError(f"token_command from {source} is empty.")
    try:
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except FileNotFoundError:
        raise ConfigError(f"token_command from {source} failed: {argv[0]} was not found.") from None
    except OSError as exc:
        raise ConfigError(
            f"token_command from {source} could not be run: {exc.strerror or exc}."
        ) from None
    try:
        out, err = _bounded_output(process, TOKEN_COMMAND_TIMEOUT)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise ConfigError(
            f"token_command from {source} did not finish within {TOKEN_COMMAND_TIMEOUT:g} seconds."
        ) from None
    except _TooMuchOutput:
        _kill_group(process)
        raise ConfigError(
            f"token_command from {source} printed more than {TOKEN_OUTPUT_LIMIT // 1024} KiB, "
            "which is no token; it was stopped."
        ) from None
    finally:
        for pipe in (process.stdout, process.stderr):
            if pipe is not None:
                pipe.close()
    if process.returncode != 0:
        said = [
            line for line in err.decode("utf-8", "replace").splitlines() if printable(line).strip()
        ]
        reason = f": {printable(said[-1])}" if said else ""
        raise ConfigError(
            f"token_command from {source} failed with exit code {process.returncode}{reason}."
        )
    token = first_line(out.decode("utf-8", "replace"))
    if not token:
        raise ConfigError(f"token_command from {source} printed no token.")
    return token
