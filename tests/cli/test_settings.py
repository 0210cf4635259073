"""What the command line and the config files hand the screen."""

from __future__ import annotations

from pathlib import Path

from drtui import commands
from drtui.api.config import resolve_config
from drtui.cli import build_parser


def test_config_warnings_reach_the_screen_and_tls_off_stays_in_the_header(
    tmp_path: Path,
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('endpoint = "https://dr.example"\ntoken = "t-123"\nread_only = true\n')
    config.chmod(0o644)
    args = build_parser().parse_args(
        ["--config", str(config), "--insecure", "--filter", "importance=CRITICAL", "--all"]
    )
    resolved = resolve_config(commands.config_overrides(args), env={}, home=tmp_path)
    settings = commands.screen_settings(args, commands.query_from_args(args), resolved)
    assert settings.endpoint == "https://dr.example/api/v2"
    assert settings.read_only and not settings.attention_first
    assert settings.query.importance == ("CRITICAL",)
    assert settings.ssl_warning is not None and "TLS" in settings.ssl_warning
    assert any(str(config) in w and "readable" in w for w in settings.startup_warnings)
    assert all(w != settings.ssl_warning for w in settings.startup_warnings)


def test_refresh_defaults_to_thirty_seconds_as_the_issue_says(tmp_path: Path) -> None:
    args = build_parser().parse_args([])
    env = {"DATAROBOT_ENDPOINT": "https://dr.example", "DATAROBOT_API_TOKEN": "t-1"}
    resolved = resolve_config(
        commands.config_overrides(args), env=env, home=tmp_path, config_dir=tmp_path
    )
    settings = commands.screen_settings(args, commands.query_from_args(args), resolved)
    assert settings.refresh_interval == 30.0
    assert settings.ssl_warning is None and settings.startup_warnings == ()
