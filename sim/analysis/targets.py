"""Is a replication within the plan's targets and the scenario's objectives?

Why per replication: a planner's question is "how likely are we to meet the RTO?",
which is the share of replications that meet it, not whether the mean does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from plans.model import STEP_NAMES, Plan
from scenarios.model import Objective, Scenario
from sim.engine.metrics import Kpis, kpis_for
from sim.engine.records import RunRecords


@dataclass(frozen=True, slots=True)
class Check:
    """One target or objective: the KPI it reads, how it compares, the figure to reach."""

    name: str
    kpi: str
    op: Literal[">=", "<="]
    threshold: float
    label: str
    """Readable statement, e.g. 'service level >= 0.8 (answer within 30s)'."""

    def met(self, value: float) -> bool:
        """Whether a value meets it; an undefined value (nothing to measure) counts as met."""
        if value is None or math.isnan(value):
            return True
        return (
            value >= self.threshold - 1e-12 if self.op == ">=" else value <= self.threshold + 1e-12
        )


def plan_targets(plan: Plan) -> list[Check]:
    """The plan's targets as checks on the replication KPIs."""
    t = plan.targets
    checks = [
        Check(
            "service_level",
            "service_level",
            ">=",
            t.service_level.share,
            f"service level >= {t.service_level.share:g} "
            f"(answered within {t.service_level.answer_within * 60:g}s)",
        ),
        Check(
            "availability",
            "availability",
            ">=",
            t.availability,
            f"availability of every channel >= {t.availability:.4%}",
        ),
        Check("rto", "rto", "<=", t.rto, f"RTO <= {t.rto:g} min"),
        Check("rpo", "rpo", "<=", t.rpo, f"RPO <= {t.rpo:g} min"),
    ]
    for flow_step in STEP_NAMES[:5]:
        checks.append(
            Check(
                f"step.{flow_step}",
                f"step.{flow_step}.late",
                "<=",
                0.0,
                f"step '{flow_step.replace('_', ' ')}' within the plan's limit",
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
                        f"every {cls} ticket: {kind.replace('_', ' ')} within {limit:g} min",
                    )
                )
    return checks


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


def objective_values(rec: RunRecords, plan: Plan, scenario: Scenario) -> Kpis:
    """The measured value of every objective of the scenario, by objective id."""
    out: Kpis = {}
    for objective in scenario.objectives:
        start, end = objective_window(scenario, objective, rec)
        kpis = kpis_for(rec, plan, start, end, objective.channel)
        out[objective.id] = kpis[objective.metric]
    return out


def objective_checks(scenario: Scenario) -> list[Check]:
    """The scenario's objectives as checks on :func:`objective_values`."""
    return [
        Check(
            o.id,
            o.id,
            o.op,
            o.threshold,
            f"{o.metric} {o.op} {o.threshold:g}" + (f" during {o.during}" if o.during else ""),
        )
        for o in scenario.objectives
    ]
