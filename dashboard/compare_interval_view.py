"""The Compare page's by-interval view: rows a planner reads, one per interval and channel.

Why apart from the page: the page reads widgets and runs; this turns the rows of
:func:`sim.analysis.compare_intervals.interval_comparison` into a table of text cells
(shares in percent, clock times, whole agents), with the variants side by side, so a
half hour where one variant falls short stands next to the others.
"""

from __future__ import annotations

import math

from i18n import N_, _
from sim.analysis.compare_intervals import IntervalRow

LENGTHS: dict[str, float] = {"15m": 15.0, "30m": 30.0, "1h": 60.0}
"""Interval lengths offered on the page, as files write them."""

COLUMN_WORDS = (N_("Interval"), N_("Channel"))
"""Fixed column headers (marked here for the catalog)."""


def _share(x: float) -> str:
    return "-" if not math.isfinite(x) else f"{x:.1%}"


def _range(low: float, high: float) -> str:
    if not (math.isfinite(low) and math.isfinite(high)):
        return "-"
    return _("{low} to {high}").format(low=_share(low), high=_share(high))


def interval_table(rows: list[IntervalRow]) -> list[dict[str, str]]:
    """One row per interval and channel; per variant (in run order) its figures.

    Columns per variant: 'V: service level', 'V: 95% CI', 'V: agents at work' and, when
    a requirement was given, 'V: required' and 'V: short'.
    """
    has_need = any(r.required is not None for r in rows)
    table: dict[tuple[str, str], dict[str, str]] = {}
    for r in rows:
        key = (r.clock.strftime("%H:%M"), r.channel)  # not for people: a clock time
        row = table.setdefault(key, {_("Interval"): key[0], _("Channel"): r.channel})
        row[_("{variant}: service level").format(variant=r.variant)] = _share(r.service_level)
        row[_("{variant}: 95% CI").format(variant=r.variant)] = _range(*r.ci95)
        row[_("{variant}: agents at work").format(variant=r.variant)] = str(r.at_work)
        if has_need:
            row[_("{variant}: required").format(variant=r.variant)] = (
                "-" if r.required is None else str(r.required)
            )
            row[_("{variant}: short").format(variant=r.variant)] = (
                "-" if r.gap is None else str(r.gap)
            )
    return list(table.values())


def short_intervals(rows: list[IntervalRow]) -> int:
    """How many interval, channel and variant cells fall short of their requirement."""
    return sum(1 for r in rows if r.gap)
