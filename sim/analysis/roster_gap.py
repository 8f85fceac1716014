"""Today's roster against a requirement, interval by interval: agents short per channel.

Why a linear program and not a count per channel: an agent trained on phone and chat
can take either, but not both at once. Counting every skilled agent on every channel
(as a roster view does) overstates the cover wherever skills overlap; the shortfall that
is really there is the least unmet requirement over every way of splitting the agents
at work between the channels they can take. That is a small transportation problem per
interval (``scipy.optimize.linprog``, HiGHS), whose answer is whole for whole counts.

Agents at work follow the same rule as the shift cover (:mod:`sim.analysis.shift_patterns`):
an interval is cut at every shift's edges and breaks, and each piece is judged; an
interval's shortfall is that of its worst piece, its agents at work those of its
thinnest piece.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linprog

from i18n import _
from plans.model import Plan
from scenarios.model import Scenario
from sim.analysis.shift_patterns import (
    ALWAYS,
    ShiftPattern,
    coverage_matrix,
    max_by_interval,
    min_by_interval,
    plan_patterns,
    segments,
)
from sim.analysis.staff_scaling import base_groups


@dataclass(frozen=True)
class RosterGap:
    """The roster's cover of a requirement, per interval and channel."""

    channels: tuple[str, ...]
    starts: tuple[float, ...]
    requirement: NDArray[np.int64]
    """Intervals x channels: agents required."""
    able: NDArray[np.int64]
    """Intervals x channels: agents at work trained on the channel (each counted on every
    channel it can take: the most the roster could put there)."""
    short: NDArray[np.int64]
    """Intervals x channels: requirement left unmet by the best split of the agents at work."""
    at_work: NDArray[np.int64]
    """Per interval: agents of the roster at work, every channel together."""

    def gap(self) -> NDArray[np.int64]:
        """Agents short per interval, every channel together (0: the roster covers it)."""
        return np.asarray(self.short.sum(axis=1), dtype=np.int64)

    def surplus(self) -> NDArray[np.int64]:
        """Agents at work beyond the requirement per interval (negative where short)."""
        return np.asarray(self.at_work - self.requirement.sum(axis=1), dtype=np.int64)


def roster_at_work(
    plan: Plan, scenario: Scenario, starts: Sequence[float]
) -> tuple[list[tuple[str, ...]], NDArray[np.int64]]:
    """The roster's skill groups and agents at work per interval and group (the fewest
    over each interval's pieces).

    Groups with the same skills are pooled, whatever their site or shift.
    """
    groups, rows, index = _pieces(plan, scenario, starts)
    return groups, min_by_interval(rows, index, len(starts))


def _pieces(
    plan: Plan, scenario: Scenario, starts: Sequence[float]
) -> tuple[list[tuple[str, ...]], NDArray[np.int64], list[int]]:
    """(skill groups, agents at work per interval piece and group, each piece's interval)."""
    patterns = {p.id: p for p in plan_patterns(plan, scenario)}
    always = ShiftPattern(ALWAYS, ((0.0, float(scenario.horizon)),), None)
    cuts, index = segments(list(patterns.values()), starts, scenario.horizon)
    groups: list[tuple[str, ...]] = []
    for g in base_groups(plan, scenario):
        key = tuple(sorted(g.skills))
        if key not in groups:
            groups.append(key)
    out = np.zeros((len(cuts), len(groups)), dtype=np.int64)
    for g in base_groups(plan, scenario):
        pattern = always if g.shift is None else patterns.get(g.shift)
        if pattern is None:
            continue  # a shift that does not work during the run
        a = coverage_matrix([pattern], cuts, scenario.horizon)[:, 0]
        out[:, groups.index(tuple(sorted(g.skills)))] += a * g.agents
    return groups, out, index


def _shortfall(
    at_work: NDArray[np.int64],
    groups: Sequence[tuple[str, ...]],
    need: NDArray[np.int64],
    channels: Sequence[str],
) -> NDArray[np.int64]:
    """Least unmet requirement per channel for one interval, over every split of the agents."""
    pairs = [(gi, ci) for gi, g in enumerate(groups) for ci, c in enumerate(channels) if c in g]
    n_y, n_c = len(pairs), len(channels)
    cost = np.concatenate([np.zeros(n_y), np.ones(n_c)])
    a_ub = np.zeros((len(groups) + n_c, n_y + n_c))
    b_ub = np.concatenate([at_work.astype(float), -need.astype(float)])
    for k, (gi, ci) in enumerate(pairs):
        a_ub[gi, k] = 1.0  # a group's agents split at most over all of them
        a_ub[len(groups) + ci, k] = -1.0  # agents on the channel ...
    for ci in range(n_c):
        a_ub[len(groups) + ci, n_y + ci] = -1.0  # ... plus the shortfall meet the need
    res = linprog(cost, A_ub=a_ub, b_ub=b_ub, bounds=(0, None), method="highs")
    if res.status != 0:
        raise RuntimeError(
            _("the roster's gap could not be computed: {reason}").format(reason=res.message)
        )
    return np.asarray(np.rint(res.x[n_y:]), dtype=np.int64)


def roster_gap(
    plan: Plan,
    scenario: Scenario,
    requirement: NDArray[np.int64],
    channels: Sequence[str],
    starts: Sequence[float],
) -> RosterGap:
    """Today's roster (the scenario's staffing, else the plan's) against ``requirement``."""
    r = np.asarray(requirement, dtype=np.int64)
    groups, rows, index = _pieces(plan, scenario, starts)
    n = len(starts)
    able_rows = np.zeros((len(index), len(channels)), dtype=np.int64)
    for ci, c in enumerate(channels):
        for gi, g in enumerate(groups):
            if c in g:
                able_rows[:, ci] += rows[:, gi]
    short_rows = np.stack(
        [_shortfall(rows[k], groups, r[i], channels) for k, i in enumerate(index)]
    )
    return RosterGap(
        tuple(channels),
        tuple(float(s) for s in starts),
        r,
        min_by_interval(able_rows, index, n),
        max_by_interval(short_rows, index, n),
        min_by_interval(rows.sum(axis=1), index, n),
    )
