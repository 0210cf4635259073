"""`:bundles` — the compute-bundle browser: every bundle, filtered by use case, searched, sorted.

Polls GET /mlops/compute/bundles/ (all pages) through the shared poller; `enter` fetches the
bundle itself (GET /mlops/compute/bundles/{id}/) into the detail pane. The feature is a preview
on real installations: a 403/404 says the account lacks it, and polling stops.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import ClassVar

from textual import work
from textual.binding import BindingType

from drtui.api.errors import DataRobotError, NotFoundError, PermissionDeniedError
from drtui.api.models import ResourceBundle
from drtui.core.bundles import (
    NO_BUNDLES_FEATURE,
    USE_CASES,
    BundleRow,
    bundle_rows,
    bundle_sections,
    narrow,
)
from drtui.core.detail import Section
from drtui.ui.keymap import BUNDLE_BINDINGS
from drtui.ui.polling import Freshness
from drtui.ui.screens.choices import ChooseMany
from drtui.ui.screens.list_view import ListSpec, ListView, Wording
from drtui.ui.settings import AppSettings
from drtui.ui.sources import Sources
from drtui.ui.widgets.table_columns import Column
from drtui.ui.widgets.view_header import Part

COLUMNS: tuple[Column[BundleRow], ...] = (
    Column(
        "name",
        "NAME",
        16,
        0,
        lambda r, _: (r.name, ""),
        sort_key=lambda r: r.name.lower(),
        flex=True,
        comfort=24,
        max_width=40,
    ),
    Column(
        "default",
        "DEF",
        3,
        0,
        lambda r, _: ("★" if r.is_default else "", "good"),
        sort_key=lambda r: not r.is_default,
        name="Default",
    ),
    Column(
        "cpu",
        "CPU",
        5,
        0,
        lambda r, _: (r.cpu_text.rjust(5), ""),
        sort_key=lambda r: r.cpu_count,
        name="CPU",
    ),
    Column(
        "memory",
        "MEMORY",
        10,
        0,
        lambda r, _: (r.memory_text.rjust(10), ""),
        sort_key=lambda r: r.memory_bytes,
    ),
    Column(
        "gpu", "GPU", 20, 1, lambda r, _: (r.gpu, ""), sort_key=lambda r: r.gpu_count, name="GPU"
    ),
    Column(
        "use_cases",
        "USE CASES",
        30,
        2,
        lambda r, _: (r.use_case_text, "muted"),
        sort_key=lambda r: r.use_case_text,
    ),
    Column(
        "description",
        "DESCRIPTION",
        30,
        3,
        lambda r, _: (r.description, "muted"),
        sort_key=lambda r: r.description.lower(),
    ),
)


SPEC: ListSpec[list[ResourceBundle], BundleRow] = ListSpec(
    name="bundles",
    title="Compute bundles",
    columns=COLUMNS,
    wording=Wording(
        "compute bundles",
        "compute bundle",
        empty="This installation has no compute bundles.",
        forbidden=NO_BUNDLES_FEATURE,
    ),
    fetch=Sources.bundles,
    build=bundle_rows,
    interval_floor=60.0,  # bundles change rarely
    stop_on=(NotFoundError, PermissionDeniedError),
    search="search name, description, use cases",
    sort_by="name",
    dim=lambda r: r.is_deleted,
    sections=lambda r: bundle_sections(r.source) if r.source is not None else None,
)


class BundlesScreen(ListView[list[ResourceBundle], BundleRow]):
    BINDINGS: ClassVar[list[BindingType]] = list(BUNDLE_BINDINGS)

    def __init__(
        self, settings: AppSettings, sources: Sources, now: Callable[[], datetime]
    ) -> None:
        super().__init__(SPEC, settings, now, sources)
        self.use_cases: frozenset[str] = frozenset()
        self.show_deleted = False
        self._opened: dict[str, ResourceBundle] = {}

    @property
    def no_feature(self) -> bool:
        """The account lacks the (preview) resource-bundles feature: a 403/404 stopped polling."""
        return self.poller.freshness.stopped and not self.rows

    def current_freshness(self) -> Freshness:
        freshness = self.poller.freshness
        if self.no_feature:  # an answer, not a failure: the header does not say STALE
            return Freshness(fetched_at=freshness.stale_since)
        return freshness

    def header_summary(self) -> list[Part]:
        if self.no_feature:
            return ["resource-bundles feature not enabled for this account"]
        live = sum(1 for b in self.rows if not b.is_deleted)
        deleted = len(self.rows) - live
        parts: list[Part] = [
            f"{self.shown} shown of {len(self.rows) if self.show_deleted else live}"
        ]
        if deleted:
            parts.append(
                f" · {deleted} deleted "
                + ("shown (x hides)" if self.show_deleted else "hidden (x shows)")
            )
        if self.use_cases:
            parts.append(" · use cases: " + ", ".join(sorted(self.use_cases)))
        return parts + self.search_parts()

    def narrowed(self) -> list[BundleRow]:
        return narrow(
            self.rows,
            search=self.search_text,
            use_cases=self.use_cases,
            show_deleted=self.show_deleted,
        )

    def sections_of(self, row: BundleRow) -> list[Section] | None:
        """The bundle as fetched by `enter` once it was, else as listed."""
        opened = self._opened.get(row.id)
        return bundle_sections(opened) if opened is not None else super().sections_of(row)

    # ----- actions -------------------------------------------------------------------------------

    def action_use_cases(self) -> None:
        present = {u for b in self.rows for u in b.use_cases}
        options = [(u, u) for u in (*USE_CASES, *sorted(present - set(USE_CASES)))]
        self.app.push_screen(
            ChooseMany("Use cases (any of)", options, self.use_cases), self._use_cases_chosen
        )

    def _use_cases_chosen(self, chosen: frozenset[str] | None) -> None:
        if chosen is not None:
            self.use_cases = chosen
            self.show_rows()

    def action_toggle_deleted(self) -> None:
        self.show_deleted = not self.show_deleted
        self.show_rows()

    def action_open(self) -> None:
        row = self.table.cursor_row
        if row is None:
            return
        self.open_detail()
        self._open(row.id)

    @work(group="bundle-detail", exclusive=True, exit_on_error=False)
    async def _open(self, bundle_id: str) -> None:
        try:
            bundle = await self.sources.bundle(bundle_id)
        except DataRobotError as error:
            self.notify(
                f"Could not load the bundle: {error}", severity="error", timeout=8, markup=False
            )
            return
        self._opened[bundle_id] = bundle
        self.show_detail()
