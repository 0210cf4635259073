"""The log viewer: one custom model deployment's log, or several merged by time, followed live.

Each log is polled by its own `Poller` (the endpoints return a whole snapshot every time);
the build step, in a thread, finds where the previous snapshot ends in the new one
(`core.log_snapshots.overlap`) and parses only the new lines, so following a log that grows,
loses its head to the server's size cap or begins again after a restart neither repeats nor
loses a line. The lines go to a bounded buffer drawn by `LogView`. The polls and the status line
are `LogPolls`' (log_polls.py); this module is what the keys do: search, filter (with context),
level, timestamps, the whole line, save and a fresh runtime log (POST, 202, job).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Input, Static

from drtui.api.errors import DataRobotError, NotFoundError, PermissionDeniedError
from drtui.core.log_buffer import FilteredView, LineFilter, compile_pattern, next_match
from drtui.core.log_lines import LineParser
from drtui.core.sanitize import clean, safe_filename
from drtui.ui.keymap import LOG_BINDINGS
from drtui.ui.screens.log_dialogs import LineDialog, SaveDialog
from drtui.ui.screens.log_followers import LogTarget, short_label
from drtui.ui.screens.log_polls import LEVELS, LogPolls
from drtui.ui.screens.log_prompt import PromptInput
from drtui.ui.textual_compat import still
from drtui.ui.widgets.footer import DrtuiFooter
from drtui.ui.widgets.log_view import SOURCE_COLOURS, LogView, SourceLabel

if TYPE_CHECKING:
    from drtui.api.models import JobStatus

CONTEXTS = (0, 2, 5)


class LogScreen(LogPolls):
    BINDINGS: ClassVar[list[BindingType]] = list(LOG_BINDINGS)
    VIEW_TITLE = "Logs"

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
                SourceLabel(short_label(t.label), SOURCE_COLOURS[i % len(SOURCE_COLOURS)])
                for i, t in enumerate(self.targets)
            ]
        yield LogView(self.buffer, labels=labels, id="log-view")
        yield still(Static("", id="log-status", markup=False))
        yield still(DrtuiFooter())

    def on_mount(self) -> None:
        self.view.focus()
        self.start_ticking()
        for poller in self.pollers:
            poller.poll_now()
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
