"""Run `drtui` as a user does: a separate process configured through the environment."""

from __future__ import annotations

import os
import subprocess

from tests.clock import python_command

USER_TOKEN = "cli-user-token-7f3a9c"


def run_drtui(
    *args: str,
    endpoint: str | None,
    token: str = USER_TOKEN,
    home: str | None = None,
    extra_env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`drtui ...` as a user runs it: a separate process configured through the environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATAROBOT_")}
    if endpoint is not None:
        env["DATAROBOT_ENDPOINT"] = endpoint
        env["DATAROBOT_API_TOKEN"] = token
    if home is not None:
        env["HOME"] = home
        env["XDG_CONFIG_HOME"] = os.path.join(home, ".config")
    env.update(extra_env or {})
    return subprocess.run(
        python_command(*args),
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
