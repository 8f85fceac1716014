"""Readiness analyses: the one entry point that runs them all, and the plan-wide checks.

Why: every weakness found here is one a drill would otherwise find the hard way, in
front of customers. Each function answers one question and returns
:class:`plans.findings.Finding` records; nothing prints. The questions are grouped by
what they read: :mod:`plans.spof` (single points of failure in the plan graph),
:mod:`plans.cover` (deputies, escalation, on-call cover), :mod:`plans.timing`
(activation against the RTO and step limits), :mod:`plans.reserves` (resources,
backups, data); this module keeps the checks of the plan as a whole (every event
class has a flow, the yearly drill, the review date) and :func:`readiness_findings`.
"""

from __future__ import annotations

import datetime as dt

from i18n import _, local_text, ngettext
from plans.cover import (
    concurrent_roles,
    escalation_findings,
    missing_deputies,
    on_call_gaps,
    unreachable_roles,
)
from plans.findings import Finding, sort_findings
from plans.graph import build_graph
from plans.model import Plan
from plans.reserves import data_findings, resource_findings
from plans.seats import seat_findings
from plans.spof import single_points_of_failure
from plans.timing import activation_findings

DRILL_INTERVAL_DAYS = 365
"""The manual asks for a full drill at least once a year (7.1, 7.3)."""


def coverage_findings(plan: Plan) -> list[Finding]:
    """Event classes with no response flow."""
    with_flow = {f.event_class for f in plan.flows}
    return [
        Finding(
            "flow.missing",
            "error",
            _("Event class '{name}' has no response flow.").format(
                name=local_text(e.name, fallback=e.id)
            ),
            (e.id,),
        )
        for e in plan.event_classes
        if e.id not in with_flow
    ]


def drill_findings(plan: Plan, today: dt.date) -> list[Finding]:
    """The yearly full drill and the plan's review date."""
    meta = plan.meta
    findings = []
    if meta.last_full_drill is None:
        findings.append(
            Finding(
                "drill.never",
                "error",
                _("No full drill is recorded; the manual asks for one at least once a year."),
                (meta.id,),
            )
        )
    else:
        age = (today - meta.last_full_drill).days
        if age > DRILL_INTERVAL_DAYS:
            findings.append(
                Finding(
                    "drill.overdue",
                    "error",
                    ngettext(
                        "The last full drill ({date}) was {days} day ago; "
                        "the manual asks for one at least once a year.",
                        "The last full drill ({date}) was {days} days ago; "
                        "the manual asks for one at least once a year.",
                        age,
                    ).format(date=meta.last_full_drill.isoformat(), days=age),
                    (meta.id,),
                    {"days": age},
                )
            )
    if meta.next_review < today:
        findings.append(
            Finding(
                "plan.review_overdue",
                "warning",
                _("The plan was due for review on {date}.").format(
                    date=meta.next_review.isoformat()
                ),
                (meta.id,),
            )
        )
    return findings


def readiness_findings(plan: Plan, today: dt.date) -> list[Finding]:
    """Every readiness finding for a plan, errors first."""
    g = build_graph(plan)
    findings = [
        *coverage_findings(plan),
        *single_points_of_failure(g),
        *missing_deputies(plan),
        *concurrent_roles(plan),
        *escalation_findings(plan, g),
        *on_call_gaps(plan),
        *unreachable_roles(plan),
        *activation_findings(plan),
        *resource_findings(plan),
        *seat_findings(plan),
        *data_findings(plan),
        *drill_findings(plan, today),
    ]
    return sort_findings(findings)
