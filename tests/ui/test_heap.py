"""The collector policy that keeps full garbage scans of a big fleet away from keystrokes."""

from __future__ import annotations

import gc
from typing import Any

from drtui.ui.heap import COSTLY, OVERDUE_CHEAP, OVERDUE_COSTLY, QuietCollector


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_no_collection_while_a_fleet_is_built_and_the_result_is_frozen() -> None:
    collector = QuietCollector()
    frozen_before = gc.get_freeze_count()
    assert gc.isenabled()
    with collector.building():
        assert not gc.isenabled()
        with collector.building():  # a nested build keeps the pause
            pass
        assert not gc.isenabled()
        fleet = [{"id": str(i), "health": [i]} for i in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= frozen_before + len(fleet)
    gc.unfreeze()


def test_full_collection_waits_until_due_and_the_user_is_idle() -> None:
    clock = FakeClock()
    collector = QuietCollector(full_every=300, idle_after=10, clock=clock)
    clock.now += 100
    assert not collector.collect_if_idle(), "not due yet"
    clock.now += 200
    collector.user_active()
    clock.now += 5
    assert not collector.collect_if_idle(), "the user typed 5 s ago"
    clock.now += 10
    assert collector.collect_if_idle()
    assert collector.full_collections == 1
    assert not collector.collect_if_idle(), "just ran"
    gc.unfreeze()


def test_an_overdue_collection_runs_even_while_the_user_keeps_typing() -> None:
    clock = FakeClock()
    collector = QuietCollector(full_every=120, idle_after=10, clock=clock)
    for _ in range(int((120 + OVERDUE_CHEAP) / 4) - 1):  # a key every 4 s
        clock.now += 4
        collector.user_active()
        assert not collector.collect_if_due()
    clock.now += 8
    collector.user_active()
    assert collector.collect_if_due(), "overdue: runs although the user never paused"
    # A costly collection (a big fleet) earns a longer patience with a typist.
    collector.last_cost = COSTLY
    clock.now += 120 + OVERDUE_CHEAP
    collector.user_active()
    assert not collector.collect_if_due()
    clock.now += OVERDUE_COSTLY - OVERDUE_CHEAP
    assert collector.collect_if_due()
    gc.unfreeze()


def test_frozen_cyclic_garbage_is_reclaimed_by_the_idle_collection() -> None:
    clock = FakeClock()
    collector = QuietCollector(full_every=0, idle_after=0, clock=clock)

    class Node:
        def __init__(self) -> None:
            self.me = self

    with collector.building():
        cycle = Node()
    collected: list[object] = []
    import weakref

    ref = weakref.ref(cycle, collected.append)
    del cycle
    gc.collect()
    assert ref() is not None, "frozen: an ordinary collection leaves it alone"
    assert collector.collect_if_idle()
    assert ref() is None and collected
    gc.unfreeze()


def test_garbage_made_before_the_build_ends_is_collected_not_frozen() -> None:
    """A poll's cyclic garbage (its HTTP responses, a finished worker) must not be frozen with
    the fleet: frozen, it waited minutes for a full collection (issue 14's typist)."""
    import weakref

    class Node:
        def __init__(self) -> None:
            self.me = self

    collector = QuietCollector()
    gone: list[object] = []
    with collector.building():
        garbage = Node()
        ref = weakref.ref(garbage, gone.append)
        del garbage  # dead, in a cycle, before the build ends
        kept = Node()
    assert ref() is None and gone, "collected before the freeze"
    assert collector.last_build_cost > 0
    assert kept.me is kept
    gc.unfreeze()


def test_drawn_strips_hold_no_reference_cycle() -> None:
    """Textual's Strip.divide caches `[self]` for an uncut strip: a cycle that made every drawn
    line cyclic garbage (frozen when it outlived a freeze). With acyclic_strips() it is not."""

    from rich.segment import Segment
    from textual.strip import Strip

    from drtui.ui.textual_compat.strips import TEXTUAL_DIVIDE, acyclic_strips

    acyclic_strips()
    acyclic_strips()  # idempotent
    for cuts in ([11], [5, 11], [5, 20], [20], [3, 7, 11], []):
        fresh = Strip([Segment("hello "), Segment("world")])
        expected = [s.text for s in TEXTUAL_DIVIDE(fresh, cuts)]
        assert [s.text for s in Strip([Segment("hello "), Segment("world")]).divide(cuts)] == (
            expected
        ), cuts
    strip = Strip([Segment("hello world")])
    assert strip.divide([11]) == [strip]

    def cyclic_strips(divide: Any) -> int:
        gc.collect()
        gc.set_debug(gc.DEBUG_SAVEALL)
        try:
            drawn = Strip([Segment("hello world")])
            divide(drawn, [11])
            del drawn
            gc.collect()
            return sum(isinstance(o, Strip) for o in gc.garbage)
        finally:
            gc.set_debug(0)
            gc.garbage.clear()

    assert cyclic_strips(TEXTUAL_DIVIDE) == 1, "Textual's own divide: a cycle (fixed upstream?)"
    assert cyclic_strips(Strip.divide) == 0, "freed by reference counting alone"
