"""The views of the app, by name: what `:name`, the command palette and `esc` navigate.

Each view is a Textual mode with its own screen stack, so a view keeps its state (cursor,
search, poll) while another is shown, and the deployments view keeps monitoring (alerts,
events) from behind any other. The deployments view lives on the default mode's stack.
A later view registers itself by adding a `View` to `VIEWS` (name, title, factory).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.screen import Screen

if TYPE_CHECKING:
    from drtui.ui.app import DrtuiApp

DEFAULT_MODE = "deployments"
"""The app's default mode: a blank base screen with the deployments screen pushed on it."""


@dataclass(frozen=True, slots=True)
class View:
    name: str
    """What follows `:` (and the mode's name)."""
    title: str
    description: str
    factory: Callable[[DrtuiApp], Screen[None]] | None
    """Builds the view's screen; None for the deployments view (the default mode's screen)."""
    aliases: tuple[str, ...] = ()

    @property
    def mode(self) -> str:
        return self.name


def _events(app: DrtuiApp) -> Screen[None]:
    from drtui.ui.screens.events_log import EventsScreen

    return EventsScreen(app.settings, app.now, app.events, app, app.sources.audit)


def _bundles(app: DrtuiApp) -> Screen[None]:
    from drtui.ui.screens.bundles import BundlesScreen

    return BundlesScreen(app.settings, app.sources, app.now)


def _deleted(app: DrtuiApp) -> Screen[None]:
    from drtui.ui.screens.deleted import DeletedScreen

    return DeletedScreen(app.settings, app.sources, app.now)


def _custom(app: DrtuiApp) -> Screen[None]:
    from drtui.ui.screens.custom import CustomScreen

    return CustomScreen(app.settings, app.sources, app.now)


def _pps(app: DrtuiApp) -> Screen[None]:
    from drtui.ui.screens.pps import PpsScreen

    return PpsScreen(app.settings, app.sources, app.now)


VIEWS: dict[str, View] = {
    view.name: view
    for view in (
        View(
            "deployments",
            "Deployments",
            "every deployment's health, worst first",
            None,
            ("dep", "deploy", "d"),
        ),
        View(
            "custom",
            "Custom model deployments",
            "custom models' deployments and their live logs",
            _custom,
            ("cmd", "logs"),
        ),
        View("bundles", "Compute bundles", "resource bundles for custom models", _bundles),
        View(
            "pps",
            "PPS image",
            "the Portable Prediction Server image: metadata and a verified download",
            _pps,
            ("portable",),
        ),
        View("events", "Events", "health changes and actions of this session", _events, ("ev",)),
        View(
            "deleted",
            "Deleted deployments",
            "deleted deployments; permanently erase them (admins of self-managed installations)",
            _deleted,
        ),
    )
}
"""Registered views, in the order the palette and `:` completion list them."""

COMMANDS: dict[str, str] = {"help": "the keys of the current view", "quit": "leave drtui"}
"""Names `:` accepts besides views."""


def resolve(text: str) -> str | None:
    """The view or command a typed name means: exact, alias, or a unique prefix."""
    name = text.strip().lstrip(":").lower()
    if not name:
        return None
    names = [*VIEWS, *COMMANDS]
    if name in names:
        return name
    for view in VIEWS.values():
        if name in view.aliases:
            return view.name
    matches = [n for n in names if n.startswith(name)]
    return matches[0] if len(matches) == 1 else None
