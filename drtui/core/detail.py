"""Every field of a deployment, grouped and sanitised, for the detail pane.

Kept out of the widget so a unit test can check that nothing of DeploymentRetrieveResponse is
left out, and so `drtui deployments --json`'s human twin could reuse it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from drtui.core.formatting import age, compact_number, sparkline, timestamp
from drtui.core.health import DIMENSION_TITLES, DIMENSIONS, look
from drtui.core.sanitize import clean

if TYPE_CHECKING:
    from drtui.api.models import Deployment, HealthSummary, Owner

Field = tuple[str, str]
Section = tuple[str, list[Field]]


def _text(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return timestamp(value)
    return clean(value, limit=1000) or "—"


def _pair(name: object, identity: object) -> str:
    """`name [id]`, or whichever of the two the server sent, or `—` (never `— [—]`)."""
    shown = [_text(name) if name is not None else "", f"[{_text(identity)}]" if identity else ""]
    return " ".join(p for p in shown if p) or "—"


def _secret(value: str | None) -> str:
    """A key shown only as being set, like the token: never its characters."""
    return "—" if not value else "•••••••• (hidden)"


def _health(summary: HealthSummary | None) -> list[Field]:
    if summary is None:
        return [("status", "—")]
    shown = look(summary.status)
    return [
        ("status", f"{shown.glyph} {clean(summary.status, limit=40) or 'unknown'}"),
        ("message", _text(summary.message)),
        (
            "period",
            f"{_text(summary.start_date)} → {_text(summary.end_date)}"
            if summary.start_date or summary.end_date
            else "—",
        ),
    ]


def sections(deployment: Deployment, now: datetime) -> list[Section]:
    """The detail pane's content, top to bottom."""
    d = deployment
    out: list[Section] = [
        (
            "Deployment",
            [
                ("label", _text(d.label)),
                ("id", _text(d.id)),
                ("description", _text(d.description)),
                ("status", _text(d.status)),
                ("importance", _text(d.importance)),
                ("has error", _text(d.has_error)),
                ("created at", _text(d.created_at)),
                ("user-provided id", _text(d.user_provided_id)),
            ],
        ),
    ]
    healths = (d.service_health, d.model_health, d.accuracy_health)
    for dimension, summary in zip(DIMENSIONS, healths, strict=True):
        out.append((f"{DIMENSION_TITLES[dimension]} health", _health(summary)))
    # Newer servers report more dimensions; shown when sent, not tracked by the table.
    for title, summary in (
        ("Fairness health", d.fairness_health),
        ("Custom metrics health", d.custom_metrics_health),
        ("Actuals timeliness health", d.actuals_timeliness_health),
        ("Predictions timeliness health", d.predictions_timeliness_health),
    ):
        if summary is not None:
            out.append((title, _health(summary)))
    out += [
        ("Model", _model(d)),
        (
            "Model package",
            [
                ("id", _text(d.model_package.id if d.model_package else None)),
                ("name", _text(d.model_package.name if d.model_package else None)),
                (
                    "registered model",
                    _text(d.model_package.registered_model_id if d.model_package else None),
                ),
                (
                    "first downloaded",
                    _text(
                        d.model_package_initial_download.timestamp
                        if d.model_package_initial_download
                        else None
                    ),
                ),
                (
                    "scoring code first downloaded",
                    _text(
                        d.scoring_code_initial_download.timestamp
                        if d.scoring_code_initial_download
                        else None
                    ),
                ),
            ],
        ),
        ("Prediction environment", _environment(d)),
        (
            "Governance",
            [
                ("approval status", _text(d.approval_status)),
                (
                    "governance approval",
                    _text(d.governance.approval_status if d.governance else None),
                ),
                (
                    "open change requests",
                    _text(d.governance.has_opened_change_requests if d.governance else None),
                ),
                (
                    "change request ids",
                    ", ".join(clean(c, limit=100) for c in d.opened_change_requests) or "—",
                ),
            ],
        ),
        ("Owners", _owners(d)),
        ("Permissions", [("granted", ", ".join(clean(p, limit=80) for p in d.permissions) or "—")]),
        ("Settings", _settings(d)),
        (
            "Tags",
            [(clean(t.name, limit=50) or "—", _text(t.value)) for t in d.tags] or [("tags", "—")],
        ),
        ("Usage", _usage(d, now)),
        (
            "Default prediction server",
            [
                (
                    "id",
                    _text(d.default_prediction_server.id if d.default_prediction_server else None),
                ),
                (
                    "url",
                    _text(d.default_prediction_server.url if d.default_prediction_server else None),
                ),
                (
                    "datarobot-key",
                    _secret(
                        d.default_prediction_server.datarobot_key
                        if d.default_prediction_server
                        else None
                    ),
                ),
            ],
        ),
    ]
    extra = _extra(d.model_extra or {})
    if extra:
        out.append(("Other fields from the server", extra))
    return out


