"""The log screen's polls and status: each followed log polled, its new lines appended (merged
by time when several logs are), and the status line that says where the view stands.

``LogPolls`` is the base of ``LogScreen`` (logs.py), which adds what the keys do.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Input, Static

from drtui.api.errors import PermissionDeniedError
from drtui.core.log_buffer import DEFAULT_CAPACITY, LogBuffer, merge_records
from drtui.core.log_lines import ERROR, WARNING, LineParser, LogLine
from drtui.core.sanitize import clean
from drtui.ui.heap import COLLECTOR
from drtui.ui.polling import Freshness, Poller
from drtui.ui.screens.base import ViewScreen
from drtui.ui.screens.log_followers import (
    LOG_INTERVAL,
    Follower,
    LogTarget,
    Update,
    explain_failure,
)
from drtui.ui.settings import AppSettings
from drtui.ui.sources import Sources
from drtui.ui.textual_compat import StillStyles, install_styles
from drtui.ui.widgets.log_view import LogView
from drtui.ui.widgets.view_header import Part

if TYPE_CHECKING:
    from drtui.ui.sources import LogText

LEVELS = ((0, "all levels"), (WARNING, "WARN+"), (ERROR, "ERROR"))


class LogPolls(ViewScreen):
    """The followed logs, their buffer and view, and the status line."""

    def __init__(
        self,
        settings: AppSettings,
        sources: Sources,
        now: Callable[[], datetime],
        targets: list[LogTarget],
        *,
        capacity: int = DEFAULT_CAPACITY,
        interval: float = LOG_INTERVAL,
    ) -> None:
        super().__init__(settings, now)
        install_styles(self, StillStyles())  # behind every widget: the same lines each keystroke
        self._sources = sources
        self.targets = targets
        self.buffer = LogBuffer(capacity=capacity)
        self.followers = [Follower(i, t, LineParser(source=i)) for i, t in enumerate(targets)]
        self.pollers: list[Poller[LogText, Update]] = [
            self._poller(follower, interval) for follower in self.followers
        ]
        self.search_text = ""
        self.filter_text = ""
        self.level = 0
        self.context = 0
        self.message = ""
        """One sentence the status line shows (an invalid expression, a job's progress)."""
        self.runtime_at: datetime | None = None
        self.runtime_filename: str | None = None
        self._prompt_mode = ""

    def _poller(self, follower: Follower, interval: float) -> Poller[LogText, Update]:
        target_id = follower.target.id

        async def fetch() -> LogText:
            return await self._sources.custom_log(target_id)

        return Poller(
            fetch=fetch,
            build=follower.build,
            apply=lambda update, at: self._apply(follower, update),
            on_state=lambda f: self._poll_state(follower, f),
            interval=interval,
            now=self._now,
            stop_on=(PermissionDeniedError,),
            # As the fleet's poll: each build ends with the young heap collected and what is
            # alive frozen, so 100,000 kept lines are never rescanned by a collection that
            # would otherwise stall a keystroke (160-230 ms measured in the search benchmark).
            wrap=COLLECTOR.building,
            id=f"log-poller-{follower.index}",
        )

    @property
    def merged(self) -> bool:
        return len(self.targets) > 1

    @property
    def view(self) -> LogView:
        return self.query_one(LogView)

    # ----- polling -----------------------------------------------------------------------------------

    def _apply(self, follower: Follower, update: Update) -> None:
        if self.runtime_at is not None:
            return  # a runtime log is shown; following resumes with F
        follower.previous = update.snapshot
        follower.parser = update.parser
        follower.filename = update.filename or follower.filename
        follower.loaded = True
        follower.problem = ""
        self._append(update.lines)
        if follower.target.inactive:
            poller = self.pollers[follower.index]
            poller._stop_timer()  # an inactive deployment's log does not grow: one read is all
        self._status()

    def append(self, lines: list[LogLine]) -> None:
        """Show `lines` as the poll that brought them would: appended (merged by time when
        several logs are) and, while paused, counted in the status line."""
        self._append(lines)
        self._status()

    def _append(self, lines: list[LogLine]) -> None:
        buffer = self.buffer
        if not lines:
            self.view.lines_changed(buffer.end, 0)
            return
        if self.merged:
            index, tail = merge_records(buffer.lines, lines)
            start = buffer.dropped + index
            buffer.splice(start, tail)
        else:
            start = buffer.end
            buffer.extend(lines)
        self.view.lines_changed(start, len(lines))

    def _poll_state(self, follower: Follower, freshness: Freshness) -> None:
        if freshness.stale_since is not None:
            follower.problem = explain_failure(follower.target, freshness)
        if self.is_mounted:
            if not self.buffer.lines:
                problems = [f.problem for f in self.followers if f.problem]
                if problems:
                    self.view.empty_message = " ".join(problems)
                    self.view.refresh()
            self._status()
            self.show_header()

    def current_freshness(self) -> Freshness:
        stale = [p.freshness for p in self.pollers if p.freshness.stale_since is not None]
        if self.runtime_at is not None:
            return Freshness(fetched_at=self.runtime_at)
        return stale[0] if stale else self.pollers[0].freshness

    def header_summary(self) -> list[Part]:
        if self.runtime_at is not None:
            which = f"runtime log requested at {self.runtime_at:%H:%M:%S %Z}".rstrip()
        elif self.merged:
            which = f"{len(self.targets)} deployment logs merged by time"
        else:
            which = "deployment log"
        names = ", ".join(t.label for t in self.targets)
        parts: list[Part] = [(which, "bold"), " · ", clean(names, limit=100)]
        inactive = [t for t in self.targets if t.inactive]
        if inactive and self.runtime_at is None:
            parts.append(
                (
                    " · inactive: the log no longer grows"
                    if not self.merged
                    else f" · {len(inactive)} inactive",
                    "$warning",
                )
            )
        return parts

    # ----- status line -------------------------------------------------------------------------------

    def _status(self) -> None:
        if not self.is_mounted:
            return
        view = self.view
        parts: list[str | tuple[str, str]] = []
        if self.runtime_at is not None:
            parts.append(("RUNTIME LOG", "bold"))
            parts.append(" (F follows the deployment log again)")
        elif view.following:
            parts.append(("FOLLOWING", "bold $success"))
        else:
            parts.append(("PAUSED", "reverse bold"))
            if view.new_lines:
                noun = "line" if view.new_lines == 1 else "lines"
                parts.append((f" {view.new_lines:,} new {noun} ↓", "bold $warning"))
            parts.append(" (G/end or F resumes)")
        parts.append(f"  {len(self.buffer):,} lines")
        if self.buffer.dropped:
            parts.append(
                (
                    f" · {self.buffer.dropped:,} older dropped (keeps {self.buffer.capacity:,})",
                    "$warning",
                )
            )
        if view.filtered is not None:
            parts.append(f" · showing {view.row_count:,}")
        if self.filter_text:
            parts.append(f" · filter {clean(self.filter_text, limit=30)!r}")
        if self.level:
            parts.append(f" · level {dict(LEVELS)[self.level]}")
        if self.context and view.filtered is not None:
            parts.append(f" · context {self.context}")
        if self.search_text and not self._typing_search:
            # While it is typed, the prompt shows it: the status line is not drawn again
            # for each letter.
            parts.append(f" · search {clean(self.search_text, limit=30)!r}")
        if view.wrap:
            parts.append(" · wrapped")
        if self.message:
            parts.append(("  " + self.message, "bold $warning"))
        content = Content.assemble(*parts)
        status = self.query_one("#log-status", Static)
        if str(status.content) != content.plain:
            status.update(content, layout=False)  # one line, always: no layout pass

    @property
    def _typing_search(self) -> bool:
        return self._prompt_mode == "search" and self.query_one("#log-prompt", Input).display

    def on_log_view_moved(self, _: LogView.Moved) -> None:
        self._status()

    def on_log_view_follow_changed(self, _: LogView.FollowChanged) -> None:
        self._status()

    def _say(self, sentence: str) -> None:
        self.message = sentence
        self._status()
