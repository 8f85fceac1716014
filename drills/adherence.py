"""Adherence to the plan: where a drill's response departed from the plan's flow, as of a time.

Why a module of its own: the debrief (:mod:`~drills.debrief`) compares outcomes, the
room's run against the plan's own run and no response on one seed; adherence reads
one response record against the plan itself, step by step, role by role, action by
action, and needs no other run. The evidence for improvement items
(:mod:`~drills.evidence`) and the drafted findings (:mod:`reports.aar_drafts`) read
it too. The same call serves a debrief and a facilitator's panel mid-drill, since
nothing is reported before it is due.

Pure: records in, plain findings out (dicts of strings, ready for a table or JSON).
"""

from __future__ import annotations

import math
from typing import Any

from i18n import N_, _
from plans.model import STEP_NAMES, Plan
from plans.types import human_minutes
from sim.engine.metrics import disruptions
from sim.engine.records import RunRecords
from sim.response.incidents import Incident, ResponseRecord

CHECKED_STEPS = STEP_NAMES[:5]
"""Steps a run is held to; the review falls after the run (see :mod:`sim.response.controller`)."""
TAKEN = ("started", "done", "failed attempt")
"""Action log statuses that count as the action being taken."""
EPS = 1e-9
STEP_WORDS = {
    "discover_report": N_("discover report"),
    "assess_grade": N_("assess grade"),
    "activate": N_("activate"),
    "handle_coordinate": N_("handle coordinate"),
    "track_feedback": N_("track feedback"),
    "review_improve": N_("review improve"),
}
"""How a finding names a step (the step's id in words)."""

Finding = dict[str, Any]
"""One departure from the plan: kind, incident, step/role/action, message."""


def adherence(
    plan: Plan, record: ResponseRecord, now: float, records: RunRecords | None = None
) -> list[Finding]:
    """Where the response departed from the plan, incident by incident, as of ``now``.

    A step is *due* by its start plus its limit; a step not started yet is due by the
    time the previous step was done (or was due) plus its own limit: the latest it
    could end had every step taken its full limit. Nothing is reported before it is
    due, so the same call serves a debrief and a facilitator's panel mid-drill.

    Kinds of finding:

    * ``done_before_start``: a step done before it started (the room acted, e.g.
      declared a level, before the simulation reached the step): the order of the
      steps was not kept, and the step has no duration to judge;
    * ``late``: a step done past its limit;
    * ``not_done``: a step past its due time and not done, started or not (the
      review falls after the run and is never asked for);
    * ``skipped``: a step never started while a later one was;
    * ``out_of_order``: a step started before the previous one was done;
    * ``role_not_reached``: a role the flow (a step owner, by its step's due time) or
      a declared level (its lead and team, by the declaration plus the level's
      ``respond_within``) names, not reached by ``now``; a role that took a decision in
      the room (``Decision.by``) counts as reached, since the room's own actions call
      nobody;
    * ``action_not_taken``: an action the flow lists for the incident's class and
      level, due by its step's due time (or once the step is done), that nobody took.
      Left out: one the plan's own run judged not needed, and, given the run's
      ``records``, a backup whose system or site never failed before ``now``. An
      incident never graded is held to the actions listed for every level.

    Each finding: ``kind``, ``incident``, one of ``step``/``role``/``action`` (an
    action also has ``target`` and ``step``), and a ``message`` a debrief can print.
    """
    findings: list[Finding] = []
    for incident in record.incidents:
        due = due_times(incident)
        findings += _step_findings(incident, due, now)
        findings += _role_findings(plan, record, incident, due, now)
        findings += _action_findings(plan, incident, due, now, _failed(records, now))
    return findings


def due_times(incident: Incident) -> dict[str, float]:
    """When each step of the incident is due done under the plan's limits.

    See :func:`adherence` for the rule.
    """
    due: dict[str, float] = {}
    before: float | None = None
    for name in STEP_NAMES:
        step = incident.steps.get(name)
        if step is None:
            continue
        base = step.started if step.started is not None else before
        if base is None:
            base = incident.occurred
        due[name] = base + step.limit
        before = step.done if step.done is not None else due[name]
    return due


def _step_findings(incident: Incident, due: dict[str, float], now: float) -> list[Finding]:
    steps = [incident.steps[n] for n in STEP_NAMES if n in incident.steps]
    out: list[Finding] = []

    def add(kind: str, step: str, message: str) -> None:
        out.append({"kind": kind, "incident": incident.id, "step": step, "message": message})

    for i, step in enumerate(steps):
        name = _("{step} (owner {role})").format(step=_step_name(step.step), role=step.owner)
        overdue = step.step in CHECKED_STEPS and step.done is None and now > due[step.step] + EPS
        if step.started is None:
            later = next((s for s in steps[i + 1 :] if s.started is not None), None)
            if later is not None:
                add(
                    "skipped",
                    step.step,
                    _("{name} was never started, yet {later} started at {at}").format(
                        name=name, later=_step_name(later.step), at=_at(later.started)
                    ),
                )
            elif overdue:
                add(
                    "not_done",
                    step.step,
                    _(
                        "{name} was never started; by the plan's limits it was due done at {at}"
                    ).format(name=name, at=_at(due[step.step])),
                )
            continue
        if done_before_start(step):
            add(
                "done_before_start",
                step.step,
                _(
                    "{name} was done at {done}, before the step started at {started} "
                    "(the room acted before the simulation reached it)"
                ).format(name=name, done=_at(step.done), started=_at(step.started)),
            )
        elif step.done is not None and step.late(now):
            add(
                "late",
                step.step,
                _("{name} took {took} against a limit of {limit}").format(
                    name=name,
                    took=human_minutes(step.done - step.started),
                    limit=human_minutes(step.limit),
                ),
            )
        elif overdue:
            add(
                "not_done",
                step.step,
                _(
                    "{name} started at {started} and was still not done at {now}, "
                    "past its limit of {limit}"
                ).format(
                    name=name,
                    started=_at(step.started),
                    now=_at(now),
                    limit=human_minutes(step.limit),
                ),
            )
        prev = steps[i - 1] if i else None
        if (
            prev is not None
            and prev.started is not None
            and (prev.done is None or prev.done > step.started + EPS)
        ):
            fields = {
                "step": _step_name(step.step),
                "started": _at(step.started),
                "prev": _step_name(prev.step),
            }
            add(
                "out_of_order",
                step.step,
                _("{step} started at {started} before {prev} was done (done at {done})").format(
                    done=_at(prev.done), **fields
                )
                if prev.done is not None
                else _("{step} started at {started} before {prev} was done (not done)").format(
                    **fields
                ),
            )
    return out


