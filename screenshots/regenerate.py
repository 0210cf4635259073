"""Render every README screenshot from the app itself, on the emulator with a fixed seed.

    python screenshots/regenerate.py

Each scenario drives the real app (Textual's Pilot) against an in-process emulator on its manual
clock, then saves Textual's own SVG export. Same seed, same clock, same pictures.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from textual.pilot import Pilot  # noqa: E402

from drtui.ui.screens.deployments import DeploymentsScreen  # noqa: E402
from tests.observe import until  # noqa: E402
from tests.ui.harness import build_app  # noqa: E402

Steps = Callable[[Pilot[Any], Any], Awaitable[None]]


def _deployments(pilot: Pilot[Any]) -> DeploymentsScreen:
    return next(s for s in pilot.app.screen_stack if isinstance(s, DeploymentsScreen))


async def _control(world: Any, method: str, path: str, body: dict[str, Any] | None = None) -> None:
    import httpx

    emulator, config = world
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=emulator),
        base_url="http://emulator.test",
        headers={"Authorization": f"Bearer {config.user_token}"},
    ) as control:
        (await control.request(method, path, json=body)).raise_for_status()


async def _nothing(pilot: Pilot[Any], world: Any) -> None:
    return None


def _record_a_night(state: Path, emulator: Any) -> None:
    """A history file holding the last 20 hours of the fleet, polled every 30 minutes, as the
    app would have recorded it: each deployment as it is now, a few of them failing or warning
    for a while (deterministic), so the LAST 24H strips and replay have something to show."""
    from datetime import timedelta

    from drtui.core.recorded import State
    from drtui.store.history import History
    from tests.ui.harness import FIXED_NOW

    world = emulator.state.emulator
    path = state / "history-test@emulator.test.sqlite3"

    def health(doc: dict[str, Any], name: str) -> str:
        return str((doc.get(name) or {}).get("status") or "unknown")

    with History(path, max_gap=timedelta(hours=1)) as history:
        for step in range(40, 0, -1):
            at = FIXED_NOW - step * timedelta(minutes=30)
            hours = step / 2
            states = {}
            for index, key in enumerate(world.live_ids):
                doc = world.deployments[key].doc
                now = [health(doc, n) for n in ("serviceHealth", "modelHealth", "accuracyHealth")]
                if index % 5 == 1 and 6 <= hours <= 10:
                    now[0] = "failing"  # an outage in the night, over since
                elif index % 7 == 2 and 2 <= hours <= 14 and int(hours) % 4 < 2:
                    now[1] = "warning"  # flapping drift
                elif index % 3 == 0 and hours > 12:
                    now = ["passing" if h in ("failing", "warning") else h for h in now]
                states[key] = State(
                    str(doc.get("label") or ""), str(doc.get("importance") or ""), *now
                )
            history.record(states, at)


async def _strips(pilot: Pilot[Any], world: Any) -> None:
    screen = _deployments(pilot)
    await until(pilot, lambda: bool(screen.strips), timeout=30, what="health strips")


async def _replay(pilot: Pilot[Any], world: Any) -> None:
    await _strips(pilot, world)
    await pilot.press("left_square_bracket", "left_square_bracket")


async def _filter_builder(pilot: Pilot[Any], world: Any) -> None:
    await pilot.press("f")


async def _help(pilot: Pilot[Any], world: Any) -> None:
    await pilot.press("question_mark")


async def _stale(pilot: Pilot[Any], world: Any) -> None:
    # A 429 rather than an outage: a 5xx carries a random request id, and the picture must
    # come out the same every time.
    await _control(world, "PUT", "/_emulator/chaos", {"rateLimitRate": 1.0, "retryAfter": 20})
    await pilot.press("r")
    screen = _deployments(pilot)
    await until(pilot, lambda: screen.freshness.stale_since is not None, what="stale")


async def _edit(pilot: Pilot[Any], world: Any) -> None:
    await pilot.press("e")


async def _deleted(pilot: Pilot[Any], world: Any) -> None:
    from drtui.ui.screens.deleted import DeletedScreen

    await pilot.press("colon", *"deleted", "enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, DeletedScreen), what=":deleted")
    screen = pilot.app.screen
    assert isinstance(screen, DeletedScreen)
    await until(pilot, lambda: screen.poller.polls >= 1, what="deleted listed")
    await pilot.press("space", "down", "space", "down")


async def _events(pilot: Pilot[Any], world: Any) -> None:
    screen = _deployments(pilot)
    before = screen.refreshes
    await _control(world, "POST", "/_emulator/clock/advance", {"seconds": 1800})
    await pilot.press("r")
    await until(pilot, lambda: screen.refreshes > before, what="refresh after the clock moved")
    await pilot.press("E")


async def _custom_view(pilot: Pilot[Any], world: Any) -> None:
    from drtui.ui.screens.custom import CustomScreen

    await pilot.press("colon", *"custom", "enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, CustomScreen), what=":custom")
    screen = pilot.app.screen
    assert isinstance(screen, CustomScreen)
    await until(pilot, lambda: screen.poller.polls >= 1, what="custom listed")
    state = world[0].state.emulator
    for row in [r for r in screen.table.rows if state.custom_log(r.id) is not None][1:4]:
        screen.table.move_cursor_to_id(row.id)
        await pilot.press("space")


async def _log_view(pilot: Pilot[Any], world: Any) -> None:
    from drtui.ui.screens.logs import LogScreen

    await _custom_view(pilot, world)
    await pilot.press("l")
    await until(pilot, lambda: isinstance(pilot.app.screen, LogScreen), what="merged log")
    screen = pilot.app.screen
    assert isinstance(screen, LogScreen)
    await until(pilot, lambda: all(f.loaded for f in screen.followers), what="logs loaded")
    await pilot.press("slash", *"ERROR|Traceback", "enter")


async def _bundles_view(pilot: Pilot[Any], world: Any) -> None:
    from drtui.ui.screens.bundles import BundlesScreen

    await pilot.press("colon", *"bundles", "enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, BundlesScreen), what=":bundles")
    screen = pilot.app.screen
    assert isinstance(screen, BundlesScreen)
    await until(pilot, lambda: screen.poller.polls >= 1, what="bundles listed")
    await pilot.press("x", "down", "enter")
    await until(pilot, lambda: bool(screen._opened), what="bundle opened")


async def _pps_view(pilot: Pilot[Any], world: Any) -> None:
    from drtui.ui.screens.pps import PpsScreen

    await pilot.press("colon", *"pps", "enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, PpsScreen), what=":pps")
    screen = pilot.app.screen
    assert isinstance(screen, PpsScreen)
    await until(pilot, lambda: screen.poller.polls >= 1, what="metadata")


@dataclass
class Shot:
    name: str
    size: tuple[int, int]
    steps: Steps = _nothing
    settings: dict[str, Any] = field(default_factory=dict)
    admin: bool = False
    """Use the emulator's admin token (the deleted-deployments endpoints need it)."""
    history: bool = False
    """Start on a history file holding a recorded night (strips, replay)."""


