"""Active server filters, the search text and the view, as chips on one line."""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.widgets import Static

from drtui.core.sanitize import clean


class FilterBar(Static):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._plain: str | None = None

    def show(
        self,
        chips: list[str],
        *,
        attention: bool,
        shown: int,
        total: int,
        notes: list[str] | None = None,
    ) -> None:
        view = "attention" if attention else "all"
        parts: list[str | tuple[str, str]] = [(f" {view} {shown}/{total} ", "reverse"), " "]
        for chip in chips:
            parts += [(f" {clean(chip, limit=80)} ", "reverse $primary"), " "]
        if len(parts) == 2:
            parts.append(("no filters · f to filter · / to search", "dim"))
        for note in notes or ():
            parts += ["  ", (note, "dim")]
        content = Content.assemble(*parts)
        if content.plain != self._plain:
            self._plain = content.plain
            self.update(content)
