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
from i18n import N_, _
from plans.types import human_minutes
from reports.aar_drafts import target_text
from reports.aar_model import Block, Heading, Paragraph, Table
from reports.aar_records import RUNS, AarInput
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
        header = (
            _("KPI"),
            _("Target"),
            *(_(RUNS[n]) for n in runs),
            _("Met? ({run})").format(run=_(RUNS[first]).lower()),
        )
        body = []
        for kpi in RESULT_KPIS:
            row = rows[kpi]
            met = {True: _("yes"), False: _("NO"), None: _("n/a")}[row[f"{first}_met"]]
            body.append(
                (
                    _(str(row["label"])),
                    target_text(kpi, row, aar.plan),
                    *(format_value(kpi, row[n]) for n in runs),
                    met,
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
            _("{limits} (SOURCE 2.1.3, 2.2.2).").format(limits=_("; ").join(limits)),
            label=_("Ticket time limits"),
        )
    )
    if aar.monte_carlo is not None:
        out += _monte_carlo(aar.monte_carlo)
    elif not runs:
        out.append(
            Paragraph(_("No run to report: neither a drill nor a Monte Carlo run was given."))
        )
    return out


def _monte_carlo(mc: dict[str, Any]) -> list[Block]:
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
        values = (s.get("mean"), lo, hi, s.get("p5"), s.get("p95"))
        rows.append(
            (_(spec.label), *(_mc_value(spec.key, v) for v in values), str(s.get("n", "-")))
        )
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
        (_("target: {label}").format(label=_(str(c["label"]))), c)
        for c in mc.get("targets", {}).values()
    ]
    checks += [
        (_("objective {name}: {label}").format(name=name, label=_(str(c["label"]))), c)
        for name, c in mc.get("objectives", {}).items()
    ]
    if checks:
        out.append(
            Table(
                (_("Target or objective"), _("P(met)"), _("95% CI")),
                tuple(
                    (
                        label,
                        _share(c.get("probability_met")),
                        "-"
                        if not c.get("ci95")
                        else _("{low} to {high}").format(
                            low=_share(c["ci95"][0]), high=_share(c["ci95"][1])
                        ),
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
    return _("n/a") if value is None else f"{value:.0%}"
