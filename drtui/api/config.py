"""Where drtui finds its endpoint and token, and the TLS setting that travels with them.

Precedence, first that gives an endpoint wins (see ``resolve_config``):

1. command-line flags (``--endpoint`` with its token from ``--token-file``, ``--token-command``
   or ``DATAROBOT_API_TOKEN``; ``--profile`` picks a drtui profile),
2. ``DATAROBOT_ENDPOINT`` / ``DATAROBOT_API_TOKEN``,
3. the YAML file named by ``DATAROBOT_CONFIG_FILE``,
4. the drtui TOML file (``<user config dir>/drtui/config.toml``), its ``default_profile``,
5. ``~/.config/datarobot/drconfig.yaml``, the official client's file.

Endpoint and token always come from the same source, as the official client requires, so a
token never gets sent to an endpoint it was not written down for. ``ssl_verify`` follows its own
precedence: flag, then ``DATAROBOT_SSL_VERIFY``, then the chosen source. An endpoint with a user
name or password in it is refused (httpx would send Basic auth, and the URL is displayed), and
so is plain ``http://`` to another machine unless ``allow_http``. Only the connection is
resolved here: drtui's own file is read by ``drtui.settings``, which hands on what it says about
the connection (``DrtuiConnection``) and keeps the rest. Every path and the environment are
parameters, so tests never read the real home directory.
"""

from __future__ import annotations

import ipaddress
import os
import re
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import platformdirs

from drtui.api.config_files import (
    ConfigError,
    CredentialSource,
    load_yaml_file,
    read_token_file,
    run_token_command,
)

DEFAULT_CLOUD_ENDPOINT = "https://app.datarobot.com/api/v2"
ENV_SOURCE = "DATAROBOT_ENDPOINT/DATAROBOT_API_TOKEN"
FLAG_SOURCE = "the command line"

