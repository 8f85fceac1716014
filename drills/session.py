"""What a drill room does, as functions over the drill database.

Why functions over the store and no session object: Streamlit reruns the page on
every click and on several threads; everything a call needs comes from the database
and its arguments, and every call writes its entry (and commits) before it returns
its acknowledgement, so nothing the room was told is saved can be lost.

Writers pass the ``expected_version`` of the board they looked at; when someone
else moved the drill since, they get :class:`Conflict` and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from drills import validation as check
from drills.errors import Conflict, DrillEnded, ReplayMismatch
from drills.records import DrillRecord, Entry
from drills.replay import open_simulation, verdict_dict
from drills.store import DrillStore
from i18n import N_, _
from plans.model import STEP_NAMES
from plans.names import display_names
from scenarios.loader import load_scenario_text
from scenarios.model import Scenario
from sim.response.decisions import Decision, Verdict

DEFAULT_TIMEZONE = "Asia/Shanghai"
"""The time zone of a plan that names none."""

__all__ = (
    "add_note",
    "add_observation",
    "advance",
    "board",
    "decide",
    "end_drill",
    "live_target_time",
    "next_inject_time",
    "open_simulation",
    "start_live",
)


def _open(store: DrillStore, drill_id: str, expected_version: int | None) -> DrillRecord:
    """The drill as it is now, refused when the writer looked at an older board."""
    record = store.get(drill_id)
    if expected_version is not None and expected_version != record.version:
        raise Conflict(
            drill_id, expected_version, record.version, record.changes_since(expected_version)
        )
    return record


def _scenario(record: DrillRecord) -> Scenario:
    return load_scenario_text(record.scenario_text, record.scenario_name)


# --- the clock ---------------------------------------------------------------------------


def advance(
    store: DrillStore, drill_id: str, to_time: float, author: str, expected_version: int | None
) -> DrillRecord:
    """Move the clock to ``to_time`` minutes (past the horizon: to the horizon).

    A time not after the clock is refused with a ValueError saying where it is.
    """
    record = _open(store, drill_id, expected_version)
    if record.status == "ended":
        raise DrillEnded(drill_id)
    target = check.minutes(to_time, N_("the time to advance to"))
    horizon = float(_scenario(record).horizon)
    if record.clock >= horizon:
        raise ValueError(
            _(
                "the clock is already at the scenario's end ({horizon:.1f} min); "
                "the drill can only be ended"
            ).format(horizon=horizon)
        )
    target = min(target, horizon)
    if target <= record.clock:
        raise ValueError(
            _(
                "the clock is already at {clock:.1f} min; "
                "advance to a later time (up to {horizon:.1f} min)"
            ).format(clock=record.clock, horizon=horizon)
        )
    store.append(
        drill_id,
        "advance",
        target,
        author,
        {"to": target},
        expected_version=record.version,
        new_clock=target,
    )
    return store.get(drill_id)


def next_inject_time(record: DrillRecord) -> float | None:
    """When the next scenario inject after the clock is delivered (None: no more)."""
    times = sorted(float(i.at) for i in _scenario(record).injects if i.at > record.clock)
    return times[0] if times else None


def live_target_time(record: DrillRecord, wall_now: dt.datetime) -> float:
    """Where a live drill's clock should be at ``wall_now`` (an aware datetime).

    The clock when the live clock started, plus the wall minutes since, times the
    speed, capped at the horizon. A tabletop drill, a live one not started
    or an ended one stays at its clock.
    """
    if record.mode != "live" or record.live_started_wall is None or record.status == "ended":
        return record.clock
    started = check.parse_wall(record.live_started_wall)
    now = check.parse_wall(check.wall_iso(wall_now))
    elapsed = max(0.0, (now - started).total_seconds() / 60.0)
    base = record.live_started_clock if record.live_started_clock is not None else 0.0
    return min(base + elapsed * record.speed, float(_scenario(record).horizon))


def start_live(
    store: DrillStore,
    drill_id: str,
    expected_version: int | None,
    author: str = "facilitator",
    wall_now: dt.datetime | None = None,
) -> DrillRecord:
    """Start (or restart after a pause) a live drill's clock from its current clock."""
    record = _open(store, drill_id, expected_version)
    if record.mode != "live":
        raise ValueError(
            _(
                "drill '{drill}' is a tabletop drill: "
                "its clock moves only when the room advances it"
            ).format(drill=drill_id)
        )
    if record.status == "ended":
        raise DrillEnded(drill_id)
    started = check.wall_iso(wall_now) if wall_now is not None else check.now_iso()
    store.append(
        drill_id,
        "note",
        record.clock,
        author,
        {
            "text": _("live clock started at {clock:.1f} min, x{speed:g}").format(
                clock=record.clock, speed=record.speed
            ),
            "live_started_wall": started,
        },
        expected_version=record.version,
        new_live_start=started,
    )
    return store.get(drill_id)


# --- decisions, notes, observations --------------------------------------------------------


