"""The staffing a search scales, and a scenario scaled to a given number of agents.

Apart from the search because three jobs share it: the Erlang A start
(:mod:`sim.analysis.staffing_start`) reads which of these agents are on duty, and the
staffing search (:mod:`sim.analysis.staffing`) and the reserve search
(:mod:`sim.analysis.reserve_search`) simulate the scenario scaled by :func:`with_agents`.
"""

from __future__ import annotations

import math

from i18n import _
from plans.model import Plan
from scenarios.model import Scenario, StaffGroup


def base_groups(plan: Plan, scenario: Scenario) -> tuple[StaffGroup, ...]:
    """The staffing a search scales: the scenario's, else the plan's."""
    if scenario.staffing is not None:
        return scenario.staffing
    return tuple(StaffGroup.from_plan(g) for g in plan.staffing)


def with_agents(plan: Plan, scenario: Scenario, agents: int) -> Scenario:
    """A copy of the scenario whose staffing has ``agents`` in all, groups kept in proportion.

    Why largest remainders: the counts add up to exactly ``agents`` and each group is as
    close to its share as whole people allow (ties go to the earlier group).
    """
    groups = base_groups(plan, scenario)
    if not groups:
        raise ValueError(
            _("scenario '{id}': neither it nor the plan gives any staffing to scale").format(
                id=scenario.meta.id
            )
        )
    weights = [g.agents for g in groups] if sum(g.agents for g in groups) else [1] * len(groups)
    quotas = [agents * w / sum(weights) for w in weights]
    counts = [math.floor(q) for q in quotas]
    by_remainder = sorted(range(len(groups)), key=lambda i: (counts[i] - quotas[i], i))
    for i in by_remainder[: agents - sum(counts)]:
        counts[i] += 1
    data = scenario.model_dump()
    data["staffing"] = [g.model_dump() | {"agents": n} for g, n in zip(groups, counts, strict=True)]
    return Scenario.model_validate(data)
