"""Every CSV export goes through one writer: no cell starts a live formula, booleans read
``true``/``false``, a missing value is an empty cell, numbers stay numbers."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from drtui.core.export import csv_text, write_csv
from drtui.emulator.server import EmulatorServer
from tests.cli.runner import run_drtui
from tests.reliability.hostile_server import HostileServer, Reply


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd", "'+cmd"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=evil", "'\t=evil"),
        ("\r=evil", "'\r=evil"),
        (" =evil", "' =evil"),
        ("\uff1devil", "'\uff1devil"),
        ("fraud-model", "fraud-model"),
        (True, "true"),
        (False, "false"),
        (None, ""),
        (42, "42"),
        (-3, "-3"),
        (1.5, "1.5"),
    ],
)
def test_every_cell_is_written_inert_and_plain(cell: Any, written: str) -> None:
    text = csv_text(["a"], [[cell]])
    assert list(csv.reader(io.StringIO(text, newline=""))) == [["a"], [written]]


def test_a_list_of_rows_is_neutralised_cell_by_cell_not_as_a_whole() -> None:
    """The events view once handed the whole row to `neutralise`, which changed nothing."""
    text = csv_text(["at", "label", "to"], [["2026-01-01T00:00:00+00:00", "=HYPERLINK(1)", "@x"]])
    assert list(csv.reader(io.StringIO(text)))[1] == [
        "2026-01-01T00:00:00+00:00",
        "'=HYPERLINK(1)",
        "'@x",
    ]


def test_mapping_rows_follow_the_header_and_a_missing_key_is_empty() -> None:
    out = io.StringIO()
    write_csv(out, ["id", "ok", "note"], [{"note": "=x", "id": "d1", "ok": False}, {"id": "d2"}])
    assert out.getvalue() == "id,ok,note\nd1,false,'=x\nd2,,\n"


def test_bundles_csv_writes_booleans_as_true_and_false(server: EmulatorServer) -> None:
    result = run_drtui("bundles", "--csv", "--deleted", endpoint=server.endpoint)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["isDefault"] for r in rows} == {"true", "false"}
    assert {r["isDeleted"] for r in rows} == {"true", "false"}


def _blank_formula_fleet(method: str, path: str, query: dict[str, str]) -> Reply:
    record = {"id": "d1", "label": " =HYPERLINK(1)", "serviceHealth": {"status": "passing"}}
    return Reply(body={"count": 1, "totalCount": 1, "next": None, "data": [record]})


def test_deployments_csv_neutralises_a_formula_behind_a_blank() -> None:
    with HostileServer(_blank_formula_fleet) as server:
        result = run_drtui("deployments", "--csv", endpoint=server.endpoint)
    assert result.returncode == 0, result.stderr
    (row,) = csv.DictReader(io.StringIO(result.stdout))
    assert row["label"].startswith("'")
