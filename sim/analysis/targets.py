"""Is a replication within the plan's targets and the scenario's objectives?

Why per replication: a planner's question is "how likely are we to meet the RTO?",
which is the share of replications that meet it, not whether the mean does.
"""

from __future__ import annotations

from i18n import N_, _
from plans.model import STEP_NAMES, Plan
from plans.types import human_minutes
from scenarios.model import Objective, Scenario
from sim.analysis.checks import Check, restoration_met
from sim.analysis.service_targets import NO_MTBF, service_checks
from sim.engine.metrics import Kpis, disruptions, kpi_value
from sim.engine.records import RunRecords

__all__ = ["Check", "restoration_met"]  # not for people: re-exported for older imports

STEP_TARGETS = {
    "discover_report": N_("step 'discover report' within the plan's limit"),
    "assess_grade": N_("step 'assess grade' within the plan's limit"),
    "activate": N_("step 'activate' within the plan's limit"),
    "handle_coordinate": N_("step 'handle coordinate' within the plan's limit"),
    "track_feedback": N_("step 'track feedback' within the plan's limit"),
}
"""The label of each step's target (the sixth, review, falls after the run)."""
TICKET_TARGETS = {
    "respond": N_("every {cls} ticket: respond within {limit:g} min"),
    "first_handling": N_("every {cls} ticket: first handling within {limit:g} min"),
    "resolve": N_("every {cls} ticket: resolve within {limit:g} min"),
    "close": N_("every {cls} ticket: close within {limit:g} min"),
}


def plan_targets(plan: Plan) -> list[Check]:
    """The plan's targets as checks on the replication KPIs."""
    t = plan.targets
    checks = [
        Check(
            "service_level",
            "service_level",
            ">=",
            t.service_level.share,
            _("service level >= {share:g} (answered within {seconds:g}s)").format(
                share=t.service_level.share, seconds=t.service_level.answer_within * 60
            ),
        ),
        Check(
            "availability",
            "system_availability",
            ">=",
            t.availability,
            _("long-run availability of every system >= {share:.2%} (manual 5.3)").format(
                share=t.availability
            ),
            unjudged=_(NO_MTBF),
        ),
        Check(
            "rto",
            "rto",
            "<=",
            t.rto,
            _("RTO <= {limit:g} min").format(limit=t.rto),
            open_kpi="not_restored_for",
        ),
        Check("rpo", "rpo", "<=", t.rpo, _("RPO <= {limit:g} min").format(limit=t.rpo)),
    ]
    for flow_step in STEP_NAMES[:5]:
        checks.append(
            Check(
                f"step.{flow_step}",
                f"step.{flow_step}.late",
                "<=",
                0.0,
                _(STEP_TARGETS[flow_step]),
            )
        )
    for cls, limits in t.ticket_limits.items():
        for kind in ("respond", "first_handling", "resolve", "close"):
            limit = getattr(limits, kind)
            if limit is not None:
                checks.append(
                    Check(
                        f"tickets.{cls}.{kind}",
                        f"tickets_late.{cls}.{kind}",
                        "<=",
                        0.0,
                        _(TICKET_TARGETS[kind]).format(cls=cls, limit=limit),
                    )
                )
    return checks + service_checks(plan)


def objective_window(
    scenario: Scenario, objective: Objective, rec: RunRecords | None = None
) -> tuple[float | None, float | None]:
    """The stretch of the run an objective measures.

    For an event with a random length, the length drawn in this replication is read
    from its records; without records the window runs to the end.
    """
    if objective.during is not None:
        event = scenario.event(objective.during)
        length = getattr(event, "duration", None)
        ramp = getattr(event, "ramp", 0.0)
        if isinstance(length, int | float):
            return event.start, event.start + 2 * ramp + length
        drawn = _drawn_length(rec, event.id) if rec is not None else None
        return event.start, None if drawn is None else event.start + drawn
    if objective.window is not None:
        return objective.window.start, objective.window.end
    return None, None


