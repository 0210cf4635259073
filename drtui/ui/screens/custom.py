"""`:custom` — custom model deployments: every page, filtered by model and environment, searched.

Polls GET /customModelDeployments/ (all pages, `customModelIds`/`environmentIds` picked from the
values present) through the shared poller and table. `l` (or `enter`) opens the log viewer on
the deployment under the cursor, or one merged log of every selected deployment (`space`, `*`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from typing import ClassVar

from textual.binding import BindingType

from drtui.api.errors import PermissionDeniedError
from drtui.api.models import CustomModelDeployment
from drtui.core.custom import CustomRow, custom_rows, narrow, present
from drtui.core.formatting import age
from drtui.core.log_buffer import DEFAULT_CAPACITY
from drtui.core.sanitize import clean
from drtui.ui.keymap import CUSTOM_BINDINGS
from drtui.ui.screens.choices import ChooseMany
from drtui.ui.screens.list_view import ListSpec, ListView, Wording
from drtui.ui.screens.log_followers import LogTarget
from drtui.ui.screens.logs import LogScreen
from drtui.ui.settings import AppSettings
from drtui.ui.sources import Sources
from drtui.ui.widgets.table_columns import Column
from drtui.ui.widgets.view_header import Part

MAX_MERGED = 8
"""Logs tailed at once in one merged view (each is a poll)."""


def _status_tone(row: CustomRow) -> str:
    status = row.status.lower()
    if status == "errored":
        return "bad"
    if status in ("launching", "replacingmodel", "stopping"):
        return "warn"
    return "good" if status == "active" else "muted"


def _testing_tone(row: CustomRow) -> str:
    testing = row.testing.lower()
    if testing in ("failed", "error", "errored"):
        return "bad"
    if testing in ("warnings", "warning"):
        return "warn"
    return "good" if testing in ("succeeded", "passed") else "muted"


COLUMNS: tuple[Column[CustomRow], ...] = (
    Column(
        "label",
        "LABEL",
        18,
        0,
        lambda r, _: (r.label, ""),
        sort_key=lambda r: r.label.lower(),
        flex=True,
        comfort=26,
        max_width=44,
    ),
    Column(
        "status",
        "STATUS",
        9,
        0,
        lambda r, _: (r.status, _status_tone(r)),
        sort_key=lambda r: r.status,
    ),
    Column(
        "model",
        "CUSTOM MODEL",
        20,
        1,
        lambda r, _: (r.model, ""),
        sort_key=lambda r: r.model.lower(),
    ),
    Column(
        "version", "VERSION", 8, 2, lambda r, _: (r.version, "muted"), sort_key=lambda r: r.version
    ),
    Column(
        "deployed",
        "DEPLOYED",
        10,
        1,
        lambda r, now: (age(r.deployed, now) if r.deployed else "", "muted"),
        sort_key=lambda r: r.deployed,
        clock=True,
    ),
    Column(
        "environment",
        "ENVIRONMENT",
        24,
        3,
        lambda r, _: (r.environment_text, ""),
        sort_key=lambda r: r.environment_text.lower(),
    ),
    Column(
        "testing",
        "TESTING",
        11,
        4,
        lambda r, _: (r.testing, _testing_tone(r)),
        sort_key=lambda r: r.testing,
    ),
    Column(
        "image",
        "IMAGE TYPE",
        16,
        5,
        lambda r, _: (r.image_type, "muted"),
        sort_key=lambda r: r.image_type,
    ),
    Column(
        "deployed_by",
        "DEPLOYED BY",
        16,
        5,
        lambda r, _: (r.deployed_by, "muted"),
        sort_key=lambda r: r.deployed_by.lower(),
    ),
)


def log_capacity() -> int:
    """Lines a log view keeps: DRTUI_LOG_LINES, else 100,000 (bounded 1,000..5,000,000)."""
    try:
        value = int(os.environ.get("DRTUI_LOG_LINES", DEFAULT_CAPACITY))
    except ValueError:
        return DEFAULT_CAPACITY
    return max(1_000, min(5_000_000, value))


SPEC: ListSpec[list[CustomModelDeployment], CustomRow] = ListSpec(
    name="custom",
    title="Custom model deployments",
    columns=COLUMNS,
    wording=Wording(
        "custom model deployments",
        "custom model deployment",
        forbidden="This account may not list custom model deployments (403): {reason}",
    ),
    build=custom_rows,  # fetched by CustomScreen.fetch: its filters are the server's
    stop_on=(PermissionDeniedError,),
    search="search label, model, environment",
    narrow=narrow,
    sort_by="deployed",
    descending_first=frozenset({"deployed"}),
    selectable=True,
    dim=lambda r: r.inactive,
)


class CustomScreen(ListView[list[CustomModelDeployment], CustomRow]):
    BINDINGS: ClassVar[list[BindingType]] = list(CUSTOM_BINDINGS)

    def __init__(
        self, settings: AppSettings, sources: Sources, now: Callable[[], datetime]
    ) -> None:
        super().__init__(SPEC, settings, now, sources)
        self.model_ids: frozenset[str] = frozenset()
        self.environment_ids: frozenset[str] = frozenset()
        self._known_models: dict[str, str] = {}
        self._known_environments: dict[str, str] = {}
        self._wanted: str | None = None

    async def fetch(self) -> list[CustomModelDeployment]:
        return await self.sources.custom_deployments(
            sorted(self.model_ids), sorted(self.environment_ids)
        )

    def header_summary(self) -> list[Part]:
        parts: list[Part] = [f"{self.shown} shown of {len(self.rows)}"]
        selected = len(self.table.selected) if self.is_mounted else 0
        if selected:
            parts.append((f" · {selected} selected (l tails them merged)", "bold"))
        if self.model_ids:
            names = [self._known_models.get(i, i) for i in sorted(self.model_ids)]
            parts.append(" · models: " + clean(", ".join(names), limit=60))
        if self.environment_ids:
            names = [self._known_environments.get(i, i) for i in sorted(self.environment_ids)]
            parts.append(" · environments: " + clean(", ".join(names), limit=60))
        return parts + self.search_parts()

    def load(self, rows: list[CustomRow]) -> None:
        self._known_models.update(present(rows, "model"))
        self._known_environments.update(present(rows, "environment"))
        super().load(rows)
        if self._wanted is not None and self.table.move_cursor_to_id(self._wanted):
            self._wanted = None

    def select_deployment(self, deployment_id: str) -> None:
        """Put the cursor on a deployment (from the deployments view), now or once loaded."""
        if self.search_text or self.model_ids or self.environment_ids:
            self.clear_search()
            self.model_ids = self.environment_ids = frozenset()
            self.poller.invalidate()
        if not self.table.move_cursor_to_id(deployment_id):
            self._wanted = deployment_id

    # ----- actions -------------------------------------------------------------------------------

    def action_logs(self) -> None:
        chosen = self.chosen()
        if not chosen:
            return
        if len(chosen) > MAX_MERGED:
            self.notify(
                f"At most {MAX_MERGED} logs can be tailed at once; {len(chosen)} are selected.",
                severity="warning",
                timeout=6,
            )
            return
        targets = [LogTarget(r.id, r.label, r.status) for r in chosen]
        self.app.push_screen(
            LogScreen(self._settings, self.sources, self._now, targets, capacity=log_capacity())
        )

    def back_after_search(self) -> bool:
        """esc after the search: clear the selection."""
        if self.table.selected:
            self.table.clear_selection()
            return True
        return False

    def action_models(self) -> None:
        self._choose("Custom models (any of)", self._known_models, self.model_ids, "model_ids")

    def action_environments(self) -> None:
        self._choose(
            "Execution environments (any of)",
            self._known_environments,
            self.environment_ids,
            "environment_ids",
        )

    def _choose(
        self, title: str, known: dict[str, str], chosen: frozenset[str], attribute: str
    ) -> None:
        options = sorted(known.items(), key=lambda kv: (kv[1].lower(), kv[0]))
        if not options:
            self.notify("Nothing loaded yet to filter by.", timeout=4)
            return

        def done(picked: frozenset[str] | None) -> None:
            if picked is not None and picked != getattr(self, attribute):
                setattr(self, attribute, picked)
                self.show_header()
                self.poller.invalidate()  # a server-side filter: ask again now

        self.app.push_screen(ChooseMany(title, options, chosen), done)
