"""The Textual internals drtui uses (drtui/ui/textual_compat) are as it expects, and each fast
path falls back to Textual's own when they are not.

A Textual upgrade that moves one of them fails a test named after it here; the fallback tests
show what drtui then does instead (Textual's own path, drawing the same thing)."""

from __future__ import annotations

import inspect
from importlib.metadata import version
from typing import Any, ClassVar

import pytest
from rich.segment import Segment
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.driver import Driver
from textual.geometry import Region, Size
from textual.keys import _normalize_key_list
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Footer, Input, Label, Select

from drtui.ui import textual_compat
from drtui.ui.textual_compat import app as compat_app
from drtui.ui.textual_compat import bindings, scrolling, strips, styles, widgets
from drtui.ui.textual_compat.styles import StylesCache
from drtui.ui.widgets.detail_pane import DetailPane
from drtui.ui.widgets.line_table import LineTable
from tests.ui.test_kept_lines import PaneApp, sections
from tests.ui.test_line_table_keystroke import ITEMS


def parameters(function: Any) -> list[tuple[str, Any]]:
    return [(p.name, p.kind) for p in inspect.signature(function).parameters.values()]


POSITIONAL = inspect.Parameter.POSITIONAL_OR_KEYWORD

# ----- every check -----------------------------------------------------------------------------


def test_textual_is_the_minor_release_these_internals_were_written_against() -> None:
    """pyproject.toml pins it; a new minor is taken on purpose, once this file passes on it."""
    assert version("textual").split(".")[:2] == ["8", "2"]


def test_every_internal_drtui_uses_is_as_it_expects() -> None:
    assert textual_compat.unsupported() == {}
    assert all(
        [
            styles.STYLES_OK,
            scrolling.SCROLL_OK,
            strips.STRIPS_OK,
            bindings.BINDINGS_OK,
            bindings.KEYS_OK,
            widgets.FOOTER_OK,
            widgets.SELECT_OK,
            widgets.INPUT_OK,
            compat_app.CRASH_OK,
            compat_app.DRIVER_OK,
        ]
    )


# ----- the styles caches ---------------------------------------------------------------------


def test_styles_cache_render_line_takes_what_kept_styles_passes_in_that_order() -> None:
    """KeptStyles.render_line mirrors Textual's 13 positional parameters and passes them on:
    one added or moved would raise, or worse, style a line with the wrong values."""
    expected = [
        "self",
        "styles",
        "y",
        "size",
        "content_size",
        "padding",
        "base_background",
        "background",
        "render_content_line",
        "border_title",
        "border_subtitle",
        "opacity",
        "ansi_theme",
        "native_ansi",
    ]
    found = parameters(StylesCache.render_line)
    for i, name in enumerate(expected):
        assert found[i] == (name, POSITIONAL), f"parameter {i} of StylesCache.render_line"
    assert len(found) == len(expected)
    assert [name for name, _ in parameters(styles.KeptStyles.render_line)] == expected


def test_styles_cache_keeps_lines_where_the_subclasses_read_them() -> None:
    """LineStyles fills `_cache`, skips `_dirty_lines`' lines and sets `_width` as Textual's
    own render does; StillStyles hooks `set_dirty` and `clear`."""
    assert parameters(StylesCache.render_widget) == [
        ("self", POSITIONAL),
        ("widget", POSITIONAL),
        ("crop", POSITIONAL),
    ]
    assert parameters(StylesCache.set_dirty) == [
        ("self", POSITIONAL),
        ("regions", inspect.Parameter.VAR_POSITIONAL),
    ]
    assert parameters(StylesCache.clear) == [("self", POSITIONAL)]
    cache = StylesCache()
    assert cache._cache == {} and cache._dirty_lines == set() and cache._width == 1
    cache._cache[0] = Strip.blank(3)
    cache.set_dirty(Region(0, 0, 3, 2))
    assert cache._dirty_lines == {0, 1}
    cache.clear()
    assert cache._cache == {} and cache._dirty_lines == set()


def test_a_widget_has_a_styles_cache_and_border_titles_to_read() -> None:
    widget = Widget()
    assert type(widget._styles_cache) is StylesCache
    assert widget._border_title is None and widget._border_subtitle is None
    widget.border_title = "title"
    assert widget._border_title is not None, "LineStyles leaves a titled widget to Textual"


