"""`:pps` — the Portable Prediction Server image: its metadata, and a download from the view.

The metadata is drawn by core.pps (the same lines as `drtui pps`). `D` asks where to save it,
checks free space against the image size before any byte, and streams it in a worker with a
progress bar (bytes, rate, ETA) while the app stays usable; `esc` cancels and keeps the `.part`
file, which the next `D` resumes. The SHA256 is checked before the file takes its name, and the
`docker load -i FILE` line is shown at the end. A 404 says the installation has no image.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, ProgressBar, Static

from drtui.api.errors import DataRobotError, NotFoundError
from drtui.core.pps import (
    LABEL_WIDTH,
    NO_IMAGE,
    docker_load_line,
    pps_fields,
    progress_text,
    size_text,
)
from drtui.core.sanitize import clean, safe_filename
from drtui.ui.keymap import CLOSE_BINDINGS, PPS_BINDINGS
from drtui.ui.polling import Freshness, Poller
from drtui.ui.screens.base import ViewScreen
from drtui.ui.settings import AppSettings
from drtui.ui.sources import Sources
from drtui.ui.widgets.footer import DrtuiFooter
from drtui.ui.widgets.view_header import Part

if TYPE_CHECKING:
    from drtui.api.models import PPSImageMetadata

DEFAULT_NAME = "pps-image.tar.gz"
PROGRESS_EVERY = 0.1
"""Seconds between progress redraws (a multi-GB download must not flood the screen)."""


def default_target(meta: PPSImageMetadata | None) -> str:
    name = safe_filename(meta.filename if meta else None, default=DEFAULT_NAME)
    return str(Path.cwd() / name)


def resolve_target(text: str, meta: PPSImageMetadata | None) -> Path:
    """The path typed, or a safe file name inside the folder typed."""
    target = Path(text.strip()).expanduser()
    if text.strip().endswith(("/", os.sep)) or target.is_dir():
        target = target / safe_filename(meta.filename if meta else None, default=DEFAULT_NAME)
    return target


class TargetPrompt(ModalScreen[str | None]):
    """Where to save the image: `enter` accepts, `esc` cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [*CLOSE_BINDINGS]
    DEFAULT_CSS = """
    TargetPrompt { align: center middle; }
    TargetPrompt #pps-prompt { width: 80%; max-width: 100; height: auto; padding: 1 2;
        border: round $accent; background: $surface; }
    TargetPrompt Label { width: 100%; }
    """

    def __init__(self, initial: str, note: str) -> None:
        super().__init__()
        self._initial = initial
        self._note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="pps-prompt"):
            yield Label("Save the PPS image to (a file, or a folder ending in /):")
            field = Input(self._initial, id="pps-target", compact=True)
            field.cursor_blink = False
            yield field
            yield Label(Text(self._note, style="dim"))
        yield DrtuiFooter()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#pps-target")
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_close(self) -> None:
        self.dismiss(None)


@dataclass
class DownloadState:
    target: Path | None = None
    running: bool = False
    done: int = 0
    total: int | None = None
    rate: float = 0.0


