from datetime import UTC, datetime, timedelta

from drtui.core.detail import sections, web_url
from drtui.core.formatting import age, compact_number, sparkline
from drtui.core.health import look, severity
from drtui.core.rows import row_from_deployment
from drtui.core.sanitize import clean
from tests.core.factory import deployment

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_health_reads_without_colour_and_keeps_unknown_values_verbatim() -> None:
    assert look("failing").cell == "✗ FAIL"
    assert look("warning").cell == "! WARN"
    assert look("passing").cell == "✓ OK"
    assert look("unavailable").cell == "· N/A"
    assert look("not_started").cell == look("notStarted").cell == "· N/A"
    assert look("unknown").cell == "? UNK"
    assert look("exploded").cell == "? exploded"
    assert severity("failing") < severity("warning") < severity("exploded") < severity("passing")


def test_escape_sequences_and_control_characters_never_survive() -> None:
    hostile = "ok\x1b[2J\x1b]0;pwned\x07\x1b]52;c;aGk=\x1b\\ label\r\nnext\x00\x9b31m\u202eend"
    cleaned = clean(hostile)
    assert cleaned == "ok label nextend"
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in cleaned)


def test_row_is_sanitised_and_searchable() -> None:
    row = row_from_deployment(
        deployment(
            label="[bold red]x\x1b[31m y",
            tags=[{"name": "team", "value": "risk"}, {"name": "env", "value": "prod"}],
        )
    )
    assert row.label == "[bold red]x y"  # markup kept as text, escape removed
    assert row.tags == "team=risk, env=prod"
    assert row.owner == "Ada L +1"
    assert row.spark == sparkline((1, 2, 3, 4, 5, 6, 7)) == "▂▃▄▄▅▆▇"
    assert row.total == "28"
    assert row.haystack == "[bold red]x y\n"


def test_row_survives_a_record_with_almost_nothing() -> None:
    from drtui.api.models import Deployment

    row = row_from_deployment(
        Deployment.model_validate({"id": "x", "serviceHealth": None, "predictionUsage": "garbage"})
    )
    assert row.label == "(no label)"
    assert row.health == ("", "", "")
    assert row.daily_rates == ()
    assert next(title for title, _ in sections(row.source, NOW)) == "Deployment"


def test_numbers_and_ages_are_compact() -> None:
    assert compact_number(999) == "999"
    assert compact_number(1500) == "1.5k"
    assert compact_number(12_000_000) == "12M"
    assert sparkline([0, 0]) == "▁▁"
    assert age(datetime(2026, 11, 23, 11, 57, tzinfo=UTC), NOW) == "3 min ago"
    assert age(None, NOW) == "never"
    # Seconds move in steps of ten, so an idle screen repaints an age at most every 10 s.
    seconds_ago = [age(NOW - timedelta(seconds=s), NOW) for s in (3, 12, 19, 20, 59)]
    assert seconds_ago == ["just now", "10s ago", "10s ago", "20s ago", "50s ago"]


def test_detail_covers_every_group_and_unknown_server_fields() -> None:
    d = deployment(
        fairnessHealth={"status": "failing"},
        governance={"approvalStatus": "PENDING"},
        capabilities={"supportsDrift": True},
        creator={"firstName": "Bo", "email": "b@x"},
    )
    titles = [title for title, _ in sections(d, NOW)]
    for group in (
        "Deployment",
        "Service health",
        "Model health",
        "Accuracy health",
        "Model",
        "Model package",
        "Prediction environment",
        "Governance",
        "Owners",
        "Permissions",
        "Settings",
        "Tags",
        "Usage",
        "Default prediction server",
        "Fairness health",
        "Other fields from the server",
    ):
        assert group in titles
    assert dict(dict(sections(d, NOW))["Other fields from the server"]) == {
        "capabilities": "supportsDrift=True"
    }
    assert ("created by", "Bo <b@x> [—]") in dict(sections(d, NOW))["Owners"]
    usage = dict(dict(sections(d, NOW))["Usage"])
    assert usage["last prediction"].startswith("2 h ago")
    assert (
        web_url("https://app.example.com/api/v2/", "abc")
        == "https://app.example.com/deployments/abc/overview"
    )


def test_a_row_is_invisible_to_the_collector_and_compares_by_what_it_shows() -> None:
    import gc

    row = row_from_deployment(deployment())
    # Not tracked: a full collection at 10,000 deployments does not visit 10,000 rows.
    assert not gc.is_tracked(row)
    # Equality and hash are those of what the row shows, whatever it was read from.
    other_origin = row.replace(origin='{"id": "elsewhere"}')
    assert other_origin == row and hash(other_origin) == hash(row)
    assert row.replace(label="renamed") != row
    assert row.replace(health=("failing", *row.health[1:])) != row
    assert {row, other_origin} == {row}
    assert row.content() == tuple(getattr(row, f) for f in row.__struct_fields__ if f != "origin")


def test_a_path_under_home_is_shown_from_the_tilde() -> None:
    from pathlib import Path

    from drtui.core.formatting import home_relative

    home = Path("/home/alice")
    assert home_relative(home / ".local/state/drtui/audit.jsonl", home) == (
        "~/.local/state/drtui/audit.jsonl"
    )
    assert home_relative(Path("/var/lib/drtui/audit.jsonl"), home) == "/var/lib/drtui/audit.jsonl"
