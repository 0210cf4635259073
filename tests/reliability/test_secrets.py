"""The token stays secret everywhere drtui writes, shows or sends something.

The emulator accepts TOKEN, a string distinctive enough that finding it anywhere is a leak.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import subprocess
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from drtui.api.client import DataRobotClient
from drtui.api.config import ConfigOverrides, resolve_config
from drtui.api.errors import (
    AuthenticationError,
    BadResponseError,
    ConnectionFailed,
    DataRobotError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    RequestTimeout,
    ServerError,
    ValidationError,
)
from drtui.api.retry import NO_RETRY
from drtui.core import sanitize
from drtui.core.sanitize import clean, clean_lines, register_secret, safe_filename
from drtui.emulator.config import ChaosSettings
from drtui.emulator.server import EmulatorServer
from drtui.settings import load
from drtui.store.debuglog import install_log_file
from drtui.ui.app import DrtuiApp
from drtui.ui.screens.events_log import EventsScreen
from drtui.ui.screens.filter_builder import FilterBuilder
from drtui.ui.screens.help import HelpScreen
from drtui.ui.screens.sort_chooser import SortChooser
from drtui.ui.settings import AppSettings
from tests.cli.runner import run_drtui
from tests.observe import screen_of, until
from tests.reliability.conftest import TOKEN
from tests.reliability.hostile_server import HostileServer, Reply
from tests.reliability.rig import header_text, set_chaos

ECHO = f"Invalid credentials: Bearer {TOKEN}"
"""A careless server (or proxy) that echoes the Authorization header into its error message."""


def _app(server: EmulatorServer, **settings: object) -> DrtuiApp:
    client = DataRobotClient(server.endpoint, TOKEN, retry=NO_RETRY, timeout=5.0)
    return DrtuiApp(
        AppSettings(endpoint=server.endpoint, token=TOKEN, **settings),  # type: ignore[arg-type]
        client=client,
    )


async def test_no_view_shows_the_token(server: EmulatorServer) -> None:
    app = _app(server, attention_first=False)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = screen_of(app)
        await until(pilot, lambda: screen.refreshes >= 1, 5.0, "the first refresh")
        views = {"deployments with detail": app.export_screenshot()}
        for key, kind in (
            ("question_mark", HelpScreen),
            ("E", EventsScreen),
            ("f", FilterBuilder),
            ("s", SortChooser),
        ):
            await pilot.press(key)
            await until(
                pilot,
                functools.partial(lambda k: isinstance(app.screen, k), kind),
                3.0,
                kind.__name__,
            )
            views[kind.__name__] = app.export_screenshot()
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is screen, 3.0, "back to the deployments")
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        views["command palette"] = app.export_screenshot()
        leaking = [name for name, svg in views.items() if TOKEN in svg]
        assert not leaking
        assert all(len(svg) > 1000 for svg in views.values())  # real screens were captured
    await app.client.aclose()


def _answer(
    status: int, body: bytes, headers: dict[str, str] | None = None
) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            status, content=body, headers={"Content-Type": "application/json", **(headers or {})}
        )

    return handler


def _fail(error: Exception) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        raise error

    return handler


def _error_body(status: int) -> bytes:
    return json.dumps({"message": ECHO, "errors": {"token": ECHO}}).encode()


CASES: dict[str, tuple[type[DataRobotError], Callable[[httpx.Request], httpx.Response]]] = {
    **{
        str(status): (kind, _answer(status, _error_body(status), {"Retry-After": "1"}))
        for status, kind in (
            (401, AuthenticationError),
            (403, PermissionDeniedError),
            (404, NotFoundError),
            (422, ValidationError),
            (429, RateLimitedError),
            (500, ServerError),
            (503, ServerError),
        )
    },
    "timeout": (RequestTimeout, _fail(httpx.ReadTimeout(ECHO))),
    "dropped": (ConnectionFailed, _fail(httpx.RemoteProtocolError(ECHO))),
    "bad JSON": (BadResponseError, _answer(200, f'{{"data": [{ECHO}'.encode())),
}


def _everything_about(error: BaseException) -> str:
    """All a log, a crash file or a careless f-string could print of an exception."""
    attributes = {name: repr(value) for name, value in vars(error).items()}
    return "\n".join(
        [
            str(error),
            repr(error),
            repr(error.args),
            repr(attributes),
            *traceback.format_exception(error),
        ]
    )


@pytest.mark.parametrize("case", list(CASES))
async def test_errors_never_carry_the_token(case: str) -> None:
    kind, handler = CASES[case]
    client = DataRobotClient(
        "https://dr.example/api/v2", TOKEN, retry=NO_RETRY, transport=httpx.MockTransport(handler)
    )
    with pytest.raises(kind) as caught:
        await client.get_deployment("abc")
    await client.aclose()
    assert TOKEN not in _everything_about(caught.value)


async def test_refused_connection_error_never_carries_the_token() -> None:
    client = DataRobotClient("http://127.0.0.1:9/api/v2", TOKEN, retry=NO_RETRY)
    with pytest.raises(ConnectionFailed) as caught:
        await client.version()
    await client.aclose()
    assert "refused" in str(caught.value) and TOKEN not in _everything_about(caught.value)


def test_reprs_never_show_the_token() -> None:
    client = DataRobotClient("https://dr.example/api/v2", TOKEN)
    config = resolve_config(
        ConfigOverrides(endpoint="https://dr.example", token=TOKEN),
        env={},
        home=Path("/nonexistent"),
        config_dir=Path("/nonexistent"),
    )
    shown = [
        repr(client),
        repr(config),
        str(config),
        repr(ConfigOverrides(endpoint="https://dr.example", token=TOKEN)),
        repr(AppSettings(endpoint="https://dr.example/api/v2", token=TOKEN)),
    ]
    assert config.token == TOKEN and not [text for text in shown if TOKEN in text]


async def test_the_debug_log_file_gets_the_refresh_traceback_redacted(
    server: EmulatorServer, tmp_path: Path
) -> None:
    """refresh.py promises 'details in the log file': the file must exist and not leak."""
    path = install_log_file([TOKEN], directory=tmp_path)
    app = _app(server)

    async def broken(*args: object, **kwargs: object) -> list[object]:
        raise LookupError(f"internal bug while sending Bearer {TOKEN}")

    app.client.list_all_deployment_records = broken  # type: ignore[method-assign,assignment]
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = screen_of(app)
            await until(pilot, lambda: screen.freshness.stale_since is not None, 5.0, "STALE")
            assert "log file" in screen.freshness.reason and TOKEN not in header_text(app)
    finally:
        for handler in logging.getLogger("drtui").handlers[:]:
            logging.getLogger("drtui").removeHandler(handler)
            handler.close()
        await app.client.aclose()
    logged = path.read_text()
    assert "LookupError" in logged and "refresh failed unexpectedly" in logged
    assert TOKEN not in logged


def test_deployments_json_output_never_shows_the_token(
    server: EmulatorServer, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATAROBOT_")}
    env.update(
        DATAROBOT_ENDPOINT=server.endpoint,
        DATAROBOT_API_TOKEN=TOKEN,
        HOME=str(tmp_path),
        XDG_CONFIG_HOME=str(tmp_path / ".config"),
    )
    done = subprocess.run(
        [sys.executable, "-m", "drtui", "deployments", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert [json.loads(line) for line in done.stdout.splitlines()]  # one record a line
    assert TOKEN not in done.stdout and TOKEN not in done.stderr


async def test_emulator_request_log_never_echoes_the_token(server: EmulatorServer) -> None:
    async with DataRobotClient(server.endpoint, TOKEN) as client:
        await client.list_deployments()
    async with httpx.AsyncClient(
        base_url=server.base_url, headers={"Authorization": f"Bearer {TOKEN}"}
    ) as control:
        answer = await control.get("/_emulator/requests")
    assert answer.status_code == 200 and "Bearer" in answer.text  # the scheme, not the token
    assert TOKEN not in answer.text


async def test_pps_download_redirect_does_not_carry_authorization(
    server: EmulatorServer, tmp_path: Path
) -> None:
    async with DataRobotClient(server.endpoint, TOKEN) as client:
        saved = await client.download_pps_image(tmp_path / "pps.tar.gz")
    assert saved.stat().st_size == server.config.image_size
    async with httpx.AsyncClient(
        base_url=server.base_url, headers={"Authorization": f"Bearer {TOKEN}"}
    ) as control:
        seen = (await control.get("/_emulator/downloads")).json()["data"]
    assert seen, "the download listener saw nothing: the redirect was not followed"
    assert not [d for d in seen if d["authorizationPresent"]]


@pytest.mark.parametrize(("mode", "warned"), [(0o644, True), (0o640, True), (0o600, False)])
def test_a_token_file_readable_by_others_is_warned_about(
    tmp_path: Path, mode: int, warned: bool
) -> None:
    config_file = tmp_path / "config.toml"
    config_file.write_text(f'endpoint = "https://dr.example"\ntoken = "{TOKEN}"\n')
    config_file.chmod(mode)
    config = load({}, env={}, home=tmp_path, config_dir=tmp_path).connection
    about = [w for w in config.warnings if "readable by other users" in w]
    assert bool(about) is warned
    assert not [w for w in config.warnings if TOKEN in w]


async def test_tls_off_warning_stays_in_the_header(server: EmulatorServer, tmp_path: Path) -> None:
    """ssl_verify false: the config's warning is in the header, fresh or stale, all along."""
    https = server.endpoint.replace("http://", "https://")  # plain http has no TLS to turn off
    config = resolve_config(
        ConfigOverrides(endpoint=https, token=TOKEN, ssl_verify=False),
        env={},
        home=tmp_path,
        config_dir=tmp_path,
    )
    warning = next(w for w in config.warnings if "TLS" in w)  # what the CLI hands the app
    app = _app(server, ssl_warning=warning, refresh_interval=0.3)
    shown = warning[:60]
    async with app.run_test(size=(200, 40)) as pilot:
        screen = screen_of(app)
        await until(pilot, lambda: screen.refreshes >= 2, 5.0, "two refreshes")
        assert shown in header_text(app)
        set_chaos(server, ChaosSettings(outage=True, retry_after=0))
        await until(pilot, lambda: screen.freshness.stale_since is not None, 3.0, "STALE")
        assert shown in header_text(app) and "STALE" in header_text(app)
        assert shown in app.export_screenshot().replace("&#160;", " ")
    await app.client.aclose()


