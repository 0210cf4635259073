"""The seeded synthetic fleet: deployments as the API shows them, plus the few already deleted.

One `random.Random(seed)` drives everything in a fixed order, so (seed, size, start) gives the
same fleet byte for byte; timestamps are offsets from the clock's start so a wall-clock demo looks
current. Built for speed (10,000 deployments well under a second): plain dicts, no validation.
"""

from __future__ import annotations

import functools
import random
from bisect import bisect
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import accumulate
from typing import Any

from drtui.emulator import vocabulary as words
from drtui.emulator.clock import iso
from drtui.emulator.users import NORMAL_USER, OWNER, USER_ROLE, Account

HEALTH_DIMENSIONS = ("serviceHealth", "modelHealth", "accuracyHealth")
EXTRA_HEALTH_DIMENSIONS = (
    "fairnessHealth",
    "customMetricsHealth",
    "actualsTimelinessHealth",
    "predictionsTimelinessHealth",
)

Mix = tuple[tuple[str, ...], tuple[float, ...]]


def pick(rng: random.Random, mix: Mix) -> str:
    """A weighted choice; `mix` holds values and cumulative weights (see `mixture`)."""
    values, cumulative = mix
    return values[bisect(cumulative, rng.random() * cumulative[-1])]


def mixture(values: tuple[str, ...], weights: tuple[float, ...]) -> Mix:
    return values, tuple(accumulate(weights))


_HEALTH_MIX: dict[str, Mix] = {
    "serviceHealth": mixture(("passing", "warning", "failing", "unknown"), (78, 10, 5, 7)),
    "modelHealth": mixture(
        ("passing", "warning", "failing", "unknown", "notStarted"), (70, 15, 7, 5, 3)
    ),
    "accuracyHealth": mixture(
        ("passing", "warning", "failing", "unknown", "unavailable"), (55, 12, 6, 17, 10)
    ),
}
_EXTRA_HEALTH_MIX = mixture(
    ("passing", "warning", "failing", "unknown", "notStarted"), (50, 8, 3, 25, 14)
)
_STATUS_MIX = mixture(
    ("active", "inactive", "launching", "errored", "replacingModel", "stopping", "archived"),
    (85, 8, 2, 2, 1, 1, 1),
)
_IMPORTANCE_MIX = mixture(("CRITICAL", "HIGH", "MODERATE", "LOW"), (10, 25, 35, 30))
_CUSTOM_TARGETS = frozenset({"TextGeneration", "AgenticWorkflow", "VectorDatabase"})
_DATAROBOT_PLATFORMS = frozenset({"datarobot", "datarobotServerless"})
_TESTING_STATUSES = mixture(("succeeded", "warning", "failed", "not_tested"), (80, 10, 5, 5))


@dataclass(slots=True)
class DeploymentRecord:
    """One deployment: its API body (minus the per-user `permissions`) and what filters need.

    `doc` is mutated in place by edits and evolution; the state re-renders it afterwards.
    """

    doc: dict[str, Any]
    user_role: str
    creator_id: str
    creator_email: str
    execution_environment_type: str
    champion_execution_type: str
    last_prediction: float | None
    custom: dict[str, Any] | None
    sparse: bool = False
    """Sent like an older installation's record (see SPARSE_FIELDS)."""
    dormant: bool = False
    """A 2020 leftover: all health unknown, no traffic, left alone by evolution."""

    @property
    def id(self) -> str:
        return str(self.doc["id"])


@dataclass(slots=True)
class Catalog:
    """The shared pieces deployments are assembled from (people, environments, servers)."""

    people: list[Account]
    environments: list[dict[str, Any]]
    servers: list[dict[str, Any]]
    execution_envs: list[tuple[str, str, str, str]]


@dataclass(slots=True)
class Fleet:
    deployments: list[DeploymentRecord]
    deleted: list[dict[str, Any]]
    catalog: Catalog


def object_id(rng: random.Random) -> str:
    """A 24-hex id like DataRobot's (Mongo ObjectIds)."""
    return f"{rng.getrandbits(96):024x}"


