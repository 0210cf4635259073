"""Bindings as Textual resolves them: a screen's own for a key, a node's merged ones, a key list.

Textual internals: `Screen._binding_chain` (read: each namespace's bindings, the user's keymap
applied), `DOMNode._bindings` (read: a node's bindings merged along its classes) and
`textual.keys._normalize_key_list` (called: how a keymap's keys are spelt). `BINDINGS_OK` and
`KEYS_OK` say whether they are as expected; when they are not, the screen's active bindings,
the classes' `BINDINGS` and a copy of Textual's spelling stand in.
"""

from __future__ import annotations

import inspect
import unicodedata
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode
from textual.keys import ASCII_KEY_NAMES, KEY_NAME_REPLACEMENTS
from textual.screen import Screen

if TYPE_CHECKING:
    from textual.keys import _normalize_key_list
else:
    try:
        from textual.keys import _normalize_key_list
    except ImportError:  # gone: the copy below (check_key_lists says why)
        _normalize_key_list = None


def check_bindings() -> list[str]:
    """What reading Textual's bindings relies on and Textual no longer offers (empty: all
    there)."""
    problems = []
    chain = getattr(Screen, "_binding_chain", None)
    if not isinstance(chain, property):
        problems.append("Screen._binding_chain is not a property")
    elif chain.fget is not None and tuple(inspect.signature(chain.fget).parameters) != ("self",):
        problems.append("Screen._binding_chain takes arguments")
    node = DOMNode()
    if not isinstance(getattr(node, "_bindings", None), BindingsMap):
        problems.append("DOMNode()._bindings is not a BindingsMap")
    if not isinstance(getattr(BindingsMap(), "key_to_bindings", None), dict):
        problems.append("BindingsMap().key_to_bindings is not a dict")
    return problems


BINDINGS_OK = not check_bindings()
"""Read on each look-up: False reads the public stand-ins (see the module docstring)."""


def screen_bindings(screen: Screen[Any], key: str) -> list[Binding]:
    """`screen`'s own bindings of `key`, the user's keymap applied."""
    if BINDINGS_OK:
        return [
            binding
            for namespace, bindings in screen._binding_chain
            if namespace is screen
            for binding in bindings.key_to_bindings.get(key, ())
        ]
    active = screen.active_bindings.get(key)
    return [active.binding] if active is not None and active.node is screen else []


def node_bindings(node: DOMNode) -> Iterator[Binding]:
    """`node`'s bindings as Textual merged them along its classes (any key spelling)."""
    if BINDINGS_OK:
        return (binding for _, binding in node._bindings)
    return (
        binding
        for cls in reversed(type(node).__mro__)
        for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", ()))
    )


def _copy_of_normalize_key_list(keys: str) -> str:
    """Textual 8.2's `_normalize_key_list`: a single character becomes its key name."""

    def name(character: str) -> str:
        if character.isalnum():
            key = character
        else:
            try:
                key = unicodedata.name(character).lower().replace("-", "_").replace(" ", "_")
            except ValueError:
                key = ASCII_KEY_NAMES.get(character, character)
        return KEY_NAME_REPLACEMENTS.get(key, key)

    return ",".join(
        name(key) if len(key) == 1 else key for key in (key.strip() for key in keys.split(","))
    )


def check_key_lists() -> list[str]:
    """Whether Textual's own spelling of key lists can be called as here (empty: it can)."""
    if _normalize_key_list is None:
        return ["textual.keys._normalize_key_list cannot be imported"]
    found = tuple(inspect.signature(_normalize_key_list).parameters)
    if found != ("keys",):
        return [f"_normalize_key_list{found} is not _normalize_key_list('keys',)"]
    return []


KEYS_OK = not check_key_lists()
"""False: key lists are spelt by the copy of Textual 8.2's function (it cannot be called)."""


def normalize_key_list(keys: str) -> str:
    """`keys` (comma-separated) spelt as Textual's keymap spells them: `?` is `question_mark`."""
    spell: Callable[[str], str] = _normalize_key_list if KEYS_OK else _copy_of_normalize_key_list
    return spell(keys)
