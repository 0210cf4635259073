"""What the views read from (and write to) the API: the only UI module that holds the client.

Screens and widgets never import the client, `drtui.api.http` or httpx (an import-linter
contract): they are handed a `Sources` and call its coroutines, which the shared poller runs in
its workers. A view that needs a new call adds a method here.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, overload

from drtui.api.client import DataRobotClient
from drtui.api.download import already_verified
from drtui.api.endpoints.custom_models import LogText as LogText
from drtui.api.errors import DataRobotError
from drtui.api.models import (
    CustomModelDeployment,
    DeletedDeployment,
    Deployment,
    JobStatus,
    PPSImageMetadata,
    ResourceBundle,
)
from drtui.api.models.slim_records import SlimDeployment
from drtui.api.query import DeploymentQuery
from drtui.core.changes import NewDeployment
from drtui.core.deleted import batches
from drtui.core.rows import Row
from drtui.store.audit import AuditEntry, AuditLog, Outcome


class Sources:
    def __init__(self, client: DataRobotClient) -> None:
        self._client = client
        self._listings: dict[tuple[DeploymentQuery, int], asyncio.Task[list[Any]]] = {}
        """Listings in flight by (steady query, known texts): a second caller of the same
        listing (the poll's whole fleet and a health-filtered view) shares the first's pages."""

    @property
    def endpoint(self) -> str:
        return self._client.endpoint

    @property
    def dropped_records(self) -> int:
        """Deployment records left out of listings so far because nothing can read them."""
        return self._client.dropped_records

    # ----- deployments ----------------------------------------------------------------------

    @overload
    async def deployments(self, query: DeploymentQuery) -> list[SlimDeployment]: ...
    @overload
    async def deployments(
        self, query: DeploymentQuery, known: Mapping[str, Row]
    ) -> list[SlimDeployment | Row]: ...
    async def deployments(
        self, query: DeploymentQuery, known: Mapping[str, Row] | None = None
    ) -> list[SlimDeployment] | list[SlimDeployment | Row]:
        """The list path: records read slim, each row's full model parsed when it is shown.

        ``known`` (``Fleet.known_texts`` of the last poll): a record whose text a row was read
        from is not read again, that row stands in its place.

        Filters whose matches move while pages are read (health, traffic) are applied here to
        the records as read, never paged by the server: offsets over a set that shrinks as
        deployments recover skip others that still match (`DeploymentQuery.steady`)."""
        steady = query.steady()
        key = (steady, id(known))
        task = self._listings.get(key)
        if task is None:
            if known is None:
                listing: Any = self._client.list_all_deployment_records(steady)
            else:
                listing = self._client.list_all_deployment_records(steady, known=known)
            task = self._listings[key] = asyncio.ensure_future(listing)
            task.add_done_callback(lambda done: self._forget(key, done))
        records = await asyncio.shield(task)
        if not query.moves:
            return list(records)
        return [r for r in records if _admitted(query, r)]

    def _forget(self, key: tuple[DeploymentQuery, int], done: asyncio.Task[list[Any]]) -> None:
        if self._listings.get(key) is done:
            del self._listings[key]
        if not done.cancelled():
            done.exception()  # retrieved: a failure no waiter read is not "never retrieved"

    async def deployment(self, deployment_id: str) -> Deployment:
        return await self._client.get_deployment(deployment_id)

    # ----- compute bundles ------------------------------------------------------------------

    async def bundles(self) -> list[ResourceBundle]:
        return await self._client.list_all_bundles()

    async def bundle(self, bundle_id: str) -> ResourceBundle:
        return await self._client.get_bundle(bundle_id)

    # ----- the Portable Prediction Server image -----------------------------------

    async def pps_metadata(self) -> PPSImageMetadata:
        return await self._client.get_pps_image_metadata()

    async def pps_already_verified(self, path: Path, metadata: PPSImageMetadata) -> bool:
        """True when ``path`` already holds this image, verified (so nothing is downloaded)."""
        return await already_verified(path, metadata)

    async def download_pps(
        self,
        path: Path,
        metadata: PPSImageMetadata,
        progress: Callable[[int, int | None, float], None] | None = None,
    ) -> Path:
        """Resume ``<path>.part`` or start it, free space checked first, SHA256 verified."""
        return await self._client.download_pps_image(path, metadata=metadata, progress=progress)

    # ----- custom model deployments and their logs --------------------------------

    async def custom_deployments(
        self, model_ids: Iterable[str] = (), environment_ids: Iterable[str] = ()
    ) -> list[CustomModelDeployment]:
        return await self._client.list_all_custom_model_deployments(
            custom_model_ids=model_ids, environment_ids=environment_ids
        )

    async def custom_log(self, deployment_id: str) -> LogText:
        """GET .../logs/: the deployment's log as it is now (a whole snapshot)."""
        return await self._client.get_custom_model_deployment_log(deployment_id)

    async def request_runtime_log(
        self, deployment_id: str, progress: Callable[[JobStatus], None] | None = None
    ) -> LogText:
        """POST .../logs/ (202), follow the job, then GET .../logs/{logId}/."""
        result = await self._client.request_custom_model_deployment_logs(
            deployment_id, progress=progress
        )
        log_id = result.resource_id or (result.resource_url or "").rstrip("/").rsplit("/", 1)[-1]
        if not log_id:
            raise DataRobotError("The log request finished without naming the log it made.")
        return await self._client.get_custom_model_deployment_prediction_log(deployment_id, log_id)

    # ----- writes: every attempt is audited ----------------------------------------
    # Each write records what was asked, which ids, when, the outcome and the server's sentence
    # in the audit log (store/audit.py) whether it succeeds, fails or is abandoned.

    _audit: AuditLog | None = None

    @property
    def audit(self) -> AuditLog:
        """The audit trail (the user state directory unless a test or the app sets one)."""
        if self._audit is None:
            self._audit = AuditLog()
        return self._audit

    @audit.setter
    def audit(self, log: AuditLog) -> None:
        self._audit = log

    @asynccontextmanager
    async def _audited(
        self, action: str, ids: Iterable[str], details: Mapping[str, Any]
    ) -> AsyncIterator[Attempt]:
        attempt = Attempt(list(ids), dict(details))
        outcome: Outcome = "ok"
        message = ""
        try:
            yield attempt
        except DataRobotError as error:
            outcome, message = "failed", str(error)
            raise
        except asyncio.CancelledError:
            outcome = "abandoned"
            message = "Stopped waiting for the answer; the server may have done it."
            raise
        except Exception as error:
            outcome, message = "failed", f"unexpected error ({type(error).__name__})"
            raise
        finally:
            self.audit.record(
                AuditEntry(
                    datetime.now(UTC),
                    action,
                    tuple(attempt.ids),
                    outcome,
                    message,
                    attempt.details,
                    self.endpoint,
                )
            )

    async def update_deployment(
        self, deployment_id: str, changes: Mapping[str, str | None]
    ) -> None:
        """PATCH only `changes` (label, description, importance; description None clears it)."""
        async with self._audited("edit", [deployment_id], changes):
            await self._client.update_deployment(deployment_id, **changes)  # type: ignore[arg-type]

    async def delete_deployment(
        self, deployment_id: str, *, label: str, ignore_management_agent: bool
    ) -> None:
        details = {"label": label, "ignoreManagementAgent": ignore_management_agent}
        async with self._audited("delete", [deployment_id], details):
            await self._client.delete_deployment(
                deployment_id, ignore_management_agent=ignore_management_agent
            )

    async def create_deployment(
        self, new: NewDeployment, progress: Callable[[str], None] | None = None
    ) -> Deployment:
        """POST (never retried), follow the job, then read the new deployment."""
        async with self._audited("create", [], new.audit_details()) as attempt:
            result = await self._client.create_deployment_from_learning_model(
                new.model_id,
                new.label,
                description=new.description,
                default_prediction_server_id=new.default_prediction_server_id,
                importance=new.importance,
                status=new.status,
                prediction_threshold=new.prediction_threshold,
                grant_initial_deployment_roles_from_project=new.grant_roles_from_project,
                progress=(lambda s: progress(s.status or "RUNNING")) if progress else None,
            )
            new_id = result.resource_id or _last_segment(result.resource_url)
            if new_id:
                attempt.ids.append(new_id)
        if not new_id:
            raise DataRobotError("The deployment was created but the server did not say its id.")
        return await self._client.get_deployment(new_id)

    async def deleted_deployments(self) -> list[DeletedDeployment]:
        return await self._client.list_all_deleted_deployments()

    async def erase_deleted(
        self, ids: Iterable[str], progress: Callable[[int, int, str], None] | None = None
    ) -> int:
        """Permanently erase in batches of at most 100, one job each, one after the other.

        `progress(batch, batches, state)`. A failed batch stops the rest; the error says how
        many were erased before it. Returns how many ids were erased.
        """
        groups = batches(list(ids))
        done = 0
        for number, batch in enumerate(groups, 1):

            def report(state: str, number: int = number) -> None:
                if progress is not None:
                    progress(number, len(groups), state)

            def job(status: JobStatus, report: Callable[[str], None] = report) -> None:
                report(status.status or "RUNNING")

            report("sent")
            details = {"batch": number, "batches": len(groups)}
            try:
                async with self._audited("erase", batch, details):
                    await self._client.erase_deleted_deployments(batch, progress=job)
            except DataRobotError as error:
                if done == 0:
                    raise
                raise DataRobotError(
                    f"{done} erased; batch {number} of {len(groups)} failed: {error}",
                    status_code=error.status_code,
                ) from error
            done += len(batch)
            report("done")
        return done


def _admitted(query: DeploymentQuery, record: SlimDeployment | Row) -> bool:
    if isinstance(record, SlimDeployment):
        health = (record.service_health, record.model_health, record.accuracy_health)
        return query.admits(health, record.last_timestamp, record.daily_rates)
    return query.admits(record.health, record.last_prediction, record.daily_rates)


@dataclass
class Attempt:
    """What one audited write is about, filled in as it goes (a create learns its id)."""

    ids: list[str]
    details: dict[str, Any] = field(default_factory=dict)


def _last_segment(url: str | None) -> str | None:
    if not url:
        return None
    parts = [p for p in url.split("?")[0].split("/") if p]
    return parts[-1] if parts else None
