"""The list-view base read from its spec: wording said of the list's things unless a view words
it itself, and a fed view that has no poller."""

from __future__ import annotations

import pytest

from drtui.core.events import EventLog
from drtui.ui.screens.events_log import EventsScreen
from drtui.ui.screens.list_view import Wording
from drtui.ui.settings import AppSettings
from tests.ui.harness import FIXED_NOW


def test_wording_is_said_of_the_things_unless_given() -> None:
    wording = Wording("compute bundles", "compute bundle", empty="None here.")
    assert wording.loading == "Loading compute bundles…"
    assert wording.empty == "None here."
    assert wording.no_match == "No compute bundle matches."
    assert wording.no_selection == "No compute bundle selected."
    assert wording.failed.format(reason="boom") == "Cannot load compute bundles: boom"


def test_a_forbidden_wording_takes_the_reason_cut_or_whole() -> None:
    reason = "403 " + "x" * 400
    said = Wording("things", "thing", forbidden="Not yours: {reason}").stopped(reason)
    assert said.startswith("Not yours: 403 ") and len(said) < 200
    assert Wording("things", "thing", forbidden=lambda r: r).stopped(reason) == reason


def test_a_fed_view_has_no_poller() -> None:
    settings = AppSettings(endpoint="https://example.invalid", token="t", profile_name="test")

    class Nobody:
        def mark_seen(self) -> None: ...

        def show_deployment(self, deployment_id: str, label: str = "") -> None: ...

    screen = EventsScreen(settings, lambda: FIXED_NOW, EventLog(), Nobody())
    assert getattr(screen, "poller", None) is None
    assert screen.current_freshness() is None
    with pytest.raises(AttributeError):
        screen.poller  # noqa: B018
