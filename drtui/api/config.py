"""Where drtui finds its endpoint and token, and the settings that travel with them.

Precedence, first that gives an endpoint wins (see ``resolve_config``):

1. command-line flags (``--endpoint``/``--token``; ``--profile`` picks a drtui profile),
2. ``DATAROBOT_ENDPOINT`` / ``DATAROBOT_API_TOKEN``,
3. the YAML file named by ``DATAROBOT_CONFIG_FILE``,
4. the drtui TOML file (``<user config dir>/drtui/config.toml``), its ``default_profile``,
5. ``~/.config/datarobot/drconfig.yaml``, the official client's file.

Endpoint and token always come from the same source, as the official client requires, so a
token never gets sent to an endpoint it was not written down for. ``ssl_verify`` follows its own
precedence: flag, then ``DATAROBOT_SSL_VERIFY``, then the chosen source. The drtui file's UI
settings (read-only, refresh interval, keymap) apply whichever source gave the credentials.
Every path and the environment are parameters, so tests never read the real home directory.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import platformdirs

from drtui.api.config_files import (
    ConfigError,
    DrtuiFile,
    FileSettings,
    load_drtui_file,
    load_yaml_file,
    run_token_command,
)

DEFAULT_REFRESH_INTERVAL = 30.0
DEFAULT_CLOUD_ENDPOINT = "https://app.datarobot.com/api/v2"

__all__ = [
    "DEFAULT_REFRESH_INTERVAL",
    "ConfigError",
    "ConfigOverrides",
    "ResolvedConfig",
    "drconfig_path",
    "drtui_config_path",
    "normalise_endpoint",
    "resolve_config",
]


@dataclass(frozen=True)
class ConfigOverrides:
    """What the command line says; ``None`` means "not given"."""

    endpoint: str | None = None
    token: str | None = field(default=None, repr=False)
    profile: str | None = None
    ssl_verify: bool | str | None = None
    """``False`` for ``--insecure``, a path for ``--ca-bundle``."""
    config_file: Path | None = None
    """A drtui TOML file to use instead of the one in the user config directory."""
    read_only: bool | None = None
    refresh_interval: float | None = None


@dataclass(frozen=True)
class ResolvedConfig:
    """Everything needed to open a client, plus where it came from (for ``drtui check``)."""

    endpoint: str
    token: str = field(repr=False)
    source: str
    """Human description of where endpoint and token were found."""
    ssl_verify: bool | str = True
    """True, False, or the path of a CA bundle."""
    profile: str | None = None
    read_only: bool = False
    refresh_interval: float = DEFAULT_REFRESH_INTERVAL
    keymap: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    tls_warning: str | None = None
    """The warning of `warnings` that says TLS verification is off: the screen keeps it in view."""

    def __str__(self) -> str:
        return f"{self.endpoint} (from {self.source})"


def drtui_config_path(config_dir: Path | None = None) -> Path:
    base = config_dir if config_dir is not None else Path(platformdirs.user_config_dir("drtui"))
    return base / "config.toml"


def drconfig_path(home: Path | None = None) -> Path:
    return (home if home is not None else Path.home()) / ".config" / "datarobot" / "drconfig.yaml"


def normalise_endpoint(raw: str, *, source: str) -> str:
    """``https://host/api/v2`` from what people paste: no scheme, no /api/v2, trailing slash."""
    text = raw.strip().rstrip("/")
    if not text:
        raise ConfigError(f"The endpoint from {source} is empty.")
    if "://" not in text:
        text = "https://" + text
    url = httpx.URL(text)
    if url.scheme not in ("http", "https") or not url.host:
        raise ConfigError(
            f"The endpoint {raw!r} from {source} is not an http(s) URL, "
            "e.g. https://app.datarobot.com/api/v2."
        )
    if not text.endswith("/api/v2"):
        text += "/api/v2"
    return text


def parse_ssl_verify(value: Any, *, source: str) -> bool | str:
    """A bool, a boolean word, or the path of a CA bundle that must exist."""
    if isinstance(value, bool):
        return value
    text = str(value).strip()
    if text.lower() in ("1", "true", "yes", "on"):
        return True
    if text.lower() in ("0", "false", "no", "off"):
        return False
    path = Path(text).expanduser()
    if not path.is_file():
        raise ConfigError(
            f"ssl_verify from {source} is neither true/false nor an existing CA bundle file: {text}"
        )
    return str(path)


