"""A hostile or broken server cannot hurt the user (issue 14).

Each test reproduces one attack found with a hostile stand-in for the API: crafted JSON, escape
sequences, lying envelopes, absurd headers, trickling connections. In-process attacks use a
scripted transport; what needs real sockets or the console script uses `HostileServer`.
"""

from __future__ import annotations

import asyncio
import errno
import hashlib
import json
import os
import re
import subprocess
import sys
import zlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from drtui.api import download, errors
from drtui.api.client import DataRobotClient
from drtui.api.models import PPSImageMetadata
from drtui.api.retry import RetryPolicy
from drtui.core.export import neutralise
from drtui.core.sanitize import clean, clean_lines, is_invisible, safe_filename
from tests.cli.runner import USER_TOKEN, run_drtui
from tests.reliability.hostile_server import HostileServer, Reply, gzip_bomb

ENDPOINT = "https://dr.example.test/api/v2"
TOKEN = "tok-SECRET-4242-abcdef"
HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x9b31m\x07\x1bP+q\x1b\\boom\x85"
"""OSC retitle + BEL, clear screen, a C1 CSI, DCS, NEL: what must never reach a terminal."""
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Any control character but tab and newline (which the output's own layout uses)."""
NO_WAIT = RetryPolicy(max_attempts=2, base_delay=0.0, max_delay=0.0, jitter=0.0)

Handler = Callable[[httpx.Request], httpx.Response]


def assert_inert(text: str) -> None:
    assert not UNSAFE.search(text), f"control characters reached the output: {text!r}"
    assert TOKEN not in text and USER_TOKEN not in text


@pytest.fixture
async def make() -> AsyncIterator[Callable[..., DataRobotClient]]:
    made: list[DataRobotClient] = []

    def factory(handler: Handler, **options: Any) -> DataRobotClient:
        options.setdefault("retry", NO_WAIT)
        client = DataRobotClient(
            ENDPOINT, options.pop("token", TOKEN), transport=httpx.MockTransport(handler), **options
        )
        made.append(client)
        return client

    yield factory
    for client in made:
        await client.aclose()


def counting(body: Callable[[httpx.Request], Any]) -> tuple[Handler, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=body(request))

    return handler, seen


def _offset(request: httpx.Request) -> int:
    return int(request.url.params.get("offset", 0))


# -- 1. a server-supplied file name stays inside the chosen folder ----------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../x", "x"),
        ("/abs/path/image.tar.gz", "image.tar.gz"),
        ("..\\..\\win.tar.gz", "win.tar.gz"),
        ("..", "pps-image.tar.gz"),
        (".bashrc", "bashrc"),
        ("a\x1b]0;t\x07b\nc.tar.gz", "ab_c.tar.gz"),
        ("", "pps-image.tar.gz"),
        (None, "pps-image.tar.gz"),
    ],
)
def test_a_server_file_name_is_reduced_to_a_safe_base_name(name: Any, expected: str) -> None:
    assert safe_filename(name, default="pps-image.tar.gz") == expected


IMAGE = b"pps image bytes " * 4096


def pps_server(meta: dict[str, Any], *, image: bytes = IMAGE) -> Callable[..., Reply]:
    def route(method: str, path: str, query: dict[str, str]) -> Reply:
        if path.endswith("/portablePredictionServerImage/metadata/"):
            return Reply(body=meta)
        if path.endswith("/portablePredictionServerImage/"):
            return Reply(body=image, headers={"Content-Type": "application/gzip"})
        return Reply(404, {"message": "no"})

    return route


def _meta(filename: str, **extra: Any) -> dict[str, Any]:
    meta = {
        "filename": filename,
        "imageSize": len(IMAGE),
        "hash": hashlib.sha256(IMAGE).hexdigest(),
        "hashAlgorithm": "SHA256",
    }
    meta.update(extra)
    return meta


