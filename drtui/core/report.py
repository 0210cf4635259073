"""The shift-handoff report: what degraded, when, for how long, what recovered, what still fails.

Built from the recorder's fleet at the start of the window and its changes (store/history.py),
grouped by importance, with each deployment's web URL. Rendered as plain text (the terminal),
Markdown (a chat message or a ticket) or JSON. Pure functions: no I/O here.

An episode is one dimension of one deployment spent in a problem (warning, failing, a status we
do not know, or predictions silent), from the poll that first saw it to the poll that saw it
end. Only an episode whose start was seen (a poll before it showed the deployment without that
problem) counts as *degraded*: one already open when the window began, when recording began
(the first poll after a stretch nobody recorded) or when the deployment was first recorded is
*already bad*, said so with that instant, never given an invented start. One still open at the
window's end is still failing, still warning or still silent, each said as what it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from drtui.core.detail import web_url
from drtui.core.health import DIMENSIONS, is_problem, normalise, severity
from drtui.core.recorded import Change, State
from drtui.core.rows import IMPORTANCE_RANK
from drtui.core.sanitize import clean

PREDICTIONS = "predictions"
SILENT = "silent"
ALL_DIMENSIONS = (*DIMENSIONS, PREDICTIONS)
IMPORTANCE_ORDER = ("CRITICAL", "HIGH", "MODERATE", "LOW")


# ----- when: the command line's instants and durations ---------------------------------------

_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(w|d|h|m|min|s)", re.IGNORECASE)
_UNIT_SECONDS = {"w": 604_800, "d": 86_400, "h": 3_600, "m": 60, "min": 60, "s": 1}


def parse_duration(text: str) -> timedelta:
    """`12h`, `30m`, `1d12h`, `2w`, `90s`; ValueError (one sentence) for anything else."""
    compact = text.strip().replace(" ", "")
    parts = _DURATION.findall(compact)
    if not parts or "".join(n + u for n, u in parts).lower() != compact.lower():
        raise ValueError(f"expected a duration such as 12h, 30m, 1d12h or 2w, not {text!r}")
    seconds = sum(float(n) * _UNIT_SECONDS[u.lower()] for n, u in parts)
    if seconds <= 0:
        raise ValueError(f"the duration must be more than zero, not {text!r}")
    return timedelta(seconds=seconds)


def parse_instant(text: str) -> datetime:
    """`2026-11-30 03:12`, `2026-11-30T03:12:30Z`, `...+01:00`; without an offset, UTC (the
    events view's time). ValueError (one sentence) for anything else."""
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"expected a time such as '2026-11-30 03:12' (UTC) or an ISO 8601 instant, not {text!r}"
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def hhmm(moment: datetime, reference: datetime | None = None) -> str:
    """`03:12` when on the reference's day, else `2026-11-29 23:40` (UTC)."""
    moment = moment.astimezone(UTC)
    if reference is not None and moment.date() == reference.astimezone(UTC).date():
        return moment.strftime("%H:%M")
    return moment.strftime("%Y-%m-%d %H:%M")


def span_text(length: timedelta) -> str:
    minutes = int(length.total_seconds() // 60)
    if minutes < 1:
        return f"{int(length.total_seconds())} s"
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    return f"{hours} h {mins:02d} min" if hours else f"{mins} min"


# ----- the report ------------------------------------------------------------------------------


WINDOW_BEGAN = "windowBegan"
RECORDING_BEGAN = "recordingBegan"
FIRST_RECORDED = "firstRecorded"
ALREADY_WHEN = {
    WINDOW_BEGAN: "the window began",
    RECORDING_BEGAN: "recording began",
    FIRST_RECORDED: "first recorded",
}
"""Why an episode's start was not seen, and how the report says it."""


@dataclass(slots=True)
class Episode:
    """One dimension of one deployment in a problem."""

    dimension: str
    start: datetime
    worst: str
    now: str
    """The status when the episode ended (or at the window's end)."""
    already: str | None = None
    """Already a problem when first seen (`WINDOW_BEGAN`, `RECORDING_BEGAN`, `FIRST_RECORDED`):
    `start` is that instant, not when the problem began. None: the change was seen."""
    first: str = ""
    """The status it was first seen in."""
    end: datetime | None = None
    """None: still a problem at the window's end."""
    removed: bool = False
    """Ended because the deployment left the fleet."""

    @property
    def began_before(self) -> bool:
        return self.already is not None

    @property
    def ongoing(self) -> bool:
        return self.end is None

    def length(self, until: datetime) -> timedelta:
        return (self.end or until) - self.start


FAILING, WARNING, SILENT_NOW, RECOVERED = "failing", "warning", "silent", "recovered"


def _standing(episodes: Iterable[Episode]) -> str:
    """What a deployment is at the window's end: failing (or a status we do not know), warning,
    predictions silent, or recovered."""
    open_ = [e for e in episodes if e.ongoing]
    if not open_:
        return RECOVERED
    health = [normalise(e.now) for e in open_ if e.dimension != PREDICTIONS]
    if any(status != "warning" for status in health):
        return FAILING
    return WARNING if health else SILENT_NOW


@dataclass(slots=True)
class DeploymentReport:
    id: str
    label: str
    importance: str
    url: str
    episodes: list[Episode] = field(default_factory=list)

    @property
    def standing(self) -> str:
        """failing, warning, silent (still so at the window's end) or recovered."""
        return _standing(self.episodes)

    @property
    def still_failing(self) -> bool:
        return self.standing == FAILING

    @property
    def ongoing(self) -> bool:
        return any(e.ongoing for e in self.episodes)

    @property
    def rank(self) -> int:
        return IMPORTANCE_RANK.get(self.importance.upper(), len(IMPORTANCE_RANK))


@dataclass(frozen=True, slots=True)
class Report:
    since: datetime
    until: datetime
    deployments: list[DeploymentReport]
    fleet_size: int
    not_recorded: list[tuple[datetime, datetime]]
    """Parts of the window no recording covers (nothing is claimed about them)."""

    @property
    def degraded(self) -> int:
        return sum(1 for d in self.deployments for e in d.episodes if not e.began_before)

    @property
    def recovered(self) -> int:
        return sum(1 for d in self.deployments for e in d.episodes if e.end and not e.removed)

    @property
    def still_failing(self) -> int:
        return sum(1 for d in self.deployments if d.standing == FAILING)

    @property
    def still_warning(self) -> int:
        return sum(1 for d in self.deployments if d.standing == WARNING)

    @property
    def still_silent(self) -> int:
        return sum(1 for d in self.deployments if d.standing == SILENT_NOW)

    @property
    def already_bad(self) -> int:
        """Deployments already in a problem when first seen in the window."""
        return sum(1 for d in self.deployments if any(e.began_before for e in d.episodes))


def _statuses(state: State | None) -> dict[str, str]:
    if state is None:
        return {}
    return {
        "service": state.service,
        "model": state.model,
        "accuracy": state.accuracy,
        PREDICTIONS: SILENT if state.silent else "",
    }


def _problem(dimension: str, status: str) -> bool:
    return status == SILENT if dimension == PREDICTIONS else is_problem(status)


def _worse(a: str, b: str) -> str:
    if a == SILENT or b == SILENT:
        return SILENT
    return b if severity(b) < severity(a) else a


def uncovered(
    spans: Sequence[tuple[datetime, datetime]], since: datetime, until: datetime, slack: timedelta
) -> list[tuple[datetime, datetime]]:
    """The parts of [since, until] outside every span (a span covers `slack` past its last
    poll, as the recorder does)."""
    gaps: list[tuple[datetime, datetime]] = []
    cursor = since
    for start, last in sorted(spans):
        if start > cursor:
            gaps.append((cursor, min(start, until)))
        cursor = max(cursor, last + slack)
        if cursor >= until:
            break
    if cursor < until:
        gaps.append((cursor, until))
    return [(a, b) for a, b in gaps if b > a]


def build_report(
    before: dict[str, State],
    changes: Iterable[Change],
    since: datetime,
    until: datetime,
    endpoint: str,
    *,
    not_recorded: Sequence[tuple[datetime, datetime]] = (),
) -> Report:
    """The report of one window from the fleet at `since` and the changes up to `until`."""
    found: dict[str, DeploymentReport] = {}
    open_: dict[tuple[str, str], Episode] = {}
    latest: dict[str, State] = dict(before)
    seen = set(before)
    changes = list(changes)
    # The first poll after a stretch nobody recorded (the window's first poll when nothing was
    # recorded at its start): a deployment first seen then was already as it is.
    resumed = {end for _, end in not_recorded if end < until}
    if not before and changes:
        resumed.add(changes[0].at)

    def entry(key: str, state: State) -> DeploymentReport:
        report = found.get(key)
        if report is None:
            report = found[key] = DeploymentReport(
                key, clean(state.label, limit=200), state.importance, web_url(endpoint, key)
            )
        return report

    for key, state in before.items():
        for dimension, status in _statuses(state).items():
            if _problem(dimension, status):
                episode = Episode(dimension, since, status, status, WINDOW_BEGAN, status)
                open_[(key, dimension)] = episode
                entry(key, state).episodes.append(episode)
    for change in changes:
        key = change.deployment_id
        seen.add(key)
        if change.after is not None:
            latest[key] = change.after
        old, new = _statuses(change.before), _statuses(change.after)
        for dimension in ALL_DIMENSIONS:
            status = new.get(dimension, "")
            current = open_.get((key, dimension))
            if current is not None:
                episode = current
                if change.after is None:
                    episode.end, episode.removed = change.at, True
                    del open_[(key, dimension)]
                elif _problem(dimension, status):
                    episode.worst, episode.now = _worse(episode.worst, status), status
                else:
                    episode.end, episode.now = change.at, status
                    del open_[(key, dimension)]
            elif change.after is not None and _problem(dimension, status):
                if normalise(old.get(dimension)) == normalise(status):
                    continue
                already = None
                if change.before is None:  # first seen: the change itself was not
                    already = RECORDING_BEGAN if change.at in resumed else FIRST_RECORDED
                opened = Episode(dimension, change.at, status, status, already, status)
                open_[(key, dimension)] = opened
                entry(key, change.after).episodes.append(opened)
    for report in found.values():  # the label and importance as last recorded
        last = latest.get(report.id)
        if last is not None:
            report.label = clean(last.label, limit=200)
            report.importance = last.importance
    ordered = sorted(
        found.values(),
        key=lambda d: (
            d.rank,
            not d.ongoing,
            min(e.start for e in d.episodes),
            d.label,
        ),
    )
    return Report(since, until, ordered, len(seen), list(not_recorded))


# ----- rendering -------------------------------------------------------------------------------


def _word(dimension: str, status: str) -> str:
    return SILENT if dimension == PREDICTIONS else normalise(status) or "unknown"


def _episode_line(episode: Episode, report: Report) -> str:
    what = f"{episode.dimension} {_word(episode.dimension, episode.worst)}"
    start = hhmm(episode.start, report.until)
    if episode.already is not None:
        first = _word(episode.dimension, episode.first)
        said = f"{what}: already {first} when {ALREADY_WHEN[episode.already]} at {start}"
        if episode.end is None:
            return f"{said}, still {_word(episode.dimension, episode.now)}"
        end = hhmm(episode.end, report.until)
        return f"{said}, {'removed' if episode.removed else 'recovered'} at {end}"
    length = span_text(episode.length(report.until))
    if episode.end is None:
        return f"{what} since {start} ({length}), still {_word(episode.dimension, episode.now)}"
    if episode.removed:
        return f"{what} {start} → {hhmm(episode.end, report.until)} ({length}), then removed"
    return f"{what} {start} → {hhmm(episode.end, report.until)} ({length}), recovered"


STANDING_TEXT = {
    FAILING: "STILL FAILING",
    WARNING: "still warning",
    SILENT_NOW: "still silent",
    RECOVERED: "recovered",
}
STANDING_MARKDOWN = {**STANDING_TEXT, FAILING: "**still failing**"}


def _groups(report: Report) -> list[tuple[str, list[DeploymentReport]]]:
    groups: dict[str, list[DeploymentReport]] = {}
    for deployment in report.deployments:
        name = deployment.importance.upper()
        groups.setdefault(name if name in IMPORTANCE_ORDER else "OTHER", []).append(deployment)
    return list(groups.items())


def _title(report: Report) -> str:
    return (
        f"Fleet report {hhmm(report.since)} → {hhmm(report.until, report.since)} UTC "
        f"({span_text(report.until - report.since)})"
    )


def _counts(report: Report) -> str:
    parts = [
        f"{report.degraded} degraded",
        f"{report.recovered} recovered",
        f"{report.still_failing} still failing",
        f"{report.still_warning} still warning",
    ]
    if report.still_silent:
        parts.append(f"{report.still_silent} still silent")
    already = (
        f"; {report.already_bad} already bad when first recorded" if report.already_bad else ""
    )
    return f"{', '.join(parts)}{already} (of {report.fleet_size} deployments recorded)"


def render_text(report: Report) -> str:
    lines = [_title(report), _counts(report)]
    for start, end in report.not_recorded:
        lines.append(f"Not recorded: {hhmm(start, report.until)} → {hhmm(end, report.until)}")
    if not report.deployments:
        lines.append("Nothing degraded, and nothing was failing.")
    for importance, members in _groups(report):
        lines.append("")
        lines.append(importance)
        for deployment in members:
            state = STANDING_TEXT[deployment.standing]
            lines.append(f"  {deployment.label} ({deployment.id}): {state}")
            lines.extend(f"    {_episode_line(e, report)}" for e in deployment.episodes)
            lines.append(f"    {deployment.url}")
    return "\n".join(lines) + "\n"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def md_escape(text: str) -> str:
    """Server text made inert in Markdown (no links, emphasis, headings or HTML)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def render_markdown(report: Report) -> str:
    lines = [f"### {_title(report)}", "", f"**{_counts(report)}**"]
    for start, end in report.not_recorded:
        lines.append(f"> Not recorded: {hhmm(start, report.until)} → {hhmm(end, report.until)}")
    if not report.deployments:
        lines += ["", "Nothing degraded, and nothing was failing."]
    for importance, members in _groups(report):
        lines += ["", f"#### {importance}"]
        for deployment in members:
            state = STANDING_MARKDOWN[deployment.standing]
            lines.append(
                f"- [{md_escape(deployment.label)}](<{deployment.url}>) "
                f"`{deployment.id.replace('`', '')}`: {state}"
            )
            lines.extend(f"  - {_episode_line(e, report)}" for e in deployment.episodes)
    return "\n".join(lines) + "\n"


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z") if moment else None


def report_json(report: Report) -> dict[str, Any]:
    return {
        "since": _iso(report.since),
        "until": _iso(report.until),
        "deploymentsRecorded": report.fleet_size,
        "degraded": report.degraded,
        "recovered": report.recovered,
        "stillFailing": report.still_failing,
        "stillWarning": report.still_warning,
        "stillSilent": report.still_silent,
        "alreadyBad": report.already_bad,
        "notRecorded": [{"from": _iso(a), "to": _iso(b)} for a, b in report.not_recorded],
        "deployments": [
            {
                "id": d.id,
                "label": d.label,
                "importance": d.importance,
                "url": d.url,
                "stillFailing": d.still_failing,
                "standing": d.standing,
                "episodes": [
                    {
                        "dimension": e.dimension,
                        "worst": _word(e.dimension, e.worst),
                        "status": _word(e.dimension, e.now),
                        "start": _iso(e.start),
                        "beganBefore": e.began_before,
                        "already": e.already,
                        "end": _iso(e.end),
                        "seconds": int(e.length(report.until).total_seconds()),
                        "ongoing": e.ongoing,
                        "removed": e.removed,
                    }
                    for e in d.episodes
                ],
            }
            for d in report.deployments
        ],
    }