def _drawn_length(rec: RunRecords, event_id: str) -> float | None:
    for record in rec.events:
        if record.detail.get("event") == event_id:
            for key in ("repair_after", "duration"):
                value = record.detail.get(key)
                if isinstance(value, int | float):
                    return float(value)
    return None


OBJECTIVE_KPIS = {"availability": "uptime"}
"""A scenario objective's metric read from another KPI: an objective's 'availability'
is the share of its window a channel was up (the KPI 'uptime' since the long-run
availability took the name)."""


def objective_values(rec: RunRecords, plan: Plan, scenario: Scenario) -> Kpis:
    """The measured value of every objective of the scenario, by objective id.

    For an RTO objective, also ``<id>:not_restored_for``: how long a service still down
    at the end had been down (0: none), for :func:`restoration_met`. Each value is the
    figure :func:`sim.engine.metrics.kpis_for` gives over the objective's window, read
    from what the replication's KPI set already computed when the window is the
    replication's, else computing only the part of the KPIs that holds it.
    """
    out: Kpis = {}
    for objective in scenario.objectives:
        start, end = objective_window(scenario, objective, rec)
        metric = OBJECTIVE_KPIS.get(objective.metric, objective.metric)
        kpis = kpi_value(rec, plan, metric, start, end, objective.channel)
        out[objective.id] = kpis[metric]
        if objective.metric == "rto":
            out[f"{objective.id}:not_restored_for"] = kpis["not_restored_for"]
    return out


def objective_checks(scenario: Scenario) -> list[Check]:
    """The scenario's objectives as checks on :func:`objective_values`."""
    return [
        Check(
            o.id,
            o.id,
            o.op,
            o.threshold,
            _("{metric} {op} {threshold:g} during {during}").format(
                metric=o.metric, op=o.op, threshold=o.threshold, during=o.during
            )
            if o.during
            else f"{o.metric} {o.op} {o.threshold:g}",
            open_kpi=f"{o.id}:not_restored_for" if o.metric == "rto" and not o.during else "",
        )
        for o in scenario.objectives
    ]


def open_outages(rec: RunRecords) -> list[float]:
    """How long each service still down at the end of ``rec`` had been down by then.

    A service (channel, system or site) the run ended with still down is 'not restored'
    (:func:`sim.engine.metrics.disruptions`); its outage so far is a lower bound of its
    restoration time.
    """
    return [end - start for _what, start, end, how in disruptions(rec) if how == "not restored"]


TICKET_TEXTS = {
    "respond": N_("every {cls} ticket: respond within {limit}"),
    "first_handling": N_("every {cls} ticket: first handling within {limit}"),
    "resolve": N_("every {cls} ticket: resolve within {limit}"),
    "close": N_("every {cls} ticket: close within {limit}"),
}
"""As :data:`TICKET_TARGETS`, with the limit as a duration ('4h00m') for a person."""


def check_text(name: str, label: str, plan: Plan) -> str:
    """A plan target as a person reads it, durations as '4h00m' (not '240 min').

    ``name`` and ``label`` are a :class:`Check`'s (or a journal's copy of them); the
    ``label`` stays as it is in the journal, for files, and is the fallback here.
    """
    t = plan.targets
    if name == "rto":
        return _("RTO <= {limit}").format(limit=human_minutes(t.rto))
    if name == "rpo":
        return _("RPO <= {limit}").format(limit=human_minutes(t.rpo))
    parts = name.split(".")
    if len(parts) == 3 and parts[0] == "tickets" and parts[2] in TICKET_TEXTS:
        limits = {str(k): v for k, v in t.ticket_limits.items()}.get(parts[1])
        limit = getattr(limits, parts[2], None) if limits is not None else None
        if limit is not None:
            return _(TICKET_TEXTS[parts[2]]).format(cls=parts[1], limit=human_minutes(limit))
    return _(label)