@pytest.mark.parametrize("name", ["../escaped.tar.gz", "/ABS/escaped.tar.gz"])
def test_download_cannot_leave_the_chosen_folder(tmp_path: Path, name: str) -> None:
    if name.startswith("/ABS"):
        name = str(tmp_path / "elsewhere" / "escaped.tar.gz")
        (tmp_path / "elsewhere").mkdir()
    folder = tmp_path / "into"
    folder.mkdir()
    with HostileServer(pps_server(_meta(name))) as server:
        result = run_drtui("pps", "--download", f"{folder}/", endpoint=server.endpoint)
    assert result.returncode == 0, result.stderr
    assert (folder / "escaped.tar.gz").read_bytes() == IMAGE
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["escaped.tar.gz"]


def test_download_never_overwrites_an_existing_file_unasked(tmp_path: Path) -> None:
    existing = tmp_path / "image.tar.gz"
    existing.write_bytes(b"precious")
    with HostileServer(pps_server(_meta("image.tar.gz"))) as server:
        refused = run_drtui("pps", "--download", f"{tmp_path}/", endpoint=server.endpoint)
        assert existing.read_bytes() == b"precious"
        asked = run_drtui(
            "pps", "--download", f"{tmp_path}/", "--overwrite", endpoint=server.endpoint
        )
    assert refused.returncode == 3
    assert refused.stderr.strip() == (
        f"drtui: {existing} already exists; it was not overwritten "
        "(pass --overwrite to replace it)."
    )
    assert asked.returncode == 0, asked.stderr
    assert existing.read_bytes() == IMAGE


# -- 3. every server string is sanitised, on every path ---------------------------------------


async def test_error_bodies_and_headers_reach_no_one_raw(
    make: Callable[..., DataRobotClient],
) -> None:
    """Message, field errors and request id, for each status family: clean at construction."""
    caught: list[errors.DataRobotError] = []
    for status in (400, 401, 403, 404, 418, 422, 429, 500, 503):

        def handler(request: httpx.Request, status: int = status) -> httpx.Response:
            return httpx.Response(
                status,
                json={"message": HOSTILE + " CAN_VIEW", "errors": {HOSTILE: [HOSTILE, HOSTILE]}},
                headers={b"X-DataRobot-Request-ID": HOSTILE.encode("latin-1")},
            )

        with pytest.raises(errors.DataRobotError) as raised:
            await make(handler).get_deployment("d1")
        caught.append(raised.value)
    for error in caught:
        strings = [str(error), error.message, error.server_message or "", error.request_id or ""]
        strings += [f"{k}{v}" for k, v in getattr(error, "field_errors", {}).items()]
        for text in strings:
            assert_inert(text)
    assert any("boom" in str(e) for e in caught)