def resolve_config(
    overrides: ConfigOverrides | None = None,
    *,
    env: Mapping[str, str] | None = None,
    home: Path | None = None,
    config_dir: Path | None = None,
) -> ResolvedConfig:
    """Find endpoint, token and settings; raises ConfigError with one sentence on failure."""
    flags = overrides or ConfigOverrides()
    environ = os.environ if env is None else env
    toml_path = flags.config_file or drtui_config_path(config_dir)
    drtui_file = load_drtui_file(toml_path, flags.profile, explicit=flags.config_file is not None)
    warnings: list[str] = list(drtui_file.warnings) if drtui_file else []

    chosen = _connection_source(flags, environ, drtui_file, drconfig_path(home), toml_path)
    warnings += chosen.warnings
    if flags.token:
        warnings.append(
            "A token given on the command line is visible to other users in the process list; "
            "prefer DATAROBOT_API_TOKEN or a profile's token_command."
        )
    if not chosen.token and chosen.token_command:
        token = run_token_command(chosen.token_command, source=chosen.source)
    else:
        token = (chosen.token or "").strip()
    if not token:
        raise ConfigError(
            f"{chosen.source} gives an endpoint but no API token; add the token there "
            "(token or token_command), since endpoint and token must come from the same place."
        )
    endpoint = normalise_endpoint(chosen.endpoint or "", source=chosen.source)

    ssl_verify: bool | str = True
    tls_off: str | None = None
    for value, where in (
        (flags.ssl_verify, "the command line"),
        (environ.get("DATAROBOT_SSL_VERIFY"), "DATAROBOT_SSL_VERIFY"),
        (chosen.ssl_verify, chosen.source),
    ):
        if value is not None and value != "":
            ssl_verify = parse_ssl_verify(value, source=where)
            if ssl_verify is False:
                tls_off = (
                    f"TLS certificate verification is off ({where}): anyone on the network path "
                    "could read your API token."
                )
                warnings.append(tls_off)
            break

    ui = drtui_file.settings if drtui_file else FileSettings(source=str(toml_path))
    return ResolvedConfig(
        endpoint=endpoint,
        token=token,
        source=chosen.source,
        ssl_verify=ssl_verify,
        profile=chosen.profile or (drtui_file.settings.profile if drtui_file else None),
        read_only=flags.read_only if flags.read_only is not None else bool(ui.read_only),
        refresh_interval=flags.refresh_interval or ui.refresh_interval or DEFAULT_REFRESH_INTERVAL,
        keymap=dict(ui.keymap),
        warnings=tuple(dict.fromkeys(warnings)),
        tls_warning=tls_off,
    )


def _connection_source(
    flags: ConfigOverrides,
    environ: Mapping[str, str],
    drtui_file: DrtuiFile | None,
    drconfig: Path,
    toml_path: Path,
) -> FileSettings:
    if flags.endpoint or flags.token:
        if not flags.endpoint:
            raise ConfigError("--token was given without --endpoint; give both, or neither.")
        return FileSettings(source="the command line", endpoint=flags.endpoint, token=flags.token)
    if flags.profile is not None:
        # An explicitly named profile beats the environment: the user asked for it by name.
        if drtui_file is None:  # load_drtui_file raises first; kept for the type checker
            raise ConfigError(
                f"Profile {flags.profile!r} was asked for but {toml_path} is missing."
            )
        return drtui_file.settings
    env_endpoint = environ.get("DATAROBOT_ENDPOINT", "").strip()
    env_token = environ.get("DATAROBOT_API_TOKEN", "").strip()
    if env_endpoint or env_token:
        return FileSettings(
            source="DATAROBOT_ENDPOINT/DATAROBOT_API_TOKEN",
            endpoint=env_endpoint or DEFAULT_CLOUD_ENDPOINT,
            token=env_token or None,
        )
    named = environ.get("DATAROBOT_CONFIG_FILE", "").strip()
    if named:
        return load_yaml_file(Path(named).expanduser(), required=True)
    if drtui_file is not None and drtui_file.settings.endpoint:
        return drtui_file.settings
    official = load_yaml_file(drconfig, required=False)
    if official is not None:
        return official
    raise ConfigError(
        "No DataRobot configuration found: looked for --endpoint/--token, DATAROBOT_ENDPOINT and "
        f"DATAROBOT_API_TOKEN, DATAROBOT_CONFIG_FILE, {toml_path} and {drconfig}. "
        "Set one of them, or run `drtui demo` to try drtui on its built-in emulator."
    )