async def test_install_styles_puts_the_cache_on_the_widget() -> None:
    app = PaneApp()
    async with app.run_test(size=(80, 40)):
        table = app.query_one(LineTable)
        pane = app.query_one(DetailPane)
        assert isinstance(table._styles_cache, styles.LineStyles)
        assert isinstance(pane._styles_cache, styles.KeptStyles)
        assert isinstance(table.vertical_scrollbar._styles_cache, styles.BarStyles)


# ----- the scroll views' sizing --------------------------------------------------------------


def test_scroll_view_size_updated_and_scroll_update_are_as_overridden_and_called() -> None:
    assert parameters(ScrollView._size_updated) == [
        ("self", POSITIONAL),
        ("size", POSITIONAL),
        ("virtual_size", POSITIONAL),
        ("container_size", POSITIONAL),
        ("layout", POSITIONAL),
    ]
    assert parameters(Widget._scroll_update) == [("self", POSITIONAL), ("virtual_size", POSITIONAL)]


async def test_a_steady_view_skips_a_size_update_that_changes_nothing() -> None:
    app = PaneApp()
    async with app.run_test(size=(80, 40)) as pilot:
        table = app.query_one(LineTable)
        table.set_rows(list(ITEMS))
        await pilot.pause()
        size, container = table.size, table.container_size
        assert table._sized_for == (size, table.virtual_size, container)
        assert table._size_updated(size, Size(1, 1), container, layout=False) is False


# ----- Strip.divide --------------------------------------------------------------------------


def test_strip_divide_is_replaced_and_divides_as_textuals() -> None:
    assert parameters(strips.TEXTUAL_DIVIDE) == [("self", POSITIONAL), ("cuts", POSITIONAL)]
    assert strips.acyclic_strips() is True
    assert Strip.divide is strips._divide
    for cuts in ([11], [5, 11], [5, 20], [20], [3, 7, 11], []):
        strip = Strip([Segment("hello "), Segment("world")])
        ours = [part.text for part in strip.divide(cuts)]
        assert ours == [part.text for part in strips.TEXTUAL_DIVIDE(strip, cuts)], cuts
    uncut = Strip([Segment("hello world")])
    assert uncut.divide([11]) == [uncut]
    assert uncut._divide_cache.get((11,)) is None, "the uncut case is not cached (a cycle)"
    assert strips.TEXTUAL_DIVIDE(uncut, [11]) == [uncut]


# ----- bindings ------------------------------------------------------------------------------


class Keyed(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search", id="test.search"),
        Binding("x", "write", "Write", id="test.write"),
    ]

    def compose(self) -> ComposeResult:
        yield Label("keyed")


class KeyedApp(App[None]):
    def on_mount(self) -> None:
        self.set_keymap({"test.write": "y"})
        self.push_screen(Keyed())


async def test_a_screens_binding_chain_gives_its_own_bindings_keymap_applied() -> None:
    assert isinstance(inspect.getattr_static(Screen, "_binding_chain"), property)
    app = KeyedApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        screen = app.screen
        chain = screen._binding_chain
        assert (screen, chain[0][1]) == chain[0]
        assert [b.action for b in bindings.screen_bindings(screen, "slash")] == ["search"]
        assert [b.action for b in bindings.screen_bindings(screen, "y")] == ["write"]
        assert bindings.screen_bindings(screen, "x") == []


def test_a_nodes_bindings_are_merged_along_its_classes() -> None:
    class More(Keyed):
        BINDINGS: ClassVar[list[BindingType]] = [Binding("m", "more", "More")]

    node = More()
    ours = {"search", "write", "more"}
    assert [(key, b.action) for key, b in node._bindings if b.action in ours] == [
        ("slash", "search"),
        ("x", "write"),
        ("m", "more"),
    ]
    assert {b.action for b in bindings.node_bindings(node)} >= {"search", "write", "more"}


def test_key_lists_are_spelt_as_textual_spells_them() -> None:
    assert parameters(_normalize_key_list) == [("keys", POSITIONAL)]
    spelt = {
        "a": "a",
        "?": "question_mark",
        " x , ctrl+y ,/": "x,ctrl+y,slash",
        "+,-": "plus,minus",
        "é": "é",
        "€": "euro_sign",
    }
    for keys, expected in spelt.items():
        assert _normalize_key_list(keys) == expected, keys
        assert bindings._copy_of_normalize_key_list(keys) == expected, keys
        assert bindings.normalize_key_list(keys) == expected, keys