async def test_logs_redirects_and_links_are_sanitised(
    make: Callable[..., DataRobotClient],
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if "/logs/" in request.url.path:
            return httpx.Response(
                200,
                text=f"line one {HOSTILE}\nline two\n",
                headers={
                    b"Content-Disposition": f'attachment; filename="../{HOSTILE}.log"'.encode(
                        "latin-1"
                    )
                },
            )
        if request.url.path.endswith("/deployments/d2/"):
            return httpx.Response(302, headers={"Location": "https://evil.test/next"})
        if request.url.path.endswith("/deployments/d1/"):
            return httpx.Response(
                302, headers={b"Location": f"https://evil.test/{HOSTILE}".encode("latin-1")}
            )
        return httpx.Response(
            200,
            json={"count": 1, "data": [{"id": "a"}], "next": f"{ENDPOINT}/x/?o=1{HOSTILE}"},
        )

    client = make(handler)
    log = await client.get_custom_model_deployment_log("d1")
    assert log.text.startswith("line one boom\n") and log.text.endswith("\nline two\n")
    assert_inert(log.text)
    assert log.filename is not None and "/" not in log.filename
    assert_inert(log.filename)
    with pytest.raises(errors.BadResponseError) as redirected:
        await client.get_deployment("d1")
    assert_inert(str(redirected.value))
    assert "redirected the API call GET /deployments/d1/ to an address" in str(redirected.value)
    # Low: a 302 on an API call names the redirect, not "not valid JSON".
    with pytest.raises(errors.BadResponseError) as plain:
        await client.get_deployment("d2")
    assert str(plain.value) == (
        "dr.example.test redirected the API call GET /deployments/d2/ (302) to "
        "https://evil.test/next; it was not followed."
    )
    # Low: a next link with a control character is one sentence, not a traceback.
    with pytest.raises(errors.BadResponseError) as bad_link:
        await client.list_all_deleted_deployments()
    assert "next-page link that is not a valid URL" in str(bad_link.value)


def hostile_fleet(method: str, path: str, query: dict[str, str]) -> Reply:
    """Every deployment string hostile; errors everywhere else; a C1 request id header."""
    if path.endswith("/deployments/"):
        record = {
            "id": "d1",
            "label": f'=HYPERLINK("http://x"){HOSTILE}',
            "serviceHealth": {"status": "failing"},
            "importance": "HIGH",
            "tags": [{"name": "\t=1+1", "value": HOSTILE}],
            "owners": {"count": 1, "preview": [{"email": f"@evil{HOSTILE}"}]},
        }
        return Reply(body={"count": 1, "totalCount": 1, "next": None, "data": [record]})
    return Reply(
        503,
        {"message": HOSTILE, "errors": {"f": HOSTILE}},
        headers={"X-DataRobot-Request-ID": "rid\x9b31m"},
    )


def test_the_cli_prints_nothing_raw(tmp_path: Path) -> None:
    """A sweep of what `check`, `deployments` and `pps` print, against hostile values."""
    meta = {
        "filename": f"{HOSTILE}.tar.gz",
        "hashAlgorithm": HOSTILE,
        "hash": HOSTILE,
        "dockerImageId": HOSTILE,
        "imageSize": 10,
    }

    def route(method: str, path: str, query: dict[str, str]) -> Reply:
        if "portablePredictionServerImage" in path:
            return pps_server(meta)(method, path, query)
        return hostile_fleet(method, path, query)

    with HostileServer(route) as server:
        results = [
            run_drtui("check", endpoint=server.endpoint),
            run_drtui("deployments", endpoint=server.endpoint),
            run_drtui("deployments", "--csv", endpoint=server.endpoint),
            run_drtui("pps", endpoint=server.endpoint),
            run_drtui("pps", "--download", f"{tmp_path}/", endpoint=server.endpoint),
        ]
    with HostileServer(lambda m, p, q: hostile_fleet(m, "/other", q)) as failing:
        results.append(run_drtui("check", endpoint=failing.endpoint))
        results.append(run_drtui("pps", endpoint=failing.endpoint))
    for result in results:
        assert_inert(result.stdout)
        assert_inert(result.stderr)
        assert "Traceback" not in result.stderr
    assert results[0].returncode == 2
    assert results[4].returncode == 3  # nothing verifiable: not downloaded
    assert results[-2].returncode == 3 and "boom" in results[-2].stderr


@pytest.mark.parametrize(
    "invisible",
    ["\u061c", "\u2060", "\ufeff", "\u00ad", "\u2064", "\u206a", "\U000e0041", "\U0001d173"],
    ids=lambda c: f"U+{ord(c):04X}",
)
def test_invisible_format_characters_are_stripped(invisible: str) -> None:
    assert clean(f"pay{invisible}roll") == "payroll"
    assert clean_lines(f"one{invisible}\ntwo") == "one\ntwo"
    assert clean(f"nb\u00a0sp {invisible}") == "nb\u00a0sp"  # a no-break space is no trick


def test_is_invisible_agrees_with_clean_for_escape_readers() -> None:
    invisible = ["\x1b", "\x9b", "\x07", "\u061c", "\u2060", "\ufeff", "\u202e", "\U000e0041"]
    assert all(is_invisible(c) for c in invisible)
    assert not any(is_invisible(c) for c in ["a", " ", "\u00a0", "é", "👍", "\t"])


def test_a_label_with_format_characters_prints_without_them() -> None:
    label = "Fraud\u2060 Model\u061c\ufeff (prod)"

    def route(method: str, path: str, query: dict[str, str]) -> Reply:
        record = {"id": "d1", "label": label, "serviceHealth": {"status": "failing"}}
        return Reply(body={"count": 1, "totalCount": 1, "next": None, "data": [record]})

    with HostileServer(route) as server:
        result = run_drtui("check", "--health", "service", endpoint=server.endpoint)
    assert result.returncode == 2
    assert "Fraud Model (prod) (d1)" in result.stdout


# -- 4. paging is bounded by construction -----------------------------------------------------


async def test_a_lying_total_count_is_refused_not_obeyed(
    make: Callable[..., DataRobotClient],
) -> None:
    handler, seen = counting(
        lambda r: {"count": 1, "totalCount": 1_000_000_000, "data": [{"id": f"d{_offset(r)}"}]}
    )
    with pytest.raises(errors.BadResponseError) as caught:
        await make(handler).list_all_deployments()
    assert "claims 1,000,000,000 records" in str(caught.value)
    assert len(seen) == 1


async def test_an_empty_page_claiming_many_records_is_refused(
    make: Callable[..., DataRobotClient],
) -> None:
    handler, seen = counting(lambda r: {"count": 1, "totalCount": 100_000, "data": []})
    with pytest.raises(errors.BadResponseError):
        await make(handler).list_all_deployments()
    assert len(seen) == 1


async def test_a_first_page_holding_everything_ends_the_listing(
    make: Callable[..., DataRobotClient],
) -> None:
    """A server that ignores `limit` but tells the truth costs one request, not a hundred."""
    fleet = [{"id": f"d{i}"} for i in range(1000)]
    handler, seen = counting(lambda r: {"count": 1000, "totalCount": 1000, "data": fleet})
    deployments = await make(handler).list_all_deployments()
    assert len(deployments) == 1000
    assert len(seen) == 1


async def test_a_server_ignoring_limit_and_offset_is_a_bad_response(
    make: Callable[..., DataRobotClient],
) -> None:
    fleet = [{"id": f"d{i}"} for i in range(300)]
    handler, seen = counting(lambda r: {"count": 300, "totalCount": 1000, "data": fleet})
    with pytest.raises(errors.BadResponseError) as caught:
        await make(handler).list_all_deployments()
    assert "300 records on a page of at most 100" in str(caught.value)
    assert len(seen) == 1


async def test_a_server_ignoring_offset_repeats_pages_and_is_stopped(
    make: Callable[..., DataRobotClient],
) -> None:
    page = [{"id": f"d{i}"} for i in range(100)]
    handler, seen = counting(lambda r: {"count": 100, "totalCount": 5000, "data": page})
    with pytest.raises(errors.BadResponseError) as caught:
        await make(handler).list_all_deployments(concurrency=4)
    assert "repeats records" in str(caught.value)
    assert len(seen) <= 1 + 4


async def test_page_tasks_are_made_lazily_and_a_short_page_ends_the_listing(
    make: Callable[..., DataRobotClient],
) -> None:
    """The first page claims 2,000 records; the list has shrunk to 150 since."""
    in_flight = {"now": 0, "peak": 0}

    async def handler(request: httpx.Request) -> httpx.Response:
        in_flight["now"] += 1
        in_flight["peak"] = max(in_flight["peak"], in_flight["now"])
        await asyncio.sleep(0)
        in_flight["now"] -= 1
        offset = _offset(request)
        data = [{"id": f"d{i}"} for i in range(offset, min(offset + 100, 150))]
        return httpx.Response(200, json={"count": len(data), "totalCount": 2000, "data": data})

    seen: list[int] = []

    async def recording(request: httpx.Request) -> httpx.Response:
        seen.append(_offset(request))
        return await handler(request)

    client = DataRobotClient(
        ENDPOINT, TOKEN, transport=httpx.MockTransport(recording), retry=NO_WAIT
    )
    async with client:
        deployments = await client.list_all_deployments(concurrency=3)
    assert [d.id for d in deployments] == [f"d{i}" for i in range(150)]
    assert len(seen) <= 1 + 3  # not the 20 the claim asked for
    assert in_flight["peak"] <= 3


async def test_the_ceilings_are_configurable_and_named(
    make: Callable[..., DataRobotClient],
) -> None:
    handler, _ = counting(
        lambda r: {
            "count": 10,
            "totalCount": 60,
            "data": [{"id": f"d{_offset(r) + i}"} for i in range(10)],
        }
    )
    with pytest.raises(errors.BadResponseError) as caught:
        await make(handler, max_records=50).list_all_deployments()
    assert "more than the 50 drtui reads in one listing" in str(caught.value)
    with pytest.raises(errors.BadResponseError) as pages:
        await make(handler, max_pages=3).list_all_deployments()
    assert "would take 6 pages, more than the 3" in str(pages.value)
    assert len(await make(handler).list_all_deployments()) == 60


async def test_endless_next_links_stop_at_the_page_ceiling(
    make: Callable[..., DataRobotClient],
) -> None:
    def body(request: httpx.Request) -> dict[str, Any]:
        n = _offset(request)
        return {
            "count": 1,
            "data": [{"id": f"d{n}"}],
            "next": f"{ENDPOINT}/deletedDeployments/?offset={n + 1}",
        }

    handler, seen = counting(body)
    with pytest.raises(errors.BadResponseError):
        await make(handler, max_pages=20).list_all_deleted_deployments()
    assert len(seen) == 21


# -- 5. a list answer without a list is a bad response, not an empty fleet --------------------


@pytest.mark.parametrize("body", [{}, {"error": "Session expired"}, {"data": None}])
async def test_a_list_without_data_is_a_bad_response(
    make: Callable[..., DataRobotClient], body: dict[str, Any]
) -> None:
    with pytest.raises(errors.BadResponseError):
        await make(lambda r: httpx.Response(200, json=body)).list_all_deployments()


def test_check_does_not_fail_open_on_an_empty_envelope() -> None:
    with HostileServer(lambda m, p, q: Reply(body={"error": "Session expired"})) as server:
        result = run_drtui("check", endpoint=server.endpoint)
    assert result.returncode == 3
    assert "OK" not in result.stdout
    assert "does not have the documented shape" in result.stderr


# -- 6. one deadline for a whole listing, however slowly bytes trickle -----------------------


async def test_a_trickling_server_meets_the_deadline() -> None:
    """One byte every 50 ms stays under a 5 s read timeout forever; the deadline ends it."""
    with HostileServer(lambda m, p, q: Reply(body=b"", trickle=0.05)) as server:
        async with DataRobotClient(
            server.endpoint, TOKEN, timeout=5.0, retry=NO_WAIT, deadline=0.5
        ) as client:
            with pytest.raises(errors.DeadlineExceeded) as caught:
                await client.list_all_deployments()
            with pytest.raises(errors.RequestTimeout):  # the family a caller already handles
                await client.list_all_bundles(deadline=0.3)
    assert str(caught.value) == (
        f"127.0.0.1:{server.port}'s GET /deployments/ did not finish within 0.5 seconds "
        "(0 pages read); the listing was stopped."
    )


# -- 7. every body has a cap on its decoded size, enforced while it streams -------------------

PAGE_START = b'{"count": 1, "totalCount": 1, "next": null, "data": [{"id": "d1", "label": "'


def _page_then(reply: Reply) -> Callable[..., Reply]:
    def route(method: str, path: str, query: dict[str, str]) -> Reply:
        return reply if path.endswith("/deployments/") else Reply(404, {"message": "no"})

    return route


@pytest.mark.parametrize(
    "reply",
    [
        Reply(body=PAGE_START, endless=b"x" * 65536),
        Reply(body=gzip_bomb(256 << 20), headers={"Content-Encoding": "gzip"}),
        Reply(body=PAGE_START, endless=b"x" * 65536, headers={"Content-Length": str(1 << 40)}),
    ],
    ids=["endless", "gzip bomb", "declared terabyte"],
)
def test_check_stops_reading_a_body_past_its_cap_in_one_sentence(reply: Reply) -> None:
    with HostileServer(_page_then(reply)) as server:
        result = run_drtui("check", "--timeout", "30", endpoint=server.endpoint)
    assert result.returncode == 3
    assert result.stderr == (
        f"drtui: 127.0.0.1:{server.port} sent more than 32 MiB in answer to GET /deployments/, "
        "more than drtui reads for it; it stopped reading.\n"
    )
    assert result.stdout == ""


async def test_an_endless_log_stops_at_the_log_cap() -> None:
    with HostileServer(lambda m, p, q: Reply(body=b"line\n", endless=b"more log\n" * 8192)) as srv:
        async with DataRobotClient(srv.endpoint, TOKEN, retry=NO_WAIT) as client:
            with pytest.raises(errors.ResponseTooLarge, match="more than 16 MiB in answer to GET"):
                await client.get_custom_model_deployment_log("c1")
    assert len(srv.requests) == 1  # too large is not worth asking again


async def test_a_gzip_bomb_in_an_error_page_is_cut_not_read_whole() -> None:
    bomb = gzip_bomb(256 << 20, fill=b"x")
    route = _page_then(Reply(500, bomb, headers={"Content-Encoding": "gzip"}))
    with HostileServer(route) as server:
        async with DataRobotClient(server.endpoint, TOKEN, retry=NO_WAIT) as client:
            with pytest.raises(errors.ServerError, match="failed with 500"):
                await client.list_all_deployment_records()


async def test_a_gzip_page_under_the_cap_is_read() -> None:
    page = {"count": 1, "totalCount": 1, "next": None, "data": [{"id": "d1", "label": "zipped"}]}
    packed = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    body = packed.compress(json.dumps(page).encode() + b" " * (8 << 20)) + packed.flush()
    with HostileServer(_page_then(Reply(body=body, headers={"Content-Encoding": "gzip"}))) as srv:
        async with DataRobotClient(srv.endpoint, TOKEN, retry=NO_WAIT) as client:
            records = await client.list_all_deployment_records()
    assert [r.label for r in records] == ["zipped"]


async def test_an_encoding_drtui_did_not_ask_for_is_refused() -> None:
    route = _page_then(Reply(body=b"\x1b\x00", headers={"Content-Encoding": "br"}))
    with HostileServer(route) as server:
        async with DataRobotClient(server.endpoint, TOKEN, retry=NO_WAIT) as client:
            with pytest.raises(errors.BadResponseError, match=r"did not ask for \(br\)"):
                await client.list_all_deployment_records()


async def test_a_connection_reset_mid_body_is_retried_then_said() -> None:
    page = json.dumps({"count": 1, "totalCount": 1, "next": None, "data": [{"id": "d1"}]})
    replies = [Reply(body=page, reset_after=20), Reply(body=page)]

    def route(method: str, path: str, query: dict[str, str]) -> Reply:
        return replies.pop(0) if replies else Reply(body=page, reset_after=20)

    with HostileServer(route) as server:
        async with DataRobotClient(server.endpoint, TOKEN, retry=NO_WAIT) as client:
            assert [r.id for r in await client.list_all_deployment_records()] == ["d1"]
            with pytest.raises(errors.ConnectionFailed, match="closed without an answer"):
                await client.list_all_deployment_records()


# -- 8. a record nested beyond any reader's recursion is left out, the rest stands -----------


def _deep_fleet(depth: int) -> Callable[..., Reply]:
    deep = "[" * depth + '"\\"]"' + "]" * depth  # a string holding a bracket, for the skipper
    bad = '{"id": "d1", "label": "deep", "serviceHealth": {"status": "failing"}, "x": ' + deep
    good = '{"id": "d2", "label": "fine", "serviceHealth": {"status": "warning"}}'
    body = f'{{"count": 2, "totalCount": 2, "next": null, "data": [{bad}}}, {good}]}}'
    return _page_then(Reply(body=body))


def test_a_record_nested_5000_levels_deep_is_left_out_with_a_warning() -> None:
    warning = "could not be read (nested too deeply) and was left out.\n"
    with HostileServer(_deep_fleet(5000)) as server:
        checked = run_drtui("check", "--health", "service", endpoint=server.endpoint)
        listed = run_drtui("deployments", endpoint=server.endpoint)
        flat = run_drtui("deployments", "--csv", endpoint=server.endpoint)
    assert checked.returncode == 1  # the other deployment, warning, was checked
    assert "fine (d2): service warning" in checked.stdout
    assert listed.returncode == 0 and [json.loads(x)["id"] for x in listed.stdout.splitlines()] == [
        "d2"
    ]
    assert flat.returncode == 0 and flat.stdout.count("\n") == 2
    for result in (checked, listed, flat):
        assert result.stderr == (
            f"drtui: warning: 1 deployment record from 127.0.0.1:{server.port} {warning}"
        )


async def test_the_dashboard_says_once_that_a_record_was_left_out() -> None:
    from drtui.ui.app import DrtuiApp
    from drtui.ui.deployments.poll import DROPPED
    from drtui.ui.settings import AppSettings
    from tests.observe import Heard, screen_of, until

    with HostileServer(_deep_fleet(5000)) as server:
        client = DataRobotClient(server.endpoint, TOKEN, retry=NO_WAIT)
        settings = AppSettings(endpoint=server.endpoint, token=TOKEN, attention_first=False)
        app = DrtuiApp(settings, client=client)
        heard = Heard()
        async with app.run_test(size=(120, 40), message_hook=heard) as pilot:
            screen = screen_of(app)
            await until(pilot, lambda: screen.refreshes >= 1, 10.0, "the first poll")
            await pilot.press("r")
            await until(pilot, lambda: screen.refreshes >= 2, 10.0, "the second poll")
            assert [r.id for r in screen.table.rows] == ["d2"]
            await pilot.pause()
            assert heard.said().count(DROPPED) == 1, "once, not once a poll"
        await client.aclose()


# -- 10. CSV cells a spreadsheet would run are neutralised ------------------------------------


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd", "'+cmd"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=evil", "'\t=evil"),
        ("\r=evil", "'\r=evil"),
        ("\uff1devil", "'\uff1devil"),
        ("fraud-model", "fraud-model"),
        (42, 42),
        (None, None),
    ],
)
def test_formula_cells_are_neutralised(cell: Any, written: Any) -> None:
    assert neutralise(cell) == written


