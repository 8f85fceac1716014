"""Grading by the plan's criteria: any threshold met; the most severe level wins."""

from __future__ import annotations

import pytest

from sim.response.grading import grade_level

CALM = {
    "capacity_lost_share": 0.0,
    "channels_down": 0.0,
    "sites_lost": 0.0,
    "queue_length": 0.0,
    "abandonment_rate": 0.0,
    "urgent_waiting": 0.0,
    "expected_outage": 0.0,
    "data_at_risk": 0.0,
    "security_breach": 0.0,
}


@pytest.mark.parametrize(
    ("changes", "level"),
    [
        ({}, 3),  # nothing met: a general event
        ({"queue_length": 20}, 3),  # level 3's own threshold
        ({"capacity_lost_share": 0.2}, 2),
        ({"capacity_lost_share": 0.49}, 2),
        ({"capacity_lost_share": 0.5}, 1),  # at the threshold counts
        ({"capacity_lost_share": 0.6, "queue_length": 25}, 1),  # the most severe wins
    ],
)
def test_tiny_plan_levels(make_plan, changes, level):
    assert grade_level(make_plan(), {**CALM, **changes}) == level


def test_boolean_criteria(make_plan):
    def breach_is_major(d):
        d["levels"][0]["criteria"] = {"severity": {"security_breach": True, "data_at_risk": True}}

    plan = make_plan(breach_is_major)
    assert grade_level(plan, {**CALM, "security_breach": 1.0}) == 1
    assert grade_level(plan, {**CALM, "data_at_risk": 1.0}) == 1
    assert grade_level(plan, CALM) == 3
