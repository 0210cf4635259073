"""The list path's slim reading (models/slim.py) against the full pydantic models.

The slim reading must give the very rows, JSON records and page accounting the full models give,
for real records and for damaged ones (unknown enums, nulls, missing fields, wrong types, records
that are not objects, bodies that are not JSON): the lenient guarantees are the models', so the
two readings are compared, not re-specified.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from drtui.api.client import DataRobotClient
from drtui.api.errors import BadResponseError
from drtui.api.models import Deployment
from drtui.api.models.slim import read_page
from drtui.api.models.slim_records import SlimDeployment, SlimPage, SlimPageError
from drtui.api.retry import NO_RETRY
from drtui.cli.records import record
from drtui.core.detail import sections
from drtui.core.fleet import Fleet, diff
from drtui.core.rows import row_from_deployment, row_from_slim
from tests.reliability.fuzzing import bodies, unsafe_characters
from tests.reliability.test_fuzz import FUZZ, samples

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def _both(body: bytes) -> tuple[Any, Any]:
    """(full page or error, slim page or error) for one body, through the real client."""

    async def run() -> tuple[Any, Any]:
        transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
        async with DataRobotClient(
            "https://dr.example/api/v2", "t", retry=NO_RETRY, transport=transport
        ) as client:
            out: list[Any] = []
            for call in (client.list_deployments, client.list_deployment_records):
                try:
                    out.append(await call())
                except BadResponseError as error:
                    out.append(error)
            return out[0], out[1]

    return asyncio.run(run())


def _assert_same(body: bytes) -> None:
    full, slim = _both(body)
    if isinstance(full, BadResponseError) or isinstance(slim, BadResponseError):
        assert type(full) is type(slim), (full, slim, body[:300])
        assert str(full) == str(slim)
        return
    assert (slim.total_count, slim.next, slim.skipped) == (
        full.total_count,
        full.next,
        full.skipped,
    )
    assert len(slim.data) == len(full.data)
    for thin, model in zip(slim.data, full.data, strict=True):
        row, expected = row_from_slim(thin), row_from_deployment(model)
        assert row == expected
        assert record(row, "https://dr.example") == record(expected, "https://dr.example")
        assert row.source == model
        for text in [row.label, row.tags, row.owner, *row.health]:
            assert not unsafe_characters(text)


def _page(*records: Any, **envelope: Any) -> bytes:
    return json.dumps(
        {"count": len(records), "totalCount": 9, **envelope, "data": records}
    ).encode()


def test_real_records_read_the_same() -> None:
    _assert_same(json.dumps(samples()["deployments"]).encode())


@FUZZ
@given(data=st.data())
def test_damaged_pages_read_the_same_or_are_refused_the_same(data: st.DataObject) -> None:
    _assert_same(data.draw(bodies(samples()["deployments"])))


ODD_VALUES: list[Any] = [
    None,
    True,
    0,
    -3,
    2.5,
    "",
    "x",
    "not_started",
    "\x1b]0;title\x07label",
    "2026-11-23",
    "2026-11-23T10:00:00+02:00",
    "2026-11-23 10:00",
    1_700_000_000,
    [],
    [None, "3", 4.0, -2, "x", True],
    {},
    {"status": "not_started", "message": 7},
]


@pytest.mark.parametrize(
    "key",
    [
        "id",
        "label",
        "description",
        "status",
        "importance",
        "createdAt",
        "model",
        "predictionEnvironment",
        "serviceHealth",
        "modelHealth",
        "accuracyHealth",
        "tags",
        "owners",
        "predictionUsage",
    ],
)
def test_any_value_of_a_read_field_reads_as_the_models_read_it(key: str) -> None:
    base = samples()["deployments"]["data"][0]
    records = [{**base, key: value} for value in ODD_VALUES]
    nested = {
        "model": ["targetType", "deployedAt"],
        "predictionEnvironment": ["platform"],
        "predictionUsage": ["dailyRates", "lastTimestamp"],
        "owners": ["count", "preview"],
        "serviceHealth": ["status", "message"],
    }
    for inner in nested.get(key, []):
        records += [{**base, key: {**base[key], inner: value}} for value in ODD_VALUES]
    _assert_same(_page(*records, "not a record", 5, None))


def test_a_body_that_is_not_a_page_is_refused() -> None:
    for body, not_json in [
        (b"", True),
        (b"{", True),
        (b'{"data": []} x', True),
        (b"\xff\xfe", True),
        (b"[]", False),
        (b'{"count": 1}', False),
        (b'{"data": {}}', False),
        (b'{"data": [], "data": 3}', False),
    ]:
        with pytest.raises(SlimPageError) as caught:
            read_page(body)
        assert caught.value.not_json is not_json, body


def test_unusual_but_valid_json_reads_as_json_loads_reads_it() -> None:
    record_ = {"id": "a", "label": "A"}
    for body in [
        b'\xef\xbb\xbf{"data": [{"id": "a", "label": "A"}]}',  # a UTF-8 byte order mark
        b'  {"data": 3, "data" : [ {"id":"a","label":"A"} ] }  ',
        json.dumps({"data": [record_]}).encode("utf-16"),
        b'{"data": [{"id": "a", "label": "A", "x": NaN}], "count": 1}',
        b'{"data": [{"id": "a", "label": "A", "deep": ' + b"[" * 400 + b"]" * 400 + b"}]}",
    ]:
        page = read_page(body)
        assert [(d.id, d.label) for d in page.data] == [("a", "A")], body[:60]
        assert page.data[0].full.id == "a"
        assert json.loads(page.data[0].text)["id"] == "a"


def test_every_key_read_is_a_field_of_the_models() -> None:
    """One source of truth for the names: the slim reading reads the models' aliases."""
    import inspect
    import re

    from drtui.api.models import slim_general

    source = inspect.getsource(slim_general.slim_deployment)
    keys = set(re.findall(r'get\("(\w+)"\)', source))
    aliases: set[str] = set()
    models: list[type[Any]] = [Deployment, *_nested(Deployment)]
    for model in models:
        aliases |= {f.alias or name for name, f in model.model_fields.items()}
    assert keys and keys <= aliases, keys - aliases


