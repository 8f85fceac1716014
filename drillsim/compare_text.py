"""The text of ``drillsim compare``: KPIs per variant, paired differences, P(met) table.

Why a module: the compare command checks its inputs and runs the variants; this
turns a comparison into the tables a person reads, in the language in use.
"""

from __future__ import annotations

import math

from drillsim.text import ljust, rjust
from i18n import N_, _
from plans.model import Plan
from plans.types import human_minutes
from reports.check_texts import objective_label, plan_target_text
from reports.compare_table import interval
from scenarios.model import Scenario
from sim.analysis.compare import MAIN_KPIS, Comparison
from sim.analysis.compare_intervals import IntervalRow
from sim.analysis.montecarlo import CheckResult

KPI_LABELS = {
    "service_level": N_("service level"),
    "asa": N_("average speed of answer"),
    "abandonment": N_("abandonment"),
    "max_queue": N_("longest queue"),
    "rto": N_("longest outage (RTO achieved)"),
    "rpo": N_("data lost (RPO achieved)"),
    "tickets_late": N_("tickets past a limit"),
    "occupancy": N_("agent occupancy"),
}
SHARE_KPIS = {"service_level", "abandonment", "occupancy"}
MINUTE_KPIS = {"asa", "rto", "rpo"}


COLUMN_LABELS = (
    N_("KPI / variant"),
    N_("mean"),
    N_("95% CI"),
    N_("vs baseline (paired)"),
)
"""Column headers and words translated inside the f-strings below (marked here for the catalog)."""


def _diff_text(kpi: str, value: float) -> str:
    if not math.isfinite(value):
        return "-"
    if value == 0:
        return "0"
    if kpi in SHARE_KPIS:
        return _("{points:+.1f} pp").format(points=value * 100)
    if kpi in MINUTE_KPIS:
        return (
            _("{seconds:+.0f}s").format(seconds=value * 60)
            if abs(value) < 1
            else ("+" if value > 0 else "-") + human_minutes(abs(value))
        )
    return f"{value:+,.1f}"


def _kpi_text(kpi: str, value: float) -> str:
    if not math.isfinite(value):
        return "-"
    if kpi in SHARE_KPIS:
        return f"{value:.1%}"
    if kpi in MINUTE_KPIS:
        return (
            _("{seconds:.0f}s").format(seconds=value * 60)
            if abs(value) < 1
            else human_minutes(value)
        )
    return f"{value:,.1f}"


def render_comparison(
    comparison: Comparison,
    seconds: float,
    where: str,
    plan: Plan | None = None,
    scenario: Scenario | None = None,
) -> str:
    """The comparison as a readable table: KPIs, targets, differences from the baseline.

    Given the ``plan`` and ``scenario``, targets and objectives read in the report's
    words ('RTO <= 4h00m', 'Service level >= 80.0% during crm_down'); without them, as
    the checks' labels for files.
    """
    width = max(12, *(len(v.name) for v in comparison.variants)) + 2
    lines = [
        _(
            "Plan '{plan}' x scenario '{scenario}': {variants} variant(s) x {n} replications "
            "on the same seeds (seed {seed}), {where}, {seconds:.1f} s"
        ).format(
            plan=comparison.plan_id,
            scenario=comparison.scenario_id,
            variants=len(comparison.variants),
            n=comparison.replications,
            seed=comparison.seed,
            where=where,
            seconds=seconds,
        ),
        _("  baseline: {name}").format(name=comparison.baseline.name),
        "",
        f"  {ljust(_('KPI / variant'), width)}{rjust(_('mean'), 10)}  {ljust(_('95% CI'), 22)}"
        f"{rjust(_('vs baseline (paired)'), 22)}  {_('95% CI')}",
    ]
    for kpi in MAIN_KPIS:
        if all(
            v.result.kpis.get(kpi) is None or v.result.kpis[kpi].n == 0 for v in comparison.variants
        ):
            continue
        lines.append(f"  {_(KPI_LABELS[kpi])}")
        for i, v in enumerate(comparison.variants):
            s = v.result.kpis.get(kpi)
            mean = _kpi_text(kpi, s.mean) if s else "-"
            low, high = interval(v, kpi)  # a count's stays within the values seen
            ci = f"[{_kpi_text(kpi, low)}, {_kpi_text(kpi, high)}]" if s and s.n > 1 else ""
            d = v.differences[kpi]
            diff = _("(baseline)") if i == 0 else _diff_text(kpi, d.mean)
            dci = (
                ""
                if i == 0 or not math.isfinite(d.ci95[0])
                else f"[{_diff_text(kpi, d.ci95[0])}, {_diff_text(kpi, d.ci95[1])}]"
            )
            lines.append(
                f"    {ljust(v.name, width - 2)}{mean:>10}  {ci:<22}{rjust(diff, 22)}  {dci}"
            )
    lines += ["", *render_targets(comparison, plan=plan, scenario=scenario)]
    return "\n".join(lines)


