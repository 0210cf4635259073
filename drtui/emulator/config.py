"""How an emulator is set up: fleet size and seed, tokens, job duration, clock mode and chaos.

`ChaosSettings` travels as camelCase JSON over the control API (`PUT /_emulator/chaos`), so the
conversion lives next to the dataclass; named profiles back `--chaos PROFILE`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal

ClockMode = Literal["wall", "manual"]


class ChaosError(ValueError):
    """A chaos setting or profile that cannot be used; the message names the culprit."""


@dataclass(frozen=True, slots=True)
class ChaosSettings:
    """Faults injected into API requests (never into `/_emulator/` control requests).

    Rates are probabilities in 0..1 drawn per request from a seeded generator. `times` limits the
    faults to the next N matching requests so a test can provoke exactly one failure.
    """

    error_rate: float = 0.0
    error_status: int = 500
    rate_limit_rate: float = 0.0
    retry_after: int = 1
    latency_ms: int = 0
    spike_rate: float = 0.0
    spike_ms: int = 0
    drop_rate: float = 0.0
    drop_download_after_bytes: int | None = None
    malformed_rate: float = 0.0
    outage: bool = False
    times: int | None = None
    paths: tuple[str, ...] = ("/api/v2/",)

    @classmethod
    def from_json(cls, data: Any) -> ChaosSettings:
        """Build from the control API's camelCase JSON, rejecting unknown keys and bad values."""
        if not isinstance(data, dict):
            raise ChaosError("chaos settings must be a JSON object")
        by_camel = {_camel(f.name): f.name for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            name = by_camel.get(key)
            if name is None:
                raise ChaosError(f"unknown chaos setting {key!r}")
            kwargs[name] = _coerce(name, key, value)
        return cls(**kwargs)

    def to_json(self) -> dict[str, Any]:
        """The camelCase JSON form, as accepted by `from_json`."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[_camel(f.name)] = list(value) if isinstance(value, tuple) else value
        return out


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


_RATES = {"error_rate", "rate_limit_rate", "spike_rate", "drop_rate", "malformed_rate"}
_COUNTS = {"error_status", "retry_after", "latency_ms", "spike_ms"}
_OPTIONAL_COUNTS = {"drop_download_after_bytes", "times"}


def _coerce(name: str, key: str, value: Any) -> Any:
    if name in _RATES:
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise ChaosError(f"{key} must be a number between 0 and 1")
        return float(value)
    if name in _COUNTS or name in _OPTIONAL_COUNTS:
        if value is None and name in _OPTIONAL_COUNTS:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ChaosError(f"{key} must be a non-negative integer")
        if name == "error_status" and not 500 <= value <= 599:
            raise ChaosError(f"{key} must be a 5xx status")
        return value
    if name == "outage":
        if not isinstance(value, bool):
            raise ChaosError(f"{key} must be true or false")
        return value
    if not isinstance(value, list) or not all(isinstance(p, str) and p for p in value):
        raise ChaosError(f"{key} must be a list of path prefixes")
    return tuple(value)


CHAOS_PROFILES: dict[str, ChaosSettings] = {
    "flaky": ChaosSettings(error_rate=0.05, rate_limit_rate=0.05),
    "slow": ChaosSettings(latency_ms=300, spike_rate=0.1, spike_ms=2000),
    "outage": ChaosSettings(outage=True),
    "mixed": ChaosSettings(
        error_rate=0.03,
        rate_limit_rate=0.03,
        latency_ms=50,
        spike_rate=0.05,
        spike_ms=1500,
        drop_rate=0.02,
        malformed_rate=0.01,
    ),
}


def chaos_profile(name: str) -> ChaosSettings:
    """The named profile behind `--chaos NAME`."""
    try:
        return CHAOS_PROFILES[name]
    except KeyError:
        known = ", ".join(sorted(CHAOS_PROFILES))
        raise ChaosError(f"unknown chaos profile {name!r} (known: {known})") from None


DEMO_FIRST_ALERT_SECONDS = 12.0
"""`drtui demo` and `drtui emulator`: the first health change comes this soon after starting."""
DEMO_HISTORY_HOURS = 24.0
"""`drtui demo`: a day of evolution already behind the screen (strips and replay have data)."""


@dataclass(frozen=True, slots=True)
class EmulatorConfig:
    """Everything that determines an emulator's world; equal configs give equal fleets.

    Tokens are kept out of the repr so a logged config never leaks them.
    """

    deployments: int = 200
    seed: int = 42
    user_token: str = field(default="demo-user-token", repr=False)
    admin_token: str = field(default="demo-admin-token", repr=False)
    chaos: ChaosSettings | None = None
    image_size: int = 4 * 1024 * 1024
    job_seconds: float = 2.0
    clock: ClockMode = "wall"
    log_rate: float = 0.5
    """Records per second each running custom model deployment adds to its log."""
    log_max_bytes: int = 1_000_000
    """The size cap of a served log; older lines are cut from the head."""
    history_hours: float = 0.0
    """Begin the world this many hours early and play them at once (minute by minute, health
    transitions recorded), so the first screen already has a history to show."""
    first_alert_seconds: float | None = None
    """If set, one deployment's service health degrades this many simulated seconds after the
    start, or after the `history_hours` played at start (so a demo shows an alert at once); the
    normal minute-by-minute evolution goes on."""

    def with_changes(self, **changes: Any) -> EmulatorConfig:
        """A copy with some fields replaced (handy for tests and the command line)."""
        return replace(self, **changes)
