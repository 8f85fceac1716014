"""Targets and objectives as a person reads them, in one unit style.

Why a module of its own: a check's ``label`` is written once, for files (a journal
keeps 'service level >= 0.8 (answered within 30s)', 'rto <= 240'); the command line,
the console and the report print the same check, and must print it the same way:
shares as percentages, durations as '4h00m', KPIs by name. Everything that shows a
target or an objective to a person asks here.
"""

from __future__ import annotations

from drills.kpis import format_value, spec_for
from i18n import _
from plans.model import Plan
from plans.types import human_minutes
from scenarios.model import Objective, Scenario
from sim.analysis.targets import check_text

__all__ = ("objective_label", "objective_text", "percent", "plan_target_text")


def percent(share: float) -> str:
    """A share as the shortest exact percentage: 0.8 -> '80%', 0.9995 -> '99.95%'."""
    return f"{round(share * 100, 6):g}%"


def plan_target_text(name: str, label: str, plan: Plan) -> str:
    """A plan target (a :class:`sim.analysis.targets.Check`'s name and label) for people:
    'service level >= 80% (answered within 30s)', 'RTO <= 4h00m'."""
    t = plan.targets
    if name == "service_level":
        return _("service level >= {share} (answered within {seconds:g}s)").format(
            share=percent(t.service_level.share), seconds=t.service_level.answer_within * 60
        )
    return check_text(name, label, plan)


def objective_text(objective: Objective) -> str:
    """'RTO achieved <= 4h00m', 'Service level >= 60.0% during crm_down'."""
    text = _("{metric} {op} {threshold}").format(
        metric=_(spec_for(objective.metric).label),
        op=objective.op,
        threshold=format_value(objective.metric, objective.threshold),
    )
    if objective.during is not None:
        text = _("{target} during {event}").format(target=text, event=objective.during)
    elif objective.window is not None and objective.window.end is None:
        text = _("{target} from T+{start} to the end").format(
            target=text, start=human_minutes(objective.window.start)
        )
    elif objective.window is not None and objective.window.end is not None:
        text = _("{target} from T+{start} to T+{end}").format(
            target=text,
            start=human_minutes(objective.window.start),
            end=human_minutes(objective.window.end),
        )
    if objective.channel is not None:
        text = _("{target} on channel {channel}").format(target=text, channel=objective.channel)
    return text


def objective_label(name: str, label: str, scenario: Scenario | None) -> str:
    """A scenario objective by its id, as people read it: 'RTO achieved <= 4h00m'.

    ``label`` (the check's, for files) is the fallback when the scenario does not have
    the objective (a journal read without it).
    """
    objective = next((o for o in scenario.objectives if o.id == name), None) if scenario else None
    return objective_text(objective) if objective is not None else _(label)