# -- a server that echoes the token into its data -------------------------------------------


def _echoing_fleet(method: str, path: str, query: dict[str, str]) -> Reply:
    """Every string of the one deployment holds the token, as a careless server's echo would."""
    record = {
        "id": "d1",
        "label": f"echo {TOKEN} here",
        "description": TOKEN,
        "serviceHealth": {"status": "failing", "message": f"Bearer {TOKEN}"},
        "importance": "HIGH",
        "tags": [{"name": "auth", "value": TOKEN}],
        "owners": {"count": 1, "preview": [{"email": f"{TOKEN}@example.com"}]},
    }
    return Reply(body={"count": 1, "totalCount": 1, "next": None, "data": [record]})


@pytest.mark.parametrize(
    "argv",
    [
        ("deployments", "--json"),
        ("deployments", "--csv"),
        ("check",),
        ("check", "--json"),
    ],
)
def test_a_token_echoed_in_the_data_is_in_no_headless_output(argv: tuple[str, ...]) -> None:
    with HostileServer(_echoing_fleet) as hostile:
        result = run_drtui(*argv, endpoint=hostile.endpoint, token=TOKEN)
    assert result.returncode in (0, 2), result.stderr
    assert "echo [token] here" in result.stdout  # the rest of the label stays
    assert TOKEN not in result.stdout + result.stderr


def test_every_sanitiser_removes_a_registered_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sanitize, "_secrets", ())  # this test's registry; restored after it
    secret = "sanitiser-secret-0f0f0f"
    assert clean(f"a {secret} b") == f"a {secret} b"  # not yet registered
    register_secret(secret)
    assert clean(f"a {secret} b") == "a [token] b"
    assert clean(f"x\x1b[31m{secret[:5]}\x1b[0m{secret[5:]}") == "x[token]"  # split by escapes
    assert clean("y" * 1990 + secret, limit=2000) == "y" * 1990 + "[token]"  # not cut first
    assert clean_lines(f"one\n{secret}\nthree") == "one\n[token]\nthree"
    assert secret not in safe_filename(f"{secret}.log", default="x")
    register_secret("short")  # a test token, not a real one: letters are left alone
    assert clean("a short word") == "a short word"
