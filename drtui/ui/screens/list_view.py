"""What a polled, searched, sorted list view shares (`:bundles`, `:custom`).

A subclass names its `COLUMNS`, composes `search_input()` above its table, and says how rows are
narrowed (`narrowed`) and what an empty result reads (`NO_MATCH`). This layer owns the search
field (`/` opens it, typing narrows at once, `enter` returns to the table, `esc` clears it before
anything else), the sort (`s` chooses a column, `S` reverses it, a click on a header sorts by it,
a second click reverses), and the poller keys (`r` refresh now, `p` pause).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Generic, TypeVar

from textual import events, on
from textual.widgets import Input

from drtui.ui.polling import Poller
from drtui.ui.screens.base import ViewScreen, typed_ahead
from drtui.ui.screens.choices import ChooseOne
from drtui.ui.widgets.line_table import Column, HasId, LineTable, sort_rows

R = TypeVar("R", bound=HasId)


class ListViewScreen(ViewScreen, Generic[R]):
    COLUMNS: ClassVar[tuple[Column[Any], ...]] = ()
    NO_MATCH: ClassVar[str] = "Nothing matches."
    DESCENDING_BY_DEFAULT: ClassVar[frozenset[str]] = frozenset()
    """Columns sorted newest or largest first when chosen (a date: the latest on top)."""

    search_text: str = ""
    sort_key: str = ""
    descending: bool = False
    poller: Poller[Any, Any]

    # ----- what a subclass provides ----------------------------------------------------------

    @property
    def table(self) -> LineTable[R]:
        raise NotImplementedError

    @property
    def loaded(self) -> Sequence[R]:
        """Every row of the last poll, before narrowing."""
        raise NotImplementedError

    def narrowed(self) -> list[R]:
        """The loaded rows the search and filters keep."""
        raise NotImplementedError

    def after_show(self) -> None:
        """Called after the table was given its rows (e.g. to redraw a detail pane)."""

    def back_after_search(self) -> bool:
        """`esc` once the search is clear: True when it undid something (the selection, an open
        pane); otherwise the view goes back."""
        return False

    # ----- the search ------------------------------------------------------------------------

    @staticmethod
    def search_input(placeholder: str) -> Input:
        search = Input(placeholder=placeholder, id="search", compact=True)
        search.cursor_blink = False
        search.display = False
        return search

    def on_key(self, event: events.Key) -> None:
        typed_ahead(self, event)

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        self.set_focus(search)  # now: keys typed right after `/` are the search

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.search_text = event.value
        self.show_rows()

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.table.focus()

    def clear_search(self) -> None:
        search = self.query_one("#search", Input)
        search.value = ""
        search.display = False
        self.search_text = ""

    def action_back(self) -> None:
        """esc: clear the search first, then what the view undoes, then go back."""
        search = self.query_one("#search", Input)
        if search.display or self.search_text:
            self.clear_search()
            self.table.focus()
            self.show_rows()
        elif not self.back_after_search():
            super().action_back()

    # ----- showing and sorting ---------------------------------------------------------------

    def show_rows(self) -> None:
        rows = self.narrowed()
        column = next((c for c in self.COLUMNS if c.key == self.sort_key), None)
        rows = sort_rows(rows, column, descending=self.descending)
        if self.loaded and not rows:
            self.table.empty_message = self.NO_MATCH
        self.table.set_rows(rows, clock=self._now())
        self.show_header()
        self.after_show()

    def apply_order(self) -> None:
        self.table.set_order(f"-{self.sort_key}" if self.descending else self.sort_key)

    def _sorted(self) -> None:
        self.apply_order()
        self.show_rows()

    def on_line_table_header_clicked(self, message: LineTable.HeaderClicked) -> None:
        key = message.column.key
        self.descending = not self.descending if key == self.sort_key else False
        self.sort_key = key
        self._sorted()

    def action_sort(self) -> None:
        options = [(c.key, c.sort_name) for c in self.COLUMNS if c.sort_key is not None]
        self.app.push_screen(ChooseOne("Sort by", options, self.sort_key), self._sort_chosen)

    def _sort_chosen(self, key: str | None) -> None:
        if key is not None:
            self.sort_key, self.descending = key, key in self.DESCENDING_BY_DEFAULT
            self._sorted()

    def action_reverse_sort(self) -> None:
        self.descending = not self.descending
        self._sorted()

    # ----- the poller ------------------------------------------------------------------------

    def action_refresh(self) -> None:
        if not self.poller.poll_now():
            self.notify("A refresh is already running.", timeout=3)

    def action_pause(self) -> None:
        self.poller.toggle_pause()
