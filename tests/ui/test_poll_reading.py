"""Issue 20 in the app: a poll reads only the records whose text changed since the last one."""

from __future__ import annotations

from typing import Any

import pytest

from drtui.api.models import slim_fast
from drtui.api.models.slim_records import SlimDeployment
from drtui.ui.screens.deployments import DeploymentsScreen
from tests.observe import until
from tests.ui.harness import harness


async def test_a_poll_reads_again_only_what_changed_and_shows_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read: list[str | None] = []
    reading = slim_fast._from_record

    def counted(record: Any, text: str) -> SlimDeployment:
        read.append(record.id)
        return reading(record, text)

    monkeypatch.setattr(slim_fast, "_from_record", counted)
    async with harness(attention_first=False) as h, h.app.run_test(size=(120, 40)) as pilot:
        screen = h.app.screen
        assert isinstance(screen, DeploymentsScreen)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        assert len(read) == len(screen.fleet.rows) == 60
        before = dict(screen.fleet.rows)
        target = screen.table.rows[0]
        h.state.set_health(target.id, "serviceHealth", "failing")
        read.clear()
        await pilot.press("r")
        await until(pilot, lambda: screen.refreshes == 2, what="second refresh")
        # The changed record alone was read; every other row is the very object it was.
        assert read == [target.id]
        after = screen.fleet.rows
        assert after.keys() == before.keys()
        assert all(after[k] is before[k] for k in after if k != target.id)
        assert after[target.id].health[0] == "failing"
        shown = {row.id: row for row in screen.table.rows}
        assert shown[target.id].health[0] == "failing"
