"""The after-action report's results section: each run against the plan's targets.

Why a module of its own: the results are the report's one section of numbers, read
from the debrief's KPI table (:func:`drills.debrief.kpi_table`) and a Monte Carlo
journal's distribution; keeping their formatting apart from the prose sections lets
each be read, and checked against the golden report, on its own.
"""

from __future__ import annotations

from typing import Any

from drills.debrief import kpi_table
from drills.kpis import DEBRIEF_KPIS, duration_text, format_value, spec_for
from plans.types import human_minutes
from reports.aar_drafts import target_text
from reports.aar_model import Block, Heading, Paragraph, Table
from reports.aar_records import RUNS, AarInput
from sim.engine.records import RunRecords

RESULT_KPIS = ("rto", "rpo", "availability", "service_level", "tickets_late")
TABLE_LIMITS = ("respond", "first_handling", "resolve", "close")


def results_blocks(aar: AarInput, runs: dict[str, RunRecords]) -> list[Block]:
    out: list[Block] = []
    if runs:
        rows = {r["kpi"]: r for r in kpi_table(runs, aar.plan, aar.until)}
        first = next(iter(runs))
        header = ("KPI", "Target", *(RUNS[n] for n in runs), f"Met? ({RUNS[first].lower()})")
        body = []
        for kpi in RESULT_KPIS:
            row = rows[kpi]
            met = {True: "yes", False: "NO", None: "n/a"}[row[f"{first}_met"]]
            body.append(
                (
                    row["label"],
                    target_text(kpi, row, aar.plan),
                    *(format_value(kpi, row[n]) for n in runs),
                    met,
                )
            )
        stop = f"T+{human_minutes(aar.until)}" if aar.until is not None else "the horizon"
        out.append(Paragraph(f"Each run on seed {aar.seed}, measured to {stop}.", style="muted"))
        out.append(Table(header, tuple(body)))
    limits = []
    for cls, spec in aar.plan.targets.ticket_limits.items():
        parts = [
            f"{k.replace('_', ' ')} {duration_text(getattr(spec, k))}"
            for k in TABLE_LIMITS
            if getattr(spec, k) is not None
        ]
        limits.append(f"{cls}: {', '.join(parts)}")
    out.append(Paragraph("; ".join(limits) + " (SOURCE 2.1.3, 2.2.2).", label="Ticket time limits"))
    if aar.monte_carlo is not None:
        out += _monte_carlo(aar.monte_carlo)
    elif not runs:
        out.append(Paragraph("No run to report: neither a drill nor a Monte Carlo run was given."))
    return out


def _monte_carlo(mc: dict[str, Any]) -> list[Block]:
    kpis = mc.get("kpis", {})
    out: list[Block] = [
        Heading(
            f"Monte Carlo distribution ({mc.get('replications', '?')} "
            f"replications, policy {mc.get('policy', '?')})"
        )
    ]
    rows = []
    for spec in DEBRIEF_KPIS:
        s = kpis.get(spec.key)
        if s is None:
            continue
        lo, hi = s.get("ci95") or (None, None)
        values = (s.get("mean"), lo, hi, s.get("p5"), s.get("p95"))
        rows.append((spec.label, *(_mc_value(spec.key, v) for v in values), str(s.get("n", "-"))))
    out.append(
        Table(
            ("KPI", "Mean", "95% CI low", "95% CI high", "5th pct", "95th pct", "Replications"),
            tuple(rows),
        )
    )
    checks = [(f"target: {c['label']}", c) for c in mc.get("targets", {}).values()]
    checks += [
        (f"objective {name}: {c['label']}", c) for name, c in mc.get("objectives", {}).items()
    ]
    if checks:
        out.append(
            Table(
                ("Target or objective", "P(met)", "95% CI"),
                tuple(
                    (
                        label,
                        _share(c.get("probability_met")),
                        "-"
                        if not c.get("ci95")
                        else f"{_share(c['ci95'][0])} to {_share(c['ci95'][1])}",
                    )
                    for label, c in checks
                ),
            )
        )
    return out


def _mc_value(kpi: str, value: float | None) -> str:
    """As :func:`format_value`; a mean of counts to one decimal (24.3 contacts, not 24.3333)."""
    if value is not None and spec_for(kpi).unit == "count":
        value = round(value, 1)
    return format_value(kpi, value)


def _share(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"
