"""The collector policy that keeps full garbage scans of a big fleet away from keystrokes."""

from __future__ import annotations

import gc

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
