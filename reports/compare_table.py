"""The Compare page's tables: KPIs per variant with units and names, and P(met) per target.

Why a module of its own: :meth:`sim.analysis.compare.Comparison.to_rows` is the long
format a file or a script wants (one row per variant x KPI, raw minutes and shares);
a planner reading the page wants one row per variant, each KPI under its name with its
unit ('81.2%', '1h05m', '12.3 contacts'), the difference from the baseline beside it,
and how likely each target is to be met. The CSV download is the same table, so what
is downloaded is what was read.

Intervals: a share's or a duration's mean has its 95% t-interval; a count's mean a
bootstrap interval (:func:`sim.analysis.stats.count_ci95`), which stays within the
values seen, so never below 0; a probability its Wilson interval.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from typing import Literal

import numpy as np

from i18n import N_, _
from plans.model import Plan
from plans.types import human_minutes
from reports.check_texts import objective_label, plan_target_text
from scenarios.model import Scenario
from sim.analysis.compare import MAIN_KPIS, Comparison, VariantResult
from sim.analysis.montecarlo import CheckResult
from sim.analysis.stats import count_ci95, wilson

Unit = Literal["share", "minutes", "count"]
KPI_NAMES: dict[str, tuple[str, Unit]] = {
    "service_level": (N_("Service level"), "share"),
    "asa": (N_("Average speed of answer"), "minutes"),
    "abandonment": (N_("Abandonment"), "share"),
    "max_queue": (N_("Longest queue"), "count"),
    "rto": (N_("RTO achieved"), "minutes"),
    "rpo": (N_("RPO achieved"), "minutes"),
    "tickets_late": (N_("Tickets late"), "count"),
    "occupancy": (N_("Agent occupancy"), "share"),
}
"""Each compared KPI's name and unit, as the table shows it."""


def value_text(kpi: str, value: float) -> str:
    """A KPI value with its unit: '81.2%', '1h05m' (under a minute: '42s'), '12.3'."""
    if not math.isfinite(value):
        return "-"
    unit = KPI_NAMES.get(kpi, (kpi, "count"))[1]
    if unit == "share":
        return f"{value:.1%}"
    if unit == "minutes":
        return f"{value * 60:.0f}s" if 0 <= value < 1 else human_minutes(value)
    return f"{value:,.1f}"


def difference_text(kpi: str, value: float) -> str:
    """A paired difference from the baseline: '+1.2 pp', '-5m', '+30s', '+2.0'."""
    if not math.isfinite(value):
        return "-"
    if value == 0:
        return "0"
    sign = "+" if value > 0 else "-"
    unit = KPI_NAMES.get(kpi, (kpi, "count"))[1]
    if unit == "share":
        return _("{points:+.1f} pp").format(points=value * 100)
    if unit == "minutes":
        size = abs(value)
        return sign + (f"{size * 60:.0f}s" if size < 1 else human_minutes(size))
    return f"{value:+,.1f}"


def interval(v: VariantResult, kpi: str) -> tuple[float, float]:
    """The 95% interval of a variant's mean of ``kpi`` (a count's within its range)."""
    s = v.result.kpis.get(kpi)
    if s is None or s.n < 2:
        return math.nan, math.nan
    if KPI_NAMES.get(kpi, (kpi, "count"))[1] == "count":
        return count_ci95(np.asarray(v.result.values(kpi), dtype=float))
    return s.ci95[0], s.ci95[1]


def _range(kpi: str, low: float, high: float, diff: bool = False) -> str:
    if not (math.isfinite(low) and math.isfinite(high)):
        return "-"
    text = difference_text if diff else value_text
    return _("{low} to {high}").format(low=text(kpi, low), high=text(kpi, high))


def _kpis_shown(comparison: Comparison) -> list[str]:
    """The main KPIs some variant measured (an RPO of a scenario losing no data is left out)."""
    return [
        k
        for k in MAIN_KPIS
        if any(
            v.result.kpis.get(k) is not None and v.result.kpis[k].n > 0 for v in comparison.variants
        )
    ]


def kpi_table(comparison: Comparison) -> list[dict[str, str]]:
    """One row per variant: its settings, then per KPI its mean, 95% interval and the
    paired difference from the baseline (the first variant), every cell as text."""
    rows = []
    for i, v in enumerate(comparison.variants):
        row = {_("Variant"): v.name, _("Settings"): v.settings_text()}
        for kpi in _kpis_shown(comparison):
            name = _(KPI_NAMES[kpi][0]) if kpi in KPI_NAMES else kpi
            s = v.result.kpis.get(kpi)
            d = v.differences[kpi]
            row[name] = value_text(kpi, s.mean) if s is not None else "-"
            row[_("{kpi}: 95% CI").format(kpi=name)] = _range(kpi, *interval(v, kpi))
            row[_("{kpi}: vs baseline").format(kpi=name)] = (
                _("(baseline)")
                if i == 0
                else _("{diff} ({low} to {high})").format(
                    diff=difference_text(kpi, d.mean),
                    low=difference_text(kpi, d.ci95[0]),
                    high=difference_text(kpi, d.ci95[1]),
                )
                if math.isfinite(d.ci95[0])
                else difference_text(kpi, d.mean)
            )
        rows.append(row)
    return rows


def _checks(v: VariantResult) -> Sequence[tuple[str, CheckResult]]:
    return [(f"t:{c.check.name}", c) for c in v.result.targets] + [
        (f"o:{c.check.name}", c) for c in v.result.objectives
    ]


def check_name(key: str, check: CheckResult, plan: Plan, scenario: Scenario | None = None) -> str:
    """A target or objective as the table heads it: 'P(RTO <= 4h00m)'."""
    if key.startswith("t:"):
        what = plan_target_text(check.check.name, check.check.label, plan)
    else:
        what = _("objective {name}: {label}").format(
            name=check.check.name,
            label=objective_label(check.check.name, check.check.label, scenario),
        )
    return _("P({target})").format(target=what)


def probability_text(check: CheckResult) -> str:
    """'85% (74% to 92%)': the share of replications that met it, its Wilson interval."""
    if check.n == 0:
        return "-"
    low, high = wilson(check.met, check.n)
    return _("{p} ({low} to {high})").format(
        p=f"{check.probability:.0%}", low=f"{low:.0%}", high=f"{high:.0%}"
    )


def target_table(
    comparison: Comparison, plan: Plan, scenario: Scenario | None = None
) -> list[dict[str, str]]:
    """One row per variant: the probability of meeting each plan target and scenario
    objective (share of its replications, 95% Wilson interval)."""
    rows = []
    for v in comparison.variants:
        row = {_("Variant"): v.name, _("Settings"): v.settings_text()}
        for key, check in _checks(v):
            row[check_name(key, check, plan, scenario)] = probability_text(check)
        rows.append(row)
    return rows


def csv_text(comparison: Comparison, plan: Plan, scenario: Scenario | None = None) -> str:
    """The page's two tables side by side, one row per variant, as CSV (UTF-8 text)."""
    rows = [
        {**k, **t}
        for k, t in zip(
            kpi_table(comparison), target_table(comparison, plan, scenario), strict=True
        )
    ]
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return out.getvalue()
