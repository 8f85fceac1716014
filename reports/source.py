"""Gather what an after-action report needs, from a stored drill or a run journal.

Why a module of its own: the report builder (:mod:`reports.aar`) is pure and
knows nothing of the database; the drill store, the evaluations and the items know
nothing of reports. This is the one place that reads all of them for a report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

from drills import evaluations, items
from drills.debrief import compare_policies
from drills.session import open_simulation
from drills.store import DrillStore
from i18n import _
from plans.loader import load_plan_text
from plans.model import Plan
from reports.aar_draft_keys import keyed_drafts, pending
from reports.aar_input import (
    AarInput,
    FindingText,
    ImprovementRow,
    Rating,
    SummaryText,
    aar_input_from_journal,
)
from scenarios.loader import load_scenario_text
from scenarios.model import Scenario
from sim.analysis.journal import replication_keys
from sim.analysis.journal_model import read_journal
from sim.analysis.montecarlo import run_monte_carlo


def monte_carlo_summary(
    plan: Plan, scenario: Scenario, seed: int, replications: int, workers: int = 1
) -> dict[str, Any]:
    """A Monte Carlo run of the drill's plan and scenario under the plan's own policy,
    in the journal's shape (kpis, targets, objectives), for the report's distribution."""
    result = run_monte_carlo(plan, scenario, replications, seed, workers)
    keys = replication_keys(result)
    return {
        "replications": replications,
        "policy": "plan",
        "kpis": {k: s.to_dict() for k, s in result.kpis.items()},
        "targets": {c.check.name: c.to_dict() for c in result.targets},
        "objectives": {c.check.name: c.to_dict() for c in result.objectives},
        # each replication's figures: a count's interval is drawn from them (never below 0)
        "replication_kpis": [
            {"seed": s, **{k: result.columns[k][i] for k in keys}}
            for i, s in enumerate(result.seeds)
        ],
    }


def aar_for_drill(
    db_path: Path,
    drill_id: str,
    generated_at: dt.datetime,
    today: dt.date,
    monte_carlo: int = 0,
    workers: int = 1,
) -> AarInput:
    """Everything the report shows about one drill: the findings people wrote or accepted,
    then drillsim's drafts nobody accepted or discarded yet (marked as such).

    ``monte_carlo`` > 0 adds that many replications' distribution (the coordinator asks).
    """
    record = DrillStore(db_path).get(drill_id)
    plan = load_plan_text(record.plan_text, record.plan_name)
    scenario = load_scenario_text(record.scenario_text, record.scenario_name)
    sim = open_simulation(record)
    room = sim.records()
    sim.release()
    until = record.clock if record.clock > 0 else None
    runs = compare_policies(plan, scenario, record.seed, room, until=until) if until else {}
    base = AarInput(
        title=_("After-action report: {name}").format(name=record.name),
        generated_at=generated_at,
        plan=plan,
        scenario=scenario,
        seed=record.seed,
        drill_name=record.name,
        drill_id=record.id,
        drill_date=dt.date.fromisoformat(record.created_wall[:10]),
        mode=record.mode,
        participants=tuple((p.name, p.role) for p in record.participants),
        entries=tuple(e.to_dict() for e in record.entries),
        room=room,
        runs=runs,
        until=until,
        ratings=tuple(
            Rating(
                r.capability,
                r.rating,
                r.evidence,
                r.evaluator,
                r.changed_by,
                r.first_wall,
                r.wall_time,
            )
            for r in evaluations.ratings(db_path, drill_id)
        ),
        items=tuple(
            ImprovementRow(
                i.issue,
                i.corrective_action,
                i.element,
                i.owner_role,
                i.start,
                i.due,
                i.status,
                f"{i.node_kind} {i.node_id}",
                i.capability,
                items.poc_name(plan, i.poc),
            )
            for i in items.all_items(db_path, plan.meta.id)
            if i.drill_id == drill_id
        ),
        today=today,
        monte_carlo=monte_carlo_summary(plan, scenario, record.seed, monte_carlo, workers)
        if monte_carlo
        else None,
    )
    written = evaluations.summary(db_path, drill_id)
    if written is not None:
        base = replace(
            base,
            summary=SummaryText(
                written.text,
                written.written_by,
                written.written_wall,
                written.changed_by,
                written.changed_wall,
            ),
        )
    stored = stored_findings(db_path, drill_id)
    drafts = pending_drafts(db_path, drill_id, base, stored)
    return replace(base, findings=stored + tuple(f for _key, f in drafts))


def stored_findings(db_path: Path, drill_id: str) -> tuple[FindingText, ...]:
    """The drill's findings people wrote or accepted (not the deleted ones), as the report
    prints them."""
    return tuple(
        FindingText(
            f.kind,
            f.capability,
            f.observed,
            f.reference,
            f.analysis,
            f.draft,
            f.author,
            f.recommendations,
            f.updated_by,
            f.created_wall,
            f.updated_wall,
            f.provenance,
        )
        for f in evaluations.findings(db_path, drill_id)
    )


def pending_drafts(
    db_path: Path, drill_id: str, aar: AarInput, stored: tuple[FindingText, ...] | None = None
) -> list[tuple[str, FindingText]]:
    """(key, draft) of drillsim's drafts for the drill that nobody accepted or discarded."""
    kept = stored_findings(db_path, drill_id) if stored is None else stored
    decided = evaluations.draft_decisions(db_path, drill_id)
    return pending(keyed_drafts(aar), decided, kept)


def aar_for_journal(path: Path, generated_at: dt.datetime, today: dt.date) -> AarInput:
    """A report's input from a ``drillsim run`` journal file.

    The file is read only if it is a regular file within :data:`MAX_JOURNAL_BYTES`, and
    checked against :class:`~sim.analysis.journal_model.RunJournal`, its plan and its
    scenario before anything is drawn from it: a damaged journal is a message naming the
    field, never a crash or a report that looks real.
    """
    journal = read_journal(path)
    return aar_input_from_journal(journal, generated_at, today)
