"""The findings drillsim drafts by itself, for the evaluators to keep, edit or drop.

Why a module of its own: drafting is analysis, not layout. It reads the room's run
against the plan (late, skipped or out-of-order steps, roles never reached, planned
actions not taken), the targets that run missed and the plan's readiness errors, and
words each as a :class:`~reports.aar_records.FindingText` marked draft. The
report builder (:mod:`~reports.aar`) prints whatever findings it is given and
never drafts any (it borrows only :func:`target_text`, so a target reads the same in a
finding and in the results table); the console and the CLI draft, until evaluators
write their own.
"""

from __future__ import annotations

from typing import Any

from drills.adherence import CHECKED_STEPS, adherence, done_before_start
from drills.debrief import kpi_table, not_restored
from drills.kpis import RESTORATION_KPIS, duration_text, format_value, run_value
from drills.observed import ObservedStep, observed_steps, simulated_text
from i18n import N_, _, local_text
from plans.analysis import readiness_findings
from plans.model import STEP_NAMES, Plan
from plans.types import human_minutes
from reports.aar_records import CAPABILITIES, RUNS, AarInput, FindingText, report_runs

TARGET_NAMES = {
    "rto": "RTO",
    "rpo": "RPO",
    "availability": N_("availability"),
    "service_level": N_("service level"),
}
TARGET_SOURCES = {
    "rto": N_("manual 5.3"),
    "rpo": N_("manual 5.3"),
    "availability": N_("manual 4.1"),  # the worst channel, judged by 4.1's 99.9%
    "service_level": N_("manual 4.1"),
    "tickets_late": N_("manual 2.1.3, 2.2.2"),
}
TARGET_CAPABILITY = {
    "rto": "handle_coordinate",
    "availability": "handle_coordinate",
    "service_level": "handle_coordinate",
    "rpo": "resource_guarantee",
    "tickets_late": "track_feedback",
}
"""Where a missed target is drafted. ``steps_late`` is left out: every late step has
its own finding from :func:`drills.adherence.adherence`."""
READINESS_CAPABILITY = {
    "escalation": "discover_report",
    "role": "activate",
    "cover": "activate",
    "flow": "activate",
    "activation": "handle_coordinate",
    "drill": "review_improve",
    "plan": "review_improve",
}
"""Readiness finding code prefix -> capability; anything else is resource guarantee."""
RESERVE_ACTIONS = ("activate_backup", "call_in_reserves")
"""Actions that draw on the 7.4 reserves: their absence is a resource-guarantee area."""


def draft_findings(aar: AarInput) -> list[FindingText]:
    """Findings the tool detects itself, as drafts for the evaluators to edit.

    Areas: the room's departures from the plan (late, unfinished, skipped or
    out-of-order steps, roles never reached, planned actions not taken), the targets
    the room's run missed, and the plan's readiness findings of severity error.
    Strengths: steps done within their limit. In a live drill, also each step observers
    saw the real team finish (:func:`observed_findings`).
    """
    found: list[FindingText] = []
    record = aar.room.response if aar.room is not None else None
    if aar.room is not None and record is not None:
        now = aar.until if aar.until is not None else aar.room.horizon
        found += _step_strengths(aar.plan, record)
        found += [
            _adherence_area(aar.plan, record, f) for f in adherence(aar.plan, record, now, aar.room)
        ]
        found += observed_findings(aar)
    runs = report_runs(aar)
    if "room" in runs:
        down = not_restored(runs, aar.until)
        for row in kpi_table(runs, aar.plan, aar.until):
            if row["kpi"] in TARGET_CAPABILITY and row["room_met"] is False:
                found.append(_target_area(row, aar.plan, down))
    found += [
        _readiness_area(aar.plan, f)
        for f in readiness_findings(aar.plan, aar.today)
        if f.severity == "error"
    ]
    return found


def _flow_step(plan: Plan, record: Any, incident_id: str, step: str) -> tuple[str, Any]:
    """(event class, the plan's step) of a step of an incident."""
    incident = next(i for i in record.incidents if i.id == incident_id)
    flow = plan.flow_for(incident.event_class)
    spec = next((s for s in flow.steps if s.step == step), None) if flow is not None else None
    return incident.event_class, spec


def _step_reference(event_class: str, step: str, limit: float) -> str:
    return _("Plan flow {event_class}, step '{step}', limit {limit} (manual 7.2)").format(
        event_class=event_class, step=step, limit=duration_text(limit)
    )


