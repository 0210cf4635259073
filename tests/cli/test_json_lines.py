"""`drtui deployments --json` writes each line from pieces: it must equal `json.dumps(record)`."""

from __future__ import annotations

import json

from drtui.api.models.slim import read_page
from drtui.cli.records import json_lines, record
from drtui.core.rows import row_from_slim

HOSTILE = [
    {
        "id": "a\x1b[31mb",
        "label": "  \u202eevil\x07 label\n\u2028x ",
        "status": "active",
        "importance": 7,
        "model": {"targetType": None, "deployedAt": "2024-01-02T03:04:05Z"},
        "predictionEnvironment": {"platform": "aws\u200b"},
        "serviceHealth": {"status": "failing", "message": '\x1b]52;c;AAAA\x07boom "q" \\'},
        "modelHealth": {"status": "not_started"},
        "accuracyHealth": None,
        "tags": [{"name": "t", "value": "1"}, {"name": "t", "value": "2"}, {"name": "\ud800"}],
        "owners": {"count": 3, "preview": [{"id": "o", "firstName": "Zoë", "email": "z@x"}]},
        "predictionUsage": {"dailyRates": [1, -2, "3", None], "lastTimestamp": "2024-05-01"},
    },
    {"id": "plain", "label": "ünïcode ✓ 日本", "tags": [], "predictionUsage": {"dailyRates": []}},
    {
        "id": "usual",
        "label": "Churn",
        "tags": [{"name": "env", "value": "prod"}, {"name": "team\x1b[2J", "value": 'a"b'}],
        "owners": {
            "count": 2,
            "preview": [
                {"id": "u1", "firstName": "Dana", "lastName": "Ortiz", "email": "d@x"},
                {},
            ],
        },
    },
    {},
]


def test_json_lines_equal_the_records_encoded() -> None:
    page = read_page(json.dumps({"count": 3, "totalCount": 3, "data": HOSTILE}).encode())
    for endpoint in ("https://app.example.com/api/v2", "http://127.0.0.1:8080/api/v2"):
        line = json_lines(endpoint)
        for slim in page.data:
            row = row_from_slim(slim)
            expected = json.dumps(record(row, endpoint), ensure_ascii=False) + "\n"
            assert line(row) == expected
            assert "\x1b" not in line(row) and "\x07" not in line(row)