SHOTS = [
    Shot("deployments", (160, 45), _strips, history=True),
    Shot("deployments-80x24", (80, 24), _strips, history=True),
    Shot("filter-builder", (120, 40), _filter_builder),
    Shot("help", (120, 40), _help),
    Shot("stale", (120, 32), _stale),
    Shot("events", (120, 32), _events),
    Shot("custom", (160, 40), _custom_view),
    Shot("logs", (160, 40), _log_view),
    Shot("edit", (120, 32), _edit),
    Shot("deleted", (120, 32), _deleted, admin=True),
    Shot("bundles", (160, 40), _bundles_view),
    Shot("pps", (120, 32), _pps_view),
    Shot("history", (160, 45), _replay, history=True),
]


async def render(shot: Shot, out: Path) -> Path:
    if shot.admin:
        import tempfile

        from tests.ui.write_harness import build_write_app

        built = build_write_app(
            Path(tempfile.mkdtemp()), deployments=300, seed=7, admin=True, **shot.settings
        )
        app, emulator, config = built.app, built.emulator, built.config
    elif shot.history:
        import tempfile

        from drtui.emulator.app import create_app
        from drtui.emulator.config import EmulatorConfig

        state = Path(tempfile.mkdtemp())
        emulator = create_app(EmulatorConfig(deployments=300, seed=7, clock="manual"))
        _record_a_night(state, emulator)
        app, emulator, config = build_app(emulator=emulator, state=state, **shot.settings)
    else:
        app, emulator, config = build_app(deployments=300, seed=7, **shot.settings)
    async with app.run_test(size=shot.size) as pilot:
        await until(
            pilot, lambda: _deployments(pilot).refreshes >= 1, timeout=20, what="first refresh"
        )
        await shot.steps(pilot, (emulator, config))
        await pilot.pause(0.2)
        path = out / f"{shot.name}.svg"
        path.write_text(app.export_screenshot(title=f"drtui: {shot.name}"), encoding="utf-8")
    return path


async def main(argv: list[str]) -> int:
    """`regenerate.py [--out DIR] [NAME ...]`: every picture (or the named ones) into DIR,
    by default this folder."""
    out = REPO / "screenshots"
    if argv[:1] == ["--out"]:
        out, argv = Path(argv[1]), argv[2:]
    wanted = set(argv)
    for shot in [s for s in SHOTS if not wanted or s.name in wanted]:
        print(await render(shot, out))
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