# ----- widgets -------------------------------------------------------------------------------


def test_footer_key_takes_what_the_footer_passes() -> None:
    assert parameters(widgets.FooterKey.__init__)[:6] == [
        ("self", POSITIONAL),
        ("key", POSITIONAL),
        ("key_display", POSITIONAL),
        ("description", POSITIONAL),
        ("action", POSITIONAL),
        ("disabled", POSITIONAL),
    ]
    assert "tooltip" in inspect.signature(widgets.FooterKey.__init__).parameters
    assert "_bindings_ready" in Footer._reactives


class Ordered(widgets.KeyFooter):
    def key_order(self, actions: list[str]) -> list[str]:
        return sorted(actions, reverse=True)


class FooterApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "bell", "Alpha"),
        Binding("b", "quit", "Beta"),
    ]

    def compose(self) -> ComposeResult:
        yield Ordered()


async def footer_keys() -> list[str]:
    app = FooterApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        footer = app.query_one(Ordered)
        return [key.description for key in footer.query(widgets.FooterKey)]


async def test_the_footer_shows_its_keys_in_the_order_it_chooses() -> None:
    assert await footer_keys() == ["Beta", "Alpha"]


class SelectApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Select([("one", 1), ("two", 2)], id="choice")


async def open_dropdown_seen() -> list[bool]:
    app = SelectApp()
    async with app.run_test() as pilot:
        app.query_one(Select).focus()
        await pilot.pause()
        closed = widgets.is_open_dropdown(app.focused)
        await pilot.press("enter")
        await pilot.pause()
        opened = widgets.is_open_dropdown(app.focused)
        return [closed, opened]


async def test_an_open_dropdown_is_a_select_overlay() -> None:
    assert issubclass(widgets.SelectOverlay, Widget)
    app = SelectApp()
    async with app.run_test() as pilot:
        app.query_one(Select).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.focused, widgets.SelectOverlay)
    assert await open_dropdown_seen() == [False, True]


def test_an_input_keeps_its_suggestion_and_cursor_where_the_prompt_reads_them() -> None:
    assert {"_suggestion", "_cursor_visible"} <= set(Input._reactives)
    assert parameters(Input.render_line) == [("self", POSITIONAL), ("y", POSITIONAL)]
    assert "input--cursor" in Input.COMPONENT_CLASSES


class PromptApp(App[None]):
    def compose(self) -> ComposeResult:
        yield widgets.SegmentInput(id="prompt", compact=True)


async def prompt_lines() -> list[list[Segment]]:
    app = PromptApp()
    lines = []
    async with app.run_test(size=(30, 3)) as pilot:
        prompt = app.query_one(widgets.SegmentInput)
        prompt.cursor_blink = False
        prompt.focus()
        for value in ("p", "prediction", "x" * 40):
            prompt.value = value
            await pilot.pause()
            ours = prompt.render_line(0)
            assert list(ours) == list(Input.render_line(prompt, 0)), value
            lines.append(list(ours))
    return lines


async def test_the_prompt_line_is_textuals_input_line() -> None:
    assert len(await prompt_lines()) == 3


# ----- the app -------------------------------------------------------------------------------


def test_an_app_handles_an_unexpected_exception_where_drtui_hooks_in() -> None:
    assert parameters(App._handle_exception) == [("self", POSITIONAL), ("error", POSITIONAL)]
    made = App[None]()
    assert made._exit_renderables == []
    assert made._driver is None


class Crashing(compat_app.ExitWithoutTraceback[None]):
    def exit_renderables_for(self, error: Exception) -> list[Any]:
        return [Text(f"said instead: {error}")]

    def on_mount(self) -> None:
        raise RuntimeError("secret")


async def crash_output(capsys: pytest.CaptureFixture[str]) -> str:
    """What a crashing app prints once its terminal is restored."""
    app = Crashing()
    with pytest.raises(RuntimeError):
        async with app.run_test():
            pass
    return capsys.readouterr().err


async def test_a_crash_prints_what_the_app_says_instead_of_textuals_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert (await crash_output(capsys)).strip() == "said instead: secret"


