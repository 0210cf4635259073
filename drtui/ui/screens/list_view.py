"""One list view for every list but the deployments one: a `ListSpec` says what differs, `ListView`
does the rest.

As k9s registers each resource as a view config read by one generic browser, a list here is a
spec (how rows are fetched and built, how often, which errors stop polling, what an empty,
failed or forbidden list reads, the columns, the search, the sort, the detail pane) and a screen
that adds only the view's own actions. `ListView` owns the poller, `compose` (header, poller,
search, table, optional detail pane, footer), the header's freshness, the poll state's wording,
the tick, `r`/`p`, the search (`/` opens it, typing narrows at once, `enter` returns to the
table, `esc` clears it before anything else), the sort (`s` chooses, `S` reverses, a header click
sorts, a second click reverses) and `esc`. A view with no poll of its own (`polled=False`) is fed
rows by whoever has them (`feed`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Container, Horizontal
from textual.widget import Widget
from textual.widgets import Input, Label

from drtui.core.detail import Section
from drtui.core.sanitize import clean
from drtui.ui.polling import Freshness, Poller
from drtui.ui.screens.base import ViewScreen, typed_ahead
from drtui.ui.screens.choices import ChooseOne
from drtui.ui.settings import AppSettings
from drtui.ui.sources import Sources
from drtui.ui.widgets.detail_pane import DetailPane
from drtui.ui.widgets.footer import DrtuiFooter
from drtui.ui.widgets.line_table import LineTable
from drtui.ui.widgets.table_columns import Column, HasId, sort_rows
from drtui.ui.widgets.view_header import Part, ViewHeader

RawT = TypeVar("RawT")
R = TypeVar("R", bound=HasId)

WIDE = 120
"""From this width a detail pane stands beside the table; below it, `enter` opens it below."""
REASON_LIMIT = 160
"""Characters of a failure's reason an empty table shows."""


@dataclass(frozen=True, slots=True)
class Wording:
    """What the table says while it has no rows, and the detail pane with nothing under the
    cursor: said of the list's `things` (one of them: `thing`) unless a view words it itself.
    `failed` and a `forbidden` string take the failure's reason as `{reason}`."""

    things: str
    thing: str
    loading: str = ""
    """Until the first answer: `Loading <things>…`."""
    empty: str = ""
    """A poll answered: there is nothing (`No <things>.`)."""
    no_match: str = ""
    """Rows are loaded, the search or a filter keeps none (`No <thing> matches.`)."""
    failed: str = ""
    """A poll failed and nothing was loaded (`Cannot load <things>: {reason}`)."""
    forbidden: str | Callable[[str], str] = "{reason}"
    """Polling stopped on one of `stop_on`'s errors: a permission or a missing feature (a
    callable is handed the whole reason, to tell one from the other)."""
    no_selection: str = ""
    """The detail pane with no row (`No <thing> selected.`)."""

    def __post_init__(self) -> None:
        said = {
            "loading": f"Loading {self.things}…",
            "empty": f"No {self.things}.",
            "no_match": f"No {self.thing} matches.",
            "failed": f"Cannot load {self.things}: {{reason}}",
            "no_selection": f"No {self.thing} selected.",
        }
        for name, text in said.items():
            if not getattr(self, name):
                object.__setattr__(self, name, text)  # frozen: set once, here

    def stopped(self, reason: str) -> str:
        if callable(self.forbidden):
            return self.forbidden(reason)
        return self.forbidden.format(reason=clean(reason, limit=REASON_LIMIT))


