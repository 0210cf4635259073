"""Configuration: precedence, profiles, normalisation, warnings and every error."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from drtui.api.config import (
    ConfigError,
    ConfigOverrides,
    ResolvedConfig,
    normalise_endpoint,
    resolve_config,
)


@pytest.fixture
def dirs(tmp_path: Path) -> dict[str, Path]:
    home = tmp_path / "home"
    config_dir = tmp_path / "config" / "drtui"
    home.mkdir()
    config_dir.mkdir(parents=True)
    return {"home": home, "config_dir": config_dir}


def resolve(
    dirs: dict[str, Path], env: dict[str, str] | None = None, **flags: object
) -> ResolvedConfig:
    return resolve_config(ConfigOverrides(**flags), env=env or {}, **dirs)  # type: ignore[arg-type]


def write(path: Path, text: str, mode: int = 0o600) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def drconfig(dirs: dict[str, Path], text: str, mode: int = 0o600) -> Path:
    return write(dirs["home"] / ".config" / "datarobot" / "drconfig.yaml", text, mode)


def toml(dirs: dict[str, Path], text: str, mode: int = 0o600) -> Path:
    return write(dirs["config_dir"] / "config.toml", text, mode)


ALL_SOURCES_ENV = {
    "DATAROBOT_ENDPOINT": "https://env.test/api/v2",
    "DATAROBOT_API_TOKEN": "env-token",
}


@pytest.fixture
def every_source(dirs: dict[str, Path], tmp_path: Path) -> dict[str, str]:
    drconfig(dirs, "endpoint: https://drconfig.test/api/v2\ntoken: drconfig-token\n")
    toml(dirs, 'endpoint = "https://toml.test"\ntoken = "toml-token"\n')
    named = write(tmp_path / "named.yaml", "endpoint: https://named.test\ntoken: named-token\n")
    return {**ALL_SOURCES_ENV, "DATAROBOT_CONFIG_FILE": str(named)}


def test_flags_win_over_everything(dirs, every_source) -> None:
    config = resolve(dirs, every_source, endpoint="https://flag.test", token="flag-token")
    assert (config.endpoint, config.token) == ("https://flag.test/api/v2", "flag-token")
    assert config.source == "the command line"
    assert any("process list" in w for w in config.warnings)


def test_token_alone_in_the_environment_means_datarobot_cloud(dirs) -> None:
    config = resolve(dirs, {"DATAROBOT_API_TOKEN": "t"})
    assert (config.endpoint, config.token) == ("https://app.datarobot.com/api/v2", "t")


def test_token_flag_without_endpoint_is_refused(dirs) -> None:
    with pytest.raises(ConfigError, match="--token was given without --endpoint"):
        resolve(dirs, ALL_SOURCES_ENV, token="x")


def test_environment_wins_over_files(dirs, every_source) -> None:
    config = resolve(dirs, every_source)
    assert (config.endpoint, config.token) == ("https://env.test/api/v2", "env-token")


def test_datarobot_config_file_wins_over_drtui_file(dirs, every_source) -> None:
    env = {k: v for k, v in every_source.items() if k == "DATAROBOT_CONFIG_FILE"}
    config = resolve(dirs, env)
    assert (config.endpoint, config.token) == ("https://named.test/api/v2", "named-token")


def test_drtui_file_wins_over_drconfig(dirs, every_source) -> None:
    assert resolve(dirs).token == "toml-token"


def test_drconfig_is_the_last_resort(dirs) -> None:
    drconfig(
        dirs,
        "endpoint: https://drconfig.test/api/v2/\ntoken: t\nssl_verify: false\nmax_retries: 3\n",
    )
    config = resolve(dirs)
    assert config.endpoint == "https://drconfig.test/api/v2"
    assert config.ssl_verify is False
    assert any("verification is off" in w for w in config.warnings)


def test_endpoint_and_token_come_from_the_same_source(dirs) -> None:
    toml(dirs, 'endpoint = "https://toml.test"\ntoken = "toml-token"\n')
    with pytest.raises(
        ConfigError,
        match="DATAROBOT_ENDPOINT/DATAROBOT_API_TOKEN gives an endpoint but no API token",
    ):
        resolve(dirs, {"DATAROBOT_ENDPOINT": "https://env.test"})


def test_named_profile_and_default_profile(dirs) -> None:
    toml(
        dirs,
        """