class PpsScreen(ViewScreen):
    BINDINGS: ClassVar[list[BindingType]] = list(PPS_BINDINGS)
    VIEW_TITLE = "PPS image"
    DEFAULT_CSS = """
    PpsScreen #pps-body { height: 1fr; padding: 0 1; }
    PpsScreen #pps-meta { height: auto; margin-bottom: 1; }
    PpsScreen #pps-progress { height: 1; margin: 0; }
    PpsScreen #pps-progress-text { height: auto; }
    PpsScreen #pps-status { height: auto; margin-top: 1; }
    """

    @dataclass
    class Progressed(Message):
        """Posted by the download worker (throttled): bytes done, total, rate."""

        done: int
        total: int | None
        rate: float

    def __init__(
        self, settings: AppSettings, sources: Sources, now: Callable[[], datetime]
    ) -> None:
        super().__init__(settings, now)
        self._sources = sources
        self.metadata: PPSImageMetadata | None = None
        self.no_image = False
        self.download = DownloadState()
        self.status = ""
        self._last_drawn = 0.0
        self.poller: Poller[PPSImageMetadata, PPSImageMetadata] = Poller(
            fetch=sources.pps_metadata,
            build=lambda meta: meta,
            apply=self._apply,
            on_state=self._poll_state,
            interval=max(settings.refresh_interval, 300.0),  # the image changes with releases
            now=now,
            stop_on=(NotFoundError,),
            id="pps-poller",
        )

    def compose(self) -> ComposeResult:
        yield self.make_header()
        yield self.poller
        with VerticalScroll(id="pps-body"):
            yield Static("Loading the PPS image's metadata…", id="pps-meta")
            bar = ProgressBar(show_eta=False, id="pps-progress")
            bar.display = False
            yield bar
            yield Static("", id="pps-progress-text")
            yield Static("", id="pps-status")
        yield DrtuiFooter()

    def on_mount(self) -> None:
        self.start_ticking()
        self.poller.poll_now()

    # ----- data ----------------------------------------------------------------------------------

    def current_freshness(self) -> Freshness:
        return self.poller.freshness

    def header_summary(self) -> list[Part]:
        if self.download.running:
            return ["downloading (esc cancels)"]
        if self.no_image:
            return ["no image"]
        if self.metadata is not None:
            return [clean(self.metadata.filename, limit=60) or "image"]
        return []

    def _apply(self, meta: PPSImageMetadata, fetched_at: datetime) -> None:
        self.metadata = meta
        self.no_image = False
        self._show_metadata()

    def _poll_state(self, freshness: Freshness) -> None:
        if freshness.stopped and self.metadata is None:
            self.no_image = True
            self.query_one("#pps-meta", Static).update(Text(NO_IMAGE))
        elif self.metadata is None and freshness.stale_since is not None:
            self.query_one("#pps-meta", Static).update(
                Text(f"Cannot load the PPS image's metadata: {freshness.reason}")
            )
        self.show_header()

    def _show_metadata(self) -> None:
        if self.metadata is None:
            return
        text = Text()
        for label, value in pps_fields(self.metadata, self._now()):
            text.append(f"{label:<{LABEL_WIDTH}}", style="bold")
            text.append(f"{value}\n")
        text.append("\nD downloads it (resumable, verified).", style="dim")
        self.query_one("#pps-meta", Static).update(text)
        self.show_header()

    def tick(self) -> None:
        super().tick()
        self._show_metadata()  # "created … ago" moves

    def say(self, message: str) -> None:
        self.status = message
        self.query_one("#pps-status", Static).update(Text(message))

    # ----- the download --------------------------------------------------------------------------

    def action_download(self) -> None:
        if self.download.running:
            self.notify("The image is already downloading (esc cancels).", timeout=4)
            return
        if self.metadata is None:
            self.say(NO_IMAGE if self.no_image else "The image's metadata has not loaded yet.")
            return
        initial = str(self.download.target) if self.download.target else default_target(None)
        if self.download.target is None:
            initial = default_target(self.metadata)
        size = self.metadata.image_size
        note = (
            f"The image is {size_text(size)}; "
            "free space is checked first, and a .part file resumes."
            if size
            else "A .part file resumes an interrupted download."
        )
        self.app.push_screen(TargetPrompt(initial, note), self._target_chosen)

    def _target_chosen(self, text: str | None) -> None:
        if text is None or self.metadata is None:
            return
        target = resolve_target(text, self.metadata)
        self.download = DownloadState(target=target, running=True, total=self.metadata.image_size)
        self.say(f"Checking {target}…")
        self._run_download(target, self.metadata)

    @work(group="pps-download", exclusive=True, exit_on_error=False)
    async def _run_download(self, target: Path, meta: PPSImageMetadata) -> None:
        try:
            if await self._sources.pps_already_verified(target, meta):
                self._finished(target, already=True)
                return
            if target.exists():
                self._failed(
                    f"{target} already exists and is not this image; choose another path or "
                    "remove it."
                )
                return
            self._show_bar(True)
            saved = await self._sources.download_pps(target, meta, self._progress)
        except DataRobotError as error:
            self._failed(str(error))
            return
        except OSError as error:
            self._failed(f"Could not save the image: {(error.strerror or str(error)).lower()}.")
            return
        self._finished(saved, already=False)

    def _progress(self, done: int, total: int | None, rate: float) -> None:
        now = time.monotonic()
        if now - self._last_drawn < PROGRESS_EVERY and done != total:
            return
        self._last_drawn = now
        self.post_message(self.Progressed(done, total, rate))

    def on_pps_screen_progressed(self, message: PpsScreen.Progressed) -> None:
        if not self.download.running:
            return
        self.download.done, self.download.total, self.download.rate = (
            message.done,
            message.total,
            message.rate,
        )
        bar = self.query_one(ProgressBar)
        bar.update(total=message.total, progress=message.done)
        self.query_one("#pps-progress-text", Static).update(
            Text(progress_text(message.done, message.total, message.rate))
        )
        if self.status.startswith("Checking"):
            self.say(f"Downloading to {self.download.target} (esc cancels; it resumes later).")

    def _show_bar(self, shown: bool) -> None:
        self.query_one(ProgressBar).display = shown
        if not shown:
            self.query_one("#pps-progress-text", Static).update("")

    def _finished(self, path: Path, *, already: bool) -> None:
        self.download.running = False
        self._show_bar(False)
        head = (
            f"{path} is already downloaded and verified; nothing was downloaded."
            if already
            else f"Saved {path}: downloaded and SHA256-verified."
        )
        self.say(f"{head}\nLoad it with:  {docker_load_line(path)}")
        self.show_header()

    def _failed(self, message: str) -> None:
        self.download.running = False
        self._show_bar(False)
        self.say(message)
        self.show_header()

    def cancel_download(self) -> None:
        target = self.download.target
        self.workers.cancel_group(self, "pps-download")
        self.download.running = False
        self._show_bar(False)
        kept = (
            f"{progress_text(self.download.done, self.download.total, 0).split(' · ')[0]} kept"
            if self.download.done
            else "nothing was written yet"
        )
        part = f"{target}.part" if target else "the .part file"
        self.say(f"Download cancelled; {kept} in {part}. Press D to resume it.")
        self.show_header()

    def action_refresh(self) -> None:
        if not self.poller.poll_now():
            self.notify("A refresh is already running.", timeout=3)

    def action_back(self) -> None:
        """esc: cancel a running download first (keeping the .part), then go back."""
        if self.download.running:
            self.cancel_download()
        else:
            super().action_back()
