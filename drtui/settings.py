"""Everything a user can set, in one model: `Settings`.

Each setting is taken from the first of these that gives it: the command line, the environment
(``DRTUI_<NAME>``, for the screen's settings), drtui's TOML file (the profile in use over the
top level), then the field's default. The connection is the exception: endpoint and token must
come from the same place, so ``drtui.api.config.resolve_config`` takes the first whole source
among the command line, ``DATAROBOT_ENDPOINT``/``DATAROBOT_API_TOKEN``,
``DATAROBOT_CONFIG_FILE``, this file's connection keys and the official client's
``drconfig.yaml``. The connection fields here hold what the command line said; the file's keys
of the same names are validated by the same fields and handed to it as one source.

A file's values are taken as written (strict: ``read_only = "yes"`` is an error, not true); a
misspelt key is a warning naming the closest valid key, a wrong type one sentence naming the
file and the key, and a token's value is never repeated. Imported only when needed (the
dashboard, `demo` and `record`, or any command once drtui's file exists): `drtui deployments`
with no file imports no pydantic at all.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from drtui.api.config import (
    ConfigOverrides,
    DrtuiConnection,
    ResolvedConfig,
    drtui_config_path,
    resolve_config,
)
from drtui.api.config_files import (
    ConfigError,
    credentials,
    permission_warning,
    read_toml,
    suggest,
    unknown_key_warning,
)
from drtui.api.config_tables import problem, validate_table

__all__ = ["Configuration", "Settings", "keymap_warnings", "load"]

ENV_PREFIX = "DRTUI_"
DEFAULT_REFRESH_INTERVAL = 30.0

CONNECTION_KEYS = ("endpoint", "token", "token_command", "ssl_verify", "ca_bundle")
"""A file table's connection: handed to ``resolve_config`` whole, as one source."""
SCREEN_KEYS = ("read_only", "refresh_interval", "theme", "bell", "notify", "keymap", "show_all")
"""The settings taken one by one: command line, then environment, then file, then default."""
PROFILE_KEYS = (*CONNECTION_KEYS, *SCREEN_KEYS)
"""What a table of the file (its top level or a profile) may set."""
TOP_KEYS = ("default_profile", "profiles")
"""What only the file's top level may set."""

KINDS = {
    "read_only": "true or false",
    "refresh_interval": "a number of seconds",
    "theme": "text (a theme's name)",
    "bell": "true or false",
    "notify": "true or false",
    "keymap": 'a table of binding id = "key" (e.g. [profiles.NAME.keymap])',
    "show_all": "true or false",
    "default_profile": "text (a profile name)",
    "profiles": "a table of profiles",
}
"""How a value's expected type is said in an error (the connection's are the api's)."""
UNITS = {"refresh_interval": "seconds"}
FLAGS = {"refresh_interval": "--refresh", "show_all": "--all", "notify": "--no-notify"}
"""The option setting a field, where it is not the field's name as an option."""