def _step_strengths(plan: Plan, record: Any) -> list[FindingText]:
    out = []
    for incident in record.incidents:
        for name in STEP_NAMES:
            step = incident.steps.get(name)
            if step is None or step.done is None or step.started is None or step.late(step.done):
                continue
            if done_before_start(step):
                continue  # an area about the order of steps (adherence), never a strength
            out.append(
                FindingText(
                    "strength",
                    name,
                    _(
                        "{capability} (owner {owner}) was done in {took}, "
                        "within its limit of {limit} ({incident})."
                    ).format(
                        capability=_(CAPABILITIES[name]),
                        owner=step.owner,
                        took=human_minutes(step.done - step.started),
                        limit=duration_text(step.limit),
                        incident=incident.id,
                    ),
                    _step_reference(incident.event_class, name, step.limit),
                )
            )
    return out


OBSERVED_ANALYSIS = {
    "over": N_(
        "The real team took longer than the plan allows for this step: check when its "
        "owner was reached, what held the step up, and whether the limit is realistic."
    ),
    "done_before_start": N_(
        "Observers saw the step done before the step before it was seen done: the real "
        "team did not keep the flow's order of steps. Check whether the team knows the "
        "order of the steps and who hands over to whom."
    ),
}
"""Root-cause prompt of an observed step that is an area (over its limit, out of order)."""


def observed_findings(aar: AarInput) -> list[FindingText]:
    """A live drill's observed steps judged against the plan's limits.

    Each step observers saw the real team finish (:func:`drills.observed.observed_steps`):
    within its limit a strength; over it an area; seen done before it started (before the
    step before it was seen done) an area about the order of steps, never a strength and
    never with a duration. Each names the simulated step beside it.
    """
    if aar.room is None or aar.room.response is None:
        return []
    return [_observed_finding(o) for o in observed_steps(aar.entries, aar.room.response.incidents)]


def _observed_finding(o: ObservedStep) -> FindingText:
    fields = {
        "capability": _(CAPABILITIES[o.step]),
        "owner": o.owner,
        "limit": duration_text(o.limit),
        "incident": o.incident,
        "observer": o.observer,
        "done": human_minutes(o.done),
        "started": human_minutes(o.started),
        "simulated": simulated_text(o),
    }
    reference = _step_reference(o.event_class, o.step, o.limit)
    if o.verdict == "done_before_start":
        observed = _(
            "{capability} (owner {owner}) was seen done at T+{done} by {observer}, before the "
            "step started at T+{started} ({incident}; {simulated})."
        ).format(**fields)
        return FindingText("area", o.step, observed, reference, _(OBSERVED_ANALYSIS[o.verdict]))
    fields["took"] = human_minutes(o.took or 0.0)
    if o.verdict == "over":
        observed = _(
            "{capability} (owner {owner}) took the real team {took}, seen done at T+{done} by "
            "{observer}, over its limit of {limit} ({incident}; {simulated})."
        ).format(**fields)
        return FindingText("area", o.step, observed, reference, _(OBSERVED_ANALYSIS[o.verdict]))
    observed = _(
        "{capability} (owner {owner}) took the real team {took}, seen done at T+{done} by "
        "{observer}, within its limit of {limit} ({incident}; {simulated})."
    ).format(**fields)
    return FindingText("strength", o.step, observed, reference)


ADHERENCE_ANALYSIS = {
    "late": N_(
        "The step ran past its limit: check when its owner was reached and what held it up."
    ),
    "not_done": N_(
        "The step was not finished in time: check whether its owner was called and "
        "knew the step was theirs."
    ),
    "done_before_start": N_(
        "The step was recorded done before it started: the room acted before the step "
        "was reached, so the flow's order of steps was not kept. Check whether the room "
        "knows the order of the steps and who hands over to whom."
    ),
    "skipped": N_("The step was skipped: check whether the flow's order is known to the room."),
    "out_of_order": N_(
        "The step began before the one before it was done: check whether the "
        "hand-over between the two owners is written down."
    ),
    "role_not_reached": N_(
        "The role was never reached: check the call tree, the holder's and "
        "deputies' on-call hours and how the room calls people."
    ),
    "action_not_taken": N_(
        "The plan lists this action and nobody took it: check whether the room "
        "knew it was due and who owns it."
    ),
}


