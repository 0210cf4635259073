"""`drtui deployments` and `drtui check` against the emulator over real HTTP, as scripts use them."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from drtui.emulator.server import EmulatorServer
from tests.cli.runner import USER_TOKEN, run_drtui


def _json_rows(result: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
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
    assert len(first["predictions7d"]) == 7


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

    service = ("--health", "service")
    ok = run_drtui("check", *service, "--filter", "serviceHealth=passing", endpoint=server.endpoint)
    assert ok.returncode == 0 and ok.stdout.startswith("OK: 0 of")

    warn = run_drtui(
        "check", *service, "--filter", "serviceHealth=warning,passing", endpoint=server.endpoint
    )
    assert warn.returncode == 1
    assert warn.stdout.count("\n") == warning + 1  # the summary, then one line per offender

    worst = run_drtui("check", *service, endpoint=server.endpoint)
    assert worst.returncode == 2
    lines = worst.stdout.splitlines()
    assert lines[0].startswith(f"FAILING: {failing + warning} of 150")  # summary first
    assert lines[1].startswith("FAILING")  # worst first


def test_bad_token_is_one_clear_line_and_exit_3(server: EmulatorServer) -> None:
    result = run_drtui("check", endpoint=server.endpoint, token="wrong-token-123")
    assert result.returncode == 3
    assert "rejected" in result.stderr and "401" in result.stderr
    assert "Traceback" not in result.stderr and "wrong-token-123" not in result.stderr


def test_unreachable_host_is_reported_not_raised(tmp_path: Path) -> None:
    # --timeout bounds the retries too: the real reason is said, quickly (no 8 s of backoff).
    result = run_drtui("deployments", "--timeout", "2", endpoint="http://127.0.0.1:9/api/v2")
    assert result.returncode == 3
    assert "127.0.0.1:9" in result.stderr and "refused" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_filter_is_a_usage_error(server: EmulatorServer) -> None:
    result = run_drtui("deployments", "--filter", "colour=blue", endpoint=server.endpoint)
    assert result.returncode == 3
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


# -- check: what it looks at, and when it cannot say ------------------------------------------


def test_check_looks_at_model_and_accuracy_health_by_default(server: EmulatorServer) -> None:
    filters = ("--filter", "modelHealth=failing", "--filter", "serviceHealth=passing")
    result = run_drtui("check", *filters, endpoint=server.endpoint)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "model failing" in result.stdout
    narrowed = run_drtui("check", "--health", "service", *filters, endpoint=server.endpoint)
    assert narrowed.returncode == 0 and narrowed.stdout.startswith("OK:")


def test_an_empty_match_cannot_check_unless_allowed(server: EmulatorServer) -> None:
    filters = ("--filter", "tagKeys=team", "--filter", "tagValues=no-such-team")
    result = run_drtui("check", *filters, endpoint=server.endpoint)
    assert result.returncode == 3
    assert "no deployment matched" in result.stderr and "--allow-empty" in result.stderr
    assert result.stderr.count("\n") == 1
    allowed = run_drtui("check", "--allow-empty", *filters, endpoint=server.endpoint)
    assert allowed.returncode == 0 and allowed.stdout.startswith("OK: 0 of 0")


def test_check_json_is_one_object(server: EmulatorServer) -> None:
    result = run_drtui("check", "--json", "--health", "service", endpoint=server.endpoint)
    assert result.returncode == 2
    verdict = json.loads(result.stdout)
    assert verdict["status"] == "FAILING" and verdict["exitCode"] == 2
    assert verdict["checked"] == 150 and verdict["health"] == ["service"]
    assert len(verdict["offenders"]) == verdict["failing"] + verdict["warning"]
    assert verdict["offenders"][0]["problems"] == {"service": "failing"}


def test_check_timeout_gives_up_with_exit_3() -> None:
    import socket

    with socket.socket() as silent:  # accepts connections (backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        endpoint = f"http://127.0.0.1:{silent.getsockname()[1]}"
        result = run_drtui("check", "--timeout", "1", endpoint=endpoint)
    assert result.returncode == 3
    assert "within 1 seconds" in result.stderr and "Traceback" not in result.stderr


# -- global options, --endpoint, usage -------------------------------------------------------


def test_options_before_the_subcommand_are_used(server: EmulatorServer, tmp_path: Path) -> None:
    before = run_drtui("--filter", "importance=CRITICAL", "check", endpoint=server.endpoint)
    after = run_drtui("check", "--filter", "importance=CRITICAL", endpoint=server.endpoint)
    assert before.stdout.splitlines()[0] == after.stdout.splitlines()[0]
    assert "of 150 " not in before.stdout
    nosuch = run_drtui("--profile", "nosuch", "check", endpoint=server.endpoint, home=str(tmp_path))
    assert nosuch.returncode == 3 and "'nosuch'" in nosuch.stderr


def test_endpoint_flag_takes_the_token_from_the_environment(server: EmulatorServer) -> None:
    result = run_drtui(
        "deployments",
        "--endpoint",
        server.endpoint,
        endpoint=None,
        extra_env={"DATAROBOT_API_TOKEN": USER_TOKEN},
    )
    assert len(_json_rows(result)) == 150


def test_usage_errors_print_the_subcommands_usage(server: EmulatorServer) -> None:
    result = run_drtui("check", "--filter", "colour=blue", endpoint=server.endpoint)
    assert result.returncode == 3
    assert result.stderr.startswith("usage: drtui check")


def test_order_by_descending_as_two_words(server: EmulatorServer) -> None:
    rows = _json_rows(run_drtui("deployments", "--order-by", "-label", endpoint=server.endpoint))
    labels = [str(r["label"]).lower() for r in rows]
    assert labels == sorted(labels, reverse=True)


def test_deployments_are_listed_by_label_unless_told(server: EmulatorServer) -> None:
    """The API's default order is the last prediction time: two runs a minute apart differed."""
    rows = _json_rows(run_drtui("deployments", endpoint=server.endpoint))
    labels = [str(r["label"]).lower() for r in rows]
    assert len(labels) == 150 and labels == sorted(labels)


