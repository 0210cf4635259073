"""The deployments monitoring view: the screen that wires the view's parts to its widgets and keys.

What the view knows and decides lives in plain objects (ui/deployments/): the state and what the
table shows (FleetView), each poll (FleetPoll, run by the shared `Poller` of ui/polling.py),
alerts, the server search, replay, writes and the cursor row's links. The screen composes the
widgets, hands the parts what they may call (`Ports`), draws the view when a part says it
changed, and turns keys into the parts' calls.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Container, Horizontal
from textual.events import Key, Resize
from textual.widgets import Input, Label

from drtui.api.errors import AuthenticationError
from drtui.api.query import DeploymentQuery
from drtui.core.alerts import AlertRules
from drtui.core.events import EventLog
from drtui.core.fleet import Fleet
from drtui.core.recorded import HealthStrip, Replay
from drtui.core.rows import Row
from drtui.store.recorder import BackgroundRecorder
from drtui.ui.deployments.alerts import FleetAlerts
from drtui.ui.deployments.links import RowLinks
from drtui.ui.deployments.poll import Fetched, FleetPoll
from drtui.ui.deployments.ports import Ports
from drtui.ui.deployments.replay import ReplayController
from drtui.ui.deployments.server_search import ServerSearch
from drtui.ui.deployments.sorting import clicked, one_key, reversed_order
from drtui.ui.deployments.view import FleetView
from drtui.ui.deployments.writes import DeploymentWrites
from drtui.ui.heap import COLLECTOR
from drtui.ui.keymap import SCREEN_BINDINGS, WRITE_BINDINGS
from drtui.ui.polling import Freshness, Poller
from drtui.ui.refresh import FleetUpdate
from drtui.ui.screens.base import ViewScreen, typed_ahead
from drtui.ui.screens.filter_builder import FilterBuilder, normalise_query
from drtui.ui.screens.help import FLEET_LEGEND
from drtui.ui.screens.replay import HistoryReader, ReplayBar, replay_banner
from drtui.ui.screens.sort_chooser import SortChooser
from drtui.ui.settings import AppSettings
from drtui.ui.sources import Sources
from drtui.ui.widgets.deployment_table import DeploymentTable
from drtui.ui.widgets.detail_pane import DetailPane
from drtui.ui.widgets.filter_bar import FilterBar
from drtui.ui.widgets.fleet_header import FleetHeader
from drtui.ui.widgets.footer import DrtuiFooter
from drtui.ui.widgets.line_table import LineTable

WIDE = 120
"""Terminal width from which the detail pane sits beside the table."""


class DeploymentsScreen(ViewScreen):
    BINDINGS: ClassVar[list[BindingType]] = [*SCREEN_BINDINGS, *WRITE_BINDINGS]
    VIEW_TITLE = "Deployments"
    HELP_LEGEND = FLEET_LEGEND

    def __init__(
        self,
        settings: AppSettings,
        sources: Sources,
        now: Callable[[], datetime],
        events: EventLog | None = None,
        alerts: AlertRules | None = None,
        recorder: BackgroundRecorder | None = None,
    ) -> None:
        super().__init__(settings, now)
        self._sources = sources
        self.alerts = alerts if alerts is not None else AlertRules()
        self.recorder = recorder
        """The fleet history: each applied fleet is recorded on its own thread."""
        self.strips: dict[str, HealthStrip] = {}
        """The last 24 h of each deployment, from the recorder's thread (`show_strips`)."""
        self._busy_said = -1
        self.view = FleetView(
            normalise_query(settings.query), settings.query.search or "", settings.attention_first
        )
        self.events = events if events is not None else EventLog()
        ports = Ports(
            clock=now,
            notify=self.notify,
            push=lambda screen, done: self.app.push_screen(screen, done),
            schedule=self.set_timer,
            cursor_row=lambda: self.table.cursor_row,
        )
        self.writes = DeploymentWrites(
            sources, ports, put_rows=self._put_rows, show_created=self._show_created
        )
        self.links = RowLinks(
            settings,
            sources,
            ports,
            copy=lambda text: self.app.copy_to_clipboard(text),
            show_custom=self._show_custom,
        )
        self.replay_control = ReplayController(
            HistoryReader(recorder.path) if recorder is not None else None,
            self.view,
            ports,
            shown=self._replay_shown,
        )
        self.fleet_alerts = FleetAlerts(
            self.alerts,
            self.events,
            ports,
            show_marked=lambda ids: self.table.set_degraded(ids),
            degraded=lambda moves: self.drtui.degraded(moves),
            forget=lambda key: self.drtui.unseen.forget(key),
            seen=lambda: self.drtui.mark_seen(),
            bell=self._ring,
            redraw=self._show_view,
        )
        self.server_search = ServerSearch(
            self.view,
            ports,
            fetch=lambda query, known: self._sources.deployments(query, known),
            start=lambda job: self.run_worker(
                job, group="server-search", exclusive=True, exit_on_error=False
            ),
            cancel=lambda: self.workers.cancel_group(self, "server-search"),
            polled=lambda: self.poller.polls > 0,
            requery=self.requery,
            redraw_bar=self._show_filters,
            redraw=self._show_view,
        )
        self.fleet_poll = FleetPoll(
            self.view,
            sources,
            self.fleet_alerts,
            recorder,
            polls=lambda: self.poller.polls,
            notify=self.notify,
            redraw=self._show_view,
        )
        self.poller: Poller[Fetched, FleetUpdate] = Poller(
            fetch=self.fleet_poll.fetch,
            build=self.fleet_poll.build,
            apply=self.fleet_poll.apply,
            on_state=self._poll_state,
            interval=settings.refresh_interval,
            now=now,
            wrap=COLLECTOR.building,
            stop_on=(AuthenticationError,),  # a rejected token is not retried forever
            id="fleet-poller",
        )

    # ----- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        s = self._settings
        yield FleetHeader(
            profile=s.profile_name,
            endpoint=s.endpoint,
            read_only=s.read_only,
            warnings=[w for w in (s.ssl_warning, s.cleartext_warning) if w],
            id="fleet-header",
        )
        yield self.poller
        yield FilterBar(id="filter-bar")
        search = Input(
            value=self.search_text,
            placeholder="label or description · regex (v[0-9]+$) · !text hides · n/N next/prev",
            id="search",
            compact=True,
        )
        search.cursor_blink = False  # a blinking cursor repaints twice a second over SSH
        with Horizontal(id="search-line") as line:
            line.display = bool(self.search_text)
            yield Label("/", id="search-prompt")
            yield search
        yield ReplayBar(id="replay-bar")
        with Container(id="body"):
            yield DeploymentTable(now=self._now, strips=self.recorder is not None, id="table")
            yield DetailPane(id="detail")
        yield DrtuiFooter()

    @property
    def table(self) -> DeploymentTable:
        return self.query_one(DeploymentTable)

    @property
    def fleet(self) -> Fleet:
        return self.view.fleet

    @property
    def query_state(self) -> DeploymentQuery:
        return self.view.query

    @property
    def search_text(self) -> str:
        return self.view.search_text

    @property
    def attention(self) -> bool:
        return self.view.attention

    @property
    def replay(self) -> Replay | None:
        """The recorded fleet shown instead of the live one (`[` `]` `{` `}` `T`; esc: live)."""
        return self.view.replay

    @property
    def view_answers(self) -> DeploymentQuery | None:
        """The query the server-narrowed rows answer (None: no server narrowing shown)."""
        return self.view.answers

    def on_mount(self) -> None:
        self.set_class(self.app.size.width >= WIDE, "-wide")
        self.table.focus()
        self._show_view()
        self.start_ticking()
        self.refresh_fleet()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width >= WIDE, "-wide")

    # ----- polling ------------------------------------------------------------------------------

    @property
    def freshness(self) -> Freshness:
        return self.poller.freshness

    @property
    def refreshes(self) -> int:
        return self.poller.polls

    @property
    def refreshing(self) -> bool:
        return self.poller.in_flight

    def current_freshness(self) -> Freshness:
        return self.poller.freshness

    def refresh_fleet(self) -> None:
        """Start a poll unless one is in flight (the running one re-arms the timer)."""
        self.poller.poll_now()

    def requery(self, query: DeploymentQuery) -> None:
        """The query changed: a new sort is applied here and now (rows are sorted locally);
        new filters or search drop the answer in flight and ask the server again."""
        if query == self.query_state:
            return
        if self.view.requery(query):
            self._show_filters()
            self.poller.invalidate()
        self._show_view()

    def _poll_state(self, freshness: Freshness) -> None:
        if not self.fleet.rows and freshness.fetched_at is None and freshness.stale_since:
            self.table.empty_message = f"Cannot load deployments: {freshness.reason}"
        self.show_header()

    def tick(self) -> None:
        self.table.tick(self._now())
        super().tick()

    def _ring(self) -> None:
        if self._settings.bell:
            self.app.bell()

    # ----- view ---------------------------------------------------------------------------------

    def _show_view(self, *, detail: bool = True, land: bool = False) -> None:
        """Draw the view; `detail=False` leaves the detail pane to the caller (a search draws
        it once, for the row the cursor lands on); `land`: the cursor on the first row,
        scrolled home (`_land`), without looking for the old cursor row first."""
        view, table = self.view, self.table
        rows = view.rows()
        if not rows and self.freshness.fetched_at is not None:
            table.empty_message = view.empty_message()
        table.set_order(view.order)
        table.set_marks(self.fleet_alerts.marks(view.replay))
        table.set_rows(rows, clock=self._now(), home=land)
        self._show_filters()
        self.show_header()
        if detail:
            self._show_detail()

    def _show_filters(self) -> None:
        bar = self.view.bar(len(self.table.rows))
        self.query_one(FilterBar).show(
            bar.chips,
            attention=bar.attention,
            shown=bar.shown,
            total=bar.total,
            notes=bar.notes,
            fleet=bar.fleet,
            grouped=bar.grouped,
        )

    def show_header(self) -> None:
        if self.is_mounted:
            counts = self.view.header_counts()
            self.query_one(FleetHeader).show_fleet(counts, self.freshness, self._now())

    def _show_detail(self) -> None:
        row = self.table.cursor_row
        pane = self.query_one(DetailPane)
        if row is None:
            pane.show(None, None, empty="No deployment selected.")
        else:
            strips = self.strips if self.recorder is not None else None
            pane.show(row.id, self.view.sections(row, self._now(), strips))

    def show_strips(self, strips: dict[str, HealthStrip]) -> None:
        """New health strips, computed on the recorder's thread after a recorded poll."""
        self.strips = strips
        if self.is_mounted:
            self.table.set_strips({key: strip.text for key, strip in strips.items()})
            self._show_detail()

    # ----- replay -------------------------------------------------------------------------------

    def write_refusal(self) -> tuple[str, str] | None:
        if self.replay is not None:
            return (
                "Replay",
                "Replay: {what} is disabled while the fleet is shown as it was (esc: live).",
            )
        return super().write_refusal()

    def _replay_shown(self) -> None:
        replay = self.replay
        self.table.set_replay(replay.at if replay is not None else None)
        bar = self.query_one(ReplayBar)
        if replay is not None:
            bar.update(replay_banner(replay))
        bar.set_class(replay is not None, "-on")
        self.refresh_bindings()
        self._show_view()

    def leave_replay(self) -> None:
        self.replay_control.leave()

    def action_replay_step(self, direction: int) -> None:
        """`[` / `]`: the previous / next instant at which any deployment changed."""
        self.replay_control.step(direction)

    def action_replay_hour(self, direction: int) -> None:
        """`{` / `}`: an hour back / forward (forward past now: live)."""
        self.replay_control.hour(direction)

    def action_replay_at(self) -> None:
        """`T`: type the instant to replay."""
        self.replay_control.ask_time()

    def on_line_table_cursor_moved(self, _: LineTable.CursorMoved) -> None:
        # The row under the cursor now (a message may name an interim row the view moved on
        # from); a view change that landed on it has shown its detail already.
        if self.table.cursor_id != self.query_one(DetailPane).identity:
            self._show_detail()

    def on_line_table_header_clicked(self, message: LineTable.HeaderClicked) -> None:
        if (field := message.column.order_by) is not None:
            self._sort(clicked(self.query_state.order_by, field), land=False)

    # ----- search -------------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.view.search_text = event.value
        self._show_view(detail=False, land=True)  # the cursor on the first match
        self._show_detail()  # once, for the row the cursor landed on
        self.server_search.typed(len(self.table.rows))

    def _land(self) -> None:
        """After a search, sort or view change: the cursor on the first row, scrolled home
        (where the eye goes), not wherever the old row ended up."""
        table = self.table
        if table.rows:
            table.scroll_home(animate=False, immediate=True)
            table.move_cursor_to_id(table.rows[0].id)

    def _step_match(self, delta: int) -> None:
        if not self.search_text.strip():
            self.notify("No search: / starts one, then n / N move between its matches.", timeout=3)
            return
        rows = self.table.rows
        if not rows:
            self.notify("No match.", timeout=2)
            return
        index = self.table.cursor_index
        index = 0 if index is None else (index + delta) % len(rows)
        self.table.move_cursor_to_id(rows[index].id)

    def action_next_match(self) -> None:
        """`n`: the next row matching the search (wrapping round)."""
        self._step_match(1)

    def action_previous_match(self) -> None:
        """`N`: the previous match (wrapping round)."""
        self._step_match(-1)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action.startswith("replay_"):
            return self.recorder is not None
        if action in ("mute", "acknowledge") and self.replay is not None:
            return False  # they act on the live alerts, not on a recorded fleet
        return super().check_action(action, parameters)

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.table.focus()

    # ----- actions ------------------------------------------------------------------------------

    def on_key(self, event: Key) -> None:
        typed_ahead(self, event)

    def action_search(self) -> None:
        self.query_one("#search-line").display = True
        # Focused now, not after the keys already waiting (Widget.focus waits its turn): what is
        # typed right after `/` (a fast typist, a paste) is the search, not table commands.
        self.set_focus(self.query_one("#search", Input))

    def action_clear(self) -> None:
        """esc: back to live from a replay, clear the search, or close the narrow detail pane,
        or go back to the last view."""
        search = self.query_one("#search", Input)
        line = self.query_one("#search-line")
        if self.replay is not None:
            self.leave_replay()
        elif line.display or self.search_text:
            self.server_search.stop()
            search.value = ""
            line.display = False
            self.view.search_text = ""
            self.table.focus()
            self._show_view()
            self.requery(dataclasses.replace(self.query_state, search=None))
        elif self.has_class("-detail-open"):
            self.remove_class("-detail-open")
        else:
            self.drtui.go_back()

    def action_filter(self) -> None:
        self.app.push_screen(FilterBuilder(self.query_state), self._filter_chosen)

    def _filter_chosen(self, query: DeploymentQuery | None) -> None:
        if query is not None:
            self.view.search_text = query.search or ""
            self.query_one("#search", Input).value = self.search_text
            self.requery(query)

    def action_sort(self) -> None:
        self.app.push_screen(SortChooser(self.query_state.order_by), self._sort_chosen)

    def _sort_chosen(self, order_by: str | None) -> None:
        if order_by is not None:
            self._sort(order_by)

    def action_reverse_sort(self) -> None:
        self._sort(reversed_order(self.query_state.order_by))

    def action_sort_by(self, field: str) -> None:
        """One-key sorts (`L`, `H`, `I`…): by that column; again reverses it."""
        self._sort(one_key(self.query_state.order_by, field))

    def _sort(self, order_by: str, *, land: bool = True) -> None:
        self.requery(dataclasses.replace(self.query_state, order_by=order_by))
        if land:
            self._land()

    def action_toggle_attention(self) -> None:
        self.view.attention = not self.view.attention
        self._show_view()
        self._land()

    def action_toggle_unknown(self) -> None:
        """In the attention view: also show deployments with no verdict (unknown, N/A)."""
        self.view.include_unknown = not self.view.include_unknown
        self._show_view()

    def action_mute(self) -> None:
        if (row := self.table.cursor_row) is not None:
            self.fleet_alerts.ask_mute(row)

    def action_acknowledge(self) -> None:
        if (row := self.table.cursor_row) is not None:
            self.fleet_alerts.acknowledge(row)

    def select_deployment(self, deployment_id: str) -> bool:
        """Put the cursor on a deployment (showing all rows if the current view hides it)."""
        if self.table.move_cursor_to_id(deployment_id):
            return True
        if deployment_id not in self.fleet.rows:
            return False
        self.view.attention = False
        if self.search_text or self.view.narrowed is not None:
            self.view.search_text = ""
            self.query_one("#search", Input).value = ""
            self.requery(DeploymentQuery(order_by=self.query_state.order_by))
        self._show_view()
        return self.table.move_cursor_to_id(deployment_id)

    def action_refresh(self) -> None:
        if self.refreshing:
            # Once per poll: a held-down `r` must not stack a toast per key repeat.
            if self._busy_said != self.poller.generation + self.poller.polls:
                self._busy_said = self.poller.generation + self.poller.polls
                self.notify("A refresh is already running.", timeout=3)
            return
        if self.freshness.stopped:
            self.notify("Retrying…", timeout=3)
        self.refresh_fleet()

    def action_pause(self) -> None:
        self.poller.toggle_pause()

    def action_toggle_detail(self) -> None:
        self.toggle_class("-detail-hidden" if self.has_class("-wide") else "-detail-open")

    def action_detail_down(self) -> None:
        self.query_one(DetailPane).scroll_page_down(animate=False)

    def action_detail_up(self) -> None:
        self.query_one(DetailPane).scroll_page_up(animate=False)

    def action_copy_id(self) -> None:
        self.links.copy_id()

    def action_copy_url(self) -> None:
        self.links.copy_url()

    def action_events(self) -> None:
        self.drtui.switch_view("events")

    def action_mark_seen(self) -> None:
        """`!`: the degradations counted in the header ("▲3 new") are seen."""
        self.fleet_alerts.mark_seen()
        self.show_header()

    def on_screen_resume(self) -> None:
        self.show_header()  # the count of new degradations may have gone meanwhile

    def action_custom_model(self) -> None:
        """`c`: the deployment under the cursor in `:custom` (when it runs a custom model)."""
        self.links.custom_model()

    def action_logs(self) -> None:
        """`l`: the log of the deployment under the cursor, where it has one."""
        self.links.logs()

    def _show_custom(self, deployment_id: str) -> None:
        self.drtui.switch_view("custom")
        self.app.call_after_refresh(self._select_custom, deployment_id)

    def _select_custom(self, deployment_id: str) -> None:
        select = getattr(self.app.screen, "select_deployment", None)
        if select is not None:
            select(deployment_id)

    def on_unmount(self) -> None:
        self.server_search.stop()
        self.fleet_alerts.stop()
        self.replay_control.close()

    # ----- writes (edit, delete, create; hidden and refused in read-only mode) --------------------

    def _put_rows(self, change: Callable[[dict[str, Row]], object]) -> None:
        """Apply a write's result at once: any poll in flight is made worthless first (it may
        have read the server before the write), then a fresh poll is started."""
        self.poller.bump()
        self.view.change_rows(change)
        self._show_view()
        self.poller.invalidate()

    def _show_created(self, deployment_id: str) -> None:
        if not self.table.move_cursor_to_id(deployment_id) and (self.attention or self.search_text):
            self.view.attention = False  # a new deployment may pass every check: show all
            self._show_view()
            self.table.move_cursor_to_id(deployment_id)
        self._show_detail()

    def action_edit(self) -> None:
        self.writes.edit()

    def action_delete(self) -> None:
        self.writes.delete()

    def action_create(self) -> None:
        self.writes.create()

    def action_redeploy(self) -> None:
        self.writes.redeploy()
