"""What the CLI hands the app: resolved connection, refresh policy, initial query, looks."""

from __future__ import annotations

from dataclasses import dataclass, field

from drtui.api.query import DeploymentQuery
from drtui.settings import DEFAULT_REFRESH_INTERVAL


@dataclass(frozen=True)
class AppSettings:
    """The app's view of ``drtui.settings.Settings`` and the resolved connection, built from
    them in one place (``drtui.cli.dispatch.app_settings``). Not validated again: tests and
    benchmarks build it directly, with intervals a user could not set."""

    endpoint: str
    token: str = field(repr=False)
    """Never displayed, logged or put in a repr."""
    profile_name: str = "default"
    verify: bool | str = True
    read_only: bool = False
    refresh_interval: float = DEFAULT_REFRESH_INTERVAL
    query: DeploymentQuery = field(default_factory=DeploymentQuery)
    """Server-side filters, search and order from --filter/--search/--order-by."""
    theme: str | None = None
    bell: bool = False
    terminal_notify: bool = True
    """A desktop notification (OSC 9 / OSC 777) on a degradation while the terminal is not
    focused; off with `--no-notify`, `notify = false` or DRTUI_NOTIFY=false."""
    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id -> key(s), from the config file; applied with App.set_keymap."""
    keymap_source: str | None = None
    """The file and profile (or DRTUI_KEYMAP) the keymap came from: `keymap_warnings`
    (drtui.settings) names it when an id is unknown."""
    attention_first: bool = True
    ssl_warning: str | None = None
    cleartext_warning: str | None = None
    """Set when --allow-http lets the token travel over plain http: show it like ssl_warning."""
    startup_warnings: tuple[str, ...] = ()
    """Configuration warnings (e.g. a token file others can read), shown once as toasts."""
