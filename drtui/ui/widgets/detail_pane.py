"""Every field of the item under the cursor, grouped: the pane takes sections, not a model.

Any view hands it `[(heading, [(name, value), ...]), ...]` (core.detail builds them for a
deployment; other views build their own) and an identity for the item shown.

Drawn line by line, like the table: when a refresh changes one field of the deployment on show
(a health status, an age), only the lines that differ are sent to the terminal. A Static would
repaint the whole pane, thousands of bytes over SSH, for one changed word.

Each field's wrapped lines are kept (an LRU by heading or name and value, for the width and
styles they were made with): a search key that lands the cursor on a deployment shown before,
or one sharing most of its fields with it, wraps only what is new, and a field that did not
change is the same strip as before, which the compositor has already divided and filtered.
"""

from __future__ import annotations

from itertools import zip_longest
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.strip import Strip

from drtui.core.detail import Section
from drtui.ui.textual_compat import KeptStyles, install_styles
from drtui.ui.widgets.steady_scroll import SteadyScrollView

Entry = tuple[str, str, str | None]
"""One line of the pane before wrapping: ("title", heading, None), ("field", name, value) or
("plain", text, None); what its wrapped lines are kept by."""
HANGING = 4
WRAPPED = 2_000
"""Entries whose wrapped lines are kept (a deployment has ~40: the last ~50 deployments)."""


class DetailPane(SteadyScrollView, can_focus=False):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"detail-pane--title", "detail-pane--name"}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._kept = install_styles(self, KeptStyles())  # its border and padding, per line
        self._shown: tuple[str | None, list[Section] | None] | None = None
        self._text: list[Entry] = [("plain", "Nothing selected.", None)]
        self._lines: list[Strip] = []
        self._wrapped_at = -1
        self._blank = Strip.blank(0)
        self._wrapped: LRUCache[Entry, list[Strip]] = LRUCache(WRAPPED)
        self._wrapped_for: tuple[object, ...] = ()
        """(width, base, title and name styles) the kept lines were wrapped with."""

    @property
    def identity(self) -> str | None:
        """The identity of the item shown (None: nothing, or not shown yet)."""
        return self._shown[0] if self._shown is not None else None

    @property
    def sections(self) -> list[Section] | None:
        """The sections shown, whole (the pane draws only the lines scrolled into view)."""
        return self._shown[1] if self._shown is not None else None

    def show(
        self,
        identity: str | None,
        sections: list[Section] | None,
        *,
        empty: str = "Nothing selected.",
    ) -> None:
        """Show `sections` of the item `identity`. Redraws only what changed: the lines that
        differ when the same item is shown again, everything (scrolled home) for another."""
        key = (identity, sections)
        if key == self._shown:
            return
        same = self._shown is not None and identity is not None and self._shown[0] == identity
        self._shown = key
        self._text = self._compose_text(sections, empty)
        if not self.is_mounted:
            return
        before = self._lines
        self._wrap()
        if not same:
            self.scroll_home(animate=False)
            self.refresh()
            return
        width = self.size.width
        for y, (old, new) in enumerate(zip_longest(before, self._lines)):
            if old != new:
                self.refresh(Region(0, y - round(self.scroll_y), width, 1))

    def _compose_text(self, sections: list[Section] | None, empty: str) -> list[Entry]:
        if sections is None:
            return [("plain", empty, None)]
        out: list[Entry] = []
        for heading, fields in sections:
            out.append(("title", heading, None))
            out += [("field", field, value) for field, value in fields]
        return out

    def _styled(self, entry: Entry, title: Style, name: Style) -> tuple[Text, int]:
        """An entry as text, and how far in its wrapped continuation lines start."""
        kind, text, value = entry
        if kind == "title":
            return Text(text, title), 0
        if kind == "plain":
            return Text(text), 0
        line = Text(f"  {text}: ", name)
        line.append(value or "")  # plain: server text is never read as markup
        return line, HANGING

    def _wrap(self) -> None:
        width = self.scrollable_content_region.width
        self._wrapped_at = width
        if width <= 0:
            self._lines = []
            self._blank = Strip.blank(0)
        else:
            console = self.app.console
            base = self.rich_style  # once: each call walks the DOM to the screen for colours
            title = self.get_component_rich_style("detail-pane--title", partial=True)
            name = self.get_component_rich_style("detail-pane--name", partial=True)
            frame = (width, base, title, name)
            if frame != self._wrapped_for:
                self._wrapped_for = frame
                self._wrapped.clear()
            self._blank = Strip.blank(width, base)
            lines: list[Strip] = []
            wrapped = self._wrapped
            for entry in self._text:
                kept = wrapped.get(entry)
                if kept is None:
                    text, indent = self._styled(entry, title, name)
                    kept = wrapped[entry] = self._wrap_one(console, text, indent, width, base)
                lines += kept
            self._lines = lines
        # Another deployment's line count changes the scrollbar, not the pane's box: no layout.
        self.set_content_size(Size(width, len(self._lines)))

    def _wrap_one(
        self, console: Console, text: Text, indent: int, width: int, base: Style
    ) -> list[Strip]:
        """A field's lines: what does not fit the first line continues `indent` cells in (a
        wrapped value never starts at the pane's edge, where a field name would)."""
        if indent >= width // 2:
            indent = 0
        plain = text.plain
        if "\n" not in plain and "\t" not in plain and cell_len(plain) <= width:  # most fields
            segments = [s for s in text.render(console) if s.text != "\n"]
            return [Strip(segments).apply_style(base).adjust_cell_length(width, base)]
        out: list[Strip] = []
        first = True
        for part in text.split("\n", allow_blank=True):
            room = width if first else width - indent
            pieces = part.wrap(console, max(1, room), no_wrap=False)
            head = pieces[0] if pieces else Text("")
            rest = part[len(head.plain) :] if len(pieces) > 1 else Text("")
            lines = [(head, 0 if first else indent)]
            if rest.plain.strip():
                stripped = rest[len(rest.plain) - len(rest.plain.lstrip()) :]
                lines += [(p, indent) for p in stripped.wrap(console, max(1, width - indent))]
            for piece, left in lines:
                segments = [Segment(" " * left, base)] if left else []
                segments += [s for s in piece.render(console) if s.text != "\n"]
                out.append(Strip(segments).apply_style(base).adjust_cell_length(width, base))
            first = False
        return out

    def on_resize(self) -> None:
        self._wrap()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._kept.forget()
        self._wrapped_at = -1

    def render_line(self, y: int) -> Strip:
        if self._wrapped_at != self.scrollable_content_region.width:
            self._wrap()
        index = round(self.scroll_y) + y
        if 0 <= index < len(self._lines):
            return self._lines[index]
        return self._blank