class Settings(BaseSettings):
    """What the user set: the command line, ``DRTUI_*``, drtui's file, the defaults.

    The dashboard reads it through ``AppSettings``, built from it in one place
    (``drtui.cli.dispatch.app_settings``), together with the resolved connection.
    """

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_ignore_empty=True,
        extra="forbid",
        frozen=True,
        use_attribute_docstrings=True,
    )

    # -- the connection: the command line's (the file's go to resolve_config as one source) --
    endpoint: str | None = None
    """The DataRobot API endpoint (https://host, /api/v2 is added): --endpoint, a file's
    ``endpoint``, or DATAROBOT_ENDPOINT."""
    token: str | None = Field(default=None, repr=False)
    """The API token, never shown: a file's ``token`` or DATAROBOT_API_TOKEN; never an
    option, which other users could read in the process list."""
    token_file: Path | None = None
    """A file whose first line is the token (--token-file, with --endpoint)."""
    token_command: str | None = Field(default=None, repr=False)
    """A command printing the token, run without a shell (--token-command, a file's
    ``token_command``)."""
    ssl_verify: bool | str | None = None
    """TLS verification: false for --insecure; in a file true, false or a CA bundle's path;
    DATAROBOT_SSL_VERIFY beats the file."""
    ca_bundle: str | None = None
    """A CA bundle to verify TLS with (--ca-bundle, a file's ``ca_bundle``)."""
    allow_http: bool = False
    """Send the token over plain http:// to another machine (--allow-http): only an option,
    so that no file turns encryption off for every command."""

    # -- which file and profile --
    config_file: Path | None = None
    """drtui's TOML file to read instead of the one in the user config directory (--config)."""
    profile: str | None = None
    """The file's profile to use (--profile); named, it beats the environment."""
    default_profile: str | None = None
    """The profile used when none is named (the file's top level)."""
    profiles: dict[str, dict[str, Any]] = Field(default_factory=dict)
    """Named tables of connection and screen settings, each over the file's top level."""

    # -- the screen --
    read_only: bool = False
    """Disable every write action (--read-only)."""
    refresh_interval: float = Field(default=DEFAULT_REFRESH_INTERVAL, ge=5)
    """Seconds between two polls of the fleet (--refresh)."""
    theme: str | None = None
    """A Textual theme's name (--theme)."""
    bell: bool = False
    """Ring the terminal bell when a deployment's health gets worse (--bell)."""
    notify: bool = True
    """Ask the terminal for a desktop notification on a degradation while it is not focused
    (off: --no-notify)."""
    keymap: dict[str, str] = Field(default_factory=dict)
    """Binding id -> key(s), over the keys drtui binds (in the environment: JSON)."""
    show_all: bool = False
    """Start on all deployments instead of the attention view (--all)."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """The command line (the keyword arguments), the environment, drtui's file: no
        ``.env`` file and no secrets directory."""
        environ, table = _BELOW_THE_COMMAND_LINE.get()
        return (init_settings, _Environment(settings_cls, environ), _FileTable(settings_cls, table))


_BELOW_THE_COMMAND_LINE: ContextVar[tuple[Mapping[str, str], Mapping[str, Any]]] = ContextVar(
    "below_the_command_line", default=(os.environ, {})
)
"""The environment and the file's table in use, for the sources of the ``Settings`` being made."""


class _Environment(EnvSettingsSource):
    """``DRTUI_<NAME>`` for the screen's settings, from the mapping given (the connection's
    variables are DATAROBOT_*, read by ``resolve_config``)."""

    def __init__(self, settings_cls: type[BaseSettings], environ: Mapping[str, str]) -> None:
        super().__init__(settings_cls)
        self.env_vars = {k.lower(): v for k, v in environ.items() if k.startswith(ENV_PREFIX)}

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        if field_name not in SCREEN_KEYS:
            return None, field_name, False
        return super().get_field_value(field, field_name)

    def decode_complex_value(self, field_name: str, field: FieldInfo, value: Any) -> Any:
        try:
            return super().decode_complex_value(field_name, field, value)
        except ValueError:
            raise ConfigError(
                f'{_env_name(field_name)} must be JSON, e.g. {{"deployments.refresh": "ctrl+r"}}.'
            ) from None


class _FileTable(PydanticBaseSettingsSource):
    """The screen's settings in drtui's file: the profile in use over the top level."""

    def __init__(self, settings_cls: type[BaseSettings], table: Mapping[str, Any]) -> None:
        super().__init__(settings_cls)
        self.table = {k: v for k, v in table.items() if k in SCREEN_KEYS}

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return self.table.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(self.table)


@contextmanager
def _below(environ: Mapping[str, str], table: Mapping[str, Any]) -> Iterator[None]:
    token = _BELOW_THE_COMMAND_LINE.set((environ, table))
    try:
        yield
    finally:
        _BELOW_THE_COMMAND_LINE.reset(token)


