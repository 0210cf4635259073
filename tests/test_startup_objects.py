"""What the dashboard leaves on the heap at start-up (issue 20, "a fleet of plain data").

A full garbage collection scans every tracked object, so what start-up imports and builds costs
every later full collection. These tests pin what must stay out of it: no full pydantic model's
validator built by importing the dashboard (``defer_build``), the description editor (Textual's
TextArea) and the few on-demand modules left for the moment they are used, and that what is
deferred still works when it is needed. Each import check runs in a fresh interpreter: in this
one, other tests have imported and validated everything already.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from textual.widgets import Label, TextArea

from drtui.ui.screens.edit_dialogs import CreateDialog, EditDialog
from tests.observe import until
from tests.ui.write_harness import loaded, write_harness

DEFERRED = ("textual.widgets._text_area", "tomllib", "humanize", "drtui.core.report")
"""Imported only on first use: the edit and create dialogs' description box, a config file
being read, a download's "not enough space" message, a replay time typed as a date."""


def _fresh(code: str) -> Any:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


IMPORT_THE_DASHBOARD = """
import json, sys
import drtui.ui.app
loaded = sorted(sys.modules)
# Every full model, as the detail pane and the other views will load them on demand:
import drtui.api.models.deployment, drtui.api.models.resources
from drtui.api.models.base import ApiModel

def models(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from models(sub)

every = sorted({m.__name__ for m in models(ApiModel)})
built = sorted({m.__name__ for m in models(ApiModel) if m.__pydantic_complete__})
print(json.dumps({"loaded": loaded, "models": every, "built": built}))
"""


def test_importing_the_dashboard_builds_no_full_models_validator() -> None:
    seen = _fresh(IMPORT_THE_DASHBOARD)
    assert {"Deployment", "HealthSummary", "DeletedDeployment", "PPSImageMetadata"} <= set(
        seen["models"]
    )
    assert seen["built"] == [], "built at import, before any validation"
    assert [m for m in DEFERRED if m in seen["loaded"]] == []


FIRST_VALIDATION = """
import json
from datetime import UTC, datetime
import drtui.ui.app
from drtui.api.models.deployment import Deployment
from drtui.api.models.slim import read_page
from drtui.core.detail import sections
from drtui.core.rows import row_from_slim

before = Deployment.__pydantic_complete__
record = {
    "id": 7,
    "label": "churn",
    "serviceHealth": {"status": "not_started", "message": "no traffic"},
    "modelHealth": "not an object",
    "model": {"targetName": "churned", "customModelImage": {"customModelName": "cm"}},
    "predictionUsage": {"dailyRates": [1, None, 3]},
    "tags": [{"name": "team", "value": "risk"}, "not a tag"],
    "createdAt": "2024-05-01T10:00:00Z",
}
page = json.dumps({"count": 1, "totalCount": 1, "next": None, "data": [record]}).encode()
row = row_from_slim(read_page(page).data[0])
d = row.source
shown = dict(sections(d, datetime(2024, 6, 1, tzinfo=UTC)))
print(json.dumps({
    "before": before,
    "after": Deployment.__pydantic_complete__,
    "id": d.id,
    "service": d.service_health.status,
    "model_health": d.model_health,
    "image": d.model.custom_model_image.custom_model_name,
    "rates": d.prediction_usage.daily_rates,
    "tags": [t.name for t in d.tags],
    "created": d.created_at.isoformat(),
    "deployment": dict(shown["Deployment"]),
}))
"""


def test_a_deferred_model_reads_a_full_record_leniently_on_first_use() -> None:
    """The detail pane's first record, in a process where nothing built the model before: the
    deferred build resolves every lenient field type as the eager one did."""
    seen = _fresh(FIRST_VALIDATION)
    assert (seen["before"], seen["after"]) == (False, True)
    assert seen["id"] == "7", "a numeric id still reads as an id"
    assert seen["service"] == "notStarted"
    assert seen["model_health"] is None, "an unreadable object is dropped, not fatal"
    assert seen["image"] == "cm"
    assert seen["rates"] == [1, 0, 3]
    assert seen["tags"] == ["team"], "one unreadable tag dropped, not the list"
    assert seen["created"].startswith("2024-05-01T10:00:00")
    assert seen["deployment"]["label"] == "churn" and seen["deployment"]["id"] == "7"


def _count(dialog: Any, selector: str) -> str:
    return str(dialog.query_one(selector, Label).render())


async def test_typing_in_a_lazily_imported_description_box_is_checked_live(tmp_path: Any) -> None:
    """The description box is imported when a dialog opens; its changes still reach the
    dialog's live check (only the box changes here, so nothing else could trigger it)."""
    async with (
        write_harness(tmp_path, attention_first=False) as h,
        h.app.run_test(size=(120, 40)) as pilot,
    ):
        screen = await loaded(pilot, h.app)
        row = next(r for r in screen.table.rows if "CAN_EDIT_DEPLOYMENT" in r.source.permissions)
        screen.table.move_cursor_to_id(row.id)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(h.app.screen, EditDialog), what="edit open")
        edit = h.app.screen
        await pilot.pause()
        box = edit.query_one("#edit-description", TextArea)
        box.text = "d" * 10_001
        await until(
            pilot,
            lambda: "10,001 / 10,000" in _count(edit, "#edit-description-count"),
            what="the count follows the box",
        )
        assert "at most 10,000" in _count(edit, "#action-error")
        await pilot.press("escape")
        await until(pilot, lambda: h.app.screen is screen, what="edit closed")

        await pilot.press("plus")
        await until(pilot, lambda: isinstance(h.app.screen, CreateDialog), what="create open")
        create = h.app.screen
        await pilot.pause()
        create.query_one("#create-description", TextArea).text = "d" * 10_001
        await until(
            pilot,
            lambda: "at most 10,000" in _count(create, "#action-error"),
            what="the create dialog checks the box",
        )