def render_targets(
    comparison: Comparison,
    per_row: int = 8,
    plan: Plan | None = None,
    scenario: Scenario | None = None,
) -> list[str]:
    """P(target met) per target and variant: variants as numbered columns, legend first."""
    variants = comparison.variants
    checks = [
        (plan_target_text(c.check.name, c.check.label, plan) if plan else c.check.label, i)
        for i, c in enumerate(comparison.baseline.result.targets)
    ]
    n_targets = len(checks)
    checks += [
        (f"{c.check.name}: {objective_label(c.check.name, c.check.label, scenario)}", n_targets + i)
        for i, c in enumerate(comparison.baseline.result.objectives)
    ]
    lines = [
        _(
            "  P(target or objective met), share of replications "
            "(95% Wilson intervals in compare.json)"
        )
    ]
    lines += [f"    #{i + 1}  {v.name}" for i, v in enumerate(variants)]
    label_width = min(60, max(len(label) for label, _i in checks)) + 2 if checks else 10
    for start in range(0, len(variants), per_row):
        block = range(start, min(start + per_row, len(variants)))
        lines.append("")
        lines.append(f"  {'':<{label_width}}" + "".join(f"{'#' + str(i + 1):>7}" for i in block))
        for label, index in checks:
            cells = "".join(
                _cell((v.result.targets + v.result.objectives)[index])
                for v in (variants[i] for i in block)
            )
            lines.append(f"  {label[: label_width - 2]:<{label_width}}{cells}")
    unjudged = [t for t in comparison.baseline.result.targets if t.judged_n == 0]
    lines += [f"  - {t.check.label}: {t.check.unjudged or _('not judged')}" for t in unjudged]
    return lines


def _cell(result: CheckResult) -> str:
    """P(met) in a 7-wide cell; '-' for a target no replication could judge (said below)."""
    return f"{'-':>7}" if result.judged_n == 0 else f"{result.probability:>7.0%}"


def render_by_interval(
    rows: list[IntervalRow], variants: list[str], length: float, threshold: float
) -> list[str]:
    """Per channel, one line per interval: each variant's service level, agents, shortfall.

    A cell reads '91.2% 25/20': service level, agents at work trained on the channel /
    agents required; '-3' after it: agents short of the requirement then.
    """
    if not rows:
        return []
    has_need = any(r.required is not None for r in rows)
    lines = [
        _(
            "  By {length} interval and channel: service level (answered within {threshold}), "
            "agents at work / required, agents short (-n)"
        ).format(length=human_minutes(length), threshold=_kpi_text("asa", threshold))
        if has_need
        else _(
            "  By {length} interval and channel: service level (answered within {threshold}), "
            "agents at work"
        ).format(length=human_minutes(length), threshold=_kpi_text("asa", threshold))
    ]
    if has_need:
        lines.append(
            _(
                "  (required: Erlang A, as staff --by-interval before its check; short: after "
                "sharing multi-skilled agents between the channels they take)"
            )
        )
    lines += [f"    #{i + 1}  {name}" for i, name in enumerate(variants)]
    cell_width = 20 if has_need else 13
    channels = list(dict.fromkeys(r.channel for r in rows))
    for channel in channels:
        lines += ["", f"  {channel}"]
        lines.append(
            f"    {ljust(_('start'), 7)}"
            + "".join(rjust(f"#{i + 1}", cell_width) for i in range(len(variants)))
        )
        mine = [r for r in rows if r.channel == channel]
        for start in dict.fromkeys(r.clock for r in mine):
            cells = {r.variant: r for r in mine if r.clock == start}
            line = f"    {ljust(start.strftime('%H:%M'), 7)}"  # not for people: a clock time
            for name in variants:
                line += rjust(_interval_cell(cells[name]), cell_width)
            lines.append(line)
    lines += ["", _("  Each interval's 95% CI is in compare_intervals.csv.")]
    return lines


def _interval_cell(row: IntervalRow) -> str:
    sl = "-" if not math.isfinite(row.service_level) else f"{row.service_level:.1%}"
    if row.required is None:
        return f"{sl} {row.at_work}"
    short = f" -{row.gap}" if row.gap else ""
    return f"{sl} {row.at_work}/{row.required}{short}"
