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
from drills.access import Role, require
from drills.errors import DrillEnded, ReplayMismatch
from drills.injects import (
    add_inject,
    deliver_inject,
    next_scheduled,
    shown_injects,
    skip_inject,
    upcoming_injects,
)
from drills.live import ClockAction, live_clock, live_target_time, pause, resume, start_live
from drills.live import open_drill as _open
from drills.live import scenario_of as _scenario
from drills.records import DrillRecord, Entry
from drills.replay import open_simulation, verdict_dict
from drills.replay_cache import keep, view_simulation
from drills.store import DrillStore
from i18n import N_, _
from plans.model import STEP_NAMES
from plans.names import display_names
from plans.types import human_minutes
from sim.response.decisions import Decision, Verdict

DEFAULT_TIMEZONE = "Asia/Shanghai"
"""The time zone of a plan that names none."""

__all__ = (
    "ClockAction",
    "add_inject",
    "add_note",
    "add_observation",
    "advance",
    "board",
    "decide",
    "deliver_inject",
    "end_drill",
    "live_clock",
    "live_target_time",
    "next_inject_time",
    "open_simulation",
    "pause",
    "resume",
    "skip_inject",
    "start_live",
    "upcoming_injects",
)


# --- the clock ---------------------------------------------------------------------------


def advance(
    store: DrillStore,
    drill_id: str,
    to_time: float,
    author: str,
    expected_version: int | None,
    *,
    role: Role | None = None,
) -> DrillRecord:
    """Move the clock to ``to_time`` minutes (past the horizon: to the horizon).

    A time not after the clock is refused with a ValueError saying where it is.
    ``role``, here and in every write below: the console role acting (None: a trusted
    caller, the command line); a role that may not do it gets
    :class:`~drills.access.RoleRefused` and nothing is written.
    """
    require(role, "advance")
    record = _open(store, drill_id, expected_version)
    if record.status == "ended":
        raise DrillEnded(drill_id)
    target = check.minutes(to_time, N_("the time to advance to"))
    horizon = float(_scenario(record).horizon)
    if record.clock >= horizon:
        raise ValueError(
            _(
                "the clock is already at the scenario's end (T+{horizon}); "
                "the drill can only be ended"
            ).format(horizon=human_minutes(horizon))
        )
    target = min(target, horizon)
    if target <= record.clock:
        raise ValueError(
            _(
                "the clock is already at T+{clock}; advance to a later time (up to T+{horizon})"
            ).format(clock=human_minutes(record.clock), horizon=human_minutes(horizon))
        )
    store.append(
        drill_id,
        "advance",
        target,
        author,
        {"to": target},
        expected_version=record.version,
        new_clock=target,
        role=role,
    )
    return store.get(drill_id)


def next_inject_time(record: DrillRecord) -> float | None:
    """When the next scenario inject after the clock is due (None: no more).

    Injects delivered early or skipped by hand are not waited for.
    """
    return next_scheduled(record, _scenario(record))


# --- decisions, notes, observations --------------------------------------------------------


def decide(
    store: DrillStore,
    drill_id: str,
    decision: Decision,
    author: str,
    rationale: str,
    expected_version: int | None,
    *,
    role: Role | None = None,
) -> tuple[Verdict, DrillRecord]:
    """Take a decision at the current clock; store it with its verdict, then return both.

    A refused decision is stored too (with the reason): nothing the room entered is
    lost, and the replay refuses it again, so it changes nothing on the board.
    """
    require(role, "decide")  # refused before the replay is run
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
        role=role,
    )
    return verdict, store.get(drill_id)


def add_note(
    store: DrillStore,
    drill_id: str,
    text: str,
    author: str,
    sim_time: float | None = None,
    *,
    role: Role | None = None,
) -> Entry:
    """Write a note in the log (at the clock unless ``sim_time`` is given); notes never conflict."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError(_("a note cannot be empty"))
    when = store.get(drill_id).clock if sim_time is None else sim_time
    return store.append(drill_id, "note", when, author, {"text": text.strip()}, role=role)


def add_observation(
    store: DrillStore,
    drill_id: str,
    step: str,
    author: str,
    sim_time: float | None = None,
    wall_time: dt.datetime | str | None = None,
    *,
    role: Role | None = None,
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
        drill_id, "observation", when, author, {"step": step, "observed_wall": seen}, role=role
    )


def end_drill(
    store: DrillStore,
    drill_id: str,
    author: str,
    expected_version: int | None,
    summary: str = "",
    *,
    role: Role | None = None,
) -> DrillRecord:
    """End the drill at its clock: no more advances or decisions; notes stay open."""
    require(role, "advance")
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
        role=role,
    )
    return store.get(drill_id)


# --- the board ------------------------------------------------------------------------------


def board(record: DrillRecord) -> dict[str, Any]:
    """The status board at the drill's clock: the centre, the injects delivered, the log.

    Keys of :meth:`sim.engine.simulation.Simulation.state`, plus ``injects`` (shown to the
    players so far, oldest first: at, title, message, to, index, adhoc, by; see
    :func:`drills.injects.shown_injects`), ``log`` (entries as dicts; a decision's
    also has ``by``, the role who decided, beside ``author``, who entered it) and
    ``drill`` (id, name, mode, status, clock, version, next_inject, timezone,
    live_state, paused, archived).

    For people: ``names`` (every plan id -> its name in the language in use), a
    ``name`` beside the ``id`` of each channel, system and site, ``timezone`` (the
    plan's, for wall times), and on each decision in ``log`` its ``reason`` as the
    replay gives it now, in the language in use (``result`` keeps the stored one).
    """
    sim = view_simulation(record)  # the centre of the last view carried forward, if any
    scenario = sim.scenario
    plan = sim.plan
    try:
        state = sim.state()
        verdicts = [v for _t, _d, v in sim.response.record.decisions] if sim.response else []
    except BaseException:
        sim.release()
        raise
    keep(record, sim)
    if (
        not math.isclose(state["time"], record.clock, abs_tol=1e-9)
        and record.clock <= scenario.horizon
    ):
        raise ReplayMismatch(
            _("drill '{drill}': replay reached {time} min, the clock says {clock}").format(
                drill=record.id, time=state["time"], clock=record.clock
            )
        )
    state["injects"] = shown_injects(record, scenario)
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
            e["by"] = e["payload"].get("by") or e["author"]
            verdict = next(said, None)
            if verdict is not None:
                e["reason"] = str(verdict.reason)
    state["drill"] = {
        "id": record.id,
        "name": record.name,
        "mode": record.mode,
        "status": record.status,
        "clock": record.clock,
        "version": record.version,
        "next_inject": next_scheduled(record, scenario),
        "timezone": timezone,
        "live_state": record.live_state,
        "paused": record.paused,
        "archived": record.archived,
    }
    return state
