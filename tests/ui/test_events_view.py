"""The events view: readable rows, a filter, CSV export, and enter goes to the deployment."""

from __future__ import annotations

import csv
from pathlib import Path

from drtui.api.query import DeploymentQuery
from drtui.ui.app import DrtuiApp
from drtui.ui.screens.deployments import DeploymentsScreen
from drtui.ui.screens.events_log import EventsScreen
from tests.ui.harness import harness
from tests.ui.waiting import until


def deployments(app: DrtuiApp) -> DeploymentsScreen:
    screen = app.screen_stack[1] if app.current_view == "deployments" else None
    found = next(s for s in app.get_screen_stack("deployments") if isinstance(s, DeploymentsScreen))
    assert screen is None or screen is found
    return found


async def test_enter_on_an_event_goes_to_its_deployment_even_when_the_view_hid_it(
    tmp_path: Path,
) -> None:
    query = DeploymentQuery(order_by="label")
    async with (
        harness(attention_first=False, query=query) as h,
        h.app.run_test(size=(120, 40)) as pilot,
    ):
        app = h.app
        fleet = deployments(app)
        await until(pilot, lambda: fleet.refreshes == 1, what="first refresh")
        first, second = [r for r in fleet.table.rows if r.health[1] == "passing"][-2:]
        for row in (first, second):
            h.state.set_health(row.id, "modelHealth", "failing")
        await pilot.press("r")
        await until(pilot, lambda: fleet.refreshes == 2, what="second refresh")
        # Narrow the table so the deployment is not on it: enter must still find it.
        await pilot.press("a")
        fleet.table.move_cursor_to_id(fleet.table.rows[0].id)
        await pilot.press("E")
        await until(pilot, lambda: isinstance(app.screen, EventsScreen), what="events view")
        events = app.screen
        assert isinstance(events, EventsScreen)
        labels = [r.label for r in events.table.rows]
        assert first.label in labels and second.label in labels
        # The filter narrows the list; the export writes what is shown, spreadsheet-safe.
        await pilot.press("slash", *second.label[:12].lower())
        await pilot.pause()
        assert {r.deployment_id for r in events.table.rows} == {second.id}
        await pilot.press("enter")
        events.export_dir = str(tmp_path)
        await pilot.press("x")
        await until(pilot, lambda: list(tmp_path.glob("drtui-events-*.csv")), what="export")
        (exported,) = tmp_path.glob("drtui-events-*.csv")
        table = list(csv.DictReader(exported.open(encoding="utf-8")))
        assert [r["deployment_id"] for r in table] == [second.id]
        assert table[0]["to"] == "failing" and table[0]["health"] == "model"
        await until(pilot, lambda: any("Saved" in str(n.message) for n in app._notifications))
        await pilot.press("enter")
        await until(pilot, lambda: app.current_view == "deployments", what="back on the fleet")
        assert fleet.table.cursor_id == second.id