async def test_the_driver_is_written_to() -> None:
    assert parameters(Driver.write) == [("self", POSITIONAL), ("data", POSITIONAL)]
    app = App[None]()
    assert compat_app.write_to_terminal(app, "\x07") is False, "not running: no driver"
    async with app.run_test():
        written: list[str] = []
        app._driver.write = written.append  # type: ignore[method-assign,union-attr]
        assert compat_app.write_to_terminal(app, "\x1b]9;hi\x07") is True
        assert written == ["\x1b]9;hi\x07"]


# ----- fallbacks: each check failing ---------------------------------------------------------


async def pane_screenshot() -> tuple[str, list[type]]:
    """The table, its scrollbar and the detail pane drawn after a narrowing and a selection."""
    app = PaneApp()
    async with app.run_test(size=(80, 40)) as pilot:
        table = app.query_one(LineTable)
        pane = app.query_one(DetailPane)
        table.set_rows(list(ITEMS))
        pane.show("a", sections("alpha"))
        await pilot.pause()
        table.set_rows(ITEMS[:30])  # narrowed: the thumb grows
        await pilot.pause()
        table.set_rows(ITEMS[:10])  # fits: the scrollbar goes
        pane.show("b", sections("beta"))
        await pilot.pause()
        assert not table.show_vertical_scrollbar
        caches = [type(w._styles_cache) for w in (table, pane, table.vertical_scrollbar)]
        return app.export_screenshot(), caches


async def test_without_the_styles_caches_the_table_and_pane_draw_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fast, caches = await pane_screenshot()
    assert caches == [styles.LineStyles, styles.KeptStyles, styles.BarStyles]
    monkeypatch.setattr(styles, "STYLES_OK", False)
    stock, caches = await pane_screenshot()
    assert caches == [StylesCache] * 3, "Textual's own cache on each"
    assert stock == fast


async def test_without_the_steady_sizing_the_table_and_pane_draw_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fast, _ = await pane_screenshot()
    monkeypatch.setattr(scrolling, "SCROLL_OK", False)
    assert await pane_screenshot() == (
        fast,
        [styles.LineStyles, styles.KeptStyles, styles.BarStyles],
    )


def test_without_the_divide_check_strip_divide_is_left_to_textual(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(Strip, "divide", strips.TEXTUAL_DIVIDE)
    monkeypatch.setattr(strips, "STRIPS_OK", False)
    assert strips.acyclic_strips() is False
    assert Strip.divide is strips.TEXTUAL_DIVIDE


async def test_without_the_binding_chain_the_active_bindings_stand_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bindings, "BINDINGS_OK", False)
    app = KeyedApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        screen = app.screen
        assert [b.action for b in bindings.screen_bindings(screen, "slash")] == ["search"]
        assert [b.action for b in bindings.screen_bindings(screen, "y")] == ["write"]
        assert bindings.screen_bindings(screen, "x") == []
    node = Keyed()
    assert {b.action for b in bindings.node_bindings(node)} >= {"search", "write"}


def test_without_textuals_key_list_spelling_the_copy_spells_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bindings, "KEYS_OK", False)
    monkeypatch.setattr(bindings, "_normalize_key_list", None)
    assert bindings.normalize_key_list("?, ctrl+x,/") == "question_mark,ctrl+x,slash"


async def test_without_footer_key_textuals_footer_shows_the_keys(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(widgets, "FOOTER_OK", False)
    assert {"Alpha", "Beta"} <= set(await footer_keys())


async def test_without_select_overlay_an_open_dropdown_is_seen_by_its_select(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(widgets, "SELECT_OK", False)
    assert await open_dropdown_seen() == [False, True]


async def test_without_the_input_internals_the_prompt_is_textuals_input(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fast = await prompt_lines()
    monkeypatch.setattr(widgets, "INPUT_OK", False)
    assert await prompt_lines() == fast


async def test_without_the_crash_hook_textuals_traceback_is_left(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(compat_app, "CRASH_OK", False)
    shown = await crash_output(capsys)
    assert "Traceback" in shown and "locals" in shown, "Textual's traceback, with locals"


async def test_without_the_driver_check_nothing_is_written(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(compat_app, "DRIVER_OK", False)
    app = App[None]()
    async with app.run_test():
        written: list[str] = []
        app._driver.write = written.append  # type: ignore[method-assign,union-attr]
        assert compat_app.write_to_terminal(app, "\x07") is False
        assert written == []