def _adherence_area(plan: Plan, record: Any, finding: dict[str, Any]) -> FindingText:
    kind = finding["kind"]
    if kind == "role_not_reached":
        role = plan.role(finding["role"])
        incident = next(i for i in record.incidents if i.id == finding["incident"])
        flow = plan.flow_for(incident.event_class)
        owned = [
            s.step
            for s in (flow.steps if flow else ())
            if s.owner == role.id and s.step in CHECKED_STEPS
        ]
        fields = {
            "role": role.id,
            "name": local_text(role.name, fallback=role.id),
            "holder": role.holder,
            "deputies": _(", ").join(role.deputies),
            "within": duration_text(role.answer_within),
        }
        if role.deputies:
            reference = _(
                "Plan role '{role}' ({name}): holder {holder}, deputies {deputies}, "
                "answer within {within} (manual 7.1)"
            ).format(**fields)
        else:
            reference = _(
                "Plan role '{role}' ({name}): holder {holder}, deputies none, "
                "answer within {within} (manual 7.1)"
            ).format(**fields)
        capability: str = owned[0] if owned else "activate"
    else:
        event_class, spec = _flow_step(plan, record, finding["incident"], finding["step"])
        limit = spec.limit if spec is not None else 0.0
        reference = _step_reference(event_class, finding["step"], limit)
        capability = finding["step"]
        if kind == "action_not_taken":
            reference = _("{reference}, action {action} on {target}").format(
                reference=reference, action=finding["action"], target=finding["target"]
            )
            if finding["action"] in RESERVE_ACTIONS:
                capability = "resource_guarantee"
    return FindingText(
        "area",
        capability,
        _("{message}.").format(message=finding["message"][:1].upper() + finding["message"][1:]),
        reference,
        _(ADHERENCE_ANALYSIS[kind]),
    )


def target_text(kpi: str, row: dict[str, Any], plan: Plan) -> str:
    """A target as the report writes it, e.g. 'RTO <= 4h00m' or 'service level >= 80.0% ...'."""
    if kpi not in TARGET_NAMES:
        return _(str(row["target_label"]))
    text = f"{_(TARGET_NAMES[kpi])} {row['op']} {format_value(kpi, row['target'])}"
    if kpi == "service_level":
        seconds = plan.targets.service_level.answer_within * 60
        text = _("{target} answered within {seconds:g}s").format(target=text, seconds=seconds)
    return text


TARGET_ANALYSIS = {
    False: N_("The plan's own policy missed it too on the same seed: the plan itself falls short."),
    True: N_("The plan's own policy met it on the same seed: the room's decisions fell short."),
    None: N_("Without the plan's own run on the same seed, play and plan cannot be told apart."),
}
"""First root-cause sentence of a missed target, by whether the plan's own run met it."""


def _target_area(row: dict[str, Any], plan: Plan, down: set[str]) -> FindingText:
    kpi = row["kpi"]
    others = [
        _("{run}: {value}").format(run=_(RUNS[n]).lower(), value=run_value(row, n, n in down))
        for n in ("plan", "none")
        if n in row
    ]
    fields = {"kpi": _(str(row["label"])), "value": run_value(row, "room", "room" in down)}
    if "room" in down and kpi in RESTORATION_KPIS:
        fields["value"] = duration_text(row["room"] or 0.0)
        observed = _(
            "{kpi}: in the room's run the service was not restored by the end of play "
            "(down at least {value})."
        ).format(**fields)
        if others:
            observed = _("{observed} Same seed: {others}.").format(
                observed=observed, others=_("; ").join(others)
            )
    elif others:
        observed = _("{kpi} was {value} in the room's run ({others}, same seed).").format(
            others=_("; ").join(others), **fields
        )
    else:
        observed = _("{kpi} was {value} in the room's run.").format(**fields)
    analysis = _(TARGET_ANALYSIS[row.get("plan_met")])
    reference = _("Target {target} ({source})").format(
        target=target_text(kpi, row, plan), source=_(TARGET_SOURCES[kpi])
    )
    return FindingText("area", TARGET_CAPABILITY[kpi], observed, reference, analysis)


def _readiness_area(plan: Plan, finding: Any) -> FindingText:
    prefix = finding.code.split(".")[0]
    capability = READINESS_CAPABILITY.get(prefix, "resource_guarantee")
    reference = _("Plan {plan} version {version}, readiness check {code}").format(
        plan=plan.meta.id, version=plan.meta.version, code=finding.code
    )
    return FindingText(
        "area",
        capability,
        _(finding.message),
        reference,
        _(
            "A weakness of the written plan itself, found by the readiness checks before the "
            "drill: revise the plan (manual 7.2 step 6)."
        ),
    )
