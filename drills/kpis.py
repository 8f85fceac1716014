"""The KPIs a debrief shows: key, readable label, unit, and which way is better.

Why one table: the KPI table, the comparison bars and the decision effects must
name and format a KPI the same way, and agree on whether more of it is good.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from i18n import N_, _
from plans.types import human_minutes

Unit = Literal["share", "minutes", "count"]
UNIT_LABELS = {"share": N_("share"), "minutes": N_("minutes"), "count": N_("count")}
"""Axis labels by unit (msgids: shown with ``_()``)."""


@dataclass(frozen=True, slots=True)
class KpiSpec:
    """How one KPI is named, measured and judged."""

    key: str
    """Key in :func:`sim.engine.metrics.kpis_for` or :func:`sim.response.metrics.response_kpis`."""
    label: str
    """Readable name, in English (a msgid: shown with ``_(spec.label)``)."""
    unit: Unit
    """'share' (0-1), 'minutes' or 'count'."""
    higher_is_better: bool | None
    """True: more is better; False: less is better; None: neither (a count of actions)."""
    axis: str = ""
    """Axis label of a chart of it (a msgid); left empty: named after the unit."""

    def axis_label(self) -> str:
        """What a chart's value axis says about this KPI."""
        return self.axis or UNIT_LABELS[self.unit]


DEBRIEF_KPIS: tuple[KpiSpec, ...] = (
    KpiSpec("service_level", N_("Service level"), "share", True, N_("share answered in time")),
    KpiSpec("asa", N_("Average speed of answer"), "minutes", False),
    KpiSpec("abandonment", N_("Abandonment"), "share", False, N_("share who gave up")),
    KpiSpec("max_queue", N_("Longest queue"), "count", False),
    KpiSpec("backlog", N_("Ticket backlog at the end"), "count", False),
    KpiSpec("tickets_late", N_("Tickets late"), "count", False),
    KpiSpec(
        "availability",
        N_("Availability (worst channel)"),
        "share",
        True,
        N_("share of the time up"),
    ),
    KpiSpec("rto", N_("RTO achieved"), "minutes", False),
    KpiSpec("rpo", N_("RPO achieved"), "minutes", False),
    KpiSpec("steps_late", N_("Response steps late"), "count", False),
    KpiSpec("backups_activated", N_("Backups activated"), "count", None),
)
"""The rows of the debrief's KPI table, in order."""

SPECS = {spec.key: spec for spec in DEBRIEF_KPIS}


def spec_for(key: str) -> KpiSpec:
    """The spec of a KPI; unknown keys get a plain count spec named after the key."""
    return SPECS.get(key, KpiSpec(key, key.replace("_", " ").capitalize(), "count", None))


RESTORATION_KPIS = ("rto",)
"""KPIs measured on restoration: a service still down at the end makes them a lower bound."""


def duration_text(minutes: float) -> str:
    """'30m', '1h30m', or whole days as '1d', '7d' (a step limit of 168h00m reads badly).

    A negative duration is written with its sign in front of its size ('-5m', '-1h52m'),
    never as ``divmod`` of a negative number would give it ('-1h55m' for -5 minutes).
    """
    if minutes < 0:
        return "-" + duration_text(-minutes)
    if minutes >= 1440 and float(minutes) % 1440 == 0:
        return f"{int(minutes // 1440)}d"
    return human_minutes(minutes)


def run_value(row: dict[str, Any], run: str, still_down: bool = False) -> str:
    """A run's value in a :func:`drills.debrief.kpi_table` row, as a person reads it.

    ``still_down``: the run is one of :func:`drills.debrief.not_restored`; its
    restoration time (RTO achieved) is then a lower bound: 'not restored by the end
    of play (at least 45m)'.
    """
    if still_down and row["kpi"] in RESTORATION_KPIS:
        return _("not restored by the end of play (at least {duration})").format(
            duration=duration_text(row[run] or 0.0)
        )
    return format_value(row["kpi"], row[run])


def met_text(row: dict[str, Any], run: str, still_down: bool = False) -> str:
    """Whether a run met the row's target: 'yes', 'NO', 'n/a'; with a service still down
    (``still_down``, as for :func:`run_value`), 'not met' or 'not yet known' (see
    :func:`sim.analysis.targets.restoration_met`)."""
    met = row.get(f"{run}_met")
    if still_down and row["kpi"] in RESTORATION_KPIS:
        return _("not met") if met is False else _("yes") if met else _("not yet known")
    return {True: _("yes"), False: _("NO"), None: _("n/a")}[met]


def format_value(key: str, value: float | None) -> str:
    """A KPI value as a person reads it: '81.6%', '1h05m', '19', or 'n/a'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return _("n/a")
    unit = spec_for(key).unit
    if unit == "share":
        # three decimals for availability: 99.897% must not read as the 99.90% it misses
        return f"{value:.3%}" if key == "availability" else f"{value:.1%}"
    if unit == "minutes":
        return f"{value * 60:.0f}s" if 0 < value < 1 else human_minutes(value)
    return f"{value:g}"
