"""The events view's rows, filter and CSV, without a screen: the order a shift reads them in, what
`/` finds, and an export a spreadsheet cannot run."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta, timezone

from drtui.core.events import EventLog, event_rows, events_csv, narrow_events, utc_stamp
from drtui.core.fleet import HealthTransition

EARLY = datetime(2026, 3, 2, 9, tzinfo=UTC)
LATE = datetime(2026, 3, 2, 10, 0, 0, 900_000, tzinfo=UTC)


def test_events_read_newest_first_then_worst_first() -> None:
    log = EventLog()
    log.extend(EARLY, [HealthTransition("a", "Alpha", "service", "passing", "failing", "LOW")])
    log.extend(
        LATE,
        [
            HealthTransition("b", "Bravo", "service", "failing", "passing", "CRITICAL"),
            HealthTransition("c", "Charlie", "model", "passing", "warning", "CRITICAL"),
            HealthTransition("d", "Delta", "service", "passing", "failing", "LOW"),
        ],
    )
    # Earlier within the second the TIME column shows: the worst still comes first.
    same_second = LATE.replace(microsecond=400_000)
    log.extend(
        same_second,
        [HealthTransition("e", "Echo", "service", "passing", "failing", "CRITICAL")],
    )
    assert [r.label for r in event_rows(log)] == ["Echo", "Delta", "Charlie", "Bravo", "Alpha"]


def test_row_ids_are_positions_in_the_session_and_survive_what_the_log_dropped() -> None:
    log = EventLog(capacity=2)
    for i in range(3):
        log.extend(
            EARLY + timedelta(minutes=i),
            [HealthTransition(f"d{i}", f"D{i}", "service", "passing", "failing")],
        )
    assert log.dropped == 1
    assert sorted(r.id for r in event_rows(log)) == ["1", "2"]


def test_the_filter_finds_the_change_in_its_words_a_pattern_and_hides_with_a_bang() -> None:
    log = EventLog()
    log.extend(
        EARLY,
        [
            HealthTransition("a", "Alpha", "service", "passing", "failing", "LOW"),
            HealthTransition("b", "Bravo", "model", "failing", "passing", "HIGH"),
        ],
    )
    rows = event_rows(log)

    def found(text: str) -> list[str]:
        return [r.deployment_id for r in narrow_events(rows, text)]

    assert found("") == ["a", "b"]
    assert found("ok->fail") == ["a"]
    assert found("better") == ["b"]
    assert found("!worse") == ["b"]
    assert found("^alp") == ["a"]


def test_the_csv_is_utc_with_inert_cells() -> None:
    log = EventLog()
    paris = timezone(timedelta(hours=1))
    log.extend(
        datetime(2026, 3, 2, 10, tzinfo=paris),
        [HealthTransition("a", "=HYPERLINK(1)", "service", "passing", "failing", "LOW")],
    )
    rows = event_rows(log)
    table = list(csv.DictReader(io.StringIO(events_csv(rows))))
    assert table == [
        {
            "time_utc": "2026-03-02T09:00:00+00:00",
            "deployment_id": "a",
            "label": "'=HYPERLINK(1)",
            "importance": "LOW",
            "health": "service",
            "from": "passing",
            "to": "failing",
            "verdict": "worse",
        }
    ]
    assert utc_stamp(rows[0].at) == "03-02 09:00:00"
