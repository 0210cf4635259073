"""Configuration: precedence, profiles, normalisation, warnings and every error.

Through ``drtui.settings.load``, as the command line does: it reads drtui's file and hands its
connection to ``drtui.api.config.resolve_config``, which chooses among the sources."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import certifi
import pytest

from drtui.api import config_files
from drtui.api.config import ConfigError, ConfigOverrides, ResolvedConfig, normalise_endpoint
from drtui.settings import Configuration, Settings, keymap_warnings, load


@pytest.fixture
def dirs(tmp_path: Path) -> dict[str, Path]:
    home = tmp_path / "home"
    config_dir = tmp_path / "config" / "drtui"
    home.mkdir()
    config_dir.mkdir(parents=True)
    return {"home": home, "config_dir": config_dir}


def configured(
    dirs: dict[str, Path], env: dict[str, str] | None = None, **flags: object
) -> Configuration:
    return load(flags, env=env or {}, home=dirs["home"], config_dir=dirs["config_dir"])


def resolve(
    dirs: dict[str, Path], env: dict[str, str] | None = None, **flags: object
) -> ResolvedConfig:
    return configured(dirs, env, **flags).connection


def screen(dirs: dict[str, Path], env: dict[str, str] | None = None, **flags: object) -> Settings:
    return configured(dirs, env, **flags).settings


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


def test_flags_win_over_everything(dirs: dict[str, Path], every_source: dict[str, str]) -> None:
    config = resolve(dirs, every_source, endpoint="https://flag.test", token="flag-token")
    assert (config.endpoint, config.token) == ("https://flag.test/api/v2", "flag-token")
    assert config.source == "the command line"
    assert any("process list" in w for w in config.warnings)


def test_token_alone_in_the_environment_means_datarobot_cloud(dirs: dict[str, Path]) -> None:
    config = resolve(dirs, {"DATAROBOT_API_TOKEN": "t"})
    assert (config.endpoint, config.token) == ("https://app.datarobot.com/api/v2", "t")


def test_token_flag_without_endpoint_is_refused(dirs: dict[str, Path]) -> None:
    with pytest.raises(ConfigError, match="was given without --endpoint"):
        resolve(dirs, ALL_SOURCES_ENV, token="x")


def test_environment_wins_over_files(dirs: dict[str, Path], every_source: dict[str, str]) -> None:
    config = resolve(dirs, every_source)
    assert (config.endpoint, config.token) == ("https://env.test/api/v2", "env-token")


def test_datarobot_config_file_wins_over_drtui_file(
    dirs: dict[str, Path], every_source: dict[str, str]
) -> None:
    env = {k: v for k, v in every_source.items() if k == "DATAROBOT_CONFIG_FILE"}
    config = resolve(dirs, env)
    assert (config.endpoint, config.token) == ("https://named.test/api/v2", "named-token")


def test_drtui_file_wins_over_drconfig(dirs: dict[str, Path], every_source: dict[str, str]) -> None:
    assert resolve(dirs).token == "toml-token"


def test_drconfig_is_the_last_resort(dirs: dict[str, Path]) -> None:
    drconfig(
        dirs,
        "endpoint: https://drconfig.test/api/v2/\ntoken: t\nssl_verify: false\nmax_retries: 3\n",
    )
    config = resolve(dirs)
    assert config.endpoint == "https://drconfig.test/api/v2"
    assert config.ssl_verify is False
    assert any("verification is off" in w for w in config.warnings)


def test_endpoint_and_token_come_from_the_same_source(dirs: dict[str, Path]) -> None:
    toml(dirs, 'endpoint = "https://toml.test"\ntoken = "toml-token"\n')
    with pytest.raises(
        ConfigError,
        match="DATAROBOT_ENDPOINT/DATAROBOT_API_TOKEN gives an endpoint but no API token",
    ):
        resolve(dirs, {"DATAROBOT_ENDPOINT": "https://env.test"})


def test_named_profile_and_default_profile(dirs: dict[str, Path]) -> None:
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
    assert screen(dirs).refresh_interval == 20 and screen(dirs).read_only is False
    prod = resolve(dirs, profile="prod")
    assert (prod.endpoint, prod.token, screen(dirs, profile="prod").read_only) == (
        "https://prod.test/api/v2",
        "prod-token",
        True,
    )
    assert prod.ssl_verify is False
    assert dict(screen(dirs, profile="prod").keymap) == {"refresh": "r", "quit": "ctrl+q"}
    assert "[profiles.prod]" in prod.source


def test_explicit_profile_beats_the_environment(dirs: dict[str, Path]) -> None:
    toml(dirs, '[profiles.prod]\nendpoint = "https://prod.test"\ntoken = "p"\n')
    assert resolve(dirs, ALL_SOURCES_ENV, profile="prod").endpoint == "https://prod.test/api/v2"


def test_ui_settings_apply_whichever_source_gave_credentials(dirs: dict[str, Path]) -> None:
    toml(dirs, 'read_only = true\nrefresh_interval = 45\n[keymap]\nhelp = "f1"\n')
    config = resolve(dirs, ALL_SOURCES_ENV)
    assert config.source == "DATAROBOT_ENDPOINT/DATAROBOT_API_TOKEN"
    ui = screen(dirs, ALL_SOURCES_ENV)
    assert ui.read_only and ui.refresh_interval == 45 and ui.keymap == {"help": "f1"}
    flagged = screen(dirs, ALL_SOURCES_ENV, read_only=False, refresh_interval=5.0)
    assert flagged.refresh_interval == 5.0 and flagged.read_only is False


def test_a_screen_setting_comes_from_the_flag_the_environment_the_file_or_the_default(
    dirs: dict[str, Path],
) -> None:
    toml(
        dirs,
        'endpoint = "https://t.test"\ntoken = "t"\ntheme = "nord"\nbell = true\n'
        "notify = false\nrefresh_interval = 40\nshow_all = true\n",
    )
    s = screen(dirs)
    assert (s.theme, s.bell, s.notify, s.refresh_interval, s.show_all) == (
        "nord",
        True,
        False,
        40.0,
        True,
    )
    env = {"DRTUI_THEME": "gruvbox", "DRTUI_REFRESH_INTERVAL": "50", "DRTUI_NOTIFY": "true"}
    s = screen(dirs, env)
    assert (s.theme, s.refresh_interval, s.notify, s.bell) == ("gruvbox", 50.0, True, True)
    s = screen(dirs, env, theme="dracula", refresh_interval=60.0)
    assert (s.theme, s.refresh_interval) == ("dracula", 60.0)
    toml(dirs, 'endpoint = "https://t.test"\ntoken = "t"\n')
    assert screen(dirs) == Settings.model_construct()  # the defaults, field by field


def test_the_environment_names_no_connection_and_headless_commands_no_screen(
    dirs: dict[str, Path],
) -> None:
    toml(dirs, 'endpoint = "https://t.test"\ntoken = "t"\n')
    env = {"DRTUI_ENDPOINT": "https://elsewhere.test", "DRTUI_TOKEN": "x", "DRTUI_BELL": "1"}
    done = configured(dirs, env)
    assert done.connection.endpoint == "https://t.test/api/v2" and done.settings.bell
    assert done.settings.endpoint is None and done.settings.token is None
    headless = load(
        {},
        env={"DRTUI_REFRESH_INTERVAL": "1"},
        home=dirs["home"],
        config_dir=dirs["config_dir"],
        screen=False,
    )
    assert headless.settings.refresh_interval == 30.0


def test_a_wrong_value_in_the_environment_is_one_sentence(dirs: dict[str, Path]) -> None:
    toml(dirs, 'endpoint = "https://t.test"\ntoken = "t"\n')
    with pytest.raises(ConfigError, match=r"^DRTUI_READ_ONLY must be true or false, not 'maybe'"):
        screen(dirs, {"DRTUI_READ_ONLY": "maybe"})
    with pytest.raises(ConfigError, match=r"^DRTUI_KEYMAP must be JSON"):
        screen(dirs, {"DRTUI_KEYMAP": "ctrl+r"})
    keys = configured(dirs, {"DRTUI_KEYMAP": '{"app.quit": "ctrl+q"}'})
    assert keys.settings.keymap == {"app.quit": "ctrl+q"}
    assert keys.keymap_source == "DRTUI_KEYMAP"


def test_token_command(dirs: dict[str, Path]) -> None:
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
def test_token_command_failures(dirs: dict[str, Path], command: str, message: str) -> None:
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


@pytest.mark.parametrize("endpoint", ["ftp://x.test", "htp//nonsense", "http:/x.test"])
def test_not_an_http_endpoint(endpoint: str) -> None:
    with pytest.raises(ConfigError, match="not an http"):
        normalise_endpoint(endpoint, source="test")


def test_nothing_found_says_what_was_looked_for_and_suggests_demo(dirs: dict[str, Path]) -> None:
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


def test_malformed_toml_names_file_and_line(dirs: dict[str, Path]) -> None:
    path = toml(dirs, 'endpoint = "https://x"\ntoken = \n')
    with pytest.raises(ConfigError, match="line 2") as caught:
        resolve(dirs)
    assert str(path) in str(caught.value)


def test_malformed_yaml_names_file_and_line(dirs: dict[str, Path]) -> None:
    path = drconfig(dirs, "endpoint: https://x\ntoken: [unclosed\n")
    with pytest.raises(ConfigError, match="line 3") as caught:
        resolve(dirs)
    assert str(path) in str(caught.value)


def test_wrong_types_in_files(dirs: dict[str, Path]) -> None:
    toml(dirs, "endpoint = 42\n")
    with pytest.raises(ConfigError, match="endpoint must be text"):
        resolve(dirs)


def test_missing_token_in_drconfig(dirs: dict[str, Path]) -> None:
    drconfig(dirs, "endpoint: https://x.test\n")
    with pytest.raises(ConfigError, match="no API token"):
        resolve(dirs)


def test_unknown_profile_lists_the_known_ones(dirs: dict[str, Path]) -> None:
    toml(dirs, '[profiles.a]\nendpoint = "https://a"\n[profiles.b]\nendpoint = "https://b"\n')
    with pytest.raises(ConfigError, match=r"no profile 'c'.*profiles there: a, b"):
        resolve(dirs, profile="c")


def test_missing_datarobot_config_file(dirs: dict[str, Path], tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"DATAROBOT_CONFIG_FILE names .*missing\.yaml"):
        resolve(dirs, {"DATAROBOT_CONFIG_FILE": str(tmp_path / "missing.yaml")})


def test_group_readable_token_file_warns(dirs: dict[str, Path]) -> None:
    path = drconfig(dirs, "endpoint: https://x.test\ntoken: t\n", mode=0o644)
    config = resolve(dirs)
    assert any(str(path) in w and "chmod 600" in w for w in config.warnings)
    path.chmod(0o600)
    assert resolve(dirs).warnings == ()


def test_ssl_verify_from_environment_and_ca_bundle(dirs: dict[str, Path], tmp_path: Path) -> None:
    bundle = write(tmp_path / "ca.pem", Path(certifi.where()).read_text())
    env = {**ALL_SOURCES_ENV, "DATAROBOT_SSL_VERIFY": "false"}
    assert resolve(dirs, env).ssl_verify is False
    assert resolve(dirs, {**env, "DATAROBOT_SSL_VERIFY": str(bundle)}).ssl_verify == str(bundle)
    assert resolve(dirs, env, ssl_verify=True).ssl_verify is True
    with pytest.raises(ConfigError, match="neither true/false nor an existing CA bundle"):
        resolve(dirs, {**env, "DATAROBOT_SSL_VERIFY": str(tmp_path / "nope.pem")})


def test_ca_bundle_key_in_profile(dirs: dict[str, Path], tmp_path: Path) -> None:
    bundle = write(tmp_path / "ca.pem", Path(certifi.where()).read_text())
    toml(dirs, f'endpoint = "https://x"\ntoken = "t"\nca_bundle = "{bundle}"\n')
    assert resolve(dirs).ssl_verify == str(bundle)


def test_token_never_in_repr_or_str(dirs: dict[str, Path]) -> None:
    config = resolve(dirs, ALL_SOURCES_ENV)
    assert "env-token" not in repr(config) and "env-token" not in str(config)
    assert "flag" not in repr(ConfigOverrides(token="flag-secret"))
    command = "pass show datarobot-secret"
    settings = Settings(token="file-secret", token_command=command)
    assert "secret" not in repr(settings) and "secret" not in str(settings)


# -- validated tables: typos are reported, never silently ignored ---------------------------


def test_a_typo_in_the_file_warns_with_the_file_the_key_and_the_suggestion(
    dirs: dict[str, Path],
) -> None:
    path = toml(
        dirs,
        'endpoint = "https://t.test"\ntoken = "t"\nrefesh_interval = 10\n'
        "[profiles.prod]\nreadonly = true\n",
    )
    config = resolve(dirs, profile="prod")
    top = next(w for w in config.warnings if "'refesh_interval'" in w)
    assert str(path) in top and "did you mean 'refresh_interval'?" in top
    prof = next(w for w in config.warnings if "'readonly'" in w)
    assert f"{path} [profiles.prod]" in prof and "did you mean 'read_only'?" in prof


def test_a_profile_not_in_use_is_neither_applied_nor_warned_about(dirs: dict[str, Path]) -> None:
    path = toml(
        dirs,
        'default_profile = "prod"\nrefesh_interval = 10\n'
        '[profiles.prod]\nendpoint = "https://prod.test"\ntoken = "prod-token"\n'
        "readonly = true\nrefresh_interval = 60\n",
    )
    env = {"DATAROBOT_API_TOKEN": "env-token-value"}
    flagged = resolve(dirs, env, endpoint="https://other.test")
    assert flagged.endpoint == "https://other.test/api/v2"
    assert not [w for w in flagged.warnings if "readonly" in w]  # prod is not in use
    assert [w for w in flagged.warnings if "'refesh_interval'" in w]  # the top level is
    assert screen(dirs, env, endpoint="https://other.test").refresh_interval != 60
    named = resolve(dirs, env, endpoint="https://other.test", profile="prod")
    assert [w for w in named.warnings if f"{path} [profiles.prod]" in w and "'readonly'" in w]
    default = resolve(dirs)
    assert default.endpoint == "https://prod.test/api/v2"
    assert [w for w in default.warnings if "'readonly'" in w]
    assert screen(dirs).refresh_interval == 60


def test_an_unknown_keymap_id_names_the_closest_binding() -> None:
    warnings = keymap_warnings(
        {"deployments.refrsh": "R", "app.quit": "q"},
        ["app.quit", "deployments.refresh", "deployments.filter"],
        "/x/config.toml [profiles.prod]",
    )
    assert warnings == [
        "/x/config.toml [profiles.prod]: keymap names an unknown binding id "
        "'deployments.refrsh' (did you mean 'deployments.refresh'?); it is ignored."
    ]


def test_a_keymap_written_as_a_string_is_one_sentence(dirs: dict[str, Path]) -> None:
    path = toml(dirs, 'endpoint = "https://t.test"\ntoken = "t"\nkeymap = "ctrl+r"\n')
    with pytest.raises(ConfigError, match="keymap must be a table") as caught:
        screen(dirs)
    assert str(path) in str(caught.value)


def test_one_refresh_floor_for_the_file_the_environment_and_the_command_line(
    dirs: dict[str, Path],
) -> None:
    toml(dirs, 'endpoint = "https://t.test"\ntoken = "t"\nrefresh_interval = 0.2\n')
    with pytest.raises(ConfigError, match=r"refresh_interval must be at least 5 seconds, not 0\.2"):
        screen(dirs)
    toml(dirs, 'endpoint = "https://t.test"\ntoken = "t"\n')
    with pytest.raises(ConfigError, match=r"^DRTUI_REFRESH_INTERVAL must be at least 5 seconds"):
        screen(dirs, {"DRTUI_REFRESH_INTERVAL": "4.5"})
    with pytest.raises(ConfigError, match=r"^--refresh must be at least 5 seconds, not 2"):
        screen(dirs, refresh_interval=2.0)
    with pytest.raises(ConfigError, match="must be at least 5 seconds"):
        screen(dirs, refresh_interval=float("nan"))
    assert screen(dirs, {"DRTUI_REFRESH_INTERVAL": "6"}).refresh_interval == 6.0


def test_the_help_says_the_refresh_floor_and_default_the_settings_have() -> None:
    from drtui.cli.parser import build_parser

    field = Settings.model_fields["refresh_interval"]
    floor = next(m.ge for m in field.metadata if hasattr(m, "ge"))
    said = " ".join(build_parser()[0].format_help().split())
    assert f"(default {field.default:g}, at least {floor:g})" in said


def test_a_type_error_never_prints_the_token(dirs: dict[str, Path]) -> None:
    toml(dirs, 'endpoint = "https://t.test"\ntoken = 918273645\n')
    with pytest.raises(ConfigError, match="token must be text") as caught:
        resolve(dirs)
    assert "918273645" not in str(caught.value)


# -- endpoints that would leak the token ------------------------------------------------------


@pytest.mark.parametrize(
    "endpoint", ["https://alice:s3cr3t@dr.test", "alice:s3cr3t@dr.test/api/v2"]
)
def test_credentials_in_the_endpoint_are_refused_without_repeating_them(
    dirs: dict[str, Path], endpoint: str
) -> None:
    with pytest.raises(ConfigError, match="user name or password") as caught:
        resolve(dirs, {"DATAROBOT_ENDPOINT": endpoint, "DATAROBOT_API_TOKEN": "t"})
    assert "s3cr3t" not in str(caught.value) and "alice" not in str(caught.value)


def test_plain_http_to_another_host_needs_allow_http_and_then_warns(dirs: dict[str, Path]) -> None:
    env = {"DATAROBOT_ENDPOINT": "http://10.1.2.3", "DATAROBOT_API_TOKEN": "t"}
    with pytest.raises(ConfigError, match="--allow-http"):
        resolve(dirs, env)
    allowed = resolve(dirs, env, allow_http=True)
    assert allowed.cleartext_warning is not None and "10.1.2.3" in allowed.cleartext_warning
    assert allowed.cleartext_warning in allowed.warnings
    assert allowed.cleartext_warning in allowed.header_warnings
    local = resolve(dirs, {**env, "DATAROBOT_ENDPOINT": "http://127.0.0.1:8080"})
    assert local.cleartext_warning is None and local.warnings == ()


def test_ssl_verify_naming_a_non_pem_file_is_one_sentence(
    dirs: dict[str, Path], tmp_path: Path
) -> None:
    junk = write(tmp_path / "junk.pem", "not a certificate\n")
    with pytest.raises(ConfigError, match="not a readable PEM CA bundle"):
        resolve(dirs, {**ALL_SOURCES_ENV, "DATAROBOT_SSL_VERIFY": str(junk)})


def test_a_non_ascii_token_is_one_sentence_without_the_token(dirs: dict[str, Path]) -> None:
    toml(dirs, 'endpoint = "https://t.test"\ntoken = "abc\u201ddef"\n')
    with pytest.raises(ConfigError, match="not plain ASCII") as caught:
        resolve(dirs)
    assert "abc" not in str(caught.value)


# -- the command line's endpoint and its token -----------------------------------------------


def test_endpoint_flag_takes_its_token_from_the_environment(dirs: dict[str, Path]) -> None:
    config = resolve(dirs, {"DATAROBOT_API_TOKEN": "env-t"}, endpoint="https://flag.test")
    assert (config.endpoint, config.token, config.source) == (
        "https://flag.test/api/v2",
        "env-t",
        "the command line",
    )
    assert not any("process list" in w for w in config.warnings)


def test_endpoint_flag_with_a_token_file_or_command(dirs: dict[str, Path], tmp_path: Path) -> None:
    token_file = write(tmp_path / "token", "file-t\n# a comment line\n")
    config = resolve(dirs, endpoint="https://flag.test", token_file=token_file)
    assert config.token == "file-t"
    command = f"{sys.executable} -c \"print('cmd-t')\""
    assert resolve(dirs, endpoint="https://flag.test", token_command=command).token == "cmd-t"


def test_endpoint_flag_without_a_token_names_the_ways_to_give_one(dirs: dict[str, Path]) -> None:
    with pytest.raises(ConfigError) as caught:
        resolve(dirs, endpoint="https://flag.test")
    text = str(caught.value)
    assert "DATAROBOT_API_TOKEN" in text and "--token-file" in text and "--token-command" in text
    assert "--token " not in text and "--token/" not in text


# -- token_command ----------------------------------------------------------------------------


def test_token_command_output_of_several_lines_gives_the_first(dirs: dict[str, Path]) -> None:
    command = f"{sys.executable} -c \"print('pass-t'); print('login: me'); print('url: x')\""
    toml(dirs, f"endpoint = \"https://t.test\"\ntoken_command = '''{command}'''\n")
    assert resolve(dirs).token == "pass-t"


def test_token_command_stderr_is_sanitised_and_capped(dirs: dict[str, Path]) -> None:
    noise = "\\x1b]52;c;ZXZpbA==\\x07\\x1b[31m" + "x" * 5000
    command = f"{sys.executable} -c \"import sys; sys.stderr.write('{noise}'); sys.exit(1)\""
    toml(dirs, f"endpoint = \"https://t.test\"\ntoken_command = '''{command}'''\n")
    with pytest.raises(ConfigError, match="exit code 1") as caught:
        resolve(dirs)
    text = str(caught.value)
    assert "\x1b" not in text and "\x07" not in text
    assert len(text) < 400


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False


def test_token_command_timeout_ends_its_grandchildren(
    dirs: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(config_files, "TOKEN_COMMAND_TIMEOUT", 1.0)
    pid_file = tmp_path / "grandchild.pid"
    script = write(
        tmp_path / "helper.py",
        "import subprocess, sys, time\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)'],\n"
        "    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        f"open({str(pid_file)!r}, 'w').write(str(child.pid))\n"
        "time.sleep(120)\n",
    )
    toml(dirs, f"endpoint = \"https://t.test\"\ntoken_command = '''{sys.executable} {script}'''\n")
    with pytest.raises(ConfigError, match="did not finish within 1 seconds"):
        resolve(dirs)
    grandchild = int(pid_file.read_text())
    try:
        for _ in range(50):  # SIGKILL is delivered asynchronously; this waits, it does not time
            if not _alive(grandchild):
                break
            time.sleep(0.1)
        assert not _alive(grandchild)
    finally:
        if _alive(grandchild):
            os.kill(grandchild, signal.SIGKILL)


def test_token_command_printing_without_end_is_stopped_at_64_kib(
    dirs: dict[str, Path], tmp_path: Path
) -> None:
    pid_file = tmp_path / "flood.pid"
    script = write(
        tmp_path / "flood.py",
        "import os, sys\n"
        f"open({str(pid_file)!r}, 'w').write(str(os.getpid()))\n"
        "while True:\n    sys.stdout.write('y' * 65536)\n",
    )
    toml(dirs, f"endpoint = \"https://t.test\"\ntoken_command = '''{sys.executable} {script}'''\n")
    with pytest.raises(ConfigError) as caught:
        resolve(dirs)
    assert str(caught.value).endswith(
        "printed more than 64 KiB, which is no token; it was stopped."
    )
    flood = int(pid_file.read_text())
    for _ in range(50):  # SIGKILL is delivered asynchronously; this waits, it does not time
        if not _alive(flood):
            break
        time.sleep(0.1)
    assert not _alive(flood)


BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)
"""A billion laughs: a kilobyte naming 9**9 values through aliases."""


@pytest.mark.parametrize("key", ["endpoint", "ssl_verify"])
def test_a_yaml_alias_bomb_is_refused_in_one_sentence(dirs: dict[str, Path], key: str) -> None:
    values = {"endpoint": "https://x.test", "token": "bomb-token-value", key: "*i"}
    path = drconfig(dirs, BOMB + "".join(f"{k}: {v}\n" for k, v in values.items()))
    with pytest.raises(ConfigError) as caught:
        resolve(dirs)
    assert str(caught.value) == (
        f"{path} uses a YAML alias (*name, line 2); drtui reads plain keys and values only, "
        "so write the value out."
    )


@pytest.mark.parametrize(
    ("kind", "nested"),
    [
        ("yaml", "x: " + "[" * 5000 + "]" * 5000),
        ("toml", "x = " + "[" * 5000 + "]" * 5000),
        ("toml", "x = " + "{a = " * 5000 + "1" + "}" * 5000),
    ],
    ids=["yaml lists", "toml arrays", "toml inline tables"],
)
def test_a_deeply_nested_file_is_refused_in_one_sentence(
    dirs: dict[str, Path], kind: str, nested: str
) -> None:
    if kind == "yaml":
        path = drconfig(dirs, f"endpoint: https://x.test\ntoken: deep-token-value\n{nested}\n")
    else:
        path = toml(dirs, f'endpoint = "https://x.test"\ntoken = "deep-token-value"\n{nested}\n')
    with pytest.raises(ConfigError) as caught:
        resolve(dirs)
    assert str(caught.value) == (
        f"{path} nests tables or lists more than 32 levels deep, which no configuration does; "
        "it was not read."
    )


def test_a_config_or_token_file_of_megabytes_is_not_read(
    dirs: dict[str, Path], tmp_path: Path
) -> None:
    path = toml(dirs, 'endpoint = "https://x.test"\n' + "# padding\n" * 200_000)
    with pytest.raises(ConfigError, match="is larger than 1024 KiB"):
        resolve(dirs)
    path.unlink()
    token_file = write(tmp_path / "token", "t" * (2 << 20))
    with pytest.raises(ConfigError, match="is larger than 1024 KiB"):
        resolve(dirs, endpoint="https://flag.test", token_file=token_file)


def test_every_setting_has_its_sources_and_a_docstring() -> None:
    from drtui import settings

    flag_only = {"token_file", "allow_http", "config_file", "profile"}
    groups = (settings.CONNECTION_KEYS, settings.SCREEN_KEYS, settings.TOP_KEYS, flag_only)
    assert sorted(k for group in groups for k in group) == sorted(Settings.model_fields)
    assert all(f.description for f in Settings.model_fields.values())


def test_no_config_file_loads_no_pydantic_model(tmp_path: Path) -> None:
    # The usual start (the environment, no file) must not pay for the files' pydantic models.
    code = (
        "import sys\n"
        "from drtui.cli.dispatch import configure\n"
        "from drtui.cli.parser import parse_args\n"
        "env = {'DATAROBOT_ENDPOINT': 'https://t.test', 'DATAROBOT_API_TOKEN': 't'}\n"
        "from pathlib import Path\n"
        "where = Path(sys.argv[1])\n"
        "for command in ('check', 'deployments', 'bundles', 'pps', 'replay'):\n"
        "    args, _ = parse_args([command, '--since', '1h'] if command == 'replay' else [command])\n"
        "    config, settings = configure(args, env=env, home=where, config_dir=where)\n"
        "    assert config.endpoint == 'https://t.test/api/v2' and settings is None\n"
        "assert 'pydantic' not in sys.modules, 'pydantic imported'\n"
        "assert 'drtui.api.config_tables' not in sys.modules\n"
        "assert 'yaml' not in sys.modules\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
