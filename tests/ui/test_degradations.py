"""What an on-call engineer learns of degradations: a ranked toast, a count that waits for
them, a terminal notification when they look elsewhere."""

from __future__ import annotations

from drtui.core.health import is_passing
from drtui.ui.screens.deployments import DeploymentsScreen
from tests.ui.harness import Harness, harness
from tests.ui.waiting import until


def screen_of(h: Harness) -> DeploymentsScreen:
    screen = h.app.screen_stack[1]
    assert isinstance(screen, DeploymentsScreen)
    return screen


def toasts(h: Harness, title: str = "Health degraded") -> list[str]:
    return [str(n.message) for n in h.app._notifications if n.title == title]


async def degrade(h: Harness, pilot, count: int = 6) -> list[str]:  # type: ignore[no-untyped-def]
    """Degrade `count` healthy deployments (alphabetically): the last goes to FAIL and is
    CRITICAL, the others to WARN. Their labels, in alphabetical order."""
    screen = screen_of(h)
    healthy = sorted(
        (r for r in screen.fleet.rows.values() if all(is_passing(s) for s in r.health)),
        key=lambda r: r.label.lower(),
    )[:count]
    for row in healthy[:-1]:
        h.state.set_health(row.id, "serviceHealth", "warning")
    last = healthy[-1]
    h.state.update_deployment(last.id, {"importance": "CRITICAL"})
    h.state.set_health(last.id, "serviceHealth", "failing")
    polls = screen.refreshes
    await pilot.press("r")
    await until(pilot, lambda: screen.refreshes > polls, what="the poll that sees it")
    return [r.label for r in healthy]


async def test_the_toast_names_a_critical_deployment_going_to_fail_first() -> None:
    async with harness(attention_first=False) as h, h.app.run_test(size=(120, 40)) as pilot:
        screen = screen_of(h)
        await until(pilot, lambda: screen.refreshes == 1, what="first refresh")
        labels = await degrade(h, pilot)
        (toast,) = toasts(h)
        lines = toast.splitlines()
        # Alphabetically last, it would have been hidden in "… and 2 more".
        assert lines[0].startswith(f"{labels[-1]}: service OK → FAIL")
        assert lines[-1] == "… and 2 more (E: events)"