def build(
    flags: Mapping[str, Any],
    *,
    environ: Mapping[str, str],
    table: Mapping[str, Any] | None = None,
    where: str | None = None,
) -> Settings:
    """``Settings`` from the command line's ``flags`` (by field name), the environment and the
    file's ``table`` read at ``where``; ``ConfigError`` names the option, the variable or the
    file's key of a value that cannot be used."""
    table = table or {}
    try:
        with _below(environ, table):
            return Settings(**flags)
    except ValidationError as exc:
        env_values = {k: environ[_env_name(k)] for k in SCREEN_KEYS if environ.get(_env_name(k))}
        key, wrong = problem(exc, {**table, **env_values, **flags}, kinds=KINDS, units=UNITS)
        if key in flags:
            subject = FLAGS.get(key, "--" + key.replace("_", "-"))
        elif key in env_values:
            subject = _env_name(key)
        else:
            subject = f"{where or 'the drtui config file'}: {key}"
        raise ConfigError(f"{subject}{wrong}.") from None


def _env_name(key: str) -> str:
    return ENV_PREFIX + key.upper()


@cache
def file_table() -> type[BaseModel]:
    """``Settings``' own fields as a plain strict model, for a table of drtui's file: its values
    are taken as written (``read_only = "yes"`` is refused, not read as true), and no other
    source (the environment) is read while it is checked."""
    fields: dict[str, Any] = {k: (f.annotation, f) for k, f in Settings.model_fields.items()}
    strict = ConfigDict(extra="forbid", strict=True, frozen=True)
    return create_model("SettingsTable", __config__=strict, **fields)


# ----- drtui's TOML file ------------------------------------------------------------------------


def _merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """``over`` on top of ``base``; two tables under one key (a keymap) merge key by key."""
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


@dataclass(frozen=True)
class SettingsFile:
    """drtui's TOML file as read: its top level and the profile chosen (named, the
    ``default_profile`` or the only one), and what was misspelt in each."""

    path: Path
    top: Mapping[str, Any]
    profile: str | None
    chosen: Mapping[str, Any]
    top_warnings: tuple[str, ...]
    profile_warnings: tuple[str, ...]

    def where(self, in_use: bool) -> str:
        return f"{self.path} [profiles.{self.profile}]" if in_use else str(self.path)

    def table(self, in_use: bool) -> dict[str, Any]:
        """The keys that apply: the profile's over the top level's when it is in use."""
        top = {k: v for k, v in self.top.items() if k in PROFILE_KEYS}
        mine = {k: v for k, v in self.chosen.items() if k in PROFILE_KEYS}
        return _merge(top, mine) if in_use else top

    def connection(self) -> DrtuiConnection:
        """The connection keys of the chosen profile over the top level, validated, as one
        source for ``resolve_config``."""
        in_use = self.profile is not None
        table = self.table(in_use)
        keys = {k: table[k] for k in CONNECTION_KEYS if k in table}
        checked, _ = validate_table(file_table(), keys, self.where(in_use), keys=CONNECTION_KEYS)
        source = credentials({k: getattr(checked, k) for k in keys}, self.where(in_use))
        source.profile = self.profile
        return DrtuiConnection(self.path, source)

    def warnings(self, in_use: bool) -> list[str]:
        """What to say about the file: misspelt keys (the profile's only when it is in use), and
        a token in a file others can read."""
        said = [*self.top_warnings, *(self.profile_warnings if in_use else ())]
        return said + (permission_warning(self.path) if self.table(in_use).get("token") else [])


