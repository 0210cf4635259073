"""FleetAlerts: what the deployments view says when health moves, and the user's answers to it.

Every move and every silence is an event; a degradation neither muted nor acknowledged also
raises a toast, the bell and a ▲ on its row for a while. The ▲ expires on the app's clock (the
one ages are read on), with one timer for the earliest expiry rather than a sweep.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from drtui.core.alerts import MUTE_CHOICES, AlertRules, ranked
from drtui.core.events import EventLog
from drtui.core.fleet import HealthTransition
from drtui.core.health import look
from drtui.core.recorded import Replay
from drtui.core.rhythm import Rhythm
from drtui.core.rows import Row
from drtui.core.silence import is_silent
from drtui.ui.deployments.ports import Ports, Stoppable
from drtui.ui.polling import MIN_TIMER_DELAY
from drtui.ui.screens.choices import ChooseOne

DEGRADED_SECONDS = 60.0
"""How long a row that got worse stays marked."""
MAX_TOASTED = 4
"""Degradations named in one toast; the rest are counted."""


class FleetAlerts:
    """Silences, degradation toasts, the bell, the ▲ marks, mute and acknowledge."""

    def __init__(
        self,
        rules: AlertRules,
        events: EventLog,
        ports: Ports,
        *,
        show_marked: Callable[[frozenset[str]], None],
        degraded: Callable[[list[HealthTransition]], None],
        forget: Callable[[str], None],
        seen: Callable[[], int],
        bell: Callable[[], None],
        redraw: Callable[[], None],
    ) -> None:
        """`show_marked`: the rows to mark ▲; `degraded`: the app's count of new degradations;
        `forget`: a deployment the user answered leaves that count; `seen`: the count cleared,
        how many there were; `redraw`: the view again."""
        self.rules = rules
        self.events = events
        self._clock = ports.clock
        self._schedule = ports.schedule
        self._notify = ports.notify
        self._push = ports.push
        self._show_marked = show_marked
        self._degraded = degraded
        self._forget = forget
        self._seen = seen
        self._bell = bell
        self._redraw = redraw
        self._silent: frozenset[str] = frozenset()
        self._marked_until: dict[str, datetime] = {}
        self._timer: Stoppable | None = None

    @property
    def silent(self) -> frozenset[str]:
        """Deployments whose predictions stopped far outside their own rhythm (core.silence)."""
        return self._silent

    @property
    def marked(self) -> frozenset[str]:
        """Deployments marked ▲ (got worse within the last DEGRADED_SECONDS)."""
        return frozenset(self._marked_until)

    # ----- a poll -------------------------------------------------------------------------------

    def poll(
        self,
        rows: Mapping[str, Row],
        moves: list[HealthTransition],
        at: datetime,
        *,
        rhythms: Mapping[str, Rhythm],
        first: bool,
    ) -> None:
        """A poll fetched at `at` was applied: `rows` the whole fleet, `moves` its health
        transitions. A first poll's silences are a first sighting, not a change."""
        silent = frozenset(k for k, r in rows.items() if is_silent(r, at, rhythm=rhythms.get(k)))
        if not first:
            self._log_silences(rows, self._silent, silent, at)
        self._silent = silent
        self.rules.observe(moves, at)
        if moves:
            self._alert(rows, moves, at)

    def _log_silences(
        self, rows: Mapping[str, Row], before: frozenset[str], now: frozenset[str], at: datetime
    ) -> None:
        """A deployment going silent, and speaking again, is an event before any health colour
        moves."""
        moves = [
            HealthTransition(key, rows[key].label, "predictions", old, new, rows[key].importance)
            for keys, old, new in (
                (now - before, "flowing", "silent"),
                (before - now, "silent", "flowing"),
            )
            for key in sorted(keys)
            if key in rows
        ]
        if moves:
            self.events.extend(at, moves)

    def _alert(self, rows: Mapping[str, Row], moves: list[HealthTransition], at: datetime) -> None:
        """Every move goes to the events log; toasts, bell and the ▲ mark only for degradations
        that are neither muted nor acknowledged. Computed on the whole fleet, whatever the
        table shows (a filtered-out deployment that degrades still alerts)."""
        self.events.extend(at, moves)
        worse = ranked(
            (m for m in moves if self.rules.wanted(m, at)),
            lambda key: row.importance if (row := rows.get(key)) is not None else "",
        )
        if not worse:
            return
        self._degraded(worse)
        until = self._clock() + timedelta(seconds=DEGRADED_SECONDS)
        for move in worse:
            self._marked_until[move.deployment_id] = until
        self._arm()
        lines = [
            f"{m.label}: {m.dimension} {look(m.old).word} → {look(m.new).word}"
            for m in worse[:MAX_TOASTED]
        ]
        if len(worse) > MAX_TOASTED:
            lines.append(f"… and {len(worse) - MAX_TOASTED} more (E: events)")
        self._notify(
            "\n".join(lines), title="Health degraded", severity="warning", markup=False, timeout=10
        )
        self._bell()

    # ----- the ▲ marks --------------------------------------------------------------------------

    def _arm(self) -> None:
        """Show the marks; one timer for the earliest expiry, not a per-second sweep."""
        self.stop()
        self._show_marked(self.marked)
        if self._marked_until:
            delay = (min(self._marked_until.values()) - self._clock()).total_seconds()
            self._timer = self._schedule(max(MIN_TIMER_DELAY, delay), self.expire)

    def expire(self) -> None:
        """Unmark the rows whose time is up (the timer's callback)."""
        now = self._clock()
        self._marked_until = {k: v for k, v in self._marked_until.items() if v > now}
        self._arm()

    def stop(self) -> None:
        """No expiry pending (the screen is going)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _unmark(self, deployment_id: str) -> None:
        self._forget(deployment_id)
        self._marked_until.pop(deployment_id, None)
        self._arm()

    def marks(self, replay: Replay | None = None) -> dict[str, str]:
        """Gutter marks: ◦ muted, ✓ degradation acknowledged, ∅ predictions silent (first);
        in a replay, silent as recorded."""
        now = self._clock()
        marks = {key: "✓" for key in self.rules.acknowledged_ids()}
        marks.update({key: "◦" for key in self.rules.mutes if self.rules.muted_until(key, now)})
        if replay is not None:
            silent = [key for key, state in replay.states.items() if state.silent]
        else:
            silent = list(self._silent)
        marks.update(dict.fromkeys(silent, "∅"))
        return marks

    # ----- the user's answers -------------------------------------------------------------------

    def ask_mute(self, row: Row) -> None:
        """`m`: how long to mute the row's alerts (or unmute it now)."""
        options = [(label, label) for label, _ in MUTE_CHOICES]
        if self.rules.muted_until(row.id, self._clock()) is not None:
            options.insert(0, ("unmute", "Unmute now"))
        self._push(
            ChooseOne(f"Mute alerts of {row.label[:40]} for", options, None),
            lambda choice: self.mute(row.id, row.label, choice),
        )

    def mute(self, row_id: str, label: str, choice: str | None) -> None:
        """`choice`: one of MUTE_CHOICES' names, "unmute", or None (the dialog was closed)."""
        if choice is None:
            return
        if choice == "unmute":
            self.rules.unmute(row_id)
            self._notify(f"Alerts of {label} unmuted.", timeout=4, markup=False)
        else:
            until = self._clock() + dict(MUTE_CHOICES)[choice]
            self.rules.mute(row_id, until)
            self._unmark(row_id)
            self._notify(
                f"Alerts of {label} muted for {choice} (until {until:%H:%M %Z}); "
                "changes are still logged in the events view.",
                timeout=6,
                markup=False,
            )
        self._redraw()

    def mark_seen(self) -> None:
        """`!`: the degradations counted in the header ("▲3 new") are seen."""
        count = self._seen()
        if count:
            self._notify(
                f"{count} degraded deployment{'s' if count > 1 else ''} marked seen "
                "(E lists every change).",
                timeout=4,
            )
        else:
            self._notify("Nothing new since you last looked.", timeout=3)

    def acknowledge(self, row: Row) -> None:
        """`A`: the row's degradation is seen (no alert until it changes again); again undoes."""
        if self.rules.unacknowledge(row.id):
            self._notify(f"{row.label}: acknowledgement withdrawn.", timeout=4, markup=False)
        else:
            done = self.rules.acknowledge(row)
            if not done:
                self._notify(f"{row.label} has no degradation to acknowledge.", timeout=4)
                return
            self._unmark(row.id)
            self._notify(
                f"{row.label}: {', '.join(done)} acknowledged; no alert until it changes again.",
                timeout=5,
                markup=False,
            )
        self._redraw()