def test_deployments_csv_writes_no_live_formula() -> None:
    with HostileServer(hostile_fleet) as server:
        result = run_drtui("deployments", "--csv", endpoint=server.endpoint)
    assert result.returncode == 0, result.stderr
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and all(
        not str(value).startswith(("=", "+", "-", "@")) for row in rows for value in row.values()
    )
    assert rows[0]["label"].startswith("'=HYPERLINK")


# -- 11. "verified" only when something was verified ------------------------------------------


@pytest.mark.parametrize(
    "extra", [{"hash": None}, {"hashAlgorithm": "MD5", "hash": hashlib.md5(IMAGE).hexdigest()}]
)
def test_an_unverifiable_image_is_not_called_verified(
    tmp_path: Path, extra: dict[str, Any]
) -> None:
    with HostileServer(pps_server(_meta("image.tar.gz", **extra))) as server:
        refused = run_drtui("pps", "--download", f"{tmp_path}/", endpoint=server.endpoint)
        assert not (tmp_path / "image.tar.gz").exists()
        unverified = run_drtui(
            "pps", "--download", f"{tmp_path}/", "--no-verify", endpoint=server.endpoint
        )
    assert refused.returncode == 3
    assert "cannot be verified" in refused.stderr and "--no-verify" in refused.stderr
    assert "verified" not in refused.stdout
    assert unverified.returncode == 0, unverified.stderr
    assert "downloaded but NOT verified" in unverified.stdout
    assert (tmp_path / "image.tar.gz").read_bytes() == IMAGE


