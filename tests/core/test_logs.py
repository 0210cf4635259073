"""Issue 16: following a log snapshot by snapshot, parsing, the bounded buffer, filters."""

from __future__ import annotations

import json

import pytest

from drtui.core.log_buffer import (
    SEPARATOR,
    FilteredView,
    LineFilter,
    LogBuffer,
    compile_pattern,
    merge_records,
    with_context,
)
from drtui.core.log_lines import ERROR, INFO, WARNING, LineParser
from drtui.core.log_snapshots import Delta, clean_log, log_tail, overlap


def numbered(start: int, stop: int) -> list[str]:
    return [
        f"2026-03-02T09:00:{i % 60:02d}.{i:06d}Z INFO [model] line {i}" for i in range(start, stop)
    ]


# ----- overlap -----------------------------------------------------------------------------------


def test_growth_adds_exactly_the_new_lines() -> None:
    delta = overlap(numbered(0, 100), numbered(0, 130))
    assert list(delta.added) == numbered(100, 130)
    assert not delta.restarted and delta.cut == 0


def test_head_cut_by_the_size_cap_while_growing_loses_and_repeats_nothing() -> None:
    delta = overlap(numbered(0, 100), numbered(40, 160))
    assert list(delta.added) == numbered(100, 160)
    assert not delta.restarted and delta.cut == 40


def test_a_restart_begins_the_log_again_and_says_so() -> None:
    restarted = ["2026-03-02T10:00:00.000000Z INFO [startup] Starting custom model server"]
    restarted += numbered(0, 3)  # even lines that look like the old log's head
    delta = overlap(numbered(0, 100), restarted)
    assert delta.restarted and list(delta.added) == restarted and delta.cut == 100


def test_an_identical_snapshot_adds_nothing() -> None:
    delta = overlap(numbered(0, 50), numbered(0, 50))
    assert list(delta.added) == [] and not delta.restarted and delta.cut == 0


def test_an_empty_log() -> None:
    assert overlap([], []) == Delta([])
    assert list(overlap([], numbered(0, 3)).added) == numbered(0, 3)
    emptied = overlap(numbered(0, 3), [])
    assert emptied.restarted and list(emptied.added) == [] and emptied.cut == 3


def test_a_snapshot_that_shrank_because_its_head_was_cut_adds_nothing() -> None:
    delta = overlap(numbered(0, 100), numbered(70, 100))
    assert list(delta.added) == [] and not delta.restarted and delta.cut == 70


def test_repeated_lines_take_the_longest_overlap() -> None:
    # A traceback repeated in every error: identical lines must not fool the anchor.
    block = ["ERROR boom", "Traceback (most recent call last):", "  File x", "KeyError: 'a'"]
    previous = block * 5
    current = block * 4 + ["INFO after"]
    delta = overlap(previous, current)
    assert list(delta.added) == ["INFO after"] and delta.cut == 4


def test_many_identical_candidates_fall_back_to_the_linear_search() -> None:
    previous = ["same"] * 500 + ["tail"]
    current = ["same"] * 300 + ["tail", "new"]
    assert list(overlap(previous, current).added) == ["new"]
    previous = ["same"] * 500
    current = ["same"] * 300 + ["new"]
    delta = overlap(previous, current)
    assert list(delta.added) == ["new"] and delta.cut == 200


@pytest.mark.parametrize("cut", [0, 1, 17, 99])
@pytest.mark.parametrize("grow", [0, 1, 25])
def test_following_any_cut_and_growth_reconstructs_the_log(cut: int, grow: int) -> None:
    shown = numbered(0, 100)
    delta = overlap(shown, numbered(cut, 100 + grow))
    assert shown + list(delta.added) == numbered(0, 100 + grow)


# ----- parsing -----------------------------------------------------------------------------------


def test_a_traceback_belongs_to_its_error_line() -> None:
    parser = LineParser()
    lines = parser.parse(
        [
            "2026-03-02T09:00:01.000000Z ERROR   [model] Failed to score batch",
            "Traceback (most recent call last):",
            '  File "/opt/code/custom.py", line 42, in score',
            "KeyError: 'tenure_days'",
            "2026-03-02T09:00:02.000000Z INFO    [uwsgi] GET /health/ 200 3ms",
        ]
    )
    assert [line.level for line in lines] == [ERROR, ERROR, ERROR, ERROR, INFO]
    assert len({line.record for line in lines[:4]}) == 1 and lines[4].record != lines[0].record
    assert lines[0].stamp_len == len("2026-03-02T09:00:01.000000Z ")
    assert lines[3].stamp == lines[0].stamp


