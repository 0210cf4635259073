"""Whatever a server sends, drtui reads it or says it cannot, and never draws it raw.

Parsing goes through the real client (a MockTransport answers with the damaged body), so the
property covers what a user runs: a reply is either read or becomes a BadResponseError. Every
record that was read then goes through the table row and the detail sections, whose strings
must hold no control character or escape sequence.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from functools import cache
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import strategies as st

from drtui.api.client import DataRobotClient
from drtui.api.errors import BadResponseError
from drtui.api.models import Deployment, Page
from drtui.api.retry import NO_RETRY
from drtui.core.detail import sections
from drtui.core.rows import row_from_deployment
from drtui.emulator.app import create_app
from drtui.emulator.config import EmulatorConfig
from tests.reliability.fuzzing import EXTREME_DATES, bodies, unsafe_characters

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    verbosity=Verbosity.quiet,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
"""Derandomized so CI sees the same cases every run; no shrinking, which on a failure costs
tens of seconds. Quiet, because a failing body can be megabytes: the test names the field
and shows the start of the body itself."""

Call = Callable[[DataRobotClient], Awaitable[Any]]
CALLS: dict[str, tuple[str, Call]] = {
    "deployments": ("deployments/?limit=2", lambda c: c.list_deployments()),
    "deployment": ("deployments/{deployment}/", lambda c: c.get_deployment("d")),
    "custom model deployments": (
        "customModelDeployments/?limit=2",
        lambda c: c.list_custom_model_deployments(),
    ),
    "deleted deployments": ("deletedDeployments/?limit=2", lambda c: c.list_deleted_deployments()),
    "resource bundles": ("mlops/compute/bundles/?limit=2", lambda c: c.list_bundles()),
    "resource bundle": ("mlops/compute/bundles/{bundle}/", lambda c: c.get_bundle("b")),
    "PPS image metadata": (
        "mlops/portablePredictionServerImage/metadata/",
        lambda c: c.get_pps_image_metadata(),
    ),
}


@cache
def samples() -> dict[str, Any]:
    """One real answer per endpoint from the emulator: the documents to damage."""
    return asyncio.run(_fetch_samples())


async def _fetch_samples() -> dict[str, Any]:
    config = EmulatorConfig(deployments=12, seed=9, clock="manual")
    app = create_app(config)
    state = app.state.emulator
    state.delete_deployment(state.live_ids[-1])
    out: dict[str, Any] = {}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://emulator.test/api/v2/",
        headers={"Authorization": f"Bearer {config.admin_token}"},
    ) as http:
        deployment = (await http.get("deployments/?limit=1")).json()["data"][0]["id"]
        bundle = (await http.get("mlops/compute/bundles/?limit=1")).json()["data"][0]["id"]
        for name, (path, _) in CALLS.items():
            answer = await http.get(path.format(deployment=deployment, bundle=bundle))
            answer.raise_for_status()
            out[name] = answer.json()
    return out


def _read(call: Call, body: bytes) -> Any:
    """The client's answer to `body`, or the DataRobotError it raised instead."""

    async def run() -> Any:
        transport = httpx.MockTransport(
            lambda request: httpx.Response(
                200, content=body, headers={"Content-Type": "application/json"}
            )
        )
        async with DataRobotClient(
            "https://dr.example/api/v2", "t", retry=NO_RETRY, transport=transport
        ) as client:
            try:
                return await call(client)
            except BadResponseError as error:
                return error

    return asyncio.run(run())


def _deployments(result: Any) -> list[Deployment]:
    if isinstance(result, Deployment):
        return [result]
    if isinstance(result, Page):
        return [d for d in result.data if isinstance(d, Deployment)]
    return []


def _drawn_strings(deployment: Deployment) -> list[str]:
    row = row_from_deployment(deployment)
    drawn = [
        row.id,
        row.label,
        row.status,
        row.importance,
        row.target_type,
        row.platform,
        row.tags,
        row.owner,
        *row.health,
        row.spark,
        row.total,
    ]
    for title, fields in sections(deployment, NOW):
        drawn.append(title)
        for key, value in fields:
            drawn += [key, value]
    return drawn


@pytest.mark.parametrize("endpoint", list(CALLS))
@FUZZ
@given(data=st.data())
def test_a_damaged_answer_is_read_or_refused_cleanly(endpoint: str, data: st.DataObject) -> None:
    body = data.draw(bodies(samples()[endpoint]))
    try:
        result = _read(CALLS[endpoint][1], body)  # anything but BadResponseError is a bug
        if isinstance(result, BadResponseError):
            assert str(result) and "\n" not in str(result)
            return
        drawn = [text for d in _deployments(result) for text in _drawn_strings(d)]
    except Exception as error:
        raise AssertionError(f"{type(error).__name__}: {error} on {body[:600]!r}") from error
    for text in drawn:
        assert not unsafe_characters(text), (text[:200], unsafe_characters(text))


def test_the_samples_are_real_records() -> None:
    """Guards the property above: it damages real documents, not empty pages."""
    real = samples()
    for name in (
        "deployments",
        "custom model deployments",
        "deleted deployments",
        "resource bundles",
    ):
        assert real[name]["data"], name
    assert json.dumps(real["deployment"]).count('"') > 50


@pytest.mark.parametrize("moment", EXTREME_DATES)
def test_every_timestamp_at_the_edge_of_the_calendar_is_drawable(moment: str) -> None:
    """One deployment with a year-1 or year-9999 timestamp must not take the table down."""
    sample = json.loads(json.dumps(samples()["deployment"]))
    sample["createdAt"] = moment
    sample["predictionUsage"]["lastTimestamp"] = moment
    sample["model"]["deployedAt"] = moment
    sample["serviceHealth"]["startDate"] = moment
    sample["modelPackageInitialDownload"] = {"timestamp": moment}
    deployment = Deployment.model_validate(sample)
    assert not [t for t in _drawn_strings(deployment) if unsafe_characters(t)]