default_profile = "staging"
refresh_interval = 20
[keymap]
refresh = "r"
[profiles.staging]
endpoint = "https://staging.test/api/v2/"
token = "staging-token"
[profiles.prod]
endpoint = "prod.test"
token = "prod-token"
read_only = true
ssl_verify = false
[profiles.prod.keymap]
quit = "ctrl+q"
""",
    )
    default = resolve(dirs)
    assert (default.endpoint, default.token, default.profile) == (
        "https://staging.test/api/v2",
        "staging-token",
        "staging",
    )
    assert default.refresh_interval == 20 and default.read_only is False
    prod = resolve(dirs, profile="prod")
    assert (prod.endpoint, prod.token, prod.read_only) == (
        "https://prod.test/api/v2",
        "prod-token",
        True,
    )
    assert prod.ssl_verify is False
    assert dict(prod.keymap) == {"refresh": "r", "quit": "ctrl+q"}
    assert "[profiles.prod]" in prod.source


def test_explicit_profile_beats_the_environment(dirs) -> None:
    toml(dirs, '[profiles.prod]\nendpoint = "https://prod.test"\ntoken = "p"\n')
    assert resolve(dirs, ALL_SOURCES_ENV, profile="prod").endpoint == "https://prod.test/api/v2"


def test_ui_settings_apply_whichever_source_gave_credentials(dirs) -> None:
    toml(dirs, 'read_only = true\nrefresh_interval = 45\n[keymap]\nhelp = "f1"\n')
    config = resolve(dirs, ALL_SOURCES_ENV)
    assert config.source == "DATAROBOT_ENDPOINT/DATAROBOT_API_TOKEN"
    assert config.read_only and config.refresh_interval == 45 and config.keymap == {"help": "f1"}
    assert (
        resolve(dirs, ALL_SOURCES_ENV, read_only=False, refresh_interval=5.0).refresh_interval
        == 5.0
    )


def test_token_command(dirs) -> None:
    command = f"{sys.executable} -c \"print('  cmd-token  ')\""
    toml(dirs, f"endpoint = \"https://t.test\"\ntoken_command = '''{command}'''\n")
    assert resolve(dirs).token == "cmd-token"


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (
            "{py} -c \"import sys; sys.stderr.write('vault sealed'); sys.exit(3)\"",
            "exit code 3: vault sealed",
        ),
        ("/nonexistent/token-helper", "/nonexistent/token-helper was not found"),
        ("{py} -c \"print('')\"", "printed no token"),
        ("'unterminated", "cannot be parsed"),
    ],
)
def test_token_command_failures(dirs, command: str, message: str) -> None:
    toml(
        dirs,
        f"endpoint = \"https://t.test\"\ntoken_command = '''{command.format(py=sys.executable)}'''\n",
    )
    with pytest.raises(ConfigError, match=r"token_command from .*config\.toml") as caught:
        resolve(dirs)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://app.datarobot.com", "https://app.datarobot.com/api/v2"),
        ("https://app.datarobot.com/", "https://app.datarobot.com/api/v2"),
        ("https://app.datarobot.com/api/v2", "https://app.datarobot.com/api/v2"),
        ("https://app.datarobot.com/api/v2/", "https://app.datarobot.com/api/v2"),
        ("  app.eu.datarobot.com  ", "https://app.eu.datarobot.com/api/v2"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080/api/v2"),
    ],
)
def test_endpoint_normalisation(given: str, expected: str) -> None:
    assert normalise_endpoint(given, source="test") == expected


def test_not_an_http_endpoint() -> None:
    with pytest.raises(ConfigError, match="not an http"):
        normalise_endpoint("ftp://x.test", source="test")


def test_nothing_found_says_what_was_looked_for_and_suggests_demo(dirs) -> None:
    with pytest.raises(ConfigError) as caught:
        resolve(dirs)
    text = str(caught.value)
    for looked in (
        "--endpoint",
        "DATAROBOT_ENDPOINT",
        "DATAROBOT_CONFIG_FILE",
        "config.toml",
        "drconfig.yaml",
    ):
        assert looked in text
    assert "drtui demo" in text


def test_malformed_toml_names_file_and_line(dirs) -> None:
    path = toml(dirs, 'endpoint = "https://x"\ntoken = \n')
    with pytest.raises(ConfigError, match="line 2") as caught:
        resolve(dirs)
    assert str(path) in str(caught.value)


def test_malformed_yaml_names_file_and_line(dirs) -> None:
    path = drconfig(dirs, "endpoint: https://x\ntoken: [unclosed\n")
    with pytest.raises(ConfigError, match="line 3") as caught:
        resolve(dirs)
    assert str(path) in str(caught.value)


def test_wrong_types_in_files(dirs) -> None:
    toml(dirs, "endpoint = 42\n")
    with pytest.raises(ConfigError, match="endpoint must be text"):
        resolve(dirs)


def test_missing_token_in_drconfig(dirs) -> None:
    drconfig(dirs, "endpoint: https://x.test\n")
    with pytest.raises(ConfigError, match="no API token"):
        resolve(dirs)


def test_unknown_profile_lists_the_known_ones(dirs) -> None:
    toml(dirs, '[profiles.a]\nendpoint = "https://a"\n[profiles.b]\nendpoint = "https://b"\n')
    with pytest.raises(ConfigError, match=r"no profile 'c'.*profiles there: a, b"):
        resolve(dirs, profile="c")


def test_missing_datarobot_config_file(dirs, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"DATAROBOT_CONFIG_FILE names .*missing\.yaml"):
        resolve(dirs, {"DATAROBOT_CONFIG_FILE": str(tmp_path / "missing.yaml")})


def test_group_readable_token_file_warns(dirs) -> None:
    path = drconfig(dirs, "endpoint: https://x.test\ntoken: t\n", mode=0o644)
    config = resolve(dirs)
    assert any(str(path) in w and "chmod 600" in w for w in config.warnings)
    path.chmod(0o600)
    assert resolve(dirs).warnings == ()


def test_ssl_verify_from_environment_and_ca_bundle(dirs, tmp_path: Path) -> None:
    bundle = write(tmp_path / "ca.pem", "-----BEGIN CERTIFICATE-----\n")
    env = {**ALL_SOURCES_ENV, "DATAROBOT_SSL_VERIFY": "false"}
    assert resolve(dirs, env).ssl_verify is False
    assert resolve(dirs, {**env, "DATAROBOT_SSL_VERIFY": str(bundle)}).ssl_verify == str(bundle)
    assert resolve(dirs, env, ssl_verify=True).ssl_verify is True
    with pytest.raises(ConfigError, match="neither true/false nor an existing CA bundle"):
        resolve(dirs, {**env, "DATAROBOT_SSL_VERIFY": str(tmp_path / "nope.pem")})


def test_ca_bundle_key_in_profile(dirs, tmp_path: Path) -> None:
    bundle = write(tmp_path / "ca.pem", "x")
    toml(dirs, f'endpoint = "https://x"\ntoken = "t"\nca_bundle = "{bundle}"\n')
    assert resolve(dirs).ssl_verify == str(bundle)


def test_token_never_in_repr_or_str(dirs) -> None:
    config = resolve(dirs, ALL_SOURCES_ENV)
    assert "env-token" not in repr(config) and "env-token" not in str(config)
    assert "flag" not in repr(ConfigOverrides(token="flag-secret"))
