"""Realistic custom-model server log lines: timestamps, levels, the odd multi-line traceback."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from drtui.emulator.clock import iso

_INFO = (
    "Prediction request served in {ms} ms (rows={rows})",
    "GET /health/ 200 {ms}ms",
    "POST /predictions/ 200 {ms}ms",
    "Loaded model artifact in {ms} ms",
    "Worker {worker} ready",
    "Autoscaler: replicas={replicas}",
)
_WARNING = (
    "Slow prediction request: {ms} ms (rows={rows})",
    "Input column 'promo_code' has {rows} unexpected nulls",
    "Memory usage at {pct}% of the container limit",
)
_ERROR = (
    "POST /predictions/ 500 {ms}ms",
    "Failed to score batch of {rows} rows",
)
_TRACEBACK = (
    "Traceback (most recent call last):\n"
    '  File "/opt/code/custom.py", line 42, in score\n'
    "    features = preprocess(data)\n"
    '  File "/opt/code/custom.py", line 17, in preprocess\n'
    '    data["tenure_months"] = data["tenure_days"] // 30\n'
    "KeyError: 'tenure_days'"
)


def log_line(rng: random.Random, at: datetime) -> str:
    """One log entry at `at`; an ERROR sometimes carries a traceback on the following lines."""
    roll = rng.random()
    templates: tuple[str, ...]
    if roll < 0.85:
        level, templates = "INFO", _INFO
    elif roll < 0.96:
        level, templates = "WARNING", _WARNING
    else:
        level, templates = "ERROR", _ERROR
    number = rng.random()
    text = rng.choice(templates).format(
        ms=3 + int(number * 2400),
        rows=1 + int(number * 7919) % 5000,
        worker=1 + int(number * 8),
        replicas=1 + int(number * 6),
        pct=70 + int(number * 29),
    )
    line = f"{iso(at)} {level:<7} [uwsgi] {text}"
    if level == "ERROR" and rng.random() < 0.5:
        line += "\n" + _TRACEBACK
    return line


def initial_log(seed: int, deployment_id: str, until: datetime) -> list[str]:
    """The log a custom model deployment already had when the world began (same every time)."""
    rng = random.Random(f"log:{seed}:{deployment_id}")
    count = rng.randint(15, 40)
    at = until - timedelta(minutes=count * 3)
    lines = [
        f"{iso(at)} INFO    [startup] Starting custom model server (deployment {deployment_id})"
    ]
    for _ in range(count):
        at += timedelta(seconds=rng.uniform(10, 300))
        lines.append(log_line(rng, min(at, until)))
    return lines
