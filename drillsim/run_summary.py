"""The first part of ``drillsim run``'s summary: KPIs, targets, objectives, channels.

Why a module: the run command parses, checks and runs; this turns the results into
the table a person reads, in the language in use, with names, not ids.
"""

from __future__ import annotations

import datetime as dt
import math

from drillsim.target_summary import PER_SERVICE, checks_lines, rto_rule, service_lines
from drillsim.text import ljust, name_of, rjust, width
from i18n import N_, _, current_language, format_weekday, local_text
from plans import Plan
from plans.types import human_minutes
from reports.check_texts import objective_label, plan_target_text
from scenarios import Scenario
from sim.analysis.montecarlo import MonteCarloResult
from sim.analysis.stats import count_ci95

COLUMN_LABELS = (
    N_("P(met)"),
    N_("95% CI"),
    N_("KPI"),
    N_("mean"),
    N_("p5 - p95"),
    N_("By channel"),
    N_("offered"),
    N_("service level"),
    N_("ASA"),
    N_("abandon"),
    N_("available"),
)
"""Column headers and words translated inside the f-strings below (marked here for the catalog)."""

CLASS_LABELS = (
    ("urgent", N_("urgent")),
    ("ordinary", N_("ordinary")),
    ("complex", N_("complex")),
)
"""The classes of service (manual 2.1.3), in the order of the by-class table."""


def _defined(x: float) -> float | None:
    """A figure as ``Summary.to_dict`` gives it: undefined (NaN, infinite) becomes None."""
    return None if x is None or not math.isfinite(x) else float(x)


def _fmt_value(kpi: str, value: float | None) -> str:
    if value is None:
        return "-"
    if kpi in {"asa", "rto", "rpo"}:
        return (
            human_minutes(value) if value >= 1 else _("{seconds:.0f}s").format(seconds=value * 60)
        )
    if kpi in {"availability", "system_availability"}:
        return f"{value:.3%}"
    if kpi in {"service_level", "queue_service_level", "abandonment", "uptime", "occupancy"}:
        return f"{value:.1%}"
    return f"{value:,.1f}"


SUMMARY_KPIS = (
    ("service_level", N_("service level")),
    ("queue_service_level", N_("service level of those who queued")),
    ("turned_away", N_("contacts turned away by the disruption")),
    ("asa", N_("average speed of answer")),
    ("abandonment", N_("abandonment")),
    ("max_queue", N_("longest queue")),
    ("backlog", N_("ticket backlog at end")),
    ("tickets_late", N_("tickets past a limit")),
    ("availability", N_("long-run availability (worst channel)")),
    ("system_availability", N_("long-run availability (worst system)")),
    ("uptime", N_("share of the run up (worst channel)")),
    ("rto", N_("longest outage (RTO achieved)")),
    ("rpo", N_("data lost (RPO achieved)")),
    ("occupancy", N_("agent occupancy")),
    ("offered", N_("contacts offered")),
    ("customers", N_("customers (people)")),
    ("redials", N_("redials")),
    ("channel_switches", N_("channel switches")),
    ("lost_customers", N_("customers lost for good")),
    ("back_office_backlog", N_("back-office backlog at end")),
)


COUNT_KPIS = frozenset(
    {
        *("max_queue", "backlog", "tickets_late", "offered", "customers", "redials"),
        "turned_away",
        *("channel_switches", "lost_customers", "back_office_backlog"),
    }
)
"""Counts: their interval is :func:`sim.analysis.stats.count_ci95` (a bootstrap
percentile interval with a fixed seed), which never goes below 0."""


def _start_text(moment: dt.datetime) -> str:
    """'Mon 2026-03-02 08:00' / '周一 2026-03-02 08:00'."""
    if current_language() == "en":
        return f"{moment:%a %Y-%m-%d %H:%M}"
    return f"{format_weekday(moment)} {moment:%Y-%m-%d %H:%M}"


