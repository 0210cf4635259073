"""Custom model server log records: a pure function of (seed, deployment, run, record number).

Nothing here is stored: `livelog` decides how many records a deployment's current run has at a
given instant, and this module writes record `n` of run `k` the same way every time. Records are
plain lines (`<ISO timestamp> <LEVEL> [source] text`, an ERROR sometimes followed by a multi-line
Python traceback) or, for a share of them, one JSON object per line with `timestamp`, `level`,
`logger` and `message` (and `exc_info` for a traceback), the way structured loggers write.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from drtui.emulator.clock import iso

BANNER_RECORDS = 4
"""Each run of the server begins with this many startup records (record 0 names the run)."""

_INFO = (
    "Prediction request served in {ms} ms (rows={rows})",
    "GET /health/ 200 {ms}ms",
    "POST /predictions/ 200 {ms}ms",
    "POST /predictionsUnstructured/ 200 {ms}ms",
    "Autoscaler: replicas={replicas}",
    "Cache hit ratio {pct}% over the last minute",
)
_DEBUG = (
    "Preprocessed {rows} rows in {ms} ms",
    "Feature vector built: {rows} columns",
    "Tokenizer warm, batch size {replicas}",
)
_WARNING = (
    "Slow prediction request: {ms} ms (rows={rows})",
    "Input column 'promo_code' has {rows} unexpected nulls",
    "Memory usage at {pct}% of the container limit",
    "Request queue depth {replicas} exceeds the soft limit",
)
_ERROR = (
    "POST /predictions/ 500 {ms}ms",
    "Failed to score batch of {rows} rows",
    "Upstream feature store timed out after {ms} ms",
)
_TRACEBACKS = (
    "Traceback (most recent call last):\n"
    '  File "/opt/code/custom.py", line 42, in score\n'
    "    features = preprocess(data)\n"
    '  File "/opt/code/custom.py", line 17, in preprocess\n'
    '    data["tenure_months"] = data["tenure_days"] // 30\n'
    "KeyError: 'tenure_days'",
    "Traceback (most recent call last):\n"
    '  File "/opt/venv/lib/python3.11/site-packages/datarobot_drum/drum/server.py", line 118, '
    "in predict\n"
    "    result = self._predictor.predict(data)\n"
    '  File "/opt/code/custom.py", line 61, in score\n'
    "    return model.predict_proba(frame)[:, 1]\n"
    "ValueError: X has 41 features, but the model is expecting 42 features as input.",
    "Traceback (most recent call last):\n"
    '  File "/opt/code/custom.py", line 88, in load_model\n'
    "    client.connect(timeout=5)\n"
    "TimeoutError: timed out",
)
_BANNER = (
    "Starting custom model server (deployment {deployment}, run {run})",
    "Loading model artifact from /opt/code ({ms} ms)",
    "Using {replicas} workers, DRUM server listening on 0.0.0.0:8080",
    "Model ready to serve predictions",
)


_MASK = (1 << 64) - 1
_UNIT = 1.0 / (1 << 53)


def _mix(value: int) -> int:
    """splitmix64's finaliser: a fast, well-spread 64-bit hash (no Random object per record)."""
    value = (value + 0x9E3779B97F4A7C15) & _MASK
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & _MASK
    return value ^ (value >> 31)


def _draws(base: int, run: int, number: int) -> tuple[float, float, float, float, float]:
    """Five uniforms in [0, 1) for record `number` of run `run` (12-bit slices of one hash)."""
    bits = _mix(_mix(base ^ (run << 40) ^ number))
    return (
        (bits & 0xFFF) / 4096,
        ((bits >> 12) & 0xFFF) / 4096,
        ((bits >> 24) & 0xFFF) / 4096,
        ((bits >> 36) & 0xFFF) / 4096,
        ((bits >> 48) & 0xFFF) / 4096,
    )


def log_seed(seed: int, deployment_id: str) -> int:
    """A stable integer per (world seed, deployment): record draws derive from it cheaply."""
    digest = hashlib.blake2b(f"log:{seed}:{deployment_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def record_jitter(base: int, run: int, number: int) -> float:
    """How far (0..0.8 of a slot) record `number` is stamped before the slot it appears in."""
    return 0.0 if number == 0 else (_mix(base ^ (run << 40) ^ number) >> 11) * _UNIT * 0.8


def _pick(options: tuple[str, ...], draw: float) -> str:
    return options[int(draw * len(options))]


def log_record(
    base: int,
    deployment_id: str,
    run: int,
    number: int,
    at: datetime,
    json_share: float,
    error_share: float,
) -> str:
    """Record `number` of run `run`, stamped `at`; may span several lines (a traceback)."""
    value, level_draw, template_draw, extra_draw, format_draw = _draws(base, run, number)
    values = {
        "ms": 3 + int(value * 2400),
        "rows": 1 + int(value * 7919) % 5000,
        "replicas": 1 + int(value * 8),
        "pct": 60 + int(value * 39),
        "deployment": deployment_id,
        "run": run + 1,
    }
    traceback: str | None = None
    if number < BANNER_RECORDS:
        level, source, text = "INFO", "startup", _BANNER[number].format(**values)
    else:
        templates: tuple[str, ...]
        if level_draw < error_share:
            level, templates = "ERROR", _ERROR
        elif level_draw < error_share + 0.09:
            level, templates = "WARNING", _WARNING
        elif level_draw < error_share + 0.17:
            level, templates = "DEBUG", _DEBUG
        else:
            level, templates = "INFO", _INFO
        source = "uwsgi" if extra_draw < 0.5 else "model"
        text = _pick(templates, template_draw).format(**values)
        if level == "ERROR" and extra_draw < 0.5:
            traceback = _pick(_TRACEBACKS, value)
    stamp = iso(at)
    if format_draw < json_share:
        line = (
            f'{{"timestamp": "{stamp}", "level": "{level}", "logger": "{source}", '
            f'"message": {json.dumps(text)}'
        )
        return line + (f', "exc_info": {json.dumps(traceback)}}}' if traceback else "}")
    line = f"{stamp} {level:<7} [{source}] {text}"
    return line if traceback is None else f"{line}\n{traceback}"
