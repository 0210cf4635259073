"""What the command line and the config files hand the screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from drtui.cli import dispatch as commands
from drtui.cli import main
from drtui.cli.parser import parse_args
from drtui.ui.settings import AppSettings


def _settings(argv: list[str], tmp_path: Path, env: dict[str, str] | None = None) -> AppSettings:
    args, _ = parse_args(argv)
    _, configured = commands.configure(args, env=env or {}, home=tmp_path, config_dir=tmp_path)
    assert configured is not None
    return commands.app_settings(configured, commands.query_from_args(args))


def test_config_warnings_reach_the_screen_and_tls_off_stays_in_the_header(
    tmp_path: Path,
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('endpoint = "https://dr.example"\ntoken = "t-123"\nread_only = true\n')
    config.chmod(0o644)
    settings = _settings(
        ["--config", str(config), "--insecure", "--filter", "importance=CRITICAL", "--all"],
        tmp_path,
    )
    assert settings.endpoint == "https://dr.example/api/v2"
    assert settings.read_only and not settings.attention_first
    assert settings.query.importance == ("CRITICAL",)
    assert settings.ssl_warning is not None and "TLS" in settings.ssl_warning
    assert any(str(config) in w and "readable" in w for w in settings.startup_warnings)
    assert all(w != settings.ssl_warning for w in settings.startup_warnings)


def test_refresh_defaults_to_thirty_seconds_as_the_issue_says(tmp_path: Path) -> None:
    env = {"DATAROBOT_ENDPOINT": "https://dr.example", "DATAROBOT_API_TOKEN": "t-1"}
    settings = _settings([], tmp_path, env)
    assert settings.refresh_interval == 30.0
    assert settings.ssl_warning is None and settings.startup_warnings == ()


def test_allowed_cleartext_http_stays_in_the_header(tmp_path: Path) -> None:
    env = {"DATAROBOT_ENDPOINT": "http://dr.internal", "DATAROBOT_API_TOKEN": "t-1"}
    settings = _settings(["--allow-http"], tmp_path, env)
    assert settings.cleartext_warning is not None and "plain http" in settings.cleartext_warning
    assert settings.cleartext_warning not in settings.startup_warnings


def test_keymap_source_names_the_profile(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[profiles.p]\nendpoint = "https://dr.example"\ntoken = "t"\n'
        '[profiles.p.keymap]\n"deployments.refrsh" = "R"\n'
    )
    config.chmod(0o600)
    settings = _settings(["--config", str(config)], tmp_path)
    assert settings.keymap == {"deployments.refrsh": "R"}
    assert settings.keymap_source == f"{config} [profiles.p]"


def test_no_notify_and_all_reach_the_app(tmp_path: Path) -> None:
    env = {"DATAROBOT_ENDPOINT": "https://dr.example", "DATAROBOT_API_TOKEN": "t-1"}
    assert _settings([], tmp_path, env).terminal_notify
    settings = _settings(["--no-notify", "--all", "--bell", "--theme", "nord"], tmp_path, env)
    assert not settings.terminal_notify and not settings.attention_first
    assert settings.bell and settings.theme == "nord"


@pytest.mark.parametrize("argv", [["--refresh", "2"], ["demo", "--refresh", "4.9"]])
def test_a_refresh_under_the_floor_stops_before_the_screen_starts(
    argv: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("DATAROBOT_ENDPOINT", "https://dr.example")
    monkeypatch.setenv("DATAROBOT_API_TOKEN", "t-1")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setattr(commands, "run_ui", lambda settings: pytest.fail("the screen started"))
    assert main(argv) == 3
    assert capsys.readouterr().err.startswith("drtui: --refresh must be at least 5 seconds")


@pytest.mark.parametrize(
    "argv",
    [
        ["--profile", "prod", "check"],
        ["check", "--profile", "prod"],
    ],
)
def test_global_options_work_on_either_side_of_the_subcommand(argv: list[str]) -> None:
    args, _ = parse_args(argv)
    assert args.command == "check" and args.profile == "prod"


def test_filters_before_and_after_the_subcommand_add_up() -> None:
    args, _ = parse_args(
        ["--filter", "importance=CRITICAL", "check", "--filter", "serviceHealth=failing"]
    )
    query = commands.query_from_args(args)
    assert query.importance == ("CRITICAL",) and query.service_health == ("failing",)
    args, _ = parse_args(["--search", "fraud", "deployments"])
    assert commands.query_from_args(args).search == "fraud"


def test_a_global_option_the_subcommand_does_not_take_is_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as caught:
        parse_args(["--bell", "check"])
    assert caught.value.code == 3
    err = capsys.readouterr().err
    assert "--bell does not apply to `drtui check`" in err
    assert err.startswith("usage: drtui check")


def test_order_by_takes_a_descending_key_as_its_own_word() -> None:
    args, _ = parse_args(["deployments", "--order-by", "-label"])
    assert commands.query_from_args(args).order_by == "-label"
