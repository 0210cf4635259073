"""`drtui check` always ends, and never reads "all clear" about deployments nothing is known of.

Without --timeout a check against a server that trickles one byte at a time ran forever (cron
piles them up); it now gives up after a default deadline. A fleet whose every checked health is
unknown or not available passed with exit 0 in silence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from drtui import cli
from drtui.cli import parser
from tests.reliability.hostile_server import HostileServer, Reply

TOKEN = "check-bounds-token-1138"


@pytest.fixture
def use(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Callable[[HostileServer], None]:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", f"{tmp_path}/.config")

    def point_at(server: HostileServer) -> None:
        monkeypatch.setenv("DATAROBOT_ENDPOINT", server.endpoint)
        monkeypatch.setenv("DATAROBOT_API_TOKEN", TOKEN)

    return point_at


def test_check_without_timeout_gives_up_on_a_trickling_server(
    use: Callable[[HostileServer], None],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(parser, "DEFAULT_CHECK_TIMEOUT", 1.0)  # 120 s in use; a test waits 1
    with HostileServer(lambda m, p, q: Reply(body=b"", trickle=0.05)) as server:
        use(server)
        assert cli.main(["check"]) == 3
    assert capsys.readouterr().err == (
        "drtui: 127.0.0.1 did not give the deployments within 1 seconds (--timeout).\n"
    )


def test_the_default_deadline_is_in_the_help() -> None:
    _, subs = parser.build_parser()
    assert "(default 120)" in " ".join(subs["check"].format_help().split())


def _fleet(*health: dict[str, str] | None) -> Callable[..., Reply]:
    records = [
        {"id": f"d{i}", "label": f"model {i}", **({"serviceHealth": h} if h else {})}
        for i, h in enumerate(health)
    ]
    body = {"count": len(records), "totalCount": len(records), "next": None, "data": records}
    return lambda method, path, query: Reply(body=body)


ALL_UNKNOWN = _fleet({"status": "unknown"}, {"status": "unavailable"}, None)


def test_an_all_unknown_fleet_passes_with_a_warning(
    use: Callable[[HostileServer], None], capsys: pytest.CaptureFixture[str]
) -> None:
    with HostileServer(ALL_UNKNOWN) as server:
        use(server)
        assert cli.main(["check", "--health", "service"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("OK: 0 of 3 deployments")
    assert err == (
        "drtui: warning: all 3 deployments checked had no known service health (unknown or not "
        "available), so exit 0 says nothing about them; pass --fail-if-all-unknown to exit 3.\n"
    )


def test_fail_if_all_unknown_exits_3_for_an_all_unknown_fleet_only(
    use: Callable[[HostileServer], None], capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["check", "--health", "service", "--fail-if-all-unknown"]
    with HostileServer(ALL_UNKNOWN) as server:
        use(server)
        assert cli.main(argv) == 3
    assert "nothing was judged (exit 3, --fail-if-all-unknown)" in capsys.readouterr().err
    with HostileServer(_fleet({"status": "unknown"}, {"status": "passing"})) as server:
        use(server)
        assert cli.main(argv) == 0  # one known verdict: the check said something
    assert capsys.readouterr().err == ""
