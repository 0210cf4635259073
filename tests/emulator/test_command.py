"""`python -m drtui.emulator`: prints how to connect, serves, and stops cleanly on Ctrl+C."""

from __future__ import annotations

import argparse
import re
import signal
import socket
import subprocess
import sys

import httpx
import pytest

from drtui.emulator.command import add_arguments, config_from_args, is_loopback, serve
from drtui.emulator.config import DEMO_FIRST_ALERT_SECONDS, EmulatorConfig, chaos_profile


def test_arguments_build_the_config() -> None:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args(
        [
            "--token",
            "T",
            "--admin-token",
            "T2",
            "--deployments",
            "50",
            "--seed",
            "9",
            "--chaos",
            "slow",
            "--image-size",
            "1024",
        ]
    )
    config = config_from_args(args)
    assert (config.deployments, config.seed, config.image_size) == (50, 9, 1024)
    assert (config.user_token, config.admin_token) == ("T", "T2")
    assert config.chaos == chaos_profile("slow")
    assert (args.host, args.port) == ("127.0.0.1", 8080)
    assert "T2" not in repr(config)


def test_module_serves_until_interrupted() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "drtui.emulator", "--port", "0", "--deployments", "30",
         "--token", "cli-token"],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        lines = []
        for line in process.stdout:
            lines.append(line)
            if line.startswith("Press Ctrl+C"):
                break
        output = "".join(lines)
        endpoint = re.search(r"endpoint:\s+(\S+)", output)
        assert endpoint is not None
        assert "cli-token" in output and "demo-admin-token" in output
        assert "curl -H 'Authorization: Bearer cli-token'" in output
        response = httpx.get(
            endpoint.group(1) + "/deployments/", headers={"Authorization": "Bearer cli-token"}
        )
        assert response.json()["totalCount"] == 30
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(list(argv))


def test_log_flags_and_their_limits() -> None:
    config = config_from_args(_parse("--log-rate", "4", "--log-max-bytes", "20000"))
    assert (config.log_rate, config.log_max_bytes) == (4.0, 20000)
    defaults = config_from_args(_parse())
    assert (defaults.log_rate, defaults.log_max_bytes) == (0.5, 1_000_000)
    assert defaults.first_alert_seconds == DEMO_FIRST_ALERT_SECONDS
    for argv, flag in (
        (("--log-rate", "-1"), "--log-rate"),
        (("--log-max-bytes", "10"), "--log-max-bytes"),
        (("--port", "70000"), "--port"),
    ):
        with pytest.raises(ValueError, match=flag):
            config_from_args(_parse(*argv))


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "drtui.emulator", "--deployments", "3", *argv],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_port_in_use_or_out_of_range_is_one_line_not_a_traceback() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        busy = _run("--port", str(port))
    assert busy.returncode == 1
    assert busy.stderr.strip().count("\n") == 0
    assert f"cannot listen on 127.0.0.1:{port}" in busy.stderr
    assert "in use" in busy.stderr.lower()
    assert "Traceback" not in busy.stderr + busy.stdout
    invalid = _run("--port", "99999")
    assert invalid.returncode == 3
    assert "Traceback" not in invalid.stderr
    assert invalid.stderr == "emulator: --port must be between 0 and 65535, not 99999\n"


def test_listening_beyond_loopback_warns_that_the_tokens_are_public(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("example.com")
    # An address this host does not have fails to bind, after the warning.
    assert serve(EmulatorConfig(deployments=1), "192.0.2.1", 0) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2
    assert err[0].startswith("warning: listening on 192.0.2.1, not loopback")
    assert "tokens" in err[0]
    assert err[1].startswith("emulator: cannot listen on 192.0.2.1:0:")
    assert serve(EmulatorConfig(deployments=1), "127.0.0.1", 99999) == 1
    assert "warning" not in capsys.readouterr().err


def test_history_flag() -> None:
    assert config_from_args(_parse("--history", "24")).history_hours == 24.0
    assert config_from_args(_parse()).history_hours == 0.0
    with pytest.raises(ValueError, match="--history"):
        config_from_args(_parse("--history", "-2"))
