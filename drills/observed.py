"""A live drill's observed step times: when observers saw the real team finish each step.

Why a module of its own: in a live drill the simulation runs beside a real team, and
evaluators record on the wall clock when the team *really* finished a step (log
entries of kind 'observation': ``{'step', 'observed_wall'}``). Those times are the
drill's evidence about the people, the simulated step times only about the plan; the
debrief's Gantt chart draws them side by side and the drafted findings judge the
observed ones against the plan's limits. This module turns the log into observed
steps on the drill's own clock; it does not judge how the simulation did (that is
:mod:`~drills.adherence`).

The rules, written down once:

* **Clock.** An observed wall time is put on the drill's clock (simulated minutes)
  through the live clock's own log: the last 'start' or 'resume' before it (wall time,
  clock) plus the wall minutes since, times the drill's speed; inside a pause the clock
  stands where the pause left it. Limits are minutes of the drill's clock, so at a
  speed of 2 a team has half the wall time. Without the speed (a report made from the
  log alone) it is read off the log: clock moved over wall time between a start or
  resume and the pause or end after it. An observation with no live start before it
  keeps the clock it was written at (its entry's ``sim_time``).
* **Which incident.** An observation belongs to the first incident (by when it
  occurred) that has the step and no observation of it yet, among those that had
  occurred by then; failing that, to the first incident that has the step.
* **Start.** A step observed done started when the nearest earlier step of the same
  incident was observed done; the first observed step started when the incident
  occurred if it is the first step of the flow, else when the simulation started it
  (nobody saw the hand-over, so the plan's clock is the best there is).
* The first observation of a step counts; a later one of the same step is a repeat.

Pure: log entries (as :meth:`drills.records.Entry.to_dict`) and incidents in, frozen
records (and the debrief's rows of text) out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from drills.adherence import EPS, step_words
from i18n import N_, _
from plans.model import STEP_NAMES
from plans.types import human_minutes
from sim.response.incidents import Incident

__all__ = (
    "ObservedStep",
    "live_speed",
    "observed_clock",
    "observed_rows",
    "observed_steps",
    "simulated_text",
)

Verdict = Literal["within", "over", "done_before_start"]
LIVE_STARTS = ("start", "resume")
LIVE_STOPS = ("pause", "end")


@dataclass(frozen=True, slots=True)
class ObservedStep:
    """One response step as observers saw the real team do it, on the drill's clock."""

    incident: str
    event_class: str
    step: str
    owner: str
    limit: float
    """The plan's limit for the step (minutes of the drill's clock)."""
    started: float
    """When it started (see the module's rule): minutes of the drill's clock."""
    done: float
    """When observers saw it done: minutes of the drill's clock."""
    observed_wall: str
    """The wall time observers recorded (ISO, UTC)."""
    observer: str
    start_from: Literal["occurred", "previous", "simulated"]
    """Where ``started`` comes from: the incident, the previous observed step, the run."""
    simulated_started: float | None
    simulated_done: float | None

    @property
    def verdict(self) -> Verdict:
        """Within its limit, over it, or done before it started (no duration to judge)."""
        if self.done < self.started - EPS:
            return "done_before_start"
        return "over" if self.done - self.started > self.limit + EPS else "within"

    @property
    def took(self) -> float | None:
        """Minutes from start to done; None when done before it started (never negative)."""
        return None if self.verdict == "done_before_start" else max(0.0, self.done - self.started)


def _wall(text: Any) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(str(text))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _minutes(a: dt.datetime, b: dt.datetime) -> float:
    return (b - a).total_seconds() / 60.0


def _segments(entries: Sequence[dict[str, Any]]) -> list[tuple[dt.datetime, float, Any]]:
    """(wall started, clock then, the entry that stopped it or None) per live segment."""
    out: list[tuple[dt.datetime, float, Any]] = []
    for i, e in enumerate(entries):
        payload = e.get("payload") or {}
        if e["kind"] not in LIVE_STARTS:
            continue
        started = _wall(payload.get("live_started_wall"))
        if started is None:
            continue
        stop = next((x for x in entries[i + 1 :] if x["kind"] in LIVE_STOPS + LIVE_STARTS), None)
        out.append((started, float(payload.get("clock", e["sim_time"])), stop))
    return out


def _stopped_at(stop: dict[str, Any]) -> tuple[dt.datetime | None, float]:
    """(wall time, clock) where a segment stopped: a pause's own wall time and 'to'."""
    payload = stop.get("payload") or {}
    if stop["kind"] == "pause":
        return _wall(payload.get("paused_wall")), float(payload.get("to", stop["sim_time"]))
    return _wall(stop.get("wall_time")), float(stop["sim_time"])


