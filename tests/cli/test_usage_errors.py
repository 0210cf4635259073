"""A command line drtui cannot run exits 3 (Nagios UNKNOWN), never 2 (`check`'s "failing"):
a typo in a monitoring line must not page as failing deployments. Options are only ever their
whole names: argparse's prefix matching would take ``--time`` for ``--timeout`` and die on
``--token`` as ambiguous."""

from __future__ import annotations

import pytest

from drtui import cli
from drtui.cli.parser import build_parser, parse_args
from drtui.emulator import command as emulator_command


@pytest.fixture(autouse=True)
def _configured(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    """A usable configuration (nothing listens on port 9), so only the command line is wrong."""
    monkeypatch.setenv("DATAROBOT_ENDPOINT", "http://127.0.0.1:9/api/v2")
    monkeypatch.setenv("DATAROBOT_API_TOKEN", "usage-test-token")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", f"{tmp_path}/.config")
    monkeypatch.setenv("DRTUI_STATE_DIR", f"{tmp_path}/state")


def _exit(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[object, str]:
    with pytest.raises(SystemExit) as stopped:
        cli.main(argv)
    return stopped.value.code, capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["check", "--filter", "serviceHelth=failing"], "'serviceHelth' is not a filter"),
        (["check", "--health", "servce"], "expected a comma-separated list of service"),
        (["--bell", "check"], "--bell does not apply to `drtui check`"),
        (["check", "--nonsense"], "unrecognized arguments: --nonsense"),
        (["--health", "service", "check"], "invalid choice: 'service'"),
        (["replay", "--at", "yesterday"], "expected a time such as"),
        (["report", "--since", "12 parsecs"], "expected a duration such as 12h"),
        (["deployments", "--filter", "colour=blue"], "'colour' is not a filter"),
        (["bundles", "--use-case", "webApp"], "--use-case wants one of customApplication"),
        (["check", "--timeout", "soon"], "not a number of seconds"),
        (["emulator", "--port", "99999"], "--port must be between 0 and 65535"),
    ],
)
def test_a_usage_error_exits_3_with_its_sentence(
    argv: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _exit(argv, capsys)
    assert code == 3
    assert said in err
    assert "Traceback" not in err


def test_help_still_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = _exit(["check", "--help"], capsys)
    assert code == 0


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--time", "5"],  # not --timeout
        ["deployments", "--js"],  # not --json
        ["check", "--prof", "prod"],  # not --profile
        ["check", "--allow", "x"],  # not --allow-empty / --allow-http
    ],
)
def test_an_abbreviated_option_is_refused(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _exit(argv, capsys)
    assert code == 3
    assert "unrecognized arguments" in err


def test_the_emulators_token_is_not_taken_for_token_file_or_token_command() -> None:
    args, _ = parse_args(["emulator", "--token", "T", "--admin-token", "A"])
    assert (args.token, args.admin_token) == ("T", "A")


def test_the_standalone_emulator_refuses_abbreviations_with_exit_3(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as stopped:
        emulator_command.main(["--dep", "3"])
    assert stopped.value.code == 3
    assert "unrecognized arguments: --dep" in capsys.readouterr().err
    assert emulator_command.main(["--port", "99999"]) == 3


# -- one name per option across commands; help shows what the user types -----------------------


def test_record_takes_refresh_like_every_other_command(monkeypatch: pytest.MonkeyPatch) -> None:
    from drtui.cli import dispatch, history

    asked: list[float] = []

    def run_record(config: object, every: float, *, once: bool) -> int:
        asked.append(every)
        return 0

    monkeypatch.setattr(history, "run_record", run_record)
    for argv in (["record", "--refresh", "12"], ["--refresh", "12", "record"]):
        args, _ = parse_args(argv)
        assert dispatch.dispatch(args) == 0
    args, _ = parse_args(["record", "--interval", "9"])  # the old name still works
    assert dispatch.dispatch(args) == 0
    assert asked == [12.0, 12.0, 9.0]


@pytest.mark.parametrize(
    "command",
    [None, "demo", "emulator", "deployments", "check", "pps", "bundles", "record", "replay"],
)
def test_help_names_values_as_the_user_types_them(command: str | None) -> None:
    parser, subs = build_parser()
    shown = (subs[command] if command else parser).format_help()
    assert "SUB_" not in shown
    if command in ("check", "deployments"):
        assert "--profile NAME" in shown and "--endpoint URL" in shown
        assert "--search TEXT" in shown
    if command == "record":
        assert "--refresh SECONDS" in shown and "--interval" not in shown