__all__ = [
    "ConfigError",
    "ConfigOverrides",
    "DrtuiConnection",
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
    """For programs only: the command line never takes a token as an argument."""
    token_file: Path | None = None
    token_command: str | None = field(default=None, repr=False)
    profile: str | None = None
    """A profile of drtui's file named on the command line: it beats the environment."""
    ssl_verify: bool | str | None = None
    """``False`` for ``--insecure``, a path for ``--ca-bundle``."""
    ca_bundle: str | None = None
    """A CA bundle to verify with, unless ``ssl_verify`` turns verification off."""
    allow_http: bool = False
    """Let the token travel in clear text to a plain ``http://`` endpoint on another machine."""

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> ConfigOverrides:
        """The connection's part of ``values`` (the command line's, by name); others are skipped."""
        names = {f.name for f in fields(cls)}
        given = {k: v for k, v in values.items() if k in names and v is not None}
        if given.get("token_file") is not None:
            given["token_file"] = Path(given["token_file"]).expanduser()
        return cls(**given)


@dataclass(frozen=True)
class DrtuiConnection:
    """What drtui's own TOML file says about the connection (``drtui.settings`` reads it)."""

    path: Path
    """Where the file is or would be, named when no source gives an endpoint."""
    credentials: CredentialSource | None = None
    """The profile chosen (``credentials.profile``) over the top level; None without a file."""


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
    warnings: tuple[str, ...] = ()
    """Everything worth saying once at start, including the two below."""
    tls_warning: str | None = None
    """The warning that TLS verification is off: the screen keeps it in view."""
    cleartext_warning: str | None = None
    """The warning that the token travels over plain http: the screen keeps it in view."""

    @property
    def header_warnings(self) -> tuple[str, ...]:
        """The warnings that stay in view for as long as they are true."""
        return tuple(w for w in (self.tls_warning, self.cleartext_warning) if w)

    def __str__(self) -> str:
        return f"{self.endpoint} (from {self.source})"


def drtui_config_path(config_dir: Path | None = None) -> Path:
    base = config_dir if config_dir is not None else Path(platformdirs.user_config_dir("drtui"))
    return base / "config.toml"


def drconfig_path(home: Path | None = None) -> Path:
    return (home if home is not None else Path.home()) / ".config" / "datarobot" / "drconfig.yaml"


_SCHEME_WITHOUT_SLASHES = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:/")
"""``http:/host``: a scheme whose ``//`` went missing (``host:8080/api`` is a port, not this)."""


def normalise_endpoint(raw: str, *, source: str) -> str:
    """``https://host/api/v2`` from what people paste: no scheme, no /api/v2, trailing slash.

    An endpoint holding a user name or password is refused without being repeated.
    """
    text = raw.strip().rstrip("/")
    if not text:
        raise ConfigError(f"The endpoint from {source} is empty.")
    mangled_scheme = "://" not in text and ("//" in text or _SCHEME_WITHOUT_SLASHES.match(text))
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        has_credentials = "@" in parts.netloc
    except ValueError:
        parts, has_credentials = None, "@" in text
    if has_credentials:
        raise ConfigError(
            f"The endpoint from {source} has a user name or password in it (user:password@host); "
            "remove them: drtui signs in with the API token only."
        )
    try:
        url = httpx.URL(text)
    except (httpx.InvalidURL, ValueError):
        url = None
    if (
        mangled_scheme
        or parts is None
        or url is None
        or url.scheme not in ("http", "https")
        or not url.host
    ):
        shown = raw.strip()[:80]
        raise ConfigError(
            f"The endpoint {shown!r} from {source} is not an http(s) URL, "
            "e.g. https://app.datarobot.com/api/v2."
        )
    if not text.endswith("/api/v2"):
        text += "/api/v2"
    return text


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def cleartext_check(endpoint: str, *, source: str, allow_http: bool) -> str | None:
    """Refuse plain http to another machine unless allowed; when allowed, the warning to show."""
    url = httpx.URL(endpoint)
    if url.scheme != "http" or is_loopback(url.host):
        return None
    if not allow_http:
        raise ConfigError(
            f"The endpoint from {source} is plain http:// on {url.host}, which would send your "
            "API token unencrypted; use https://, or pass --allow-http if you accept that."
        )
    return (
        f"The endpoint {url.host} is plain http (allowed by --allow-http): anyone on the "
        "network path can read your API token."
    )


def parse_ssl_verify(value: Any, *, source: str) -> bool | str:
    """A bool, a boolean word, or the path of a PEM CA bundle that must exist and load."""
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
    try:
        ssl.create_default_context(cafile=str(path))
    except (ssl.SSLError, OSError, ValueError):
        raise ConfigError(
            f"ssl_verify from {source} names {path}, which is not a readable PEM CA bundle "
            "(it should hold -----BEGIN CERTIFICATE----- blocks)."
        ) from None
    return str(path)


def check_token(token: str, *, source: str) -> str:
    """A token that can go in an Authorization header, or one sentence saying why not."""
    token = token.strip()
    if not token:
        raise ConfigError(
            f"{source} gives an endpoint but no API token; add the token there "
            "(token or token_command), since endpoint and token must come from the same place."
        )
    if "\n" in token or "\r" in token:
        raise ConfigError(f"The API token from {source} is not a single line; give only the token.")
    if not token.isascii() or not token.isprintable() or any(c.isspace() for c in token):
        raise ConfigError(
            f"The API token from {source} contains a character that is not plain ASCII or a "
            "space (a pasted curly quote?); copy the token again."
        )
    return token


def resolve_config(
    overrides: ConfigOverrides | None = None,
    *,
    env: Mapping[str, str] | None = None,
    home: Path | None = None,
    config_dir: Path | None = None,
    drtui_file: DrtuiConnection | None = None,
) -> ResolvedConfig:
    """Find endpoint, token and TLS setting; raises ConfigError with one sentence on failure.

    ``drtui_file`` is what drtui's own file says (without it, no file: ``config_dir`` then only
    says where it would be). ``ResolvedConfig.profile`` names the file's profile only when it is
    in use: named on the command line, or the source the connection came from.
    """
    flags = overrides or ConfigOverrides()
    environ = os.environ if env is None else env
    own = drtui_file or DrtuiConnection(drtui_config_path(config_dir))
    chosen = _connection_source(flags, environ, own, drconfig_path(home))
    warnings: list[str] = list(chosen.warnings)
    if flags.token and chosen.source == FLAG_SOURCE:
        warnings.append(
            "A token given on the command line is visible to other users in the process list; "
            "prefer DATAROBOT_API_TOKEN or a profile's token_command."
        )
    if chosen.token:
        token = chosen.token
    elif chosen.token_file is not None:
        token, more = read_token_file(chosen.token_file, source=chosen.source)
        warnings += more
    elif chosen.token_command:
        token = run_token_command(chosen.token_command, source=chosen.source)
    else:
        token = ""
    token = check_token(token, source=chosen.source)
    endpoint = normalise_endpoint(chosen.endpoint or "", source=chosen.source)
    cleartext = cleartext_check(endpoint, source=chosen.source, allow_http=flags.allow_http)
    if cleartext:
        warnings.append(cleartext)

    ssl_verify, tls_off = _ssl_verify(flags, environ, chosen)
    if endpoint.startswith("http://"):
        tls_off = None  # plain http has no TLS to turn off (the clear-text warning says it)
    if tls_off:
        warnings.append(tls_off)
    named = own.credentials.profile if own.credentials and flags.profile is not None else None
    return ResolvedConfig(
        endpoint=endpoint,
        token=token,
        source=chosen.source,
        ssl_verify=ssl_verify,
        profile=chosen.profile or named,
        warnings=tuple(dict.fromkeys(warnings)),
        tls_warning=tls_off,
        cleartext_warning=cleartext,
    )


def _ssl_verify(
    flags: ConfigOverrides, environ: Mapping[str, str], chosen: CredentialSource
) -> tuple[bool | str, str | None]:
    """The first source that says, and the warning when it turns verification off."""
    flag = flags.ssl_verify if flags.ssl_verify is False else flags.ca_bundle or flags.ssl_verify
    for value, where in (
        (flag, FLAG_SOURCE),
        (environ.get("DATAROBOT_SSL_VERIFY"), "DATAROBOT_SSL_VERIFY"),
        (chosen.ssl_verify, chosen.source),
    ):
        if value is not None and value != "":
            verify = parse_ssl_verify(value, source=where)
            if verify is False:
                return False, (
                    f"TLS certificate verification is off ({where}): anyone on the network path "
                    "could read your API token."
                )
            return verify, None
    return True, None


def _connection_source(
    flags: ConfigOverrides, environ: Mapping[str, str], own: DrtuiConnection, drconfig: Path
) -> CredentialSource:
    env_endpoint = environ.get("DATAROBOT_ENDPOINT", "").strip()
    env_token = environ.get("DATAROBOT_API_TOKEN", "").strip()
    token_flags = flags.token or flags.token_file is not None or flags.token_command
    if flags.endpoint or token_flags:
        if not flags.endpoint:
            raise ConfigError(
                "--token-file/--token-command was given without --endpoint; give the endpoint "
                "too, since endpoint and token must come from the same place."
            )
        if not token_flags and not env_token:
            raise ConfigError(
                "--endpoint was given without a token: set DATAROBOT_API_TOKEN, or pass "
                "--token-file FILE or --token-command COMMAND."
            )
        return CredentialSource(
            source=FLAG_SOURCE,
            endpoint=flags.endpoint,
            token=flags.token or (None if token_flags else env_token),
            token_file=flags.token_file,
            token_command=flags.token_command,
        )
    if flags.profile is not None:
        # An explicitly named profile beats the environment: the user asked for it by name.
        if own.credentials is None:  # drtui.settings says so first; kept for the type checker
            raise ConfigError(f"Profile {flags.profile!r} was asked for but {own.path} is missing.")
        return own.credentials
    if env_endpoint or env_token:
        return CredentialSource(
            source=ENV_SOURCE,
            endpoint=env_endpoint or DEFAULT_CLOUD_ENDPOINT,
            token=env_token or None,
        )
    named = environ.get("DATAROBOT_CONFIG_FILE", "").strip()
    if named:
        return load_yaml_file(Path(named).expanduser(), required=True)
    if own.credentials is not None and own.credentials.endpoint:
        return own.credentials
    official = load_yaml_file(drconfig, required=False)
    if official is not None:
        return official
    raise ConfigError(
        "No DataRobot configuration found: looked for --endpoint, DATAROBOT_ENDPOINT and "
        f"DATAROBOT_API_TOKEN, DATAROBOT_CONFIG_FILE, {own.path} and {drconfig}. "
        "Set one of them, or run `drtui demo` to try drtui on its built-in emulator."
    )
