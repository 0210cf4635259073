"""Reading the configuration files: the drtui TOML with profiles and the official YAML.

Each reader turns a file into ``FileSettings`` or a ``ConfigError`` naming the file and, for a
syntax error, the line. Precedence between sources lives in ``config.py``.
"""

from __future__ import annotations

import shlex
import stat
import subprocess
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, overload

import yaml

TOKEN_COMMAND_TIMEOUT = 15.0


class ConfigError(Exception):
    """The configuration cannot be used; ``str()`` says why and what to do, in one sentence."""


@dataclass
class FileSettings:
    """One source's settings; ``None`` means the source did not say."""

    source: str
    endpoint: str | None = None
    token: str | None = field(default=None, repr=False)
    token_command: str | None = None
    ssl_verify: bool | str | None = None
    profile: str | None = None
    read_only: bool | None = None
    refresh_interval: float | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass
class DrtuiFile:
    settings: FileSettings
    warnings: list[str]


def _permission_warning(path: Path) -> list[str]:
    """A token in a file others can read is a token others have."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return []
    if mode & (stat.S_IRGRP | stat.S_IROTH):
        return [f"{path} holds an API token and is readable by other users; run: chmod 600 {path}"]
    return []


def _typed(table: Mapping[str, Any], key: str, kinds: tuple[type, ...], where: str) -> Any:
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, bool) and bool not in kinds:
        raise ConfigError(f"{where}: {key} must be {_kind_names(kinds)}, not {value!r}.")
    if not isinstance(value, kinds):
        raise ConfigError(f"{where}: {key} must be {_kind_names(kinds)}, not {value!r}.")
    return value


def _kind_names(kinds: tuple[type, ...]) -> str:
    names = {str: "text", bool: "true/false", int: "a number", float: "a number", dict: "a table"}
    return " or ".join(dict.fromkeys(names.get(k, k.__name__) for k in kinds))


def _settings(table: Mapping[str, Any], source: str, where: str) -> FileSettings:
    ssl_verify = _typed(table, "ssl_verify", (bool, str), where)
    ca_bundle = _typed(table, "ca_bundle", (str,), where)
    if ca_bundle and ssl_verify is not False:
        ssl_verify = ca_bundle
    keymap = _typed(table, "keymap", (dict,), where) or {}
    interval = _typed(table, "refresh_interval", (int, float), where)
    if interval is not None and interval <= 0:
        raise ConfigError(f"{where}: refresh_interval must be a positive number of seconds.")
    return FileSettings(
        source=source,
        endpoint=_typed(table, "endpoint", (str,), where),
        token=_typed(table, "token", (str,), where),
        token_command=_typed(table, "token_command", (str,), where),
        ssl_verify=ssl_verify,
        read_only=_typed(table, "read_only", (bool,), where),
        refresh_interval=float(interval) if interval is not None else None,
        keymap={str(k): str(v) for k, v in keymap.items()},
    )


def load_drtui_file(path: Path, profile: str | None, *, explicit: bool) -> DrtuiFile | None:
    """The drtui TOML file with the chosen profile merged over its top-level keys.

    Returns None when the file does not exist and nothing required it.
    """
    if not path.is_file():
        if explicit or profile is not None:
            raise ConfigError(
                f"Profile {profile!r} was asked for but {path} does not exist."
                if profile is not None
                else f"The config file {path} does not exist."
            )
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} could not be read: {exc}.") from None
    profiles = _typed(data, "profiles", (dict,), str(path)) or {}
    name = profile or _typed(data, "default_profile", (str,), str(path))
    warnings: list[str] = []
    if name is None and len(profiles) == 1:
        name = next(iter(profiles))
    if name is None and len(profiles) > 1 and not data.get("endpoint"):
        warnings.append(
            f"{path} has profiles {', '.join(sorted(profiles))} but no default_profile; "
            "choose one with --profile."
        )
    merged: dict[str, Any] = {k: v for k, v in data.items() if k != "profiles"}
    source = str(path)
    if name is not None:
        chosen = profiles.get(name)
        if not isinstance(chosen, dict):
            known = ", ".join(sorted(profiles)) or "none"
            raise ConfigError(f"There is no profile {name!r} in {path}; profiles there: {known}.")
        keymap = {**(merged.get("keymap") or {}), **(chosen.get("keymap") or {})}
        merged.update(chosen)
        if keymap:
            merged["keymap"] = keymap
        source = f"{path} [profiles.{name}]"
    settings = _settings(merged, source, source)
    settings.profile = name
    if settings.token:
        warnings += _permission_warning(path)
    return DrtuiFile(settings, warnings)


@overload
def load_yaml_file(path: Path, *, required: Literal[True]) -> FileSettings: ...
@overload
def load_yaml_file(path: Path, *, required: Literal[False]) -> FileSettings | None: ...
def load_yaml_file(path: Path, *, required: bool) -> FileSettings | None:
    """The official client's YAML (``endpoint`` and ``token`` required, other keys allowed)."""
    if not path.is_file():
        if required:
            raise ConfigError(f"DATAROBOT_CONFIG_FILE names {path}, which does not exist.")
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        raise ConfigError(f"{path} is not valid YAML (line {line}: {exc.problem}).") from None
    except (yaml.YAMLError, OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} could not be read: {exc}.") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path} must be a YAML mapping with endpoint and token.")
    settings = _settings(data, str(path), str(path))
    if not settings.endpoint:
        raise ConfigError(f"{path} has no endpoint; add endpoint: https://<host>/api/v2.")
    if settings.token:
        settings.warnings += _permission_warning(path)
    return settings


def run_token_command(command: str, *, source: str) -> str:
    """Run ``token_command`` (no shell) and return what it printed, stripped."""
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        raise ConfigError(f"token_command from {source} cannot be parsed: {exc}.") from None
    if not argv:
        raise ConfigError(f"token_command from {source} is empty.")
    try:
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=TOKEN_COMMAND_TIMEOUT, check=False
        )
    except FileNotFoundError:
        raise ConfigError(f"token_command from {source} failed: {argv[0]} was not found.") from None
    except subprocess.TimeoutExpired:
        raise ConfigError(
            f"token_command from {source} did not finish within {TOKEN_COMMAND_TIMEOUT:g} seconds."
        ) from None
    except OSError as exc:
        raise ConfigError(f"token_command from {source} could not be run: {exc}.") from None
    if done.returncode != 0:
        said = (done.stderr or "").strip().splitlines()
        reason = f": {said[-1][:200]}" if said else ""
        raise ConfigError(
            f"token_command from {source} failed with exit code {done.returncode}{reason}."
        )
    token = done.stdout.strip()
    if not token:
        raise ConfigError(f"token_command from {source} printed no token.")
    return token
