"""Mutes and acknowledgements: which degradations alert, and that both survive a restart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from drtui.core.alerts import AlertRules, ranked
from drtui.core.fleet import Fleet, HealthTransition
from drtui.store.alert_file import AlertFile
from tests.core.factory import deployment

NOW = datetime(2026, 11, 30, 3, 12, tzinfo=UTC)


def move(old: str, new: str, key: str = "d1") -> HealthTransition:
    return HealthTransition(key, "Fraud (prod)", "service", old, new)


def test_a_mute_silences_until_it_expires_and_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "alerts.json"
    rules = AlertRules(AlertFile(path))
    assert rules.wanted(move("passing", "failing"), NOW)
    rules.mute("d1", NOW + timedelta(hours=1))
    assert not rules.wanted(move("passing", "failing"), NOW)
    assert rules.wanted(move("passing", "failing", key="d2"), NOW), "only that deployment"
    restarted = AlertRules(AlertFile(path))
    assert restarted.muted_until("d1", NOW) == NOW + timedelta(hours=1)
    later = NOW + timedelta(hours=1, seconds=1)
    assert restarted.wanted(move("passing", "failing"), later), "the mute expired by itself"
    restarted.observe([], later)
    assert AlertRules(AlertFile(path)).mutes == {}
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_an_acknowledged_degradation_stays_quiet_until_it_changes_again(tmp_path: Path) -> None:
    path = tmp_path / "alerts.json"
    rules = AlertRules(AlertFile(path))
    row = Fleet.from_deployments([deployment("d1", service="failing")]).rows["d1"]
    assert rules.acknowledge(row) == ["service"]
    rules = AlertRules(AlertFile(path))  # survives a restart
    # Flapping through unknown back to the acknowledged status: no new alert.
    rules.observe([move("failing", "unknown")], NOW)
    assert not rules.wanted(move("unknown", "failing"), NOW)
    # A different verdict voids the acknowledgement: the next degradation alerts again.
    rules.observe([move("failing", "passing")], NOW)
    assert rules.wanted(move("passing", "failing"), NOW)
    assert AlertRules(AlertFile(path)).acks == {}


def test_a_broken_file_is_said_and_nothing_is_lost_by_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "alerts.json"
    path.write_text("{not json")
    rules = AlertRules(AlertFile(path))
    assert rules.load_error is not None and str(path) in rules.load_error
    assert rules.wanted(move("passing", "failing"), NOW)


def test_degradations_rank_to_fail_first_then_importance_then_label() -> None:
    importance = {"a": "LOW", "b": "CRITICAL", "c": "", "w": "CRITICAL", "z": "LOW"}
    moves = [
        HealthTransition("a", "Alpha", "service", "passing", "warning"),
        HealthTransition("b", "Bravo", "model", "passing", "warning"),
        HealthTransition("c", "Charlie", "service", "passing", "failing"),
        HealthTransition("z", "Zulu", "service", "warning", "failing"),
        HealthTransition("w", "Wholesale", "service", "warning", "failing"),
    ]
    order = [m.label for m in ranked(moves, importance.__getitem__)]
    # To FAIL before to WARN; among them CRITICAL first and no importance last; then labels.
    assert order == ["Wholesale", "Zulu", "Charlie", "Bravo", "Alpha"]
