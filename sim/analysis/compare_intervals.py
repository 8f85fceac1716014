"""Variants side by side per interval and channel: service level, requirement, agents short.

Why a view of its own: the whole-run comparison (:mod:`sim.analysis.compare`) says
which variant does better on the day; a planner also needs to see *when*: the half
hour where a variant still falls short, and by how many agents. Per interval and
channel, each variant gives

* its simulated **service level** (mean and 95% CI over the paired replications; the
  figure :mod:`sim.engine.interval_metrics` records, answered within the plan's
  threshold),
* the **requirement**: agents the channel needs then (given by the caller; the
  command line and the console give :func:`erlang_requirement`, the Erlang A table of
  ``drillsim staff --by-interval`` before its simulated check, for each variant's own
  plan and scenario),
* the **gap**: agents of the variant's roster short of that requirement, after the best
  split of multi-skilled agents (:mod:`sim.analysis.roster_gap`); 0 where it covers.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from i18n import _
from plans.model import Plan
from scenarios.model import Scenario
from sim.analysis.compare import Comparison, PreparedVariant
from sim.analysis.interval_requirements import erlang_requirements
from sim.analysis.roster_gap import roster_at_work, roster_gap
from sim.analysis.stats import summarise
from sim.engine.interval_metrics import interval_key, interval_starts

Requirement = Callable[[Plan, Scenario, float], tuple[NDArray[np.int64], list[str], list[float]]]
"""(plan, scenario, interval minutes) -> (intervals x channels agents required, channels,
interval starts)."""


def erlang_requirement(
    plan: Plan, scenario: Scenario, length: float
) -> tuple[NDArray[np.int64], list[str], list[float]]:
    """The Erlang A requirement of each interval and channel, agents to roster (after the
    scenario's shrinkage), as ``drillsim staff --by-interval`` computes it before its
    simulated check (:func:`sim.analysis.interval_requirements.erlang_requirements`)."""
    table = erlang_requirements(plan, scenario, interval_minutes=length)
    return table.matrix("staffed_agents")


CSV_COLUMNS: tuple[str, ...] = (
    "interval_start",
    "channel",
    "variant",
    "service_level_mean",
    "service_level_ci95_low",
    "service_level_ci95_high",
    "n",
    "agents_at_work",
    "required_agents",
    "gap_agents",
)
"""Machine-read headers of compare_intervals.csv (ids, not translated)."""


@dataclass(frozen=True, slots=True)
class IntervalRow:
    """One variant's figures in one interval on one channel."""

    start: float
    """Run minutes from the scenario start."""
    clock: dt.datetime
    channel: str
    variant: str
    service_level: float
    ci95: tuple[float, float]
    n: int
    """Replications where the service level is defined (a contact settled then)."""
    at_work: int
    """Agents of the variant at work trained on the channel (each on every channel it takes)."""
    required: int | None
    gap: int | None

    def to_csv(self) -> list[object]:
        """The row's cells in :data:`CSV_COLUMNS` order; blanks where undefined."""
        return [
            self.clock.isoformat(timespec="seconds"),
            self.channel,
            self.variant,
            *(_cell(x) for x in (self.service_level, *self.ci95)),
            self.n,
            self.at_work,
            "" if self.required is None else self.required,
            "" if self.gap is None else self.gap,
        ]


def _share_bounds(ci: tuple[float, float]) -> tuple[float, float]:
    """A share's t-interval kept within [0, 1] (a service level cannot pass 100%)."""
    lo, hi = ci
    return (
        min(1.0, max(0.0, lo)) if math.isfinite(lo) else lo,
        min(1.0, max(0.0, hi)) if math.isfinite(hi) else hi,
    )


def _cell(x: float) -> object:
    return "" if not math.isfinite(x) else round(float(x), 6)


def _able(
    plan: Plan, scenario: Scenario, channels: Sequence[str], starts: Sequence[float]
) -> NDArray[np.int64]:
    groups, at_work = roster_at_work(plan, scenario, starts)
    out = np.zeros((len(starts), len(channels)), dtype=np.int64)
    for ci, c in enumerate(channels):
        for gi, g in enumerate(groups):
            if c in g:
                out[:, ci] += at_work[:, gi]
    return out


def interval_comparison(
    comparison: Comparison,
    prepared: Sequence[PreparedVariant],
    requirement: Requirement | None = None,
    channels: Sequence[str] | None = None,
) -> list[IntervalRow]:
    """Rows per interval, channel and variant (in that order) of a comparison run with intervals.

    ``comparison`` must come from ``compare_prepared(..., interval=...)`` on ``prepared``.
    ``channels``: the channels to show (default: the live channels customers used in
    the baseline).
    """
    length = comparison.baseline.result.interval
    if length is None:
        raise ValueError(_("the comparison was run without intervals"))
    base = prepared[0]
    horizon = float(base.scenario.horizon)
    starts = interval_starts(horizon, length)
    if channels is not None:
        shown = list(channels)
    else:  # the live channels customers used in the baseline
        offered = comparison.baseline.result.interval_values
        shown = [
            c.id
            for c in base.plan.channels
            if c.effective_mode() == "live"
            and any(
                np.nansum(offered(interval_key(i, c.id, "offered"))) > 0 for i in range(len(starts))
            )
        ]
    rows: list[IntervalRow] = []
    per_variant = []
    for p, v in zip(prepared, comparison.variants, strict=True):
        able = _able(p.plan, p.scenario, shown, starts)
        need = gap = None
        if requirement is not None:
            matrix, req_channels, req_starts = requirement(p.plan, p.scenario, length)
            index = [req_channels.index(c) if c in req_channels else -1 for c in shown]
            need = np.zeros((len(starts), len(shown)), dtype=np.int64)
            for j, k in enumerate(index):
                if k >= 0:
                    need[:, j] = matrix[: len(starts), k]
            gap = roster_gap(p.plan, p.scenario, need, shown, starts).short
        per_variant.append((v, able, need, gap))
    for i, start in enumerate(starts):
        clock = base.scenario.start + dt.timedelta(minutes=start)
        for j, channel in enumerate(shown):
            for v, able, need, gap in per_variant:
                s = summarise(v.result.interval_values(interval_key(i, channel, "service_level")))
                rows.append(
                    IntervalRow(
                        start,
                        clock,
                        channel,
                        v.name,
                        s.mean,
                        _share_bounds(s.ci95),
                        s.n,
                        int(able[i, j]),
                        None if need is None else int(need[i, j]),
                        None if gap is None else int(gap[i, j]),
                    )
                )
    return rows
