"""The report's Monte Carlo measures: availability, queues, classes, per-service targets.

Why a module of its own: issue 15 added figures the results section shows beside the
debrief's KPI table (:mod:`reports.aar_results`): the long-run availability and the
share of the run up, the queue figures, the KPIs of each class of live contact, and
P(met) of each service's recovery targets; and a target the run cannot judge must say
why rather than show a bare share. All read from the journal's plain data.

A journal written before the long-run availability (no ``uptime`` among its KPIs)
holds the share of the run up under ``availability``; it is shown under that name.
"""

from __future__ import annotations

from typing import Any

from i18n import N_, _, ngettext
from plans.model import Plan
from reports.aar_model import Block, Paragraph, Table

FIGURES = (
    ("queue_service_level", N_("Service level of those who queued"), "share"),
    ("turned_away", N_("Contacts turned away by the disruption"), "count"),
    ("availability", N_("Long-run availability (worst channel)"), "availability"),
    ("system_availability", N_("Long-run availability (worst system)"), "availability"),
    ("uptime", N_("Share of the run up (worst channel)"), "share"),
    ("mean_queue", N_("Mean number waiting"), "count"),
    ("mean_wait_all", N_("Mean wait, answered and given up"), "minutes"),
)
CLASSES = (("urgent", N_("urgent")), ("ordinary", N_("ordinary")), ("complex", N_("complex")))
PER_SERVICE = ("rto.", "mtd.", "rpo.")
"""Name prefixes of the per-service targets, shown in their own table."""


def is_old_journal(mc: dict[str, Any]) -> bool:
    """Whether ``availability`` in this journal is the share of the run up (before issue 15)."""
    kpis = mc.get("kpis", {})
    return "availability" in kpis and "uptime" not in kpis


def _value(unit: str, value: float | None) -> str:
    if value is None:
        return _("n/a")
    if unit == "availability":
        return f"{value:.3%}"
    if unit == "share":
        return f"{value:.1%}"
    if unit == "minutes":
        return f"{value * 60:.0f}s" if value < 2 else f"{value:.1f} min"
    return f"{value:.2f}"


def verdict(c: dict[str, Any]) -> tuple[str, str]:
    """(P(met), its 95% CI) of a journal's target or objective; not judged says why."""
    judged = c.get("replications_judged", c.get("replications"))
    unknown = int(c.get("not_yet_known", 0) or 0)
    if judged == 0 or c.get("probability_met") is None:
        if unknown:
            return _("not yet known"), "-"
        return str(c.get("not_judged") or _("not judged")), "-"
    ci = c.get("ci95") or [None, None]
    p = f"{c['probability_met']:.0%}"
    text = (
        "-"
        if ci[0] is None
        else _("{low} to {high}").format(low=f"{ci[0]:.0%}", high=f"{ci[1]:.0%}")
    )
    if unknown:
        text += " " + ngettext(
            "({n} replication not yet known)", "({n} replications not yet known)", unknown
        ).format(n=unknown)
    return p, text


def figures_table(mc: dict[str, Any]) -> list[Block]:
    """Availability and queue figures: mean and 95% CI over the replications."""
    kpis = mc.get("kpis", {})
    rows = []
    for key, label, unit in FIGURES:
        s = kpis.get(key)
        if s is None:
            continue
        if key == "availability" and is_old_journal(mc):
            label, unit = N_("Share of the run up (worst channel)"), "share"
        lo, hi = s.get("ci95") or (None, None)
        if unit == "count" and lo is not None:
            lo = max(lo, 0.0)  # a count's normal interval must not read below nothing
        rows.append((_(label), _value(unit, s.get("mean")), _value(unit, lo), _value(unit, hi)))
    if not rows:
        return []
    head = (_("Measure"), _("Mean"), _("95% CI low"), _("95% CI high"))
    note = _(
        "Long-run availability: MTBF / (MTBF + downtime), the downtime as simulated for this "
        "scenario's event and the failed system's mean time between failures (manual 5.2: "
        "980 h unless the plan says otherwise)."
    )
    return [Table(head, tuple(rows)), Paragraph(note, style="muted")]


def class_table(mc: dict[str, Any]) -> list[Block]:
    """Live contacts by class of service (manual 2.1.3): service level, ASA, abandonment."""
    kpis = mc.get("kpis", {})
    rows = []
    for cls, label in CLASSES:
        cells = []
        for key, unit in (
            ("service_level", "share"),
            ("asa", "minutes"),
            ("abandonment", "share"),
            ("p_wait", "share"),
        ):
            s = kpis.get(f"class.{cls}.{key}")
            cells.append(_value(unit, None if s is None else s.get("mean")))
        if any(c != _("n/a") for c in cells):
            rows.append((_(label), *cells))
    if not rows:
        return []
    head = (_("Class"), _("Service level"), _("ASA"), _("Abandonment"), _("P(wait)"))
    return [
        Table(head, tuple(rows), caption=_("Live contacts by class (mean over the replications)"))
    ]


def service_table(mc: dict[str, Any], plan: Plan) -> list[Block]:
    """P(met) of each service's RTO, maximum tolerable downtime and RPO (recovery tiers)."""
    targets = mc.get("targets", {})
    services: list[str] = []
    for name in targets:
        if name.startswith(PER_SERVICE) and name.split(".", 1)[1] not in services:
            services.append(name.split(".", 1)[1])
    if not services:
        return []
    rows = []
    for service in services:
        tier = plan.targets.tier_of(service)
        cells = [
            verdict(targets[f"{k}.{service}"])[0] if f"{k}.{service}" in targets else "-"
            for k in ("rto", "mtd", "rpo")
        ]
        rows.append((service, tier.id if tier is not None else "-", *cells))
    head = (_("Service"), _("Tier"), "RTO", _("Maximum tolerable downtime"), "RPO")
    rule = _(
        "RTO rule: a service still down at the end of play is not restored (down at least as "
        "long as so far); its RTO is not met once that passed the limit, else it is not yet "
        "known and left out of P(met)."
    )
    return [
        Table(head, tuple(rows), caption=_("P(met) by service (recovery tiers)")),
        Paragraph(rule, style="muted"),
    ]
