"""Issue 21: the shift-handoff report of a scripted incident."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from drtui.core.recorded import State
from drtui.core.report import (
    build_report,
    parse_duration,
    parse_instant,
    render_markdown,
    render_text,
    report_json,
    uncovered,
)
from drtui.store.history import History

T0 = datetime(2026, 11, 29, 21, 0, tzinfo=UTC)
URL = "https://app.example.com/api/v2"


def ok(label: str, importance: str, **health: str) -> State:
    values = {"service": "passing", "model": "passing", "accuracy": "passing", **health}
    silent = values.pop("silent", "") == "yes"
    return State(label, importance, values["service"], values["model"], values["accuracy"], silent)


def test_a_night_shift_reads_right_in_text_markdown_and_json(tmp_path: Path) -> None:
    fleet = {
        "crit": ok("Fraud [prod]", "CRITICAL"),
        "high": ok("Churn", "HIGH", model="warning"),  # already warning before the shift
        "low": ok("Quiet one", "LOW"),
    }
    script = [
        (timedelta(hours=6, minutes=12), "crit", ok("Fraud [prod]", "CRITICAL", service="failing")),
        (timedelta(hours=7, minutes=40), "crit", ok("Fraud [prod]", "CRITICAL")),
        (timedelta(hours=8), "low", ok("Quiet one", "LOW", accuracy="failing")),
        (timedelta(hours=8, minutes=30), "crit", ok("Fraud [prod]", "CRITICAL", silent="yes")),
    ]
    with History(tmp_path / "h.sqlite3", max_gap=timedelta(hours=1)) as history:
        history.record(fleet, T0 - timedelta(hours=1))
        for poll in range(1, 13 * 4):  # every 15 min
            at = T0 - timedelta(hours=1) + timedelta(minutes=15 * poll)
            for offset, key, state in script:
                if T0 + offset <= at:
                    fleet[key] = state
            history.record(dict(fleet), at)
        until = T0 + timedelta(hours=12)
        before, changes = history.changes(T0, until)
    report = build_report(before, changes, T0, until, URL)
    assert (report.degraded, report.recovered, report.still_failing) == (2 + 1, 1, 1)
    assert (report.still_warning, report.still_silent, report.already_bad) == (1, 1, 1)
    assert [d.id for d in report.deployments] == ["crit", "high", "low"]  # by importance
    text = render_text(report)
    assert text.splitlines()[:2] == [
        "Fleet report 2026-11-29 21:00 → 2026-11-30 09:00 UTC (12 h 00 min)",
        "3 degraded, 1 recovered, 1 still failing, 1 still warning, 1 still silent; "
        "1 already bad when first recorded (of 3 deployments recorded)",
    ]
    assert "  Fraud [prod] (crit): still silent" in text
    assert "  Churn (high): still warning" in text
    assert "  Quiet one (low): STILL FAILING" in text
    assert "    service failing 03:15 → 04:45 (1 h 30 min), recovered" in text
    assert "    predictions silent since 05:30 (3 h 30 min), still silent" in text
    assert (
        "    model warning: already warning when the window began at 2026-11-29 21:00, "
        "still warning" in text
    )
    assert "    accuracy failing since 05:00 (4 h 00 min), still failing" in text
    assert "    https://app.example.com/deployments/crit/overview" in text
    markdown = render_markdown(report)
    assert "#### CRITICAL" in markdown and markdown.index("#### CRITICAL") < markdown.index(
        "#### HIGH"
    )
    assert (
        "- [Fraud \\[prod\\]](<https://app.example.com/deployments/crit/overview>) `crit`: "
        "still silent" in markdown
    )
    assert "`low`: **still failing**" in markdown
    body = report_json(report)
    crit = body["deployments"][0]
    assert crit["episodes"][0] == {
        "dimension": "service",
        "worst": "failing",
        "status": "passing",
        "start": "2026-11-30T03:15:00Z",
        "beganBefore": False,
        "already": None,
        "end": "2026-11-30T04:45:00Z",
        "seconds": 5400,
        "ongoing": False,
        "removed": False,
    }
    assert body["notRecorded"] == []
    assert [d["standing"] for d in body["deployments"]] == ["silent", "warning", "failing"]
    assert (body["stillFailing"], body["stillWarning"], body["alreadyBad"]) == (1, 1, 1)


def test_what_was_bad_when_recording_began_is_not_counted_as_degraded(tmp_path: Path) -> None:
    """Six minutes recorded, a report of the last hour: the deployments already bad at the
    first poll did not degrade in the window, and a warning is not "still failing"."""
    began = T0 + timedelta(minutes=54)
    fleet = {
        "fail": ok("Payments", "CRITICAL", service="failing"),
        "warn": ok("Ranker (challenger)", "LOW", model="warning"),
        "fine": ok("Churn", "HIGH"),
    }
    with History(tmp_path / "h.sqlite3", max_gap=timedelta(minutes=2)) as history:
        for minute in range(7):
            at = began + timedelta(minutes=minute)
            if minute == 3:
                fleet["fine"] = ok("Churn", "HIGH", accuracy="failing")  # seen happening
                fleet["new"] = ok("New one", "MODERATE", service="failing")  # first seen bad
            history.record(dict(fleet), at)
        until = T0 + timedelta(hours=1)
        before, changes = history.changes(T0, until)
        gaps = uncovered(history.spans(), T0, until, timedelta(minutes=2))
    report = build_report(before, changes, T0, until, URL, not_recorded=gaps)
    assert (report.degraded, report.still_failing, report.still_warning) == (1, 3, 1)
    assert report.already_bad == 3
    text = render_text(report)
    assert text.splitlines()[1] == (
        "1 degraded, 0 recovered, 3 still failing, 1 still warning; "
        "3 already bad when first recorded (of 4 deployments recorded)"
    )
    assert "  Ranker (challenger) (warn): still warning" in text
    assert (
        "    service failing: already failing when recording began at 21:54, still failing" in text
    )
    assert (
        "    service failing: already failing when first recorded at 21:57, still failing" in text
    )
    assert "    accuracy failing since 21:57 (3 min), still failing" in text
    body = report_json(report)
    episodes = {d["id"]: d["episodes"][0] for d in body["deployments"]}
    assert episodes["fail"]["beganBefore"] and episodes["fail"]["already"] == "recordingBegan"
    assert episodes["fail"]["start"] == "2026-11-29T21:54:00Z"  # when seen, not invented
    assert not episodes["fine"]["beganBefore"] and episodes["fine"]["already"] is None


def test_a_quiet_window_and_an_unrecorded_stretch_are_said() -> None:
    report = build_report({}, [], T0, T0 + timedelta(hours=1), URL,
                          not_recorded=[(T0, T0 + timedelta(minutes=20))])  # fmt: skip
    text = render_text(report)
    assert "Not recorded: 21:00 → 21:20" in text
    assert "Nothing degraded, and nothing was failing." in text


def test_when_on_the_command_line() -> None:
    assert parse_duration("12h") == timedelta(hours=12)
    assert parse_duration("1d12h") == timedelta(hours=36)
    assert parse_duration("30m") == timedelta(minutes=30)
    assert parse_instant("2026-11-30 03:12") == datetime(2026, 11, 30, 3, 12, tzinfo=UTC)
    assert parse_instant("2026-11-30T04:12+01:00") == datetime(2026, 11, 30, 3, 12, tzinfo=UTC)
    with pytest.raises(ValueError, match="expected a duration such as 12h"):
        parse_duration("12 hours ago")
    with pytest.raises(ValueError, match="expected a time such as"):
        parse_instant("yesterday")
