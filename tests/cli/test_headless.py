"""`drtui deployments` and `drtui check` against the emulator over real HTTP, as scripts use them."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from drtui.emulator.server import EmulatorServer
from tests.cli.runner import USER_TOKEN, run_drtui


def _json_rows(result: subprocess.CompletedProcess[str]) -> list[dict[str, object]]:
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_json_lines_hold_the_whole_fleet_in_server_order(server: EmulatorServer) -> None:
    rows = _json_rows(
        run_drtui("deployments", "--json", "--order-by=label", endpoint=server.endpoint)
    )
    assert len(rows) == 150
    assert len({r["id"] for r in rows}) == 150
    labels = [str(r["label"]).lower() for r in rows]
    assert labels == sorted(labels)
    first = rows[0]
    assert set(first) >= {"serviceHealth", "modelHealth", "accuracyHealth", "tags", "predictions7d"}
    assert len(first["predictions7d"]) == 7  # type: ignore[arg-type]


def test_filters_reach_the_server_and_narrow_the_output(server: EmulatorServer) -> None:
    failing = _json_rows(
        run_drtui("deployments", "--filter", "serviceHealth=failing", endpoint=server.endpoint)
    )
    assert failing, "seed 11 has failing deployments"
    assert {r["serviceHealth"] for r in failing} == {"failing"}
    critical = _json_rows(
        run_drtui("deployments", "--filter", "importance=CRITICAL,HIGH", endpoint=server.endpoint)
    )
    assert critical and {r["importance"] for r in critical} <= {"CRITICAL", "HIGH"}


def test_csv_has_a_header_and_one_line_per_deployment(server: EmulatorServer) -> None:
    result = run_drtui("deployments", "--csv", "--search", "churn", endpoint=server.endpoint)
    assert result.returncode == 0, result.stderr
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert table and all("churn" in r["label"].lower() for r in table)
    assert len(table[0]["predictions7d"].split()) == 7


def test_check_exit_codes_follow_the_worst_service_health(server: EmulatorServer) -> None:
    every = _json_rows(run_drtui("deployments", endpoint=server.endpoint))
    failing = sum(1 for r in every if r["serviceHealth"] == "failing")
    warning = sum(1 for r in every if r["serviceHealth"] == "warning")
    assert failing and warning

    ok = run_drtui("check", "--filter", "serviceHealth=passing", endpoint=server.endpoint)
    assert ok.returncode == 0 and ok.stdout.startswith("OK: 0 of")

    warn = run_drtui("check", "--filter", "serviceHealth=warning,passing", endpoint=server.endpoint)
    assert warn.returncode == 1
    assert warn.stdout.count("\n") == warning + 1  # one line per offender, then the summary

    worst = run_drtui("check", endpoint=server.endpoint)
    assert worst.returncode == 2
    assert f"FAILING: {failing + warning} of 150" in worst.stdout
    assert worst.stdout.splitlines()[0].startswith("FAILING")  # worst first


def test_bad_token_is_one_clear_line_and_exit_3(server: EmulatorServer) -> None:
    result = run_drtui("check", endpoint=server.endpoint, token="wrong-token-123")
    assert result.returncode == 3
    assert "rejected" in result.stderr and "401" in result.stderr
    assert "Traceback" not in result.stderr and "wrong-token-123" not in result.stderr


def test_unreachable_host_is_reported_not_raised(tmp_path: Path) -> None:
    result = run_drtui("deployments", endpoint="http://127.0.0.1:9/api/v2")
    assert result.returncode == 3
    assert "127.0.0.1:9" in result.stderr and "Traceback" not in result.stderr


def test_unknown_filter_is_a_usage_error(server: EmulatorServer) -> None:
    result = run_drtui("deployments", "--filter", "colour=blue", endpoint=server.endpoint)
    assert result.returncode == 2
    assert "'colour' is not a filter of GET /deployments/" in result.stderr


def test_no_configuration_points_to_the_demo(tmp_path: Path) -> None:
    result = run_drtui("deployments", endpoint=None, home=str(tmp_path))
    assert result.returncode == 3
    assert "drtui demo" in result.stderr


def test_token_never_in_output(server: EmulatorServer) -> None:
    for fmt in ("--json", "--csv"):
        result = run_drtui("deployments", fmt, endpoint=server.endpoint)
        assert USER_TOKEN not in result.stdout + result.stderr


def test_headless_commands_do_not_import_textual(server: EmulatorServer) -> None:
    probe = (
        "import sys, drtui.cli\n"
        "code = drtui.cli.main(['deployments', '--filter', 'importance=LOW'])\n"
        "assert 'textual' not in sys.modules, 'textual imported'\n"
        "assert not any(m.startswith('drtui.emulator') for m in sys.modules), 'emulator imported'\n"
        "sys.exit(code)\n"
    )
    env_args = {"DATAROBOT_ENDPOINT": server.endpoint, "DATAROBOT_API_TOKEN": USER_TOKEN}
    import os

    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env={**os.environ, **env_args},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