def test_json_carries_structured_tags_owners_url_and_messages(server: EmulatorServer) -> None:
    rows = _json_rows(run_drtui("deployments", "--json", endpoint=server.endpoint))
    tagged = next(r for r in rows if r["tags"])
    assert isinstance(tagged["tags"], dict)
    owned = next(r for r in rows if r["owners"])
    assert isinstance(owned["owners"], list) and "email" in owned["owners"][0]
    base = server.endpoint.removesuffix("/api/v2")
    assert rows[0]["url"] == f"{base}/deployments/{rows[0]['id']}/overview"
    assert set(rows[0]["healthMessages"]) == {"service", "model", "accuracy"}
    assert any(r["healthMessages"]["model"] for r in rows)
    table = list(
        csv.DictReader(
            io.StringIO(run_drtui("deployments", "--csv", endpoint=server.endpoint).stdout)
        )
    )
    assert "=" in next(r["tags"] for r in table if r["tags"])  # flat: name=value, ...


def test_the_listing_is_fetched_in_a_stable_order_and_sorted_locally(
    server: EmulatorServer,
) -> None:
    # Under a moving order (last prediction) offset paging misses and repeats deployments
    # that receive predictions between two page requests; the CLI never pages by it.
    server.state.requests.clear()
    rows = _json_rows(
        run_drtui(
            "deployments", "--json", "--order-by=-recentPredictions", endpoint=server.endpoint
        )
    )
    assert len({r["id"] for r in rows}) == len(rows) == 150
    totals = [sum(r["predictions7d"]) for r in rows]
    assert totals == sorted(totals, reverse=True)
    orders = {
        r["query"].split("orderBy=")[1].split("&")[0]
        for r in server.state.requests
        if r["path"].endswith("/deployments/")
    }
    assert orders == {"label"}
