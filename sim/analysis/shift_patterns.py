"""Shift patterns on a run's clock, and which intervals each one covers.

Why a module: the covering program (:mod:`sim.analysis.shift_cover`) and the roster's
gap (:mod:`sim.analysis.roster_gap`) both need one matrix, interval x pattern, that
says who is at work when; the engine reads the same shifts (``Shift.working_intervals``
in :mod:`plans.service`), so a pattern covers here exactly when the simulation puts its
agents to work.

A pattern is a plan :class:`plans.service.Shift` (days, hours, breaks). It *covers* a
span of time when its agents are at work, not on a break, for all of it. Intervals are
first cut at every pattern's edges (:func:`segments`), so within each piece a pattern is
at work throughout or not at all, and an interval is covered when every piece is: agents
are never counted for a part of an interval they are not there for.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from plans.model import Plan
from plans.schedule import DAYS, WEEK_MINUTES, WeeklyWindow
from plans.service import Shift, ShiftBreak
from scenarios.model import Scenario
from sim.engine.demand import start_minute_of_week

ALWAYS = "always"
"""Id of the pattern of a scenario staff group with no shift: on duty the whole run."""


@dataclass(frozen=True, slots=True)
class ShiftPattern:
    """One shift as the run sees it: the spans of run time its agents are at work."""

    id: str
    """The plan shift's id (``always`` for groups on duty the whole run)."""
    spans: tuple[tuple[float, float], ...]
    """[start, end) in run minutes, breaks left out, clipped to the run."""
    shift: Shift | None
    """The plan shift it comes from (None for ``always``)."""
    cost: float = 1.0
    """What one agent on this pattern costs (1: the program counts agents)."""


def run_spans(shift: Shift, scenario: Scenario) -> tuple[tuple[float, float], ...]:
    """[start, end) run minutes inside [0, horizon) where the shift is at work."""
    offset = start_minute_of_week(scenario)
    horizon = scenario.horizon
    spans: list[tuple[float, float]] = []
    for s, e in shift.working_intervals():
        base = -WEEK_MINUTES
        while base + s - offset < horizon:
            lo, hi = max(0.0, s + base - offset), min(horizon, e + base - offset)
            if hi > lo:
                spans.append((float(lo), float(hi)))
            base += WEEK_MINUTES
    spans.sort()
    merged: list[tuple[float, float]] = []
    for lo, hi in spans:  # a week wrap splits one shift in two: join them again
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return tuple(merged)


def plan_patterns(
    plan: Plan, scenario: Scenario, costs: dict[str, float] | None = None
) -> list[ShiftPattern]:
    """The plan's shifts that work at some moment of the run, in the plan's order."""
    out = []
    for shift in plan.shifts:
        spans = run_spans(shift, scenario)
        if spans:
            out.append(ShiftPattern(shift.id, spans, shift, (costs or {}).get(shift.id, 1.0)))
    return out


def candidate_shift(
    shift_id: str, start: int, length: int, breaks: Sequence[tuple[float, float]] = ()
) -> Shift:
    """A daily shift starting at minute ``start`` of the day, ``length`` minutes long.

    ``breaks`` are (offset after the start, length) pairs. For studies beyond the
    plan's own shifts ("what if a shift started at 09:30?") and hand-made cases.
    """
    end = (start + length) % 1440
    hours = (start % 1440, end if end else 1440)
    return Shift(
        id=shift_id,
        name=shift_id,
        window=WeeklyWindow(days=DAYS, hours=hours),
        breaks=tuple(ShiftBreak(start=b, length=n) for b, n in breaks),
    )


def covers_whole(spans: Sequence[tuple[float, float]], lo: float, hi: float) -> bool:
    """Whether the spans hold all of [lo, hi)."""
    return any(s <= lo + 1e-9 and hi - 1e-9 <= e for s, e in spans)


def coverage_matrix(
    patterns: Sequence[ShiftPattern], starts: Sequence[float], horizon: float
) -> NDArray[np.int64]:
    """A[i, p] = 1 where pattern ``p`` is at work for all of interval ``i``, else 0.

    Interval ``i`` runs from ``starts[i]`` to the next start (the last to ``horizon``).
    """
    edges = [*starts, horizon]
    a = np.zeros((len(starts), len(patterns)), dtype=np.int64)
    for p, pattern in enumerate(patterns):
        for i in range(len(starts)):
            a[i, p] = covers_whole(pattern.spans, edges[i], edges[i + 1])
    return a


def segments(
    patterns: Sequence[ShiftPattern], starts: Sequence[float], horizon: float
) -> tuple[list[float], list[int]]:
    """Interval starts cut further at every pattern's start, end and break.

    Returns (segment starts, the interval of each segment). Within a segment every
    pattern is either at work throughout or not at all, so an interval is covered when
    each of its segments is: a 2-hour interval across a shift change is covered by the
    shift that leaves and the one that arrives together, and a break inside an interval
    has to be covered by others while it lasts.
    """
    edges = {float(s) for s in starts}
    for p in patterns:
        for lo, hi in p.spans:
            edges |= {e for e in (lo, hi) if 0.0 < e < horizon}
    cuts = sorted(e for e in edges if e < horizon)
    index = [max(0, bisect.bisect_right(list(starts), c) - 1) for c in cuts]
    return cuts, index


def min_by_interval(values: NDArray[np.int64], index: Sequence[int], n: int) -> NDArray[np.int64]:
    """Rows of ``values`` (one per segment) reduced to their least per interval."""
    out = np.full((n, *values.shape[1:]), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(out, np.asarray(index), values)
    return out


def max_by_interval(values: NDArray[np.int64], index: Sequence[int], n: int) -> NDArray[np.int64]:
    """Rows of ``values`` (one per segment) reduced to their largest per interval."""
    out = np.zeros((n, *values.shape[1:]), dtype=np.int64)
    np.maximum.at(out, np.asarray(index), values)
    return out