@dataclass(frozen=True, slots=True)
class ListSpec(Generic[RawT, R]):
    """Everything one list view declares; `ListView` reads it."""

    name: str
    """The view's name (its poller is `<name>-poller`)."""
    title: str
    """What the header calls the view."""
    columns: tuple[Column[R], ...]
    wording: Wording
    build: Callable[[RawT], list[R]]
    """Raw data to rows: in a thread after each poll, on the event loop for a fed view."""
    fetch: Callable[[Sources], Awaitable[RawT]] | None = None
    """The poll's request; None when the view's request depends on its own state (it overrides
    `ListView.fetch`) or when it is fed."""
    polled: bool = True
    """False: no poller; rows come through `ListView.feed` (the events view: the app's log)."""
    interval_floor: float = 0.0
    """The poll interval is the user's refresh interval, at least this (rarely changing lists)."""
    stop_on: tuple[type[BaseException], ...] = ()
    """Errors retrying cannot mend: polling stops (until `r`) and `wording.forbidden` shows."""
    search: str | None = None
    """The search field's placeholder; None: the view has no search."""
    search_prompt: bool = False
    """The search line starts with a `/` prompt (as the deployments view's does)."""
    narrow: Callable[[Sequence[R], str], list[R]] | None = None
    """The loaded rows the search text keeps (None: all; a view with filters of its own
    overrides `ListView.narrowed`)."""
    sort_by: str | None = None
    """The column sorted by at first; None: rows stay in the order built, headers do not sort."""
    descending_first: frozenset[str] = frozenset()
    """Columns sorted newest or largest first when chosen (a date: the latest on top)."""
    selectable: bool = False
    dim: Callable[[R], bool] | None = None
    sections: Callable[[R], list[Section] | None] | None = None
    """The detail pane's sections of a row (None for a row: nothing to show); no pane if None."""