HEALTH_WINDOW = timedelta(days=7)
"""Health is judged over the last seven days, in whole hours, as real records report it."""


def window_end(at: datetime) -> datetime:
    return at.replace(minute=0, second=0, microsecond=0)


def health(status: str, message: str, at: datetime) -> dict[str, Any]:
    """A health summary as of `at`: the monitoring window ends at the hour (none if not started)."""
    if status == "notStarted":
        return {"status": status, "message": message, "startDate": None, "endDate": None}
    start, end = window_bounds(at)
    return {"status": status, "message": message, "startDate": start, "endDate": end}


@functools.lru_cache(maxsize=64)
def window_bounds(at: datetime) -> tuple[str, str]:
    """(startDate, endDate) of the health window as of `at`; cached, as a fleet is built at one
    instant and formatting them was a fifth of building it."""
    end = window_end(at)
    return iso(end - HEALTH_WINDOW), iso(end)


def move_windows(doc: dict[str, Any], bounds: tuple[str, str]) -> None:
    """Slide every health window of a deployment to `bounds` (see window_bounds)."""
    start, end = bounds
    for dimension in HEALTH_DIMENSIONS + EXTRA_HEALTH_DIMENSIONS:
        summary = doc.get(dimension)
        if summary is not None and summary.get("endDate") is not None:
            summary["startDate"], summary["endDate"] = start, end


SPARSE_SHARE = 0.05
"""Records as older installations send them: no status, importance, tags, governance, owners,
createdAt. Chosen per deployment by a hash of (seed, id), apart from the fleet's generator, so
the other records stay what the seed always gave."""
DORMANT_SHARE = 0.02
"""Deployments left over from 2020: every health unknown, no recent traffic, never evolving."""
SPARSE_FIELDS = ("status", "importance", "tags", "governance", "owners", "createdAt")


def _age(record: DeploymentRecord, seed: int, now: datetime) -> None:
    """Make some records sparse and some 2020-era dormant (see SPARSE_SHARE, DORMANT_SHARE)."""
    rng = random.Random(f"era:{seed}:{record.id}")
    roll = rng.random()
    doc = record.doc
    if roll < SPARSE_SHARE:
        record.sparse = True
        for name in SPARSE_FIELDS:
            doc.pop(name, None)
    elif roll < SPARSE_SHARE + DORMANT_SHARE:
        record.dormant = True
        created = datetime(2020, 1, 6, tzinfo=now.tzinfo) + timedelta(days=rng.uniform(0, 300))
        judged = created + timedelta(days=rng.uniform(20, 60))
        doc["createdAt"] = iso(created)
        doc["model"]["deployedAt"] = iso(created)
        last = created + timedelta(days=rng.uniform(1, 19)) if rng.random() < 0.7 else None
        doc["predictionUsage"] = {
            "dailyRates": [0] * 7,
            "lastTimestamp": iso(last) if last else None,
        }
        record.last_prediction = last.timestamp() if last else None
        for dimension in HEALTH_DIMENSIONS + EXTRA_HEALTH_DIMENSIONS:
            doc[dimension] = health("unknown", "", judged)


def health_message(rng: random.Random, dimension: str, status: str) -> str:
    options = words.HEALTH_MESSAGES.get(dimension, {}).get(status)
    return rng.choice(options) if options else ""


