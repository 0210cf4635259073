"""`drtui bundles`: the compute-bundle browser's rows for scripts (all pages, use cases, CSV)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from drtui.emulator.server import EmulatorServer
from tests.cli.runner import USER_TOKEN, run_drtui
from tests.reliability.hostile_server import HostileServer, Reply


@pytest.fixture
def chaos(server: EmulatorServer) -> Iterator[httpx.Client]:
    control = httpx.Client(
        base_url=server.base_url, headers={"Authorization": f"Bearer {USER_TOKEN}"}
    )
    yield control
    control.delete("/_emulator/chaos").raise_for_status()
    control.close()


def _lines(result: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_every_bundle_as_json_lines_deleted_hidden(server: EmulatorServer) -> None:
    bundles = _lines(run_drtui("bundles", endpoint=server.endpoint))
    ids = [b["id"] for b in bundles]
    assert "cpu.medium" in ids and "gpu.xlarge" in ids
    assert "cpu.legacy" not in ids, "deleted bundles are hidden by default"
    medium = next(b for b in bundles if b["id"] == "cpu.medium")
    assert medium["memory"] == "4.0 GiB" and medium["memoryBytes"] == 4 * 1024**3
    assert medium["isDefault"] is True and medium["cpuCount"] == 2
    xl = next(b for b in bundles if b["id"] == "gpu.xlarge")
    assert xl["gpu"] == "4× nvidia 320.0 GiB" and xl["gpuCount"] == 4
    with_deleted = _lines(run_drtui("bundles", "--deleted", endpoint=server.endpoint))
    assert "cpu.legacy" in [b["id"] for b in with_deleted]


def test_several_use_cases_are_asked_of_the_server_at_once(server: EmulatorServer) -> None:
    result = run_drtui(
        "bundles",
        "--use-case",
        "sapAICore",
        "--use-case",
        "customjob",
        endpoint=server.endpoint,
    )
    bundles = _lines(result)
    assert {b["id"] for b in bundles} == {
        "cpu.nano",
        "cpu.micro",
        "cpu.small",
        "cpu.medium",
        "cpu.large",
        "cpu.xlarge",
        "gpu.amd.large",
        "gpu.intel.small",
    }
    assert all({"sapAICore", "customJob"} & set(b["useCases"]) for b in bundles)
    seen = httpx.get(
        f"{server.base_url}/_emulator/requests", headers={"Authorization": f"Bearer {USER_TOKEN}"}
    ).json()["data"]
    asked = [r for r in seen if r["path"] == "/api/v2/mlops/compute/bundles/"][-1]
    assert "useCases=sapAICore" in asked["query"] and "useCases=customJob" in asked["query"]


def test_csv_has_flat_columns(server: EmulatorServer) -> None:
    result = run_drtui("bundles", "--csv", "--use-case", "sapAICore", endpoint=server.endpoint)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["id"] for r in rows] == ["gpu.intel.small"]
    assert rows[0]["memory"] == "16.0 GiB" and rows[0]["useCases"] == "sapAICore"


def test_an_unknown_use_case_is_a_usage_error(server: EmulatorServer) -> None:
    result = run_drtui("bundles", "--use-case", "webApp", endpoint=server.endpoint)
    assert result.returncode == 3
    assert "--use-case wants one of customApplication" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("status", [403, 404])
def test_an_account_without_the_feature_is_told_so_exit_3(status: int) -> None:
    def route(method: str, path: str, query: dict[str, str]) -> Reply:
        return Reply(status, {"message": "Feature MLOPS_RESOURCE_REQUEST_BUNDLES is disabled"})

    with HostileServer(route) as hostile:
        result = run_drtui("bundles", endpoint=hostile.endpoint)
    assert result.returncode == 3
    assert result.stderr.strip() == (
        "drtui: This account does not have the resource-bundles feature (a preview on most "
        "installations): there are no compute bundles to show."
    )
    assert result.stdout == ""


def test_a_server_failure_is_one_sentence_exit_3(
    server: EmulatorServer, chaos: httpx.Client
) -> None:
    chaos.put(
        "/_emulator/chaos",
        json={"errorRate": 1.0, "errorStatus": 500, "paths": ["/api/v2/mlops/compute/"]},
    ).raise_for_status()
    result = run_drtui("bundles", endpoint=server.endpoint)
    assert result.returncode == 3
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert USER_TOKEN not in result.stderr


def test_bundles_does_not_import_textual(server: EmulatorServer) -> None:
    code = (
        "import sys\n"
        "from drtui.cli import main\n"
        "code = main(['bundles'])\n"
        "assert 'textual' not in sys.modules, 'textual imported'\n"
        "assert not any(m.startswith('drtui.emulator') for m in sys.modules), 'emulator'\n"
        "sys.exit(code)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATAROBOT_")}
    env.update(DATAROBOT_ENDPOINT=server.endpoint, DATAROBOT_API_TOKEN=USER_TOKEN)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
