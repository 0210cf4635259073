"""`:bundles` — the compute-bundle browser: every bundle, filtered by use case, searched, sorted.

Polls GET /mlops/compute/bundles/ (all pages) through the shared poller; `enter` fetches the
bundle itself (GET /mlops/compute/bundles/{id}/) into the detail pane. The feature is a preview
on real installations: a 403/404 says the account lacks it, and polling stops.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Container
from textual.events import Resize

from drtui.api.errors import DataRobotError, NotFoundError, PermissionDeniedError
from drtui.core.bundles import (
    NO_BUNDLES_FEATURE,
    USE_CASES,
    BundleRow,
    bundle_rows,
    bundle_sections,
    narrow,
)
from drtui.core.sanitize import clean
from drtui.ui.keymap import BUNDLE_BINDINGS
from drtui.ui.polling import Freshness, Poller
from drtui.ui.screens.choices import ChooseMany
from drtui.ui.screens.list_view import ListViewScreen
from drtui.ui.settings import AppSettings
from drtui.ui.sources import Sources
from drtui.ui.widgets.detail_pane import DetailPane
from drtui.ui.widgets.footer import DrtuiFooter
from drtui.ui.widgets.line_table import Column, LineTable
from drtui.ui.widgets.view_header import Part

if TYPE_CHECKING:
    from drtui.api.models import ResourceBundle

WIDE = 120
NO_FEATURE = NO_BUNDLES_FEATURE

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


class BundleTable(LineTable[BundleRow]):
    def __init__(self, *, now: Callable[[], datetime], **kwargs: object) -> None:
        super().__init__(
            COLUMNS,
            now=now,
            dim=lambda r: r.is_deleted,
            empty_message="Loading compute bundles…",
            **kwargs,  # type: ignore[arg-type]
        )


class BundlesScreen(ListViewScreen[BundleRow]):
    BINDINGS: ClassVar[list[BindingType]] = list(BUNDLE_BINDINGS)
    VIEW_TITLE = "Compute bundles"
    COLUMNS = COLUMNS
    NO_MATCH = "No compute bundle matches."

    def __init__(
        self, settings: AppSettings, sources: Sources, now: Callable[[], datetime]
    ) -> None:
        super().__init__(settings, now)
        self._sources = sources
        self.bundles: list[BundleRow] = []
        self.search_text = ""
        self.use_cases: frozenset[str] = frozenset()
        self.show_deleted = False
        self.sort_key: str = "name"
        self.descending = False
        self._opened: dict[str, ResourceBundle] = {}
        self.poller: Poller[list[ResourceBundle], list[BundleRow]] = Poller(
            fetch=sources.bundles,
            build=bundle_rows,
            apply=self._apply,
            on_state=self._poll_state,
            interval=max(settings.refresh_interval, 60.0),  # bundles change rarely
            now=now,
            stop_on=(NotFoundError, PermissionDeniedError),
            id="bundles-poller",
        )

    def compose(self) -> ComposeResult:
        yield self.make_header()
        yield self.poller
        yield self.search_input("search name, description, use cases")
        with Container(id="body"):
            yield BundleTable(now=self._now, id="table")
            yield DetailPane(id="detail")
        yield DrtuiFooter()

    @property
    def table(self) -> BundleTable:
        return self.query_one(BundleTable)

    def on_mount(self) -> None:
        self.set_class(self.app.size.width >= WIDE, "-wide")
        self.table.focus()
        self.apply_order()
        self.start_ticking()
        self.poller.poll_now()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width >= WIDE, "-wide")

    # ----- data ----------------------------------------------------------------------------------

    @property
    def no_feature(self) -> bool:
        """The account lacks the (preview) resource-bundles feature: a 403/404 stopped polling."""
        return self.poller.freshness.stopped and not self.bundles

    def current_freshness(self) -> Freshness:
        freshness = self.poller.freshness
        if self.no_feature:  # an answer, not a failure: the header does not say STALE
            return Freshness(fetched_at=freshness.stale_since)
        return freshness

    def header_summary(self) -> list[Part]:
        if self.no_feature:
            return ["resource-bundles feature not enabled for this account"]
        live = sum(1 for b in self.bundles if not b.is_deleted)
        deleted = len(self.bundles) - live
        total = len(self.bundles) if self.show_deleted else live
        parts: list[Part] = [f"{len(self.table.rows) if self.is_mounted else 0} shown of {total}"]
        if deleted:
            parts.append(
                f" · {deleted} deleted "
                + ("shown (x hides)" if self.show_deleted else "hidden (x shows)")
            )
        if self.use_cases:
            parts.append(" · use cases: " + ", ".join(sorted(self.use_cases)))
        if self.search_text:
            parts.append(f' · search: "{clean(self.search_text, limit=40)}"')
        return parts

    def _apply(self, rows: list[BundleRow], fetched_at: datetime) -> None:
        self.bundles = rows
        self.show_rows()

    def _poll_state(self, freshness: Freshness) -> None:
        if freshness.stopped and not self.bundles:
            self.table.empty_message = NO_FEATURE
            self.query_one(DetailPane).show(None, None, empty=NO_FEATURE)
        elif not self.bundles and freshness.stale_since is not None:
            self.table.empty_message = f"Cannot load compute bundles: {freshness.reason}"
        elif freshness.fetched_at is not None and not self.bundles:
            self.table.empty_message = "This installation has no compute bundles."
        self.show_header()

    @property
    def loaded(self) -> Sequence[BundleRow]:
        return self.bundles

    def narrowed(self) -> list[BundleRow]:
        return narrow(
            self.bundles,
            search=self.search_text,
            use_cases=self.use_cases,
            show_deleted=self.show_deleted,
        )

    def after_show(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        row = self.table.cursor_row
        pane = self.query_one(DetailPane)
        if row is None or row.source is None:
            pane.show(None, None, empty="No compute bundle selected.")
            return
        bundle = self._opened.get(row.id, row.source)
        pane.show(row.id, bundle_sections(bundle))

    def on_line_table_cursor_moved(self, _: LineTable.CursorMoved) -> None:
        self._show_detail()

    # ----- actions -------------------------------------------------------------------------------

    def back_after_search(self) -> bool:
        """esc after the search: close the narrow detail pane."""
        if self.has_class("-detail-open"):
            self.remove_class("-detail-open")
            return True
        return False

    def action_use_cases(self) -> None:
        present = {u for b in self.bundles for u in b.use_cases}
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
        if not self.has_class("-wide"):
            self.add_class("-detail-open")
        self._open(row.id)

    @work(group="bundle-detail", exclusive=True, exit_on_error=False)
    async def _open(self, bundle_id: str) -> None:
        try:
            bundle = await self._sources.bundle(bundle_id)
        except DataRobotError as error:
            self.notify(
                f"Could not load the bundle: {error}", severity="error", timeout=8, markup=False
            )
            return
        self._opened[bundle_id] = bundle
        self._show_detail()