def read_file(path: Path, profile: str | None, *, explicit: bool) -> SettingsFile | None:
    """drtui's file, or None when it does not exist and nothing required it."""
    if not path.is_file():
        if explicit or profile is not None:
            raise ConfigError(
                f"Profile {profile!r} was asked for but {path} does not exist."
                if profile is not None
                else f"The config file {path} does not exist."
            )
        return None
    data = read_toml(path)
    top, warnings = validate_table(
        file_table(), data, str(path), keys=TOP_KEYS, also_known=PROFILE_KEYS, kinds=KINDS
    )
    said = dict(top)
    profiles: dict[str, dict[str, Any]] = said["profiles"]
    name = profile or said["default_profile"]
    if name is None and len(profiles) == 1:
        name = next(iter(profiles))
    if name is None and len(profiles) > 1 and not data.get("endpoint"):
        warnings.append(
            f"{path} has profiles {', '.join(sorted(profiles))} but no default_profile; "
            "choose one with --profile."
        )
    chosen: Mapping[str, Any] = {}
    if name is not None:
        if name not in profiles:
            known = ", ".join(sorted(profiles)) or "none"
            raise ConfigError(f"There is no profile {name!r} in {path}; profiles there: {known}.")
        chosen = profiles[name]
    where = f"{path} [profiles.{name}]"
    mistakes = [
        unknown_key_warning(where, str(k), PROFILE_KEYS) for k in chosen if k not in PROFILE_KEYS
    ]
    return SettingsFile(path, data, name, chosen, tuple(warnings), tuple(mistakes))


# ----- the one place they all meet ----------------------------------------------------------


@dataclass(frozen=True)
class Configuration:
    """The connection resolved and the settings in use, with where the settings came from."""

    connection: ResolvedConfig
    """Its ``warnings`` are everything worth saying once at start, the file's first."""
    settings: Settings
    keymap_source: str | None = None
    """Where the keymap was read (the file and profile, or DRTUI_KEYMAP), for messages."""


def load(
    flags: Mapping[str, Any],
    *,
    env: Mapping[str, str] | None = None,
    home: Path | None = None,
    config_dir: Path | None = None,
    screen: bool = True,
) -> Configuration:
    """The command line's ``flags`` (by field name) with the environment and the files.

    ``screen`` False (the headless commands): the ``DRTUI_*`` screen settings are not read,
    but the file's still have to be valid. Raises ``ConfigError`` with one sentence.
    """
    environ = os.environ if env is None else env
    named = flags.get("config_file")
    path = Path(named).expanduser() if named else drtui_config_path(config_dir)
    file = read_file(path, flags.get("profile"), explicit=named is not None)
    own = file.connection() if file else DrtuiConnection(path)
    connection = resolve_config(
        ConfigOverrides.from_values(flags), env=environ, home=home, drtui_file=own
    )
    in_use = file is not None and file.profile is not None and connection.profile == file.profile
    table = file.table(in_use) if file else {}
    where = file.where(in_use) if file else None
    if file is not None:
        screen_part = {k: table[k] for k in SCREEN_KEYS if k in table}
        validate_table(
            file_table(), screen_part, str(where), keys=SCREEN_KEYS, kinds=KINDS, units=UNITS
        )
    environment = environ if screen else {}
    settings = build(flags, environ=environment, table=table, where=where)
    warnings = [*(file.warnings(in_use) if file else ()), *connection.warnings]
    return Configuration(
        replace(connection, warnings=tuple(dict.fromkeys(warnings))),
        settings,
        keymap_source(environment, where),
    )


def keymap_source(environ: Mapping[str, str], where: str | None) -> str | None:
    """Where the keymap in use was written: DRTUI_KEYMAP, else the file's table ``where``."""
    return _env_name("keymap") if environ.get(_env_name("keymap")) else where


def keymap_warnings(
    keymap: Mapping[str, str], known_ids: Collection[str], source: str
) -> list[str]:
    """One warning per binding id in ``keymap`` that no binding has, with the closest id."""
    known = set(known_ids)
    return [
        f"{source}: keymap names an unknown binding id {key!r}{suggest(key, known)}; it is ignored."
        for key in keymap
        if key not in known
    ]
