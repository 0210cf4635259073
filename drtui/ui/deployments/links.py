"""RowLinks: where the deployment under the cursor leads, or one sentence saying why not.

`y` / `Y` put its id / web URL on the terminal's clipboard, `c` shows it in `:custom` when it
runs a custom model, `l` opens its log (only custom models' deployments have one).
"""

from __future__ import annotations

from collections.abc import Callable

from drtui.core.detail import web_url
from drtui.ui.deployments.ports import Ports
from drtui.ui.settings import AppSettings
from drtui.ui.sources import Sources


class RowLinks:
    def __init__(
        self,
        settings: AppSettings,
        sources: Sources,
        ports: Ports,
        *,
        copy: Callable[[str], None],
        show_custom: Callable[[str], None],
    ) -> None:
        """`copy`: text to the terminal's clipboard; `show_custom(id)`: that deployment in
        `:custom`."""
        self._settings = settings
        self._sources = sources
        self._clock = ports.clock
        self._cursor_row = ports.cursor_row
        self._notify = ports.notify
        self._push = ports.push
        self._copy = copy
        self._show_custom = show_custom

    def copy_id(self) -> None:
        row = self._cursor_row()
        if row is not None:
            self._copy(row.id)
            self._notify(f"Sent to the terminal clipboard: {row.id}", timeout=4, markup=False)

    def copy_url(self) -> None:
        row = self._cursor_row()
        if row is not None:
            url = web_url(self._settings.endpoint, row.id)
            self._copy(url)
            self._notify(f"Sent to the terminal clipboard: {url}", timeout=5, markup=False)

    def custom_model(self) -> None:
        """`c`: the deployment under the cursor in `:custom` (when it runs a custom model)."""
        row = self._cursor_row()
        if row is None:
            return
        model = row.source.model if row.source is not None else None
        if model is None or model.custom_model_image is None:
            self._notify(f"{row.label} does not run a custom model.", timeout=4, markup=False)
            return
        self._show_custom(row.id)

    def logs(self) -> None:
        """`l`: the log of the deployment under the cursor, where it has one (a custom model's
        deployment: what `c` then `l` opens); otherwise one sentence saying why not."""
        row = self._cursor_row()
        if row is None:
            self._notify("No deployment selected.", timeout=3)
            return
        model = row.source.model
        if model is None:
            self._notify(
                f"{row.label} does not say which model it serves, so drtui cannot find a log.",
                timeout=5,
                markup=False,
            )
            return
        if model.custom_model_image is None:
            self._notify(
                f"{row.label} has no log to show: only deployments of custom models have "
                "logs (this one serves a DataRobot model).",
                timeout=5,
                markup=False,
            )
            return
        from drtui.ui.screens.custom import log_capacity  # the log viewer, imported when used
        from drtui.ui.screens.log_followers import LogTarget
        from drtui.ui.screens.logs import LogScreen

        target = LogTarget(row.id, row.label, row.status)
        self._push(
            LogScreen(
                self._settings, self._sources, self._clock, [target], capacity=log_capacity()
            ),
            None,
        )