def _nested(model: type[Any]) -> list[type[Any]]:
    from pydantic import BaseModel

    found: list[type[Any]] = []
    for annotation in (f.annotation for f in model.model_fields.values()):
        for candidate in _types_in(annotation):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                found += [candidate, *_nested(candidate)]
    return found


def _types_in(annotation: Any) -> list[Any]:
    args = getattr(annotation, "__args__", None) or getattr(annotation, "__metadata__", None)
    out = [annotation]
    for arg in args or ():
        out += _types_in(arg)
    return out


def test_an_unchanged_record_keeps_its_row_and_a_changed_one_is_read_again() -> None:
    base = samples()["deployments"]["data"]
    first = read_page(_page(*base)).data
    fleet = Fleet.from_deployments(first)
    again = Fleet.from_deployments(read_page(_page(*base)).data, previous=fleet)
    assert all(again.rows[key] is row for key, row in fleet.rows.items())
    assert diff(fleet, again).is_empty
    # A field no column shows still marks the deployment changed (the detail pane shows it).
    moved = [{**base[0], "model": {**base[0]["model"], "projectName": "elsewhere"}}, *base[1:]]
    later = Fleet.from_deployments(read_page(_page(*moved)).data, previous=again)
    changes = diff(again, later)
    assert changes.changed == {row_from_slim(first[0]).id}
    assert later.rows[row_from_slim(first[0]).id].source.model.project_name == "elsewhere"  # type: ignore[union-attr]


def test_the_detail_pane_reads_the_full_record_of_a_slim_row() -> None:
    thin = read_page(json.dumps(samples()["deployments"]).encode()).data[0]
    assert isinstance(thin, SlimDeployment)
    row = row_from_slim(thin)
    titles = [title for title, _ in sections(row.source, NOW)]
    assert titles[0] == "Deployment" and len(titles) > 3


def test_the_list_commands_import_no_model_they_do_not_use() -> None:
    """`drtui deployments`/`check` start fast: no Textual, no emulator, no httpx CLI (rich), no
    pydantic deployment or resource model (the slim reading needs none)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from drtui.cli import skip_httpx_cli\n"
        "skip_httpx_cli()\n"
        "import drtui.cli.dispatch, drtui.cli.fleet, drtui.cli.check, drtui.api.client\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    unwanted = (
        "textual",
        "rich",
        "click",
        "drtui.emulator",
        "drtui.ui",
        "drtui.api.models.deployment",
        "drtui.api.models.resources",
        "drtui.api.models.page",
        "drtui.api.jobs",
        "drtui.api.download",
    )
    assert [m for m in loaded if m.startswith(unwanted)] == []


def _general_reading(body: bytes) -> list[SlimDeployment]:
    """The page read without msgspec: the standard library's scanner and `slim_deployment`."""
    from drtui.api.models import slim_general

    _, records, _ = slim_general.walk(body.decode("utf-8"))
    assert records is not None
    return [
        slim_general.slim_deployment(item, text) for item, text in records if type(item) is dict
    ]


def _fields(record: SlimDeployment) -> dict[str, Any]:
    return {name: getattr(record, name) for name in SlimDeployment.__slots__}


