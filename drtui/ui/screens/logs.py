"""The log viewer: one custom model deployment's log, or several merged by time, followed live.

Each log is polled by its own `Poller` (the endpoints return a whole snapshot every time);
the build step, in a thread, finds where the previous snapshot ends in the new one
(`core.logs.overlap`) and parses only the new lines, so following a log that grows, loses its
head to the server's size cap or begins again after a restart neither repeats nor loses a line.
The lines go to a bounded buffer drawn by `LogView`; search, filter (with context), level,
timestamps, the whole line, save and a fresh runtime log (POST, 202, job) are keys here.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Self

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.geometry import Region
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from drtui.api.errors import DataRobotError, NotFoundError, PermissionDeniedError
from drtui.core.log_buffer import (
    DEFAULT_CAPACITY,
    FilteredView,
    LineFilter,
    LogBuffer,
    compile_pattern,
    merge_records,
    next_match,
)
from drtui.core.log_lines import ERROR, WARNING, LineParser, LogLine
from drtui.core.log_snapshots import overlap
from drtui.core.sanitize import clean, safe_filename
from drtui.ui.heap import COLLECTOR
from drtui.ui.keymap import CLOSE_BINDINGS, LOG_BINDINGS
from drtui.ui.polling import Freshness, Poller
from drtui.ui.screens.base import ViewScreen
from drtui.ui.settings import AppSettings
from drtui.ui.sources import Sources
from drtui.ui.textual_compat import LineStyles, SegmentInput, StillStyles, install_styles, still
from drtui.ui.widgets.footer import DrtuiFooter
from drtui.ui.widgets.log_view import SOURCE_COLOURS, LogView, SourceLabel
from drtui.ui.widgets.view_header import Part

if TYPE_CHECKING:
    from drtui.api.models import JobStatus
    from drtui.ui.sources import LogText

LOG_INTERVAL = 2.0
"""Seconds between polls of a followed log (the view is never more than this behind)."""
CONTEXTS = (0, 2, 5)
LEVELS = ((0, "all levels"), (WARNING, "WARN+"), (ERROR, "ERROR"))
RUNNING = frozenset({"active", "errored", "replacingmodel", "launching"})


@dataclass(frozen=True, slots=True)
class LogTarget:
    id: str
    label: str
    status: str = ""

    @property
    def inactive(self) -> bool:
        return bool(self.status) and self.status.lower() not in RUNNING


@dataclass(slots=True)
class Update:
    """What one poll of one log adds (built in the poll's thread)."""

    snapshot: list[str]
    lines: list[LogLine]
    parser: LineParser
    restarted: bool
    filename: str | None


@dataclass
class Follower:
    """One followed log: its last snapshot and its parser (the open record)."""

    index: int
    target: LogTarget
    parser: LineParser
    previous: list[str] = field(default_factory=list)
    filename: str | None = None
    loaded: bool = False
    problem: str = ""

    def build(self, log: LogText) -> Update:
        snapshot = log.text.split("\n")
        if snapshot and snapshot[-1] == "":
            snapshot.pop()  # the log ends with a newline
        delta = overlap(self.previous, snapshot)
        parser = self.parser.copy()
        lines: list[LogLine] = []
        if delta.restarted and self.previous:
            lines.append(
                parser.marker(
                    f"── the log of {self.target.label} began again: its model server "
                    "restarted (or the log was replaced) ──"
                )
            )
        lines += parser.parse(delta.added)
        return Update(
            snapshot, lines, parser, delta.restarted and bool(self.previous), log.filename
        )


class LogScreen(ViewScreen):
    BINDINGS: ClassVar[list[BindingType]] = list(LOG_BINDINGS)
    VIEW_TITLE = "Logs"

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

    def compose(self) -> ComposeResult:
        # The screen's chrome (header, status line, footer) hands the compositor its previous
        # lines while unchanged: each frame asks every widget on screen for all its lines.
        yield still(self.make_header())
        yield from self.pollers
        prompt = PromptInput(id="log-prompt", compact=True)
        prompt.cursor_blink = False
        prompt.on_value = self._prompt_value
        prompt.display = False
        yield prompt
        labels = None
        if self.merged:
            labels = [
                SourceLabel(_short(t.label), SOURCE_COLOURS[i % len(SOURCE_COLOURS)])
                for i, t in enumerate(self.targets)
            ]
        yield LogView(self.buffer, labels=labels, id="log-view")
        yield still(Static("", id="log-status", markup=False))
        yield still(DrtuiFooter())

    @property
    def view(self) -> LogView:
        return self.query_one(LogView)

    def on_mount(self) -> None:
        self.view.focus()
        self.start_ticking()
        for poller in self.pollers:
            poller.poll_now()
        self._status()

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
            follower.problem = _explain(follower.target, freshness)
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

    # ----- search and filters -------------------------------------------------------------------------

    def _open_prompt(self, mode: str, value: str, placeholder: str) -> None:
        prompt = self.query_one("#log-prompt", Input)
        self._prompt_mode = mode
        prompt.placeholder = placeholder
        prompt.value = value
        prompt.display = True
        self.set_focus(prompt)  # now: keys typed right after `/` or `f` are the prompt's
        self._status()

    def action_search(self) -> None:
        self._open_prompt("search", self.search_text, "search (regular expression); enter jumps")

    def action_filter(self) -> None:
        self._open_prompt(
            "filter", self.filter_text, "filter: show lines matching (regex); !regex hides them"
        )

    def _prompt_value(self, value: str) -> None:
        """The prompt's value changed: searching, the highlights follow each keystroke."""
        if self._prompt_mode != "search" or not self.is_mounted:
            return
        self.search_text = value
        pattern, error = compile_pattern(value)
        self.view.set_search(pattern)
        if error != self.message:  # the typed search itself is shown by the prompt
            self.message = error
            self._status()

    @on(Input.Submitted, "#log-prompt")
    def _prompt_submitted(self, event: Input.Submitted) -> None:
        prompt = self.query_one("#log-prompt", Input)
        prompt.display = False
        self.view.focus()
        self._status()
        if self._prompt_mode == "filter":
            self.filter_text = event.value
            self._refilter()
        elif self.view.search is not None:
            # Following, the newest match is the one wanted: search back from the end.
            self.action_next_match(backwards=self.view.following)

    def _refilter(self) -> None:
        flt, error = LineFilter.parse(self.filter_text, min_level=self.level, context=self.context)
        self.message = error
        self.view.set_filter(FilteredView(flt) if flt.active else None)
        self._status()

    def action_next_match(self, backwards: bool = False) -> None:
        pattern = self.view.search
        if pattern is None:
            self._say("No search: / searches.")
            return
        view = self.view
        start = view.cursor_row
        if start is None:
            start = -1 if not backwards else view.row_count
        found = next_match(
            view.row_count,
            lambda row: "" if (line := view.line_at(row)) is None else view.text_of(line),
            pattern,
            start,
            backwards=backwards,
        )
        if found is None:
            self._say(f"No line matches {clean(self.search_text, limit=40)!r}.")
            return
        self.message = ""
        view.go_to_row(found)
        if found == view.row_count - 1 and not view.following:
            pass
        self._status()

    def action_previous_match(self) -> None:
        self.action_next_match(backwards=True)

    def action_cycle_context(self) -> None:
        self.context = CONTEXTS[(CONTEXTS.index(self.context) + 1) % len(CONTEXTS)]
        self._refilter()

    def action_cycle_level(self) -> None:
        order = [level for level, _ in LEVELS]
        self.level = order[(order.index(self.level) + 1) % len(order)]
        self._refilter()

    def action_toggle_timestamps(self) -> None:
        self.view.toggle_timestamps()

    def action_toggle_wrap(self) -> None:
        self.view.set_wrap(not self.view.wrap)
        self._status()

    def action_show_line(self) -> None:
        line = self.view.cursor_log_line
        if line is None:
            return
        label = self.targets[line.source].label if line.source < len(self.targets) else ""
        self.app.push_screen(LineDialog(label, line.pretty()))

    # ----- follow ------------------------------------------------------------------------------------

    def action_toggle_follow(self) -> None:
        if self.runtime_at is not None:
            self._back_to_following()
            return
        self.view.follow(not self.view.following)
        self._status()

    def action_refresh(self) -> None:
        if self.runtime_at is not None:
            return
        for poller in self.pollers:
            poller.poll_now()

    def _back_to_following(self) -> None:
        self.runtime_at = None
        self.runtime_filename = None
        self.message = ""
        self.buffer.lines.clear()
        self.buffer.dropped = 0
        for follower in self.followers:
            follower.previous = []
            follower.parser = LineParser(follower.index)
        self.view.following = True
        self.view.reset()
        for poller in self.pollers:
            poller.resume()
        self.show_header()
        self._status()

    def action_back(self) -> None:
        """esc: close the prompt, then clear the search and the filter, then go back."""
        prompt = self.query_one("#log-prompt", Input)
        if prompt.display:
            prompt.display = False
            self.view.focus()
            self._status()
        elif self.search_text:
            self.search_text = ""
            self.view.set_search(None)
            self.message = ""
            self._status()
        elif self.filter_text or self.level:
            self.filter_text = ""
            self.level = 0
            self._refilter()
        else:
            self.app.pop_screen()

    # ----- runtime log (POST .../logs/ → 202 → job → GET .../logs/{id}/) ------------------------------

    def action_runtime_log(self) -> None:
        line = self.view.cursor_log_line
        target = self.targets[line.source if line is not None and self.merged else 0]
        self._say(f"Requesting runtime logs of {clean(target.label, limit=40)}…")
        self._request_runtime(target)

    @work(group="runtime-log", exclusive=True, exit_on_error=False)
    async def _request_runtime(self, target: LogTarget) -> None:
        started = self._now()

        def progress(status: JobStatus) -> None:
            state = clean(status.status or "running", limit=30).lower()
            self.message = (
                f"Requesting runtime logs of {clean(target.label, limit=40)}: job {state}…"
            )
            self.call_later(self._status)

        try:
            log = await self._sources.request_runtime_log(target.id, progress)
        except NotFoundError:
            self._say(
                f"No logs found for {clean(target.label, limit=40)}: the model server has not written any."
            )
            return
        except PermissionDeniedError:
            self._say("You do not have permission to request this deployment's logs (403).")
            return
        except DataRobotError as error:
            self._say(f"Requesting runtime logs failed: {clean(str(error), limit=200)}")
            return
        for poller in self.pollers:
            poller.pause()
        self.runtime_at = started
        self.runtime_filename = log.filename
        parser = LineParser(source=self.targets.index(target))
        lines = log.text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        self.buffer.lines.clear()
        self.buffer.dropped = 0
        self.buffer.extend(parser.parse(lines))
        self.message = ""
        self.view.following = True
        self.view.reset()
        self.show_header()
        self._status()

    # ----- save ---------------------------------------------------------------------------------------

    def action_save(self) -> None:
        if not self.buffer.lines:
            self._say("Nothing to save yet.")
            return
        name = self.runtime_filename or (self.followers[0].filename if not self.merged else None)
        if not name:
            stem = "merged" if self.merged else self.targets[0].label
            name = safe_filename(f"{stem}.log", default="deployment.log")
        token = self._settings.token
        if token and token in name:  # a server that echoes the token, in the name it gives
            name = safe_filename(name.replace(token, "token-removed"), default="deployment.log")
        folder = Path.home() / "Downloads"
        if not folder.is_dir():
            folder = Path.cwd()
        self.app.push_screen(SaveDialog(folder / name), self._save_to)

    def _save_to(self, path: Path | None) -> None:
        if path is None:
            return
        lines = [line.original for line in self.buffer.lines]
        self._write(path, lines)

    @work(group="save-log", exclusive=True, exit_on_error=False, thread=True)
    def _write(self, path: Path, lines: list[str]) -> None:
        token = self._settings.token
        text = "\n".join(lines) + "\n"
        if token:
            text = text.replace(token, "[token removed]")
        try:
            # Readable by the user only, as the audit file: a log can hold what others must not
            # read (a file that already exists keeps its own permissions).
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
        except OSError as error:
            reason = clean(error.strerror or type(error).__name__, limit=80)
            self.app.call_from_thread(
                self.notify, f"Could not save {path}: {reason}.", severity="error", markup=False
            )
            return
        self.app.call_from_thread(
            self.notify, f"Saved {len(lines):,} lines to {path}", timeout=8, markup=False
        )


class PromptInput(SegmentInput):
    """The search/filter prompt: one line the full width of the screen, whatever its value.

    Textual's Input asks for a layout pass of the whole screen on every keystroke (its virtual
    size follows its value), which for this screen costs more than the search itself; the
    prompt's size never depends on its value, so while it is shown, a repaint is enough.
    Showing or hiding it (no region yet, or hidden) still lays the screen out.

    `on_value` is called as the value changes, in the same pass as the keystroke (an
    `Input.Changed` message would be handled after the prompt's own frame, so the highlights
    would arrive a frame later).

    Its line is made from segments with styles kept until they change (`SegmentInput`), and
    goes out as drawn (`LineStyles`): Textual's way cost ~0.4 ms a keystroke.
    """

    on_value: Callable[[str], None] | None = None

    def __init__(self, *, id: str | None = None, compact: bool = False) -> None:
        super().__init__(id=id, compact=compact)
        install_styles(self, LineStyles())  # no border or padding: its line goes out as drawn

    def watch_value(self, value: str) -> None:
        if self.on_value is not None:
            self.on_value(value)

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        if layout and not regions and not recompose and self.display and self.region:
            layout = False
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)