def _named_roles(
    plan: Plan, incident: Incident, due: dict[str, float]
) -> dict[str, list[tuple[str, float]]]:
    """Roles the flow and the declared levels name: role -> [(why, reached by)]."""
    named: dict[str, list[tuple[str, float]]] = {}
    flow = plan.flow_for(incident.event_class)
    for step in flow.steps if flow is not None else ():
        if step.step in CHECKED_STEPS and step.step in due:
            why = _("owner of {step}").format(step=_step_name(step.step))
            named.setdefault(step.owner, []).append((why, due[step.step]))
    declared: dict[int, float] = {}
    for t, level, _by in incident.levels:
        declared.setdefault(level, t)
    for spec in plan.levels:
        if spec.level not in declared:
            continue
        by = declared[spec.level] + spec.response.respond_within
        lead = _("level {level} lead").format(level=spec.level)
        named.setdefault(spec.response.lead, []).append((lead, by))
        team = _("level {level} team").format(level=spec.level)
        for role in spec.response.team:
            named.setdefault(role, []).append((team, by))
    return named


def _role_findings(
    plan: Plan, record: ResponseRecord, incident: Incident, due: dict[str, float], now: float
) -> list[Finding]:
    deciders = {d.by for t, d, v in record.decisions if v.accepted and t <= now}
    out: list[Finding] = []
    for role, reasons in _named_roles(plan, incident, due).items():
        call = record.reached.get(role)
        if (call is not None and call["reached"] <= now) or role in deciders:
            continue
        if now <= min(by for _, by in reasons) + EPS:
            continue  # not due yet
        why = _(", ").join(dict.fromkeys(w for w, _by in reasons))
        if call is None:
            message = _("{role} ({why}) was never called").format(role=role, why=why)
        elif math.isfinite(call["reached"]):
            message = _(
                "{role} ({why}) was called at {called} but had not answered by {now}"
            ).format(role=role, why=why, called=_at(call["notified"]), now=_at(now))
        else:
            message = _("{role} ({why}) was called at {called} and could not be reached").format(
                role=role, why=why, called=_at(call["notified"])
            )
        out.append(
            {"kind": "role_not_reached", "incident": incident.id, "role": role, "message": message}
        )
    return out


def _failed(records: RunRecords | None, now: float) -> set[str] | None:
    """Channels, systems and sites disrupted before ``now`` (None: not known)."""
    if records is None:
        return None
    return {what for what, start, _end, _how in disruptions(records) if start <= now}


def _backs_up(plan: Plan, backup: str | None) -> set[str]:
    protected = {s.id for s in plan.systems if s.standby == backup}
    return protected | {s.id for s in plan.sites if s.backup_site == backup}


def _action_findings(
    plan: Plan, incident: Incident, due: dict[str, float], now: float, failed: set[str] | None
) -> list[Finding]:
    flow = plan.flow_for(incident.event_class)
    if flow is None:
        return []
    levels = {incident.level} if incident.level is not None else {1, 2, 3}
    logged: dict[tuple[str, str | None], set[str]] = {}
    for log in incident.actions:
        logged.setdefault((log.action, log.target), set()).add(log.status)
    out: list[Finding] = []
    for step in flow.steps:
        state = incident.steps.get(step.step)
        if (state is None or state.done is None) and now <= due.get(step.step, math.inf) + EPS:
            continue  # not due yet
        for action in step.actions:
            if not levels <= set(action.levels):
                continue
            if (
                action.action == "activate_backup"
                and failed is not None
                and not _backs_up(plan, action.target) & failed
            ):
                continue  # nothing it backs up failed
            statuses = logged.get((action.action, action.target), set())
            if statuses & set(TAKEN) or "not needed" in statuses:
                continue
            level = (
                _("level {level}").format(level=incident.level)
                if incident.level is not None
                else _("every level (never graded)")
            )
            out.append(
                {
                    "kind": "action_not_taken",
                    "incident": incident.id,
                    "action": action.action,
                    "target": action.target,
                    "step": step.step,
                    "message": _(
                        "{action} on {target} (listed in {step} for {level}) was never taken"
                    ).format(
                        action=action.action,
                        target=action.target,
                        step=_step_name(step.step),
                        level=level,
                    ),
                }
            )
    return out


def done_before_start(step: Any) -> bool:
    """Whether a response step was done before it started (its 'duration' would be negative)."""
    return step.started is not None and step.done is not None and step.done < step.started - EPS


def step_words(step: str) -> str:
    """A step id as a finding names it: 'discover report' / '事件发现与报告'."""
    return _(STEP_WORDS[step]) if step in STEP_WORDS else step.replace("_", " ")


_step_name = step_words


def _at(minutes: float | None) -> str:
    return "-" if minutes is None else human_minutes(minutes)
