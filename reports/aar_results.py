"""The after-action report's results section: each run against the plan's targets.

Why a module of its own: the results are the report's one section of numbers, read
from the debrief's KPI table (:func:`drills.debrief.kpi_table`) and a Monte Carlo
journal's distribution; keeping their formatting apart from the prose sections lets
each be read, and checked against the golden report, on its own.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from drills.debrief import as_of, kpi_table, not_restored
from drills.kpis import (
    DEBRIEF_KPIS,
    RESTORATION_KPIS,
    duration_text,
    format_value,
    met_text,
    run_value,
    spec_for,
)
from i18n import N_, _
from plans.model import Plan
from plans.types import human_minutes
from reports.aar_drafts import target_text
from reports.aar_measures import (
    PER_SERVICE,
    class_table,
    figures_table,
    is_old_journal,
    service_table,
    verdict,
)
from reports.aar_model import Block, Heading, Paragraph, Table
from reports.aar_records import RUNS, AarInput
from reports.check_texts import objective_label, plan_target_text
from reports.check_texts import objective_text as _objective_text
from reports.interval_figure import interval_blocks
from scenarios.model import Scenario
from sim.analysis.stats import count_ci95
from sim.analysis.targets import (
    objective_checks,
    objective_values,
    open_outages,
    restoration_met,
)
from sim.engine.records import RunRecords

RESULT_KPIS = ("rto", "rpo", "availability", "service_level", "tickets_late")
TABLE_LIMITS = ("respond", "first_handling", "resolve", "close")
LIMIT_NAMES = {
    "respond": N_("respond"),
    "first_handling": N_("first handling"),
    "resolve": N_("resolve"),
    "close": N_("close"),
}
"""A ticket time limit as the results name it (SOURCE 2.1.3)."""
TICKET_CLASSES = {"ordinary": N_("ordinary"), "urgent": N_("urgent"), "complex": N_("complex")}
"""The service classes of SOURCE 2.1.3 (a plan's other classes are shown by id)."""


def results_blocks(aar: AarInput, runs: dict[str, RunRecords]) -> list[Block]:
    out: list[Block] = []
    if runs:
        rows = {r["kpi"]: r for r in kpi_table(runs, aar.plan, aar.until)}
        first = next(iter(runs))
        down = not_restored(runs, aar.until)
        header = (
            _("KPI"),
            _("Target"),
            *(_(RUNS[n]) for n in runs),
            _("Met? ({run})").format(run=_(RUNS[first]).lower()),
        )
        body = []
        for kpi in RESULT_KPIS:
            row = rows[kpi]
            body.append(
                (
                    _(str(row["label"])),
                    target_text(kpi, row, aar.plan),
                    *(run_value(row, n, n in down) for n in runs),
                    met_text(row, first, first in down),
                )
            )
        if aar.until is not None:
            measured = _("Each run on seed {seed}, measured to T+{until}.").format(
                seed=aar.seed, until=human_minutes(aar.until)
            )
        else:
            measured = _("Each run on seed {seed}, measured to the horizon.").format(seed=aar.seed)
        out.append(Paragraph(measured, style="muted"))
        out.append(Table(header, tuple(body)))
        out += objective_blocks(aar, runs)
    limits = []
    for cls, spec in aar.plan.targets.ticket_limits.items():
        parts = [
            _("{limit} {duration}").format(
                limit=_(LIMIT_NAMES[k]), duration=duration_text(getattr(spec, k))
            )
            for k in TABLE_LIMITS
            if getattr(spec, k) is not None
        ]
        limits.append(
            _("{ticket_class}: {limits}").format(
                ticket_class=_(TICKET_CLASSES.get(cls, cls)), limits=_(", ").join(parts)
            )
        )
    out.append(
        Paragraph(
            _("{limits} (manual 2.1.3, 2.2.2).").format(limits=_("; ").join(limits)),
            label=_("Ticket time limits"),
        )
    )
    if aar.monte_carlo is not None:
        out += _monte_carlo(aar.monte_carlo, aar.plan, aar.scenario)
        if aar.room is None:  # the room's charts are numbered from 1 in the timeline
            target = aar.plan.targets.service_level.share
            out += interval_blocks(aar.monte_carlo, target, number=1)
    elif not runs:
        out.append(
            Paragraph(_("No run to report: neither a drill nor a Monte Carlo run was given."))
        )
    return out


def objective_blocks(aar: AarInput, runs: dict[str, RunRecords]) -> list[Block]:
    """Each run (the room's first) judged against every objective of the scenario.

    Values from :func:`sim.analysis.targets.objective_values` on each run stopped at the
    end of play; an RTO objective with a service still down follows
    :func:`sim.analysis.targets.restoration_met` (not met, or not yet known).
    """
    objectives = aar.scenario.objectives
    if not objectives:
        return [Paragraph(_("The scenario sets no objectives of its own."), style="muted")]
    ended = {n: as_of(rec, aar.until) for n, rec in runs.items()}
    values = {n: objective_values(rec, aar.plan, aar.scenario) for n, rec in ended.items()}
    still_down = {n: open_outages(rec) for n, rec in ended.items()}
    down = not_restored(runs, aar.until)
    rows = []
    for objective, check in zip(objectives, objective_checks(aar.scenario), strict=True):
        metric = objective.metric
        cells, verdicts = [], []
        for name in runs:
            value = values[name][objective.id]
            row = {"kpi": metric, name: None if value != value else value}
            restoration = metric in RESTORATION_KPIS and objective.during is None
            if restoration:
                row[f"{name}_met"] = restoration_met(value, still_down[name], check)
            else:
                row[f"{name}_met"] = check.met(value)
            open_ = restoration and objective.channel is None and name in down
            cells.append(run_value(row, name, open_))
            verdicts.append(met_text(row, name, open_))
        rows.append((objective.id, _objective_text(objective), *cells, *verdicts[:1]))
    first = next(iter(runs))
    header = (
        _("Objective"),
        _("Target"),
        *(_(RUNS[n]) for n in runs),
        _("Met? ({run})").format(run=_(RUNS[first]).lower()),
    )
    return [Heading(_("The scenario's objectives")), Table(header, tuple(rows))]


def _monte_carlo(mc: dict[str, Any], plan: Plan, scenario: Scenario | None = None) -> list[Block]:
    kpis = mc.get("kpis", {})
    out: list[Block] = [
        Heading(
            _("Monte Carlo distribution ({replications} replications, policy {policy})").format(
                replications=mc.get("replications", "?"), policy=mc.get("policy", "?")
            )
        )
    ]
    rows = []
    for spec in DEBRIEF_KPIS:
        s = kpis.get(spec.key)
        if s is None:
            continue
        lo, hi = s.get("ci95") or (None, None)
        if spec_for(spec.key).unit == "count":
            lo, hi = _count_ci(mc, spec.key, lo)
        values = (s.get("mean"), lo, hi, s.get("p5"), s.get("p95"))
        label = _(spec.label)
        if spec.key == "availability" and is_old_journal(mc):
            label = _("Share of the run up (worst channel)")
        rows.append((label, *(_mc_value(spec.key, v) for v in values), str(s.get("n", "-"))))
    out.append(
        Table(
            (
                _("KPI"),
                _("Mean"),
                _("95% CI low"),
                _("95% CI high"),
                _("5th pct"),
                _("95th pct"),
                _("Replications"),
            ),
            tuple(rows),
        )
    )
    checks = [
        (_("target: {label}").format(label=plan_target_text(name, str(c["label"]), plan)), c)
        for name, c in mc.get("targets", {}).items()
        if not name.startswith(PER_SERVICE)
    ]
    checks += [
        (
            _("objective {name}: {label}").format(
                name=name, label=objective_label(name, str(c["label"]), scenario)
            ),
            c,
        )
        for name, c in mc.get("objectives", {}).items()
    ]
    if checks:
        out.append(
            Table(
                (_("Target or objective"), _("P(met)"), _("95% CI")),
                tuple((label, *verdict(c)) for label, c in checks),
            )
        )
    out += figures_table(mc) + class_table(mc) + service_table(mc, plan)
    return out


def _count_ci(mc: dict[str, Any], kpi: str, t_low: float | None) -> tuple[Any, Any]:
    """A count's 95% interval that respects its range (never below 0).

    From the journal's replications: :func:`sim.analysis.stats.count_ci95` (a bootstrap
    percentile interval with a fixed seed). Without them, the journal's t-interval is
    shown only when it stays in range; one reaching below 0 is not shown (None).
    """
    rows = mc.get("replication_kpis")
    if rows:
        values = [r.get(kpi) for r in rows]
        x = np.array([math.nan if v is None else float(v) for v in values], dtype=float)
        low, high = count_ci95(x)
        return (None if math.isnan(low) else low), (None if math.isnan(high) else high)
    ci = mc.get("kpis", {}).get(kpi, {}).get("ci95") or (None, None)
    if t_low is None or t_low < 0:
        return None, None
    return ci[0], ci[1]


def _mc_value(kpi: str, value: float | None) -> str:
    """As :func:`format_value`; a mean of counts to one decimal (24.3 contacts, not 24.3333)."""
    if value is not None and spec_for(kpi).unit == "count":
        value = round(value, 1)
    return format_value(kpi, value)
