"""The action table (drtui/ui/actions.py) is the only source of keys: every binding of every
screen is one of its rows, ids are unique, the defaults do not collide, and the read-only guard
hides exactly the rows marked as writes."""

from __future__ import annotations

import importlib
import pkgutil
from collections import Counter
from datetime import UTC, datetime
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.dom import DOMNode

import drtui.ui
from drtui.ui.actions import ACTIONS, BY_ID, SCOPES, WRITE_IDS, conflict_groups
from drtui.ui.keymap import (
    DELETED_BINDINGS,
    SCREEN_BINDINGS,
    WRITE_BINDINGS,
    binding,
    keymap_conflicts,
    write_actions,
)
from drtui.ui.screens.base import REFUSAL, ViewScreen
from drtui.ui.settings import AppSettings


def drtui_classes() -> list[type[DOMNode]]:
    """Every screen, widget and app class drtui defines (all of drtui.ui imported)."""
    for module in pkgutil.walk_packages(drtui.ui.__path__, "drtui.ui."):
        importlib.import_module(module.name)
    found: list[type[DOMNode]] = []
    todo: list[type[DOMNode]] = [DOMNode]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("drtui.") and cls not in found:
            found.append(cls)
    return found


def own_bindings(cls: type[DOMNode]) -> list[Binding]:
    own = cls.__dict__.get("BINDINGS", ())
    assert all(isinstance(b, Binding) for b in own), f"{cls.__name__}: a binding without an id"
    return [b for b in own if isinstance(b, Binding)]


def test_every_id_is_unique_and_every_scope_is_known() -> None:
    repeated = [name for name, n in Counter(a.id for a in ACTIONS).items() if n > 1]
    assert not repeated, f"ids given twice: {repeated}"
    assert len(BY_ID) == len(ACTIONS)
    assert {a.scope for a in ACTIONS} == set(SCOPES), "a scope with no action, or unknown"


def test_every_scope_is_checked_for_conflicts() -> None:
    checked = {scope for group in conflict_groups().values() for scope in {a.scope for a in group}}
    assert checked == set(SCOPES)
    assert {"events", "pps"} <= set(conflict_groups()), "views once left out of the check"


def test_no_two_actions_of_a_screen_share_a_default_key() -> None:
    assert keymap_conflicts({}) == []


def test_a_rebinding_onto_a_table_key_is_caught_in_every_view() -> None:
    for view in ("deployments", "custom", "bundles", "events", "deleted"):
        own = next(a for a in ACTIONS if a.scope == view and a.keys not in ("j", "escape"))
        messages = keymap_conflicts({own.id: "j"})
        assert len(messages) == 1 and f"on {view}:" in messages[0], own.id
    assert keymap_conflicts({"pps.download": "q"}), "the app's keys count on :pps"


def test_every_binding_of_every_screen_comes_from_the_table() -> None:
    bound: set[str] = set()
    for cls in drtui_classes():
        for b in own_bindings(cls):
            assert b.id in BY_ID, f"{cls.__name__} binds {b.key!r} outside the table"
            if b.action.startswith(REFUSAL):
                assert b.id in WRITE_IDS, f"{cls.__name__}: a read-only twin of a read"
                continue
            assert b == binding(BY_ID[b.id]), f"{cls.__name__}: {b.id} differs from the table"
            bound.add(b.id)
    assert bound == set(BY_ID), f"in the table, bound nowhere: {sorted(set(BY_ID) - bound)}"


def test_each_write_a_screen_binds_has_a_read_only_twin() -> None:
    for cls in drtui_classes():
        if not issubclass(cls, ViewScreen):
            continue
        bindings = own_bindings(cls)
        writes = [b.id for b in bindings if b.id in WRITE_IDS and not b.action.startswith(REFUSAL)]
        twins = [b.id for b in bindings if b.action.startswith(REFUSAL)]
        assert writes == twins, cls.__name__


FIXED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
"""The probes' clock: what the screens show of time is not what these tests read."""


class Probe(ViewScreen):
    """Every screen action that has a write among its neighbours, on one screen."""

    BINDINGS: ClassVar[list[BindingType]] = [*SCREEN_BINDINGS, *WRITE_BINDINGS, *DELETED_BINDINGS]


def test_read_only_hides_exactly_the_writes() -> None:
    settings = AppSettings(endpoint="https://t.test", token="t", read_only=True)
    probe = Probe(settings, lambda: FIXED)
    writes = {name for name in write_actions(probe) if not name.startswith(REFUSAL)}
    assert writes == write_actions() == {BY_ID[i].action for i in WRITE_IDS}
    for b in Probe.BINDINGS:
        assert isinstance(b, Binding)
        name = b.action.partition("(")[0]
        hidden = probe.check_action(name, ()) is False
        assert hidden == (b.id in WRITE_IDS and name != REFUSAL), b.id
    writable = Probe(AppSettings(endpoint="https://t.test", token="t"), lambda: FIXED)
    assert all(writable.check_action(BY_ID[i].action, ()) for i in WRITE_IDS)