def render_summary(
    plan: Plan,
    scenario: Scenario,
    result: MonteCarloResult,
    seconds: float,
    workers: int,
    seed: int,
) -> str:
    """The readable summary of a run against the plan's targets and the scenario's objectives."""
    n = len(result.seeds)
    lines = [
        _(
            "Plan '{plan}' v{version} x scenario '{scenario}': "
            "{n} replications, seed {seed}, {workers} worker(s), {seconds:.1f} s"
        ).format(
            plan=plan.meta.id,
            version=plan.meta.version,
            scenario=scenario.meta.id,
            n=n,
            seed=seed,
            workers=workers,
            seconds=seconds,
        ),
        _("  {name}: {horizon} from {start}").format(
            name=local_text(scenario.meta.name, fallback=scenario.meta.id),
            horizon=human_minutes(scenario.horizon),
            start=_start_text(scenario.start),
        ),
        "",
        f"  {ljust(_('KPI'), 40)}{rjust(_('mean'), 10)}  {ljust(_('95% CI'), 22)}"
        f"{ljust(_('p5 - p95'), 20)}",
    ]
    rows = []
    for key, label in SUMMARY_KPIS:
        s = result.kpis.get(key)
        if s is None or s.n == 0:
            continue
        low, high = count_ci95(result.values(key)) if key in COUNT_KPIS else s.ci95
        ci = f"[{_fmt_value(key, _defined(low))}, {_fmt_value(key, _defined(high))}]"
        spread = f"{_fmt_value(key, _defined(s.p5))} - {_fmt_value(key, _defined(s.p95))}"
        rows.append((_(label), _fmt_value(key, _defined(s.mean)), ci, spread))
    ciw = max([22, *(width(r[2]) + 2 for r in rows)])
    for text, mean_text, ci, spread in rows:
        lines.append(
            f"  {ljust(text, 40)}{rjust(mean_text, 10)}  {ljust(ci, ciw)}{ljust(spread, 20)}"
        )
    lines += checks_lines(
        _("Target (plan)"),
        [
            (plan_target_text(t.check.name, t.check.label, plan), t)
            for t in result.targets
            if not t.check.name.startswith(PER_SERVICE)
        ],
    )
    lines += service_lines(plan, result)
    lines.append(rto_rule())
    if result.objectives:
        lines += checks_lines(
            _("Objective (scenario)"),
            [
                (o.check.name + ": " + objective_label(o.check.name, o.check.label, scenario), o)
                for o in result.objectives
            ],
        )
    names = {c.id: name_of(plan, c.id) for c in plan.channels}
    cw = max(12, *(width(x) + 2 for x in names.values()))
    heads = [_("offered"), _("service level"), _("ASA"), _("abandon"), _("available")]
    w = [max(least, width(h) + 1) for least, h in zip((9, 15, 8, 9, 11), heads, strict=True)]
    lines += [
        "",
        f"  {ljust(_('By channel'), cw)}"
        + "".join(rjust(h, x) for h, x in zip(heads, w, strict=True)),
    ]
    for c in plan.channels:

        def mean(k: str, cid: str = c.id) -> float | None:
            s = result.kpis.get(f"channel.{cid}.{k}")
            return None if s is None or s.n == 0 else s.mean

        lines.append(
            f"  {ljust(names[c.id], cw)}{rjust(_fmt_value('offered', mean('offered')), w[0])}"
            f"{rjust(_fmt_value('service_level', mean('service_level')), w[1])}"
            f"{rjust(_fmt_value('asa', mean('asa')), w[2])}"
            f"{rjust(_fmt_value('abandonment', mean('abandonment')), w[3])}"
            f"{rjust(_fmt_value('availability', mean('availability')), w[4])}"
        )
    lines += _class_table(result)
    return "\n".join(lines)


def _class_table(result: MonteCarloResult) -> list[str]:
    """Live contacts by class of service: service level, ASA, abandonment, P(wait)."""

    def mean(cls: str, k: str) -> float | None:
        s = result.kpis.get(f"class.{cls}.{k}")
        return None if s is None or s.n == 0 else _defined(s.mean)

    shown = [
        (cls, _(label)) for cls, label in CLASS_LABELS if mean(cls, "service_level") is not None
    ]
    if not shown:
        return []
    cw = max(12, *(width(label) + 2 for _cls, label in shown), width(_("By class")) + 2)
    heads = [_("service level"), _("ASA"), _("abandon"), _("P(wait)")]
    kpis = ("service_level", "asa", "abandonment", "service_level")
    w = [max(least, width(h) + 1) for least, h in zip((15, 8, 9, 9), heads, strict=True)]
    lines = [
        "",
        f"  {ljust(_('By class'), cw)}"
        + "".join(rjust(h, x) for h, x in zip(heads, w, strict=True)),
    ]
    for cls, label in shown:
        cells = [
            _fmt_value(kpi, mean(cls, key))
            for kpi, key in zip(
                kpis, ("service_level", "asa", "abandonment", "p_wait"), strict=True
            )
        ]
        lines.append(
            f"  {ljust(label, cw)}" + "".join(rjust(c, x) for c, x in zip(cells, w, strict=True))
        )
    return lines