class ListView(ViewScreen, Generic[RawT, R]):
    """The screen of one `ListSpec`. A subclass passes its spec, binds its keys and adds its own
    actions; the hooks below are what it may override. Textual runs a message handler of every
    class in the MRO, so a subclass extends `on_mount` through `mounted`, not its own handler."""

    def __init__(
        self,
        spec: ListSpec[RawT, R],
        settings: AppSettings,
        now: Callable[[], datetime],
        sources: Sources | None = None,
    ) -> None:
        super().__init__(settings, now)
        self.spec = spec
        self._sources = sources
        self.rows: list[R] = []
        """Every row of the last poll (or feed), before narrowing."""
        self.search_text = ""
        self.sort_key = spec.sort_by or ""
        self.descending = self.sort_key in spec.descending_first
        self._poller: Poller[RawT, list[R]] | None = None
        if spec.polled:
            self._poller = Poller(
                fetch=self.fetch,
                build=self.build,
                apply=self._apply,
                on_state=self._poll_state,
                interval=max(settings.refresh_interval, spec.interval_floor),
                now=now,
                stop_on=spec.stop_on,
                id=f"{spec.name}-poller",
            )

    @property
    def poller(self) -> Poller[RawT, list[R]]:
        """The view's poll loop (AttributeError for a fed view: it has none)."""
        if self._poller is None:
            raise AttributeError(f"the {self.spec.name} view is fed, not polled")
        return self._poller

    @property
    def sources(self) -> Sources:
        assert self._sources is not None, "a view that fetches is given the sources"
        return self._sources

    # ----- the screen ------------------------------------------------------------------------

    def make_header(self, **kwargs: Any) -> ViewHeader:
        kwargs.setdefault("view", self.spec.title)
        return super().make_header(**kwargs)

    def compose(self) -> ComposeResult:
        yield self.make_header()
        if self._poller is not None:
            yield self._poller
        yield from self.compose_above()
        if self.spec.search is not None:
            search = Input(placeholder=self.spec.search, id="search", compact=True)
            search.cursor_blink = False
            if self.spec.search_prompt:
                with Horizontal(id="search-line") as line:
                    line.display = False
                    yield Label("/", id="search-prompt")
                    yield search
            else:
                search.display = False
                yield search
        with Container(id="body"):
            yield LineTable(
                self.spec.columns,
                now=self._now,
                selectable=self.spec.selectable,
                dim=self.spec.dim,
                empty_message=self.spec.wording.loading,
                id="table",
            )
            if self.spec.sections is not None:
                yield DetailPane(id="detail")
        yield DrtuiFooter()

    def compose_above(self) -> Iterator[Widget]:
        """Widgets between the header and the search (a view's own summary lines)."""
        yield from ()

    @property
    def table(self) -> LineTable[R]:
        return self.query_one("#table", LineTable)

    def on_mount(self) -> None:
        if self.spec.sections is not None:
            self.set_class(self.app.size.width >= WIDE, "-wide")
        self.table.focus()
        if self.spec.sort_by is not None:
            self.apply_order()
        self.start_ticking()
        self.mounted()
        if self._poller is not None:
            self._poller.poll_now()

    def mounted(self) -> None:
        """Called once mounted, before the first poll."""

    def on_resize(self, event: events.Resize) -> None:
        if self.spec.sections is not None:
            self.set_class(event.size.width >= WIDE, "-wide")

    def tick(self) -> None:
        super().tick()
        if self.is_mounted:
            self.table.tick(self._now())

    # ----- the rows --------------------------------------------------------------------------

    async def fetch(self) -> RawT:
        """What the poller awaits: the spec's request (a view whose request depends on its own
        state, a filter the server applies, overrides this)."""
        fetch = self.spec.fetch
        assert fetch is not None, f"the {self.spec.name} view names no fetch"
        return await fetch(self.sources)

    def build(self, raw: RawT) -> list[R]:
        """Raw data to rows (in the poll's thread: no widgets here)."""
        return self.spec.build(raw)

    def feed(self, raw: RawT) -> None:
        """Rows for a view that does not poll: built here and shown."""
        self.load(self.build(raw))

    def load(self, rows: list[R]) -> None:
        """New rows (a poll, a feed): kept and shown, narrowed and sorted."""
        self.rows = rows
        self.show_rows()

    def _apply(self, rows: list[R], fetched_at: datetime) -> None:
        self.load(rows)

    def narrowed(self) -> list[R]:
        """The loaded rows the search (and a view's own filters) keep."""
        narrow = self.spec.narrow
        return narrow(self.rows, self.search_text) if narrow is not None else list(self.rows)

    def show_rows(self) -> None:
        rows = self.narrowed()
        column = next((c for c in self.spec.columns if c.key == self.sort_key), None)
        rows = sort_rows(rows, column, descending=self.descending)
        if self.rows and not rows:
            self.table.empty_message = self.spec.wording.no_match
        self.table.set_rows(rows, clock=self._now())
        self.show_header()
        if self.spec.sections is not None:
            self.show_detail()
        self.after_show()

    def after_show(self) -> None:
        """Called after the table was given its rows (a view's own lines to redraw)."""

    def chosen(self) -> list[R]:
        """The selected rows in the table's order, else the row under the cursor, else none."""
        table = self.table
        rows = [r for r in table.rows if r.id in table.selected]
        if not rows and table.cursor_row is not None:
            rows = [table.cursor_row]
        return rows

    def on_line_table_selection_changed(self, _: LineTable.SelectionChanged) -> None:
        self.show_header()

    # ----- the poll's state ------------------------------------------------------------------

    def current_freshness(self) -> Freshness | None:
        return self._poller.freshness if self._poller is not None else None

    def _poll_state(self, freshness: Freshness) -> None:
        self.poll_state_changed(freshness)
        message = None if self.rows else self.state_wording(freshness)
        if message is not None:
            self.table.empty_message = message
            if freshness.stopped and self.spec.sections is not None:
                self.query_one(DetailPane).show(None, None, empty=message)
        self.show_header()

    def poll_state_changed(self, freshness: Freshness) -> None:
        """Called on every change of the poll's state, before the table's wording."""

    def state_wording(self, freshness: Freshness) -> str | None:
        """What an empty table says in this state: stopped, failed, answered, or still loading."""
        wording = self.spec.wording
        if freshness.stopped:
            return wording.stopped(freshness.reason)
        if freshness.stale_since is not None:
            return wording.failed.format(reason=clean(freshness.reason, limit=REASON_LIMIT))
        if freshness.fetched_at is not None:
            return wording.empty
        return None

    def action_refresh(self) -> None:
        if not self.poller.poll_now():
            self.notify("A refresh is already running.", timeout=3)

    def action_pause(self) -> None:
        self.poller.toggle_pause()

    # ----- the header ------------------------------------------------------------------------

    @property
    def shown(self) -> int:
        return len(self.table.rows) if self.is_mounted else 0

    def search_parts(self) -> list[Part]:
        """The header's mention of the search, if any."""
        if not self.search_text:
            return []
        return [f' · search: "{clean(self.search_text, limit=40)}"']

    # ----- the detail pane -------------------------------------------------------------------

    def sections_of(self, row: R) -> list[Section] | None:
        assert self.spec.sections is not None
        return self.spec.sections(row)

    def show_detail(self) -> None:
        row = self.table.cursor_row
        sections = None if row is None else self.sections_of(row)
        pane = self.query_one(DetailPane)
        if row is None or sections is None:
            pane.show(None, None, empty=self.spec.wording.no_selection)
        else:
            pane.show(row.id, sections)

    def open_detail(self) -> None:
        """Below WIDE the pane is hidden until asked for: `enter` opens it, `esc` closes it."""
        if not self.has_class("-wide"):
            self.add_class("-detail-open")

    def on_line_table_cursor_moved(self, _: LineTable.CursorMoved) -> None:
        if self.spec.sections is not None:
            self.show_detail()

    # ----- the search ------------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        typed_ahead(self, event)

    def _search_box(self) -> Widget:
        """What shows and hides with the search: the field, or its line with the prompt."""
        return self.query_one("#search-line" if self.spec.search_prompt else "#search")

    def action_search(self) -> None:
        self._search_box().display = True
        self.set_focus(self.query_one("#search", Input))  # now: keys typed after `/` search

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.search_text = event.value
        self.show_rows()

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.table.focus()

    def clear_search(self) -> None:
        if self.spec.search is None:
            return
        self.query_one("#search", Input).value = ""
        self._search_box().display = False
        self.search_text = ""

    def action_back(self) -> None:
        """esc: clear the search first, then close the detail pane, then what the view undoes,
        then go back."""
        if self.spec.search is not None and (self._search_box().display or self.search_text):
            self.clear_search()
            self.table.focus()
            self.show_rows()
        elif self.has_class("-detail-open"):
            self.remove_class("-detail-open")
        elif not self.back_after_search():
            super().action_back()

    def back_after_search(self) -> bool:
        """`esc` once the search is clear and the pane closed: True when it undid something
        (the selection); otherwise the view goes back."""
        return False

    # ----- the sort --------------------------------------------------------------------------

    def apply_order(self) -> None:
        self.table.set_order(f"-{self.sort_key}" if self.descending else self.sort_key)

    def _sorted(self) -> None:
        self.apply_order()
        self.show_rows()

    def on_line_table_header_clicked(self, message: LineTable.HeaderClicked) -> None:
        if self.spec.sort_by is None:
            return
        key = message.column.key
        self.descending = not self.descending if key == self.sort_key else False
        self.sort_key = key
        self._sorted()

    def action_sort(self) -> None:
        options = [(c.key, c.sort_name) for c in self.spec.columns if c.sort_key is not None]
        self.app.push_screen(ChooseOne("Sort by", options, self.sort_key), self._sort_chosen)

    def _sort_chosen(self, key: str | None) -> None:
        if key is not None:
            self.sort_key, self.descending = key, key in self.spec.descending_first
            self._sorted()

    def action_reverse_sort(self) -> None:
        self.descending = not self.descending
        self._sorted()
