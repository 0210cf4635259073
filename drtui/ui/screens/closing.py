"""Dismissing a dialog exactly once.

Textual's `Screen.dismiss` pops whatever screen is on top. Two close keys queued for one dialog
(esc pressed twice while the app is busy applying a refresh) would pop the dialog and then the
deployments screen under it, leaving a blank app. Every dialog closes through `close_once`.
"""

from __future__ import annotations

from typing import TypeVar

from textual.screen import Screen

ResultT = TypeVar("ResultT")


def close_once(screen: Screen[ResultT], result: ResultT | None = None) -> None:
    if screen.is_current:
        screen.dismiss(result)