def _short(label: str) -> str:
    text = clean(label, limit=40)
    return text if len(text) <= 12 else text[:11] + "…"


def _explain(target: LogTarget, freshness: Freshness) -> str:
    reason = clean(freshness.reason, limit=200)
    name = clean(target.label, limit=40)
    if freshness.stopped:
        return f"You do not have permission to read the logs of {name} (403)."
    if "No logs found" in reason or "404" in reason:
        if target.inactive:
            return f"No logs found for {name}: the deployment is inactive and kept no log."
        return f"No logs found for {name}: its model server has not written any yet."
    return f"Cannot read the log of {name}: {reason}"


class LineDialog(ModalScreen[None]):
    """`enter`: the whole line, pretty-printed when it is JSON."""

    BINDINGS: ClassVar[list[BindingType]] = list(CLOSE_BINDINGS)

    def __init__(self, label: str, text: str) -> None:
        super().__init__()
        self._label = label
        self._text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="line-dialog"):
            yield Static(
                Content.assemble(("Whole line", "bold"), f"  {clean(self._label, limit=60)}"),
                classes="title",
            )
            with VerticalScroll(id="line-scroll"):
                yield Static(Content(self._text), id="line-text", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)


class SaveDialog(ModalScreen[Path | None]):
    """Where to save; an existing file is overwritten only after a second enter."""

    BINDINGS: ClassVar[list[BindingType]] = list(CLOSE_BINDINGS)

    def __init__(self, suggested: Path) -> None:
        super().__init__()
        self._suggested = suggested
        self._confirmed: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="save-dialog"):
            yield Static("Save the log to", classes="title")
            yield Input(str(self._suggested), id="save-path", compact=True)
            yield Static("enter saves · esc cancels", id="save-note", markup=False)

    @on(Input.Changed, "#save-path")
    def _changed(self) -> None:
        self._confirmed = None
        self.query_one("#save-note", Static).update("enter saves · esc cancels")

    @on(Input.Submitted, "#save-path")
    def _submitted(self, event: Input.Submitted) -> None:
        path = Path(os.path.expanduser(event.value.strip()))
        note = self.query_one("#save-note", Static)
        if not event.value.strip():
            note.update("Type a file name.")
            return
        if path.is_dir():
            note.update(f"{path} is a folder: add a file name.")
            return
        if not path.parent.is_dir():
            note.update(f"The folder {path.parent} does not exist.")
            return
        if path.exists() and self._confirmed != path:
            self._confirmed = path
            note.update(f"{path} exists: enter again overwrites it, or change the name.")
            return
        self.dismiss(path)

    def action_close(self) -> None:
        self.dismiss(None)