def live_speed(entries: Sequence[dict[str, Any]]) -> float | None:
    """The live clock's speed read off the log (clock minutes per wall minute), or None.

    From the live segments closed by a pause or the end: clock moved over wall time.
    """
    moved = wall = 0.0
    for started, clock, stop in _segments(entries):
        if stop is None or stop["kind"] not in LIVE_STOPS:
            continue
        at, to = _stopped_at(stop)
        if at is None:
            continue
        moved += to - clock
        wall += _minutes(started, at)
    return moved / wall if wall > 0 and moved > 0 else None


def observed_clock(
    entries: Sequence[dict[str, Any]], entry: dict[str, Any], speed: float | None
) -> float:
    """An observation's wall time on the drill's clock (see the module's rule)."""
    seen = _wall((entry.get("payload") or {}).get("observed_wall"))
    if seen is None:
        return float(entry["sim_time"])
    before = [s for s in _segments(entries) if s[0] <= seen]
    if not before:
        return float(entry["sim_time"])
    started, clock, stop = before[-1]
    if stop is not None and stop["kind"] in LIVE_STOPS:
        at, to = _stopped_at(stop)
        if at is not None and at <= seen:
            return to  # seen while the clock stood still (paused, or after the end)
    rate = speed if speed is not None else live_speed(entries)
    if rate is None:
        return float(entry["sim_time"])
    return clock + _minutes(started, seen) * rate


def _incident_for(
    incidents: Sequence[Incident], step: str, at: float, seen: set[tuple[str, str]]
) -> Incident | None:
    having = sorted((i for i in incidents if step in i.steps), key=lambda i: i.occurred)
    fresh = [i for i in having if i.occurred <= at + EPS and (i.id, step) not in seen]
    if fresh:
        return fresh[0]
    return having[0] if having else None


def observed_steps(
    entries: Sequence[dict[str, Any]],
    incidents: Sequence[Incident],
    speed: float | None = None,
) -> list[ObservedStep]:
    """The steps observers saw done, per incident in flow order (see the module's rules).

    ``entries`` is the drill's log as dicts; ``incidents`` the room's run's incidents
    (the simulated steps, for their owners, limits and times); ``speed`` the drill's
    live clock speed (None: read off the log).
    """
    done: dict[tuple[str, str], tuple[float, dict[str, Any]]] = {}
    for e in entries:
        payload = e.get("payload") or {}
        if e["kind"] != "observation" or payload.get("step") not in STEP_NAMES:
            continue
        at = observed_clock(entries, e, speed)
        incident = _incident_for(incidents, str(payload["step"]), at, set(done))
        if incident is not None:
            done.setdefault((incident.id, str(payload["step"])), (at, e))
    out: list[ObservedStep] = []
    for incident in incidents:
        previous: float | None = None
        for i, name in enumerate(STEP_NAMES):
            if name not in incident.steps:
                continue
            sim_step = incident.steps[name]
            if (incident.id, name) not in done:
                continue
            at, e = done[(incident.id, name)]
            source: Literal["occurred", "previous", "simulated"]
            if previous is not None:
                started, source = previous, "previous"
            elif i == 0 or sim_step.started is None:
                started, source = incident.occurred, "occurred"
            else:
                started, source = sim_step.started, "simulated"
            out.append(
                ObservedStep(
                    incident=incident.id,
                    event_class=incident.event_class,
                    step=name,
                    owner=sim_step.owner,
                    limit=sim_step.limit,
                    started=started,
                    done=at,
                    observed_wall=str((e.get("payload") or {}).get("observed_wall", "")),
                    observer=str(e.get("author", "")),
                    start_from=source,
                    simulated_started=sim_step.started,
                    simulated_done=sim_step.done,
                )
            )
            previous = at
    return out


VERDICTS = {
    "within": N_("within its limit"),
    "over": N_("over its limit"),
    "done_before_start": N_("seen done before it started (order of steps)"),
}
"""An observed step's verdict as the debrief names it."""


def simulated_text(obs: ObservedStep) -> str:
    """What the simulated step did, for the row beside an observed one."""
    started, done = obs.simulated_started, obs.simulated_done
    if started is None:
        return _("not started in the simulation")
    if done is None:
        return _("still open in the simulation")
    if done < started - EPS:
        return _("done before it started in the simulation")
    return _("took {took} in the simulation").format(took=human_minutes(done - started))


def observed_rows(observed: Sequence[ObservedStep]) -> list[dict[str, str]]:
    """The debrief's table of observed steps: one row per step, every value as text."""
    return [
        {
            _("incident"): o.incident,
            _("step"): step_words(o.step),
            _("owner"): o.owner,
            _("limit"): human_minutes(o.limit),
            _("seen done"): _("T+{at}").format(at=human_minutes(o.done)),
            _("took"): "-" if o.took is None else human_minutes(o.took),
            _("verdict"): _(VERDICTS[o.verdict]),
            _("simulated"): simulated_text(o),
            _("observer"): o.observer,
        }
        for o in observed
    ]
