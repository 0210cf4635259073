"""Active server filters, the search text and the view, as chips on one line.

`attention 12/60` (shown of the view's rows) comes first, then the chips that fit; chips that do
not fit are counted (`+2 more`), never silently dropped. The fleet's total stays visible when a
filter or search narrows the view (even to nothing), and the attention view says how its rows
are ordered (worst health first, then the chosen sort).
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual.content import Content
from textual.widgets import Static

from drtui.core.sanitize import clean

Part = str | tuple[str, str]

IDLE_HINTS = ("no filters · f to filter · / to search", "no filters", "")
"""What the bar says with no filter, longest first: the first that leaves the notes room."""


class FilterBar(Static):
    DEFAULT_CSS = "FilterBar { height: 1; }"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._plain: str | None = None
        self._args: tuple[Any, ...] | None = None

    def show(
        self,
        chips: list[str],
        *,
        attention: bool,
        shown: int,
        total: int,
        notes: list[str] | None = None,
        fleet: int | None = None,
        grouped: str | None = None,
    ) -> None:
        """`fleet`: every deployment, shown beside `total` when they differ; `grouped`: how the
        view orders its rows when that is not the column sort."""
        self._args = (list(chips), attention, shown, total, list(notes or ()), fleet, grouped)
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        if self._args is None:
            return
        chips, attention, shown, total, notes, fleet, grouped = self._args
        view = "attention" if attention else "all"
        head: list[Part] = [(f" {view} {shown}/{total} ", "reverse"), " "]
        if grouped:
            head += [(grouped, "italic"), "  "]
        tail: list[Part] = []
        if fleet is not None and fleet != total:
            tail += ["  ", (f"fleet {fleet}", "dim")]
        for note in notes:
            tail += ["  ", (note, "dim")]
        texts = [f" {clean(chip, limit=80)} " for chip in chips]
        room = self.content_size.width or 10_000

        def width(parts: list[Part]) -> int:
            return sum(cell_len(p if isinstance(p, str) else p[0]) for p in parts)

        if grouped and width(head) + width(tail) > room:
            # `worst first, then Last prediction ▼` gives way to the notes at 80 columns.
            head[2] = (grouped.split(",")[0], "italic")
        fixed = width(head) + width(tail)
        kept = len(texts)
        while kept:
            more = len(texts) - kept
            used = sum(cell_len(t) + 1 for t in texts[:kept]) + (
                cell_len(f"+{more} more ") if more else 0
            )
            if fixed + used <= room:
                break
            kept -= 1
        parts = list(head)
        for text in texts[:kept]:
            parts += [(text, "reverse $primary"), " "]
        if kept < len(texts):
            parts.append((f"+{len(texts) - kept} more", "bold"))
        elif not texts:
            # The notes (`207 with no verdict hidden (u)`) say something about these rows; the
            # key hints only repeat the footer: at 80 columns the hints give way first.
            hint = next((h for h in IDLE_HINTS if fixed + cell_len(h) <= room), IDLE_HINTS[-1])
            if hint:
                parts.append((hint, "dim"))
        content = Content.assemble(*parts, *tail)
        if content.plain != self._plain:
            self._plain = content.plain
            # One line whatever it says (its height is fixed): no layout of the screen, which
            # would repaint every scroll view's scrollbar on each keystroke's count change.
            self.update(content, layout=False)
