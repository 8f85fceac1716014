"""Grading an incident by the plan's criteria: level 1 (major) to 3 (general).

Why a pure function: the criteria (7.1, 7.2 step 2) are the plan's; what the run
shows at a moment is a handful of facts; keeping the rule apart makes it testable
and the same wherever the response is played.
"""

from __future__ import annotations

from plans.grading import GradingCriteria
from plans.model import Plan


def grade_level(plan: Plan, facts: dict[str, float]) -> int:
    """The most severe level whose criteria are met by the facts (3 when none is)."""
    for level in sorted(plan.levels, key=lambda lv: lv.level):
        if _met(level.criteria, facts):
            return level.level
    return 3


def _met(criteria: GradingCriteria, facts: dict[str, float]) -> bool:
    """Any threshold reached meets the criteria."""
    checks: list[tuple[float | None, str]] = [
        (criteria.impact_scope.capacity_lost_share, "capacity_lost_share"),
        (criteria.impact_scope.channels_down, "channels_down"),
        (criteria.impact_scope.sites_lost, "sites_lost"),
        (criteria.severity.expected_outage, "expected_outage"),
        (criteria.urgency.queue_length, "queue_length"),
        (criteria.urgency.abandonment_rate, "abandonment_rate"),
        (criteria.urgency.urgent_waiting, "urgent_waiting"),
    ]
    if any(threshold is not None and facts[key] >= threshold for threshold, key in checks):
        return True
    if criteria.severity.data_at_risk and facts["data_at_risk"]:
        return True
    return bool(criteria.severity.security_breach and facts["security_breach"])
