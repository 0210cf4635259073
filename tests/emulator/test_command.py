"""`python -m drtui.emulator`: prints how to connect, serves, and stops cleanly on Ctrl+C."""

from __future__ import annotations

import argparse
import re
import signal
import subprocess
import sys

import httpx

from drtui.emulator.command import add_arguments, config_from_args
from drtui.emulator.config import chaos_profile


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
