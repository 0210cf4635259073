"""`drtui check`'s verdict on records the server sends, without a server."""

from __future__ import annotations

from drtui.api.models import Deployment
from drtui.cli.check import check_code, summary
from drtui.core.rows import Row, row_from_deployment

ALL = ("service", "model", "accuracy")


def _row(i: int, service: str, model: str = "unknown", accuracy: str = "unknown") -> Row:
    return row_from_deployment(
        Deployment.model_validate(
            {
                "id": f"d{i}",
                "label": f"L{i}",
                "serviceHealth": {"status": service},
                "modelHealth": {"status": model},
                "accuracyHealth": {"status": accuracy},
            }
        )
    )


def test_unknown_health_is_counted_and_said_not_called_passing() -> None:
    rows = [_row(i, "unknown") for i in range(8)]  # a 2020-era installation: all unknown
    code, verdicts = check_code(rows, ALL)
    assert code == 0
    line = summary(code, verdicts, ALL)
    assert "0 passing" in line and "8 unknown" in line


def test_the_worst_checked_dimension_decides() -> None:
    rows = [_row(1, "passing", "failing", "passing"), _row(2, "warning", "passing", "passing")]
    code, verdicts = check_code(rows, ALL)
    assert code == 2 and verdicts[0].problems == (("model", "failing"),)
    assert check_code(rows, ("service",))[0] == 1