def generate_fleet(seed: int, count: int, now: datetime) -> Fleet:
    """The initial world for `seed`: `count` live deployments and a few deleted ones."""
    rng = random.Random(seed)
    people = []
    for first in words.FIRST_NAMES[:20]:
        last = rng.choice(words.LAST_NAMES)
        email = f"{first.lower()}.{last.lower()}@example.com"
        people.append(Account(object_id(rng), email, first, last, False))
    environments = [
        {
            "id": object_id(rng),
            "name": name,
            "platform": platform,
            "isManagedByManagementAgent": managed,
            "plugin": plugin,
            "supportedModelFormats": ["datarobot", "customModel"]
            if platform in _DATAROBOT_PLATFORMS
            else ["datarobot", "datarobotScoringCode", "customModel", "externalModel"],
        }
        for name, platform, managed, plugin in words.PREDICTION_ENVIRONMENTS
    ]
    servers = [
        {"id": object_id(rng), "url": url, "datarobot-key": f"{rng.getrandbits(128):032x}"}
        for url in words.PREDICTION_SERVERS
    ]
    execution_envs = [
        (object_id(rng), name, build, object_id(rng)) for name, build in words.CUSTOM_ENVIRONMENTS
    ]
    catalog = Catalog(people, environments, servers, execution_envs)
    deployments = [make_deployment(rng, now, catalog) for _ in range(count)]
    for record in deployments:
        _age(record, seed, now)
    deleted = [
        {
            "id": object_id(rng),
            "label": _label(rng)[0],
            "deletedAt": iso(now - timedelta(days=rng.uniform(1, 120))),
        }
        for _ in range(max(3, min(50, count // 40)))
    ]
    deleted.sort(key=lambda item: item["deletedAt"], reverse=True)
    return Fleet(deployments=deployments, deleted=deleted, catalog=catalog)


def _label(rng: random.Random) -> tuple[str, tuple[str, str, str], str]:
    use_case = rng.choice(words.USE_CASES)
    segment = rng.choice(words.SEGMENTS)
    suffix, env = rng.choice(words.SUFFIXES)
    version = f" v{rng.randint(2, 7)}" if rng.random() < 0.3 else ""
    name = use_case[0] if not segment else f"{segment} {use_case[0]}"
    return f"{name}{version}{suffix}", use_case, env


def make_deployment(rng: random.Random, now: datetime, catalog: Catalog) -> DeploymentRecord:
    """One plausible deployment; also the starting point of a deployment created over the API."""
    people = catalog.people
    deployment_id = object_id(rng)
    label, (use_case, target_type, target_name), env = _label(rng)
    team = rng.choice(words.TEAMS)
    segment = rng.choice(words.SEGMENTS) or "core"
    description = rng.choice(words.DESCRIPTIONS).format(
        target=target_name.replace("_", " "), team=team, segment=segment
    )
    status = pick(rng, _STATUS_MIX)
    created = now - timedelta(days=rng.uniform(1, 900))
    deployed_at = created + (now - created) * rng.random()
    user_role = OWNER if rng.random() < 0.35 else USER_ROLE
    creator = NORMAL_USER if user_role == OWNER and rng.random() < 0.5 else rng.choice(people)
    others = rng.sample(people, rng.randint(0, 3))
    owners = ([NORMAL_USER] if user_role == OWNER else []) + [p for p in others if p != creator]
    if creator not in owners:
        owners.insert(0, creator)
    environment = rng.choice(catalog.environments)
    platform = environment["platform"]
    custom = target_type in _CUSTOM_TARGETS or rng.random() < 0.1
    model_id = object_id(rng)
    if custom:
        env_id, env_name, build_type, env_version_id = rng.choice(catalog.execution_envs)
        cm_version = f"v{rng.randint(1, 24)}"
        image = {
            "customModelId": object_id(rng),
            "customModelName": f"{use_case} ({team})",
            "customModelVersionId": object_id(rng),
            "customModelVersionLabel": cm_version,
            "executionEnvironmentId": env_id,
            "executionEnvironmentName": env_name,
            "executionEnvironmentVersionId": env_version_id,
            "executionEnvironmentVersionLabel": f"{rng.randint(1, 9)}.{rng.randint(0, 20)}",
        }
        custom_info: dict[str, Any] | None = {
            "customModelImageId": object_id(rng),
            "imageType": rng.choice(("customModelImage", "customModelVersion")),
            "testingStatus": pick(rng, _TESTING_STATUSES),
            "deployedBy": creator.email,
        }
    else:
        build_type = "Legacy" if rng.random() < 0.01 else "DataRobot"
        image, custom_info = None, None
    usage_scale = rng.lognormvariate(5.5, 2.0)
    live = status in ("active", "replacingModel", "errored")
    rates = [int(usage_scale * rng.uniform(0.6, 1.4)) if live else 0 for _ in range(7)]
    if live:
        last = now - timedelta(seconds=rng.expovariate(1 / 1800))
    elif rng.random() < 0.5:
        last = created + (now - created) * rng.random()
    else:
        last = None
    healths = {}
    for dimension in HEALTH_DIMENSIONS:
        value = pick(rng, _HEALTH_MIX[dimension]) if live else rng.choice(("unknown", "notStarted"))
        rng.uniform(5, 20000)  # was the start of the status; kept so the seed's fleet holds
        healths[dimension] = health(value, health_message(rng, dimension, value), now)
    for dimension in EXTRA_HEALTH_DIMENSIONS:
        value = pick(rng, _EXTRA_HEALTH_MIX)
        rng.uniform(5, 20000)
        healths[dimension] = health(value, "", now)
    approval = "PENDING" if rng.random() < 0.08 else "APPROVED"
    change_requests = [object_id(rng)] if rng.random() < 0.05 else []
    model: dict[str, Any] = {
        "id": model_id,
        "type": rng.choice(words.MODEL_TYPES[target_type]),
        "targetName": target_name,
        "targetType": target_type,
        "projectId": None if custom else object_id(rng),
        "projectName": None if custom else f"{use_case} {created.year}",
        "buildEnvironmentType": build_type,
        "deployedAt": iso(deployed_at),
        "isDeprecated": build_type == "Legacy",
        "unstructuredModelKind": target_type in _CUSTOM_TARGETS,
        "unsupervisedMode": target_type == "Anomaly",
        "unsupervisedType": "anomaly" if target_type == "Anomaly" else None,
    }
    if image is not None:
        model["customModelImage"] = image
    tags = [
        {"id": object_id(rng), "name": "env", "value": env},
        {"id": object_id(rng), "name": "team", "value": team},
        {"id": object_id(rng), "name": "region", "value": rng.choice(words.REGIONS)},
        {"id": object_id(rng), "name": "cost-center", "value": f"cc-{rng.randint(1000, 1099)}"},
    ]
    doc: dict[str, Any] = {
        "id": deployment_id,
        "label": label,
        "description": description or None,
        "status": status,
        "hasError": status == "errored",
        "importance": pick(rng, _IMPORTANCE_MIX),
        "createdAt": iso(created),
        "approvalStatus": approval,
        "governance": {
            "approvalStatus": approval,
            "hasOpenedChangeRequests": bool(change_requests),
        },
        "openedChangeRequests": change_requests,
        "defaultPredictionServer": rng.choice(catalog.servers),
        "predictionEnvironment": environment,
        "model": model,
        "modelPackage": {
            "id": object_id(rng),
            "name": f"{model['type']} - {label}",
            "registeredModelId": object_id(rng),
        },
        "owners": {"count": len(owners), "preview": [p.as_owner() for p in owners[:3]]},
        "creator": creator.as_owner(),
        "predictionUsage": {"dailyRates": rates, "lastTimestamp": iso(last) if last else None},
        "settings": {
            "batchMonitoringEnabled": rng.random() < 0.3,
            "humbleAiEnabled": rng.random() < 0.2,
            "predictionIntervalsEnabled": target_type == "Regression" and rng.random() < 0.5,
            "predictionWarningEnabled": rng.random() < 0.4,
        },
        "tags": tags,
        "modelPackageInitialDownload": {"timestamp": None},
        "scoringCodeInitialDownload": {"timestamp": None},
        **healths,
    }
    if rng.random() < 0.1:
        doc["userProvidedId"] = f"{team}/{use_case.lower().replace(' ', '-')}"
    return DeploymentRecord(
        doc=doc,
        user_role=user_role,
        creator_id=creator.id,
        creator_email=creator.email,
        execution_environment_type="datarobot" if platform in _DATAROBOT_PLATFORMS else "external",
        champion_execution_type="custom_inference_model"
        if custom
        else ("dedicated" if platform in _DATAROBOT_PLATFORMS else "external"),
        last_prediction=last.timestamp() if last else None,
        custom=custom_info,
    )