def decide(
    store: DrillStore,
    drill_id: str,
    decision: Decision,
    author: str,
    rationale: str,
    expected_version: int | None,
) -> tuple[Verdict, DrillRecord]:
    """Take a decision at the current clock; store it with its verdict, then return both.

    A refused decision is stored too (with the reason): nothing the room entered is
    lost, and the replay refuses it again, so it changes nothing on the board.
    """
    record = _open(store, drill_id, expected_version)
    if record.status == "ended":
        raise DrillEnded(drill_id)
    who = check.author(author)
    fields = decision.model_dump()
    taken = Decision(
        **{**fields, "by": decision.by or who, "rationale": rationale or decision.rationale}
    )
    sim = open_simulation(record)
    try:
        verdict = sim.decide(taken)
    finally:
        sim.release()
    store.append(
        drill_id,
        "decision",
        record.clock,
        who,
        taken.model_dump(mode="json"),
        result=verdict_dict(verdict),
        expected_version=record.version,
    )
    return verdict, store.get(drill_id)


def add_note(
    store: DrillStore, drill_id: str, text: str, author: str, sim_time: float | None = None
) -> Entry:
    """Write a note in the log (at the clock unless ``sim_time`` is given); notes never conflict."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError(_("a note cannot be empty"))
    when = store.get(drill_id).clock if sim_time is None else sim_time
    return store.append(drill_id, "note", when, author, {"text": text.strip()})


def add_observation(
    store: DrillStore,
    drill_id: str,
    step: str,
    author: str,
    sim_time: float | None = None,
    wall_time: dt.datetime | str | None = None,
) -> Entry:
    """Record that the real team reached a response step (a live drill's evaluators).

    ``wall_time`` is when it was seen (default: now); ``sim_time`` the simulated time
    (default: the clock). Like notes, observations never conflict.
    """
    if step not in STEP_NAMES:
        raise ValueError(
            _("unknown step {step!r}: one of {steps}").format(
                step=step, steps=", ".join(STEP_NAMES)
            )
        )
    when = store.get(drill_id).clock if sim_time is None else sim_time
    seen = check.now_iso() if wall_time is None else check.wall_iso(wall_time)
    return store.append(
        drill_id, "observation", when, author, {"step": step, "observed_wall": seen}
    )


def end_drill(
    store: DrillStore, drill_id: str, author: str, expected_version: int | None, summary: str = ""
) -> DrillRecord:
    """End the drill at its clock: no more advances or decisions; notes stay open."""
    record = _open(store, drill_id, expected_version)
    if record.status == "ended":
        raise DrillEnded(drill_id)
    store.append(
        drill_id,
        "end",
        record.clock,
        author,
        {"text": summary.strip()},
        expected_version=record.version,
    )
    return store.get(drill_id)


# --- the board ------------------------------------------------------------------------------


def board(record: DrillRecord) -> dict[str, Any]:
    """The status board at the drill's clock: the centre, the injects delivered, the log.

    Keys of :meth:`sim.engine.simulation.Simulation.state`, plus ``injects`` (delivered so far,
    oldest first: at, title, message, to), ``log`` (entries as dicts) and ``drill``
    (id, name, mode, status, clock, version, next_inject, timezone).

    For people: ``names`` (every plan id -> its name in the language in use), a
    ``name`` beside the ``id`` of each channel, system and site, ``timezone`` (the
    plan's, for wall times), and on each decision in ``log`` its ``reason`` as the
    replay gives it now, in the language in use (``result`` keeps the stored one).
    """
    sim = open_simulation(record)
    scenario = sim.scenario
    plan = sim.plan
    try:
        state = sim.state()
        verdicts = [v for _t, _d, v in sim.response.record.decisions] if sim.response else []
    finally:
        sim.release()
    if (
        not math.isclose(state["time"], record.clock, abs_tol=1e-9)
        and record.clock <= scenario.horizon
    ):
        raise ReplayMismatch(
            _("drill '{drill}': replay reached {time} min, the clock says {clock}").format(
                drill=record.id, time=state["time"], clock=record.clock
            )
        )
    state["injects"] = [
        {"at": float(i.at), "title": i.title, "message": i.message, "to": list(i.to)}
        for i in sorted(scenario.injects, key=lambda i: i.at)
        if i.at <= record.clock
    ]
    names = display_names(plan)
    state["names"] = names
    for key in ("channels", "systems", "sites"):
        for item in state.get(key, []):
            item["name"] = names.get(item["id"], item["id"])
    timezone = getattr(plan.meta, "timezone", None) or DEFAULT_TIMEZONE
    state["timezone"] = timezone
    state["log"] = [e.to_dict() for e in record.entries]
    said = iter(verdicts)
    for e in state["log"]:
        if e["kind"] == "decision":
            verdict = next(said, None)
            if verdict is not None:
                e["reason"] = str(verdict.reason)
    upcoming = sorted(float(i.at) for i in scenario.injects if i.at > record.clock)
    state["drill"] = {
        "id": record.id,
        "name": record.name,
        "mode": record.mode,
        "status": record.status,
        "clock": record.clock,
        "version": record.version,
        "next_inject": upcoming[0] if upcoming else None,
        "timezone": timezone,
    }
    return state
