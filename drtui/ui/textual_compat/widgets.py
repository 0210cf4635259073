"""Textual widgets drtui reaches into: the footer's keys, an open drop-down, an Input's line.

Textual internals: `textual.widgets._footer.FooterKey` and `Footer._bindings_ready` (the
footer's keys made here, in an order of drtui's choosing), `textual.widgets._select.
SelectOverlay` (an open drop-down has focus), and `Input._suggestion` and `_cursor_visible`
(read by `SegmentInput`, which draws a plain Input line without Textual's Rich rendering).
`FOOTER_OK`, `SELECT_OK` and `INPUT_OK` say whether they are as expected; when they are not,
Textual's own footer, a check of the drop-downs' public `expanded` and Textual's own Input line
stand in.
"""

from __future__ import annotations

import inspect
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import Reactive
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Footer, Input, OptionList, Select

if TYPE_CHECKING:
    from textual.widgets._footer import FooterKey as FooterKey
    from textual.widgets._select import SelectOverlay as SelectOverlay
else:
    try:
        from textual.widgets._footer import FooterKey
    except ImportError:  # moved: Textual's own footer (check_footer says why)
        FooterKey = None
    try:
        from textual.widgets._select import SelectOverlay
    except ImportError:  # moved: the public stand-in (check_select says why)
        SelectOverlay = None

FOOTER_KEY_PARAMETERS = ("self", "key", "key_display", "description", "action", "disabled")
"""The first parameters of `FooterKey.__init__`, in order, as `KeyFooter` passes them."""


def check_footer() -> list[str]:
    """What `KeyFooter` relies on and Textual no longer offers (empty: all there)."""
    if FooterKey is None:
        return ["textual.widgets._footer.FooterKey cannot be imported"]
    problems = []
    found = tuple(inspect.signature(FooterKey.__init__).parameters)
    if found[: len(FOOTER_KEY_PARAMETERS)] != FOOTER_KEY_PARAMETERS or "tooltip" not in found:
        problems.append(f"FooterKey{found} is not FooterKey{(*FOOTER_KEY_PARAMETERS, 'tooltip')}")
    for name in ("_bindings_ready", "compact"):
        if not isinstance(getattr(Footer, name, None), Reactive):
            problems.append(f"Footer.{name} is not a reactive")
    if not callable(getattr(FooterKey, "data_bind", None)):
        problems.append("FooterKey has no data_bind")
    return problems


FOOTER_OK = not check_footer()
"""Read on each compose: False composes Textual's own footer."""


class KeyFooter(Footer):
    """Textual's Footer, one key per action, in the order `key_order` gives (Textual's own
    order groups keys by binding group, which drtui does not use)."""

    def key_order(self, actions: list[str]) -> list[str]:
        """The footer's actions in the order they are shown (here: as bound)."""
        return actions

    def compose(self) -> ComposeResult:
        if not FOOTER_OK:
            yield from super().compose()
            return
        if not self._bindings_ready:
            return
        by_action: defaultdict[str, list[tuple[Binding, bool, str]]] = defaultdict(list)
        for _, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show:
                by_action[binding.action].append((binding, enabled, tooltip))
        self.styles.grid_size_columns = len(by_action)
        for action in self.key_order(list(by_action)):
            binding, enabled, tooltip = by_action[action][0]
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                disabled=not enabled,
                tooltip=tooltip,
            ).data_bind(compact=Footer.compact)


def check_select() -> list[str]:
    """Whether an open drop-down is still a `SelectOverlay` (empty: it is)."""
    if SelectOverlay is None:
        return ["textual.widgets._select.SelectOverlay cannot be imported"]
    if not issubclass(SelectOverlay, OptionList):
        return ["SelectOverlay is not an OptionList"]
    return []


SELECT_OK = not check_select()
"""False: an open drop-down is recognised by its Select's `expanded`."""


def is_open_dropdown(widget: Widget | None) -> bool:
    """Whether `widget` (the focused one) is a Select's open list of options."""
    if SELECT_OK:
        return isinstance(widget, SelectOverlay)
    return widget is not None and any(
        isinstance(node, Select) and node.expanded for node in widget.ancestors
    )


INPUT_READS = (
    "value",
    "password",
    "highlighter",
    "selection",
    "cursor_position",
    "cursor_at_end",
    "scroll_offset",
    "scrollable_content_region",
)
"""Public attributes of an Input that `SegmentInput.render_line` reads."""


def check_input() -> list[str]:
    """What `SegmentInput` relies on and Textual no longer offers (empty: all there)."""
    problems = [
        f"Input.{name} is not a reactive"
        for name in ("_suggestion", "_cursor_visible")
        if not isinstance(getattr(Input, name, None), Reactive)
    ]
    made = vars(Input())  # what an Input sets for itself (its highlighter)
    problems += [
        f"Input has no {name}"
        for name in INPUT_READS
        if not hasattr(Input, name) and name not in made
    ]
    found = tuple(inspect.signature(Input.render_line).parameters)
    if found != ("self", "y"):
        problems.append(f"Input.render_line{found} is not render_line('self', 'y')")
    if "input--cursor" not in Input.COMPONENT_CLASSES:
        problems.append("Input has no input--cursor component class")
    return problems


INPUT_OK = not check_input()
"""Read on each line drawn: False draws every line as Textual's Input does."""


class SegmentInput(Input):
    """An Input whose plain line (a printable value and its cursor) is made from segments, with
    styles kept until they change: Textual's Input renders a Rich `Text` through the console for
    each keystroke (~0.8 ms, as much as drawing a log's changed search highlights)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._line_styles: tuple[Style, Style] | None = None
        """(its style, the cursor's), kept until the styles change (Textual computes them
        again after each refresh, i.e. each keystroke: ~0.2 ms)."""

    def notify_style_update(self) -> None:
        self._line_styles = None
        super().notify_style_update()

    def render_line(self, y: int) -> Strip:
        """The typed value with its cursor. A selection, a suggestion, a password, a
        highlighter, the placeholder or an unprintable character: Textual draws it."""
        value = self.value
        if (
            y
            or not INPUT_OK
            or not value
            or self.password
            or self.highlighter is not None
            or not self.has_focus
            or not self.selection.is_empty
            or len(self._suggestion) > len(value)
            or not value.isprintable()
        ):
            return super().render_line(y)
        if self._line_styles is None:
            self._line_styles = (self.rich_style, self.get_component_rich_style("input--cursor"))
        base, cursor_style = self._line_styles
        text = value
        segments = [Segment(text)]
        if self._cursor_visible:
            cursor = self.cursor_position
            if self.cursor_at_end:
                text += " "
            parts = (text[:cursor], text[cursor : cursor + 1], text[cursor + 1 :])
            segments = [
                Segment(part, cursor_style if i == 1 else None)
                for i, part in enumerate(parts)
                if part
            ]
        width = self.scrollable_content_region.width + 1
        scroll_x = self.scroll_offset.x
        strip = Strip(segments, cell_len(text)).crop(scroll_x, scroll_x + width)
        return strip.extend_cell_length(width).apply_style(base)