async def test_a_redirect_from_https_to_http_is_refused(
    make: Callable[..., DataRobotClient], tmp_path: Path
) -> None:
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url))
        return httpx.Response(302, headers={"Location": "http://blobs.example.test/pps.tar.gz"})

    meta = PPSImageMetadata.model_validate(_meta("image.tar.gz"))
    with pytest.raises(errors.DownloadError) as caught:
        await make(handler).download_pps_image(tmp_path / "image.tar.gz", metadata=meta)
    assert "from https to http" in str(caught.value) and "refused" in str(caught.value)
    assert all(url.startswith("https://") for url in sent)


# -- Low: one sentence instead of a traceback -------------------------------------------------


class _Body(httpx.AsyncByteStream):
    def __init__(self, data: bytes) -> None:
        self.data = data

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self.data


async def test_a_full_disk_is_one_sentence(
    make: Callable[..., DataRobotClient], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(self: object, handle: object, chunk: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(download._PartFile, "write", full)
    meta = PPSImageMetadata.model_validate(_meta("image.tar.gz"))
    client = make(lambda r: httpx.Response(200, stream=_Body(IMAGE)))
    with pytest.raises(errors.DownloadError) as caught:
        await client.download_pps_image(tmp_path / "image.tar.gz", metadata=meta)
    assert str(caught.value) == (
        f"Could not write {tmp_path / 'image.tar.gz.part'}: no space is left on the device; "
        "run it again to resume once that is fixed."
    )


def test_check_piped_into_a_closed_reader_keeps_its_exit_code() -> None:
    """`check | head` under pipefail: exit 2 stays 2, and no traceback."""
    reader, writer = os.pipe()
    os.close(reader)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATAROBOT_")}
    with HostileServer(hostile_fleet) as server:
        env.update(DATAROBOT_ENDPOINT=server.endpoint, DATAROBOT_API_TOKEN=USER_TOKEN)
        result = subprocess.run(
            [sys.executable, "-m", "drtui", "check"],
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=60,
        )
    os.close(writer)
    assert result.stderr == ""
    assert result.returncode == 2


# -- Low: the token ---------------------------------------------------------------------------


async def test_a_token_straddling_the_cut_leaves_no_prefix(
    make: Callable[..., DataRobotClient],
) -> None:
    message = "x" * 290 + " " + TOKEN + " tail"
    client = make(lambda r: httpx.Response(500, json={"message": message}))
    with pytest.raises(errors.ServerError) as caught:
        await client.get_deployment("d1")
    for text in (str(caught.value), caught.value.server_message or ""):
        assert TOKEN[:8] not in text


async def test_a_short_token_is_scrubbed_as_a_token_not_as_letters(
    make: Callable[..., DataRobotClient],
) -> None:
    client = make(
        lambda r: httpx.Response(500, json={"message": "The job at GET failed for token T."}),
        token="T",
    )
    with pytest.raises(errors.ServerError) as caught:
        await client.get_deployment("d1")
    assert caught.value.server_message == "The job at GET failed for token [token]."


@pytest.mark.parametrize(
    ("token", "sentence"),
    [
        ("first-line\nsecond-line", "The API token is not a single line"),
        ("x" * 10_000_000, "The API token is 10,000,000 characters long"),
        ("\u201cpasted-token\u201d", "The API token contains a non-ASCII character"),
        ("tok\x1b[2Jen", "The API token contains a space or control character"),
    ],
)
async def test_an_unusable_token_is_named_before_any_request(token: str, sentence: str) -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={})

    with pytest.raises(errors.InvalidTokenError) as caught:
        DataRobotClient(ENDPOINT, token, transport=httpx.MockTransport(handler))
    assert str(caught.value).startswith(sentence)
    assert token[:12] not in str(caught.value)
    assert sent == []


async def test_a_deeply_nested_unknown_field_sinks_no_page(
    make: Callable[..., DataRobotClient],
) -> None:
    deep: Any = None
    for _ in range(300):
        deep = {"x": deep}
    body = json.dumps(
        {"count": 2, "totalCount": 2, "data": [{"id": "a", "odd": deep}, {"id": "b"}]}
    )
    client = make(lambda r: httpx.Response(200, content=body.encode()))
    assert [d.id for d in await client.list_all_deployments()] == ["a", "b"]
    bottomless = "[" * 100_000 + "]" * 100_000
    broken = make(lambda r: httpx.Response(200, content=bottomless.encode()))
    with pytest.raises(errors.BadResponseError) as caught:
        await broken.list_all_deployments()
    assert "not valid JSON" in str(caught.value)