def test_msgspec_reads_a_usual_page_as_the_general_reading_does() -> None:
    """The fast reading (msgspec, only the read fields) is the one a usual page takes, and it
    gives the very records the general reading gives, texts included."""
    from drtui.api.models import slim_fast
    from drtui.emulator.config import EmulatorConfig
    from drtui.emulator.state import EmulatorState

    state = EmulatorState(EmulatorConfig(deployments=300, seed=3, clock="manual"))
    emulated = [state.deployments[i].doc for i in state.live_ids]
    for body in [
        json.dumps(samples()["deployments"]).encode(),
        _page(*emulated),
        json.dumps({"data": emulated[:50]}, separators=(",", ":"), ensure_ascii=False).encode(),
    ]:
        fast: SlimPage[SlimDeployment] | None = slim_fast.fast_page(body)
        assert fast is not None, body[:80]
        assert [_fields(r) for r in fast.data] == [_fields(r) for r in _general_reading(body)]


def test_an_unusual_record_is_read_the_lenient_way_and_sinks_nothing() -> None:
    from drtui.api.models import slim_fast

    base = samples()["deployments"]["data"][0]
    odd = {**base, "label": 7, "tags": [{"name": "a", "value": 1}, "not a tag"]}
    body = _page(base, odd, "not a record", {**base, "owners": {"count": 2.0}})
    fast: SlimPage[SlimDeployment] | None = slim_fast.fast_page(body)
    assert fast is not None
    assert [_fields(r) for r in fast.data] == [_fields(r) for r in _general_reading(body)]
    assert fast.data[1].label == "7" and fast.data[1].tags == (("a", "1"),)


def test_every_key_msgspec_reads_is_a_field_of_the_models() -> None:
    import msgspec

    from drtui.api.models import slim_fast

    aliases: set[str] = set()
    models: list[type[Any]] = [Deployment, *_nested(Deployment)]
    for model in models:
        aliases |= {f.alias or name for name, f in model.model_fields.items()}
    structs: list[type[msgspec.Struct]] = [slim_fast._Record, slim_fast._Model]
    structs += [slim_fast._Environment, slim_fast._Health, slim_fast._Tag, slim_fast._Owners]
    structs += [slim_fast._Owner, slim_fast._Usage]
    keys = {f.encode_name for s in structs for f in msgspec.structs.fields(s)}
    assert keys <= aliases, keys - aliases


def _listing(records: list[dict[str, Any]], known: Any = None) -> list[Any]:
    """Every record of a listing through the real client (one page), `known` passed on."""

    def answer(request: httpx.Request) -> httpx.Response:
        first = request.url.params.get("offset", "0") == "0"
        chunk = records if first else []
        body = {"count": len(chunk), "totalCount": len(records), "data": chunk}
        return httpx.Response(200, content=json.dumps(body).encode())

    async def run() -> list[Any]:
        async with DataRobotClient(
            "https://dr.example/api/v2", "t", retry=NO_RETRY, transport=httpx.MockTransport(answer)
        ) as client:
            if known is None:
                return list(await client.list_all_deployment_records())
            return await client.list_all_deployment_records(known=known)

    return asyncio.run(run())


def test_a_poll_reads_only_the_records_whose_text_changed_and_keeps_the_rest_as_rows() -> None:
    base = samples()["deployments"]["data"]
    docs = [{**base[i % len(base)], "id": f"d{i:03d}", "label": f"dep {i:03d}"} for i in range(6)]
    first = Fleet.from_deployments(_listing(docs))
    moved = [*docs[:2], {**docs[2], "label": "renamed"}, *docs[3:]]
    answer = _listing(moved, known=first.known_texts())
    # Unchanged records come back as the very rows of the last poll, in the server's order; the
    # changed one is read afresh.
    kinds = [type(item).__name__ for item in answer]
    assert kinds == ["Row", "Row", "SlimDeployment", "Row", "Row", "Row"]
    assert [item.id for item in answer] == [f"d{i:03d}" for i in range(6)]
    assert answer[0] is first.rows["d000"]
    later = Fleet.from_deployments(answer, previous=first)
    fresh = Fleet.from_deployments(_listing(moved), previous=first)
    assert list(later.rows) == list(fresh.rows)
    assert later.rows == fresh.rows
    assert diff(first, later).changed == diff(first, fresh).changed == {"d002"}
    assert later.rows["d002"].label == "renamed"


def test_known_texts_are_honoured_by_the_general_reading_too() -> None:
    base = samples()["deployments"]["data"][0]
    odd = {**base, "id": "odd", "label": "odd"}
    # A NaN is JSON msgspec refuses: the whole body is read the standard library's way.
    body = (
        b'{"nan": NaN, "count": 2, "data": ['
        + json.dumps(base).encode()
        + b", "
        + json.dumps(odd).encode()
        + b"]}"
    )
    plain = read_page(body).data
    assert [d.label for d in plain] == [base["label"], "odd"]
    held = object()
    again = read_page(body, {plain[0].text: held}).data
    assert again[0] is held
    assert isinstance(again[1], SlimDeployment) and again[1].label == "odd"
