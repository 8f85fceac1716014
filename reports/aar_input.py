"""What an after-action report is made from, as its callers import it; and a journal's input.

Why a module of its own: the console and the CLI fill in a report's input here
(:mod:`reports.source`, the Evaluate page). The records themselves live in
:mod:`~reports.aar_records`, below both the drafting (:mod:`~reports.aar_drafts`) and
this module, and are re-exported here; building an input from a run journal drafts
its findings, so it sits above the drafting and imports run one way:
records <- drafts <- input.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from i18n import _, local_text
from plans.model import Plan
from reports.aar_drafts import draft_findings
from reports.aar_records import (
    CAPABILITIES,
    DRAFT_AUTHOR,
    ELEMENTS,
    RATINGS,
    RUNS,
    AarInput,
    FindingText,
    ImprovementRow,
    Rating,
    SummaryText,
    report_runs,
)
from scenarios.model import Scenario

__all__ = [
    "CAPABILITIES",
    "DRAFT_AUTHOR",
    "ELEMENTS",
    "RATINGS",
    "RUNS",
    "AarInput",
    "FindingText",
    "ImprovementRow",
    "Rating",
    "SummaryText",
    "aar_input_from_journal",
    "report_runs",
]


def aar_input_from_journal(
    journal: dict[str, Any], generated_at: dt.datetime, today: dt.date
) -> AarInput:
    """A report input from a Monte Carlo run journal (:mod:`sim.analysis.journal`) alone.

    No drill and no ratings; the findings are the drafts of
    :func:`~reports.aar_drafts.draft_findings`
    (the plan's readiness errors), for the evaluators to keep, edit or drop.
    """
    plan = Plan.model_validate(journal["plan"])
    scenario = Scenario.model_validate(journal["scenario"])
    keys = (
        *("kpis", "replication_kpis", "targets", "objectives", "replications", "policy"),
        *("seed", "versions"),
        *("intervals", "interval_minutes"),  # a run with --interval: the report's chart
    )
    base = AarInput(
        title=_("After-action report: {scenario} (Monte Carlo, {plan})").format(
            scenario=local_text(scenario.meta.name, fallback=scenario.meta.id),
            plan=local_text(plan.meta.name, fallback=plan.meta.id),
        ),
        generated_at=generated_at,
        plan=plan,
        scenario=scenario,
        seed=journal.get("seed"),
        monte_carlo={k: journal[k] for k in keys if k in journal},
        today=today,
    )
    return replace(base, findings=draft_findings(base))
