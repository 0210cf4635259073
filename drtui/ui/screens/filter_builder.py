"""`f`: build the server query from every filter GET /deployments/ accepts, keyboard first.

A form an on-call engineer can drive blind: the first field has the focus on open, `tab` moves,
`space` toggles an option, `enter` applies from anywhere (`ctrl+r` clears every field), `?`
lists the dialog's own keys. On/off reads without colour (`[x]`/`[ ]`); every field carries a
human label with the API name as a hint; typed values are checked as they are typed (ids are 24
hex characters, times parse, counts are whole numbers), and enum values given in another case
(`importance=critical` on the command line) are normalised to the API's spelling.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.widgets import Button, Footer, Input, Label, Select, SelectionList

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
from drtui.ui.keymap import CHECKLIST_BINDINGS, FILTER_BINDINGS
from drtui.ui.screens.choices import dialog_title
from drtui.ui.screens.closing import close_once
from drtui.ui.textual_compat import is_open_dropdown

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
"""Multi-valued filters with a known vocabulary: a checklist each."""

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
IDS = ("defaultPredictionServerId",)
"""Every value must be an object id."""

LABELS: dict[str, str] = {
    "serviceHealth": "Service health",
    "modelHealth": "Model health",
    "accuracyHealth": "Accuracy health",
    "status": "Status",
    "importance": "Importance",
    "buildEnvironmentType": "Build environment",
    "executionEnvironmentType": "Execution environment",
    "predictionEnvironmentPlatform": "Prediction environment platform",
    "role": "My role on it",
    "createdByMe": "Created by me",
    "championModelExecutionType": "Champion model execution",
    "tagKeys": "Tag keys",
    "tagValues": "Tag values",
    "defaultPredictionServerId": "Default prediction server ids",
    "search": "Label or description contains",
    "createdBy": "Created by (user id or email)",
    "championModelTargetType": "Champion model target type",
    "lastPredictionTimestampStart": "Last prediction after",
    "lastPredictionTimestampEnd": "Last prediction before",
    "predictionUsageDailyAvgGreaterThan": "Predictions a day, more than",
    "predictionUsageDailyAvgLessThan": "Predictions a day, fewer than",
}
"""What each filter is called on screen; the API name follows it as a hint."""

VALUE_WORDS: dict[str, str] = {"notStarted": "not started"}

OBJECT_ID = re.compile(r"[0-9a-fA-F]{24}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+")


def _human(value: str) -> str:
    return VALUE_WORDS.get(value, value.replace("_", " "))


def normalise_choice(vocabulary: type[StrEnum] | list[str], value: str) -> str | None:
    """The API's spelling of `value` in `vocabulary`, whatever its case (`critical` ->
    `CRITICAL`, `not_started` -> `notStarted`); None if it is not one of them."""
    values = [v.value for v in vocabulary] if isinstance(vocabulary, type) else vocabulary
    wanted = value.strip().replace("_", "").lower()
    for known in values:
        if known.replace("_", "").lower() == wanted:
            return known
    return None


def normalise_query(query: DeploymentQuery) -> DeploymentQuery:
    """`query` with every enumerated value in the API's spelling (unknown values are kept: the
    server says what is wrong with them)."""
    for name, vocabulary in CHOICES.items():
        values = getattr(query, LIST_FILTERS[name])
        if values:
            fixed = [normalise_choice(vocabulary, str(v)) or str(v) for v in values]
            query = query.with_filter(name, fixed)
    for name, options in SINGLE_CHOICES.items():
        value = getattr(query, SCALAR_FILTERS[name])
        if isinstance(value, str):
            query = query.with_filter(name, normalise_choice(options, value) or value)
    return query


def check_value(name: str, raw: str) -> str | None:
    """What is wrong with the text typed into field `name` (None: nothing)."""
    raw = raw.strip()
    if not raw:
        return None
    if name in IDS:
        bad = [
            v.strip() for v in raw.split(",") if v.strip() and not OBJECT_ID.fullmatch(v.strip())
        ]
        if bad:
            return f"not an id (24 hex characters): {bad[0]!r}"
    elif name == "createdBy":
        if not (OBJECT_ID.fullmatch(raw) or EMAIL.fullmatch(raw)):
            return "a user id (24 hex characters) or an email address"
    elif name in DATES:
        try:
            datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            return "not a time: use 2026-01-31 or 2026-01-31T08:00:00Z"
    elif name in INTEGERS and not raw.isdigit():
        return "not a whole number"
    return None


class CheckList(SelectionList[str]):
    """A SelectionList whose state reads without colour: `[x]` on, `[ ]` off."""

    BINDINGS: ClassVar[list[BindingType]] = list(CHECKLIST_BINDINGS)

    def render_line(self, y: int) -> Strip:
        line = super(SelectionList, self).render_line(y)  # the prompt alone (OptionList)
        index = self.scroll_offset.y + y
        if not 0 <= index < self.option_count:
            return line
        selection = self.get_option_at_index(index)
        chosen = selection.value in self._selected
        underlying = next(iter(line)).style or self.rich_style
        style = underlying + Style(bold=chosen, meta={"option": index})
        return Strip([Segment("[x] " if chosen else "[ ] ", style), *line])


class FilterBuilder(ModalScreen[DeploymentQuery | None]):
    BINDINGS: ClassVar[list[BindingType]] = list(FILTER_BINDINGS)

    def __init__(self, query: DeploymentQuery) -> None:
        super().__init__()
        self._query = normalise_query(query)

    def _current(self, name: str) -> Any:
        return getattr(self._query, LIST_FILTERS.get(name) or SCALAR_FILTERS[name])

    def compose(self) -> ComposeResult:
        with Vertical(id="filter-dialog", classes="dialog"):
            yield dialog_title(
                "Filter deployments",
                "tab/shift+tab move · space toggles · enter applies · ? keys · esc cancels",
            )
            with VerticalScroll(id="filter-form"):
                yield from self._fields()
            yield Label("", id="filter-error")
            with Horizontal(classes="buttons"):
                yield Button("Apply (enter)", variant="primary", id="apply")
                yield Button("Clear all (ctrl+r)", id="clear")
                yield Button("Cancel (esc)", id="cancel")
        yield Footer()

    def _label(self, name: str) -> Label:
        return Label(
            Content.assemble((LABELS.get(name, name), "bold"), "  ", (name, "dim italic")),
            classes="field-label",
        )

    def _fields(self) -> ComposeResult:
        for name, vocabulary in CHOICES.items():
            chosen = {
                HealthStatus.NOT_STARTED.value if v == "not_started" else v
                for v in self._current(name) or ()
            }
            yield self._label(name)
            yield CheckList(
                *[(_human(v.value), v.value, v.value in chosen) for v in vocabulary],
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
            if value is not Select.NULL and value not in values:
                value = Select.NULL
            yield self._label(name)
            yield Select(
                [(_human(v), v) for v in values], value=value, id=f"f-{name}", prompt="(any)"
            )
        for name in (*LIST_TEXT, *TEXT, *DATES, *INTEGERS):
            current = self._current(name)
            if isinstance(current, tuple):
                current = ",".join(current)
            elif isinstance(current, datetime):
                current = current.isoformat()
            hint = (
                "24-hex ids, comma-separated"
                if name in IDS
                else "comma-separated"
                if name in LIST_TEXT
                else "a time, e.g. 2026-01-31 or 2026-01-31T08:00:00Z"
                if name in DATES
                else "a whole number"
                if name in INTEGERS
                else "24-hex id or email"
                if name == "createdBy"
                else ""
            )
            yield self._label(name)
            field = Input(
                value="" if current is None else str(current), placeholder=hint, id=f"f-{name}"
            )
            field.cursor_blink = False
            yield field
            yield Label("", id=f"e-{name}", classes="field-error")

    def on_mount(self) -> None:
        # The first field: space toggles and enter applies without a tab first. None left when
        # the dialog was closed before its mount was processed.
        for first in self.query(CheckList).results():
            first.focus()
            break

    # ----- checking as typed ----------------------------------------------------------------------

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("f-")
        problem = check_value(name, event.value)
        event.input.set_class(problem is not None, "-invalid")
        for note in self.query(f"#e-{name}").results(Label):
            note.update(Content(f"  ✗ {problem}" if problem else ""))
            note.set_class(problem is not None, "-shown")

    # ----- the query ------------------------------------------------------------------------------

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
            problem = check_value(name, raw)
            if problem is not None:
                raise ValueError(f"{LABELS.get(name, name)} ({name}): {problem}")
            if name in LIST_TEXT:
                query = query.with_filter(name, [v.strip() for v in raw.split(",") if v.strip()])
            elif name in DATES:
                query = query.with_filter(name, datetime.fromisoformat(raw.replace("Z", "+00:00")))
            elif name in INTEGERS:
                query = query.with_filter(name, int(raw))
            else:
                query = query.with_filter(name, raw)
        return query

    # ----- keys -----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # An open drop-down picks its option with enter, a button presses itself.
        focused = self.focused
        return not (
            action == "apply" and (is_open_dropdown(focused) or isinstance(focused, Button))
        )

    def action_apply(self) -> None:
        try:
            query = self.build()
        except ValueError as error:
            self.query_one("#filter-error", Label).update(Content(f"✗ {error}"))
            return
        close_once(self, query)

    def action_clear_all(self) -> None:
        close_once(self, DeploymentQuery(order_by=self._query.order_by))

    def action_help(self) -> None:
        from drtui.ui.screens.help import HelpScreen, keys_of

        self.app.push_screen(HelpScreen(keys_of(self), title="Filter dialog keys"))

    @on(Button.Pressed, "#apply")
    def _apply_pressed(self) -> None:
        self.action_apply()

    @on(Button.Pressed, "#clear")
    def _clear(self) -> None:
        self.action_clear_all()

    @on(Button.Pressed, "#cancel")
    def action_close(self) -> None:
        close_once(self, None)