def test_a_traceback_split_by_a_poll_stays_with_its_error() -> None:
    parser = LineParser()
    first = parser.parse(["2026-03-02T09:00:01Z ERROR boom", "Traceback (most recent call last):"])
    second = parser.parse(["  File x", "ValueError: no"])
    assert {line.record for line in first + second} == {first[0].record}


def test_json_lines_show_level_and_message_first_and_keep_the_original() -> None:
    raw = json.dumps(
        {
            "timestamp": "2026-03-02T09:00:01.5Z",
            "level": "WARNING",
            "logger": "uwsgi",
            "message": "Slow request",
            "exc_info": "Traceback (most recent call last):\n  File x\nKeyError: 'a'",
        }
    )
    line = LineParser().line(raw)
    assert line.text.startswith("2026-03-02T09:00:01.5Z WARN  Slow request")
    assert "logger=uwsgi" in line.text and "KeyError: 'a' (+2 lines" in line.text
    assert line.level == WARNING and line.raw == raw and line.stamp is not None
    assert line.text[line.stamp_len :].startswith("WARN")
    assert '"message": "Slow request"' in line.pretty() and line.pretty().count("\n") >= 5


def test_every_line_is_sanitised() -> None:
    line = LineParser().line("2026-03-02T09:00:01Z INFO \x1b]52;c;ZXZpbA==\x07hi \x1b[31mred\x9b2J")
    assert "\x1b" not in line.text and "\x07" not in line.text and "\x9b" not in line.text
    assert line.text.endswith("hi red")


# ----- buffer, merge, filters ---------------------------------------------------------------------


def test_the_ring_buffer_drops_the_oldest_and_counts_them() -> None:
    buffer = LogBuffer(capacity=10)
    parser = LineParser()
    assert buffer.extend(parser.parse(numbered(0, 8))) == 0
    assert buffer.extend(parser.parse(numbered(8, 25))) == 15
    assert len(buffer) == 10 and buffer.dropped == 15 and buffer.end == 25
    assert buffer.at(24).text.endswith("line 24") and buffer.at(15).text.endswith("line 15")


def test_merge_orders_records_by_time_and_keeps_tracebacks_whole() -> None:
    a, b = LineParser(source=0), LineParser(source=1)
    shown = a.parse(
        [
            "2026-03-02T09:00:01Z INFO a1",
            "2026-03-02T09:00:03Z ERROR a3",
            "Traceback (most recent call last):",
            "2026-03-02T09:00:05Z INFO a5",
        ]
    )
    incoming = b.parse(["2026-03-02T09:00:02Z INFO b2", "2026-03-02T09:00:04Z INFO b4"])
    start, tail = merge_records(shown, incoming)
    merged = shown[:start] + tail
    assert [line.text.split()[-1] for line in merged] == [
        "a1",
        "b2",
        "a3",
        "last):",
        "b4",
        "a5",
    ]
    later = b.parse(["2026-03-02T09:00:09Z INFO b9"])
    assert merge_records(merged, later) == (len(merged), later)


def test_filter_keeps_whole_records_with_context_and_separators() -> None:
    parser = LineParser()
    buffer = LogBuffer()
    buffer.extend(parser.parse(numbered(0, 30)))
    pattern, _ = compile_pattern(r"line (5|20)$")
    view = FilteredView(LineFilter(pattern, context=2))
    view.rebuild(buffer)
    assert view.rows == [3, 4, 5, 6, 7, SEPARATOR, 18, 19, 20, 21, 22]
    hide = LineFilter.parse("!line [0-9]*[02468]$")[0]
    view = FilteredView(hide)
    view.rebuild(buffer)
    assert view.rows == list(range(1, 30, 2))


def test_filter_follows_appends_incrementally() -> None:
    parser = LineParser()
    buffer = LogBuffer(capacity=50)
    level_view = FilteredView(LineFilter(min_level=ERROR, context=1))
    buffer.extend(parser.parse(["2026-03-02T09:00:00Z INFO a", "2026-03-02T09:00:01Z ERROR b"]))
    level_view.rebuild(buffer)
    assert level_view.rows == [0, 1]
    start = buffer.end
    buffer.extend(
        parser.parse(["  File tb", "2026-03-02T09:00:02Z INFO c", "2026-03-02T09:00:03Z INFO d"])
    )
    level_view.changed_from(buffer, start)
    assert level_view.rows == [0, 1, 2, 3], "the traceback joins its error, context after it"
    fresh = FilteredView(level_view.filter)
    fresh.rebuild(buffer)
    assert fresh.rows == level_view.rows