def _model(d: Deployment) -> list[Field]:
    m = d.model
    if m is None:
        return [("model", "—")]
    fields = [
        ("type", _text(m.type)),
        (
            "target",
            f"{_text(m.target_name)} ({_text(m.target_type)})"
            if m.target_type
            else _text(m.target_name),
        ),
        ("id", _text(m.id)),
        ("project", _pair(m.project_name, m.project_id)),
        ("deployed at", _text(m.deployed_at)),
        ("build environment", _text(m.build_environment_type)),
        ("deprecated", _text(m.is_deprecated)),
        ("unstructured", _text(m.unstructured_model_kind)),
        (
            "unsupervised",
            _text(m.unsupervised_mode)
            + (f" ({_text(m.unsupervised_type)})" if m.unsupervised_mode else ""),
        ),
    ]
    image = m.custom_model_image
    if image is not None:
        fields += [
            ("custom model", _pair(image.custom_model_name, image.custom_model_id)),
            (
                "custom model version",
                _pair(image.custom_model_version_label, image.custom_model_version_id),
            ),
            (
                "execution environment",
                _pair(image.execution_environment_name, image.execution_environment_id),
            ),
            (
                "environment version",
                _pair(
                    image.execution_environment_version_label,
                    image.execution_environment_version_id,
                ),
            ),
        ]
    return fields


def _environment(d: Deployment) -> list[Field]:
    e = d.prediction_environment
    if e is None:
        return [("environment", "—")]
    return [
        ("name", _text(e.name)),
        ("id", _text(e.id)),
        ("platform", _text(e.platform)),
        ("plugin", _text(e.plugin)),
        ("management agent", _text(e.is_managed_by_management_agent)),
        ("model formats", ", ".join(clean(f, limit=40) for f in e.supported_model_formats) or "—"),
    ]


def _person(person: Owner) -> str:
    name = " ".join(clean(p, limit=60) for p in (person.first_name, person.last_name) if p)
    return f"{name or '—'} <{_text(person.email)}> [{_text(person.id)}]"


def _owners(d: Deployment) -> list[Field]:
    o = d.owners
    if o is None:
        return [("owners", "—")] + ([("created by", _person(d.creator))] if d.creator else [])
    fields: list[Field] = [("count", _text(o.count))]
    if d.creator is not None:
        fields.append(("created by", _person(d.creator)))
    fields += [("owner", _person(owner)) for owner in o.preview]
    return fields


def _settings(d: Deployment) -> list[Field]:
    s = d.settings
    if s is None:
        return [("settings", "—")]
    return [
        ("batch monitoring", _text(s.batch_monitoring_enabled)),
        ("humble AI", _text(s.humble_ai_enabled)),
        ("prediction intervals", _text(s.prediction_intervals_enabled)),
        ("prediction warning", _text(s.prediction_warning_enabled)),
    ]


def _usage(d: Deployment, now: datetime) -> list[Field]:
    u = d.prediction_usage
    if u is None:
        return [("usage", "—")]
    rates = [max(0, r) for r in u.daily_rates]
    return [
        (
            "last 7 days",
            f"{sparkline(rates)}  {' '.join(compact_number(r) for r in rates)}" if rates else "—",
        ),
        ("total", compact_number(sum(rates))),
        ("last prediction", f"{age(u.last_timestamp, now)} ({_text(u.last_timestamp)})"),
    ]


def _extra(extra: dict[str, object]) -> list[Field]:
    """Fields newer servers send (fairnessHealth, capabilities...): shown, flattened, bounded."""
    return [(clean(key, limit=60), clean(_flat(value), limit=300)) for key, value in extra.items()]


def _flat(value: object) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}={_flat(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_flat(v) for v in value)
    return str(value)


def web_url(endpoint: str, deployment_id: str) -> str:
    """The deployment's page in the DataRobot web UI, on the same host as the API endpoint."""
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}/deployments/{deployment_id}/overview"
