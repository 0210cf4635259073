"""`f`: build the server query from every filter GET /deployments/ accepts.

Choices are the reference's enumerations (from drtui.api.models' enums); free-text filters take
comma-separated values. Applying returns a new DeploymentQuery; the screen re-queries the server.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, SelectionList

from drtui.api.models.enums import (
    BuildEnvironmentType,
    ChampionModelExecutionType,
    DeploymentStatus,
    ExecutionEnvironmentType,
    HealthStatus,
    Importance,
    PredictionEnvironmentPlatform,
    Role,
)
from drtui.api.query import LIST_FILTERS, SCALAR_FILTERS, DeploymentQuery
from drtui.ui.keymap import CLOSE_BINDINGS
from drtui.ui.screens.closing import close_once

CHOICES: dict[str, type[StrEnum]] = {
    "serviceHealth": HealthStatus,
    "modelHealth": HealthStatus,
    "accuracyHealth": HealthStatus,
    "status": DeploymentStatus,
    "importance": Importance,
    "buildEnvironmentType": BuildEnvironmentType,
    "executionEnvironmentType": ExecutionEnvironmentType,
    "predictionEnvironmentPlatform": PredictionEnvironmentPlatform,
}
"""Multi-valued filters with a known vocabulary: a selection list each."""

SINGLE_CHOICES: dict[str, list[str]] = {
    "role": [r.value for r in Role],
    "createdByMe": ["true", "false"],
    "championModelExecutionType": [t.value for t in ChampionModelExecutionType],
}

LIST_TEXT = ("tagKeys", "tagValues", "defaultPredictionServerId")
"""Multi-valued free text: comma-separated."""
TEXT = ("search", "createdBy", "championModelTargetType")
DATES = ("lastPredictionTimestampStart", "lastPredictionTimestampEnd")
INTEGERS = ("predictionUsageDailyAvgGreaterThan", "predictionUsageDailyAvgLessThan")


class FilterBuilder(ModalScreen[DeploymentQuery | None]):
    BINDINGS: ClassVar[list[BindingType]] = list(CLOSE_BINDINGS)

    def __init__(self, query: DeploymentQuery) -> None:
        super().__init__()
        self._query = query

    def _current(self, name: str) -> Any:
        return getattr(self._query, LIST_FILTERS.get(name) or SCALAR_FILTERS[name])

    def compose(self) -> ComposeResult:
        with Vertical(id="filter-dialog", classes="dialog"):
            yield Label(
                "Filter deployments (server-side) · tab moves · enter applies", classes="title"
            )
            with VerticalScroll(id="filter-form"):
                yield from self._fields()
            yield Label("", id="filter-error")
            with Horizontal(classes="buttons"):
                yield Button("Apply", variant="primary", id="apply")
                yield Button("Clear all", id="clear")
                yield Button("Cancel", id="cancel")

    def _fields(self) -> ComposeResult:
        for name, vocabulary in CHOICES.items():
            chosen = {
                HealthStatus.NOT_STARTED.value if v == "not_started" else v
                for v in self._current(name) or ()
            }
            yield Label(name, classes="field-label")
            yield SelectionList[str](
                *[(v.value, v.value, v.value in chosen) for v in vocabulary],
                id=f"f-{name}",
                classes="choices",
            )
        for name, values in SINGLE_CHOICES.items():
            current = self._current(name)
            value = (
                Select.NULL
                if current is None
                else str(current).lower()
                if name == "createdByMe"
                else str(current)
            )
            yield Label(name, classes="field-label")
            yield Select([(v, v) for v in values], value=value, id=f"f-{name}", prompt="(any)")
        for name in (*LIST_TEXT, *TEXT, *DATES, *INTEGERS):
            current = self._current(name)
            if isinstance(current, tuple):
                current = ",".join(current)
            elif isinstance(current, datetime):
                current = current.isoformat()
            hint = (
                "comma-separated"
                if name in LIST_TEXT
                else "ISO time, e.g. 2026-01-31T00:00:00Z"
                if name in DATES
                else "whole number"
                if name in INTEGERS
                else ""
            )
            yield Label(name, classes="field-label")
            yield Input(
                value="" if current is None else str(current), placeholder=hint, id=f"f-{name}"
            )

    def build(self) -> DeploymentQuery:
        """The query the form describes; raises ValueError naming the field that is wrong."""
        query = DeploymentQuery(order_by=self._query.order_by)
        for name in CHOICES:
            selected = self.query_one(f"#f-{name}", SelectionList).selected
            query = query.with_filter(name, [str(v) for v in selected])
        for name in SINGLE_CHOICES:
            value = self.query_one(f"#f-{name}", Select).value
            if value is Select.NULL or value is None:
                continue
            query = query.with_filter(name, value == "true" if name == "createdByMe" else value)
        for name in (*LIST_TEXT, *TEXT, *DATES, *INTEGERS):
            raw = self.query_one(f"#f-{name}", Input).value.strip()
            if not raw:
                continue
            if name in LIST_TEXT:
                query = query.with_filter(name, [v.strip() for v in raw.split(",") if v.strip()])
            elif name in DATES:
                try:
                    moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
                except ValueError:
                    raise ValueError(f"{name}: not an ISO time: {raw!r}") from None
                query = query.with_filter(name, moment)
            elif name in INTEGERS:
                if not raw.isdigit():
                    raise ValueError(f"{name}: not a whole number: {raw!r}")
                query = query.with_filter(name, int(raw))
            else:
                query = query.with_filter(name, raw)
        return query

    def _apply(self) -> None:
        try:
            query = self.build()
        except ValueError as error:
            self.query_one("#filter-error", Label).update(Content(str(error)))
            return
        close_once(self, query)

    @on(Button.Pressed, "#apply")
    @on(Input.Submitted)
    def _apply_pressed(self) -> None:
        self._apply()

    @on(Button.Pressed, "#clear")
    def _clear(self) -> None:
        close_once(self, DeploymentQuery(order_by=self._query.order_by))

    @on(Button.Pressed, "#cancel")
    def action_close(self) -> None:
        close_once(self, None)