def test_with_context_clips_to_the_buffer() -> None:
    assert with_context([0, 9], 3, end=10) == [0, 1, 2, 3, SEPARATOR, 6, 7, 8, 9]
    assert with_context([1, 3], 1, end=10) == [0, 1, 2, 3, 4]


def test_an_invalid_expression_is_one_sentence_not_an_exception() -> None:
    pattern, error = compile_pattern("([a-")
    assert (
        pattern is None and error.startswith("Invalid regular expression") and error.endswith(".")
    )
    flt, error = LineFilter.parse("!(")
    assert not flt.active and error
    assert compile_pattern("Error")[0] is not None and compile_pattern("error")[0].flags & 2  # type: ignore[union-attr]


# ----- a snapshot's text ----------------------------------------------------------------------------


def test_a_log_over_the_limit_keeps_its_newest_whole_lines() -> None:
    text = "".join(line + "\n" for line in numbered(0, 1000))
    kept = log_tail(text, 10_000)
    assert len(kept) <= 10_000 and text.endswith(kept)
    assert kept.splitlines() == numbered(1000 - len(kept.splitlines()), 1000), "whole lines"
    assert log_tail(text, len(text)) == text
    one = "x" * 50 + "\n"
    assert log_tail(one, 10) == "x" * 9 + "\n", "a line longer than the limit: its end"


def test_clean_log_sanitises_the_tail_and_keeps_the_newest_line() -> None:
    lines = [f"2026-03-02T09:00:00Z INFO \x1b[31mline {i}\x1b[0m" for i in range(30_000)]
    text = "\n".join(lines) + "\n"
    assert len(text) > 1_000_000
    kept = clean_log(text).splitlines()
    assert kept[-1] == "2026-03-02T09:00:00Z INFO line 29999" and "\x1b" not in "".join(kept)
    assert len(kept) == 30_000


def test_a_head_cut_inside_a_line_is_not_a_restart() -> None:
    previous = numbered(0, 100)
    current = [previous[39][-12:], *numbered(40, 160)]  # the server cut line 39 in two
    delta = overlap(previous, current)
    assert list(delta.added) == numbered(100, 160) and not delta.restarted
    unrelated = ["banner", *numbered(0, 3)]  # a restart is still one
    assert overlap(numbered(0, 100), unrelated).restarted


def strings(value: object) -> list[str]:
    """Every string a JSON value holds (keys too), decoded."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [*strings(k), *strings(v)]]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def test_escaped_controls_in_json_lines_cannot_come_back_to_life() -> None:
    """A JSON line's ``"\\u001b[31m"`` is printable text, but `jq -r` on the saved file (or
    `enter`'s pretty JSON) would turn it into a live escape: it is shown and saved as ``␛``."""
    raw = (
        r'{"level": "error", "message": "\u001b[31mred\u001B]0;retitled\u0007 \u009b2J\u202e",'
        r' "path": "C:\\u001b", "tb": "line 1\nline 2\tx"}'
    )
    line = LineParser().line(raw)
    for shown in (line.original, line.pretty()):  # what a save writes, what enter shows
        decoded = "".join(strings(json.loads(shown)))  # what jq -r prints
        assert not any(ch in decoded for ch in "\x1b\x07\x9b\u202e"), shown
    message = json.loads(line.original)["message"]
    assert message == "␛[31mred␛]0;retitled␇ \ufffd2J\ufffd", "said, not dropped"
    assert json.loads(line.original)["path"] == "C:\\u001b", "an escaped backslash is text"
    assert json.loads(line.original)["tb"] == "line 1\nline 2\tx", "breaks and tabs stay"
    assert "\x1b" not in line.text and "red" in line.text and line.level == ERROR
    plain = "2026-03-02T09:00:01Z INFO printed \\u001b literally"
    assert LineParser().line(plain).original == plain, "only JSON lines are read as JSON"
    array = r'["\u001b[2J"]'
    assert LineParser().line(array).original == '["␛[2J"]'


def test_every_invisible_escape_in_a_json_line_becomes_a_picture_and_nothing_else() -> None:
    import json

    from drtui.core.log_lines import neutralise_json_escapes

    hostile = (
        '{"msg": "a\\u061cb\\u2060c\\ufeffd\\u00ade\\udb40\\udc41f\\u001b[31m", '
        '"ok": "\\u00e9t\\u00e9 \\ud83d\\ude00 \\u0041 \\\\u001b"}'
    )
    shown = neutralise_json_escapes(hostile)
    decoded = json.loads(shown)
    assert decoded["msg"] == "a\ufffdb\ufffdc\ufffdd\ufffde\ufffdf\u241b[31m"
    assert decoded["ok"] == "été 😀 A \\u001b"  # visible ones and an escaped backslash kept
