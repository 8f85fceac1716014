"""The fewest agents per shift and skill group that cover every interval's requirement.

Why an integer program (``scipy.optimize.milp``) and no search of our own: covering
intervals with shifts is the textbook set-covering problem of workforce planning
(Dantzig 1954); HiGHS solves it exactly in milliseconds at a centre's size, and an
optimum it proves is one a planner can rely on.

The program, for intervals ``i``, channels ``c``, shift patterns ``p`` and skill groups
``g`` (the skill sets agents are hired with, e.g. {phone}, {counter, phone}):

* ``x[p, g]`` whole agents of group ``g`` on pattern ``p`` (the answer);
* ``y[i, g, c] >= 0`` of them working channel ``c`` in interval ``i``, only where ``g``
  has skill ``c``;
* agents at work: ``sum_c y[i, g, c] <= sum_p A[i, p] x[p, g]``, where ``A[i, p]`` is 1
  when the pattern is at work and not on a break for all of interval ``i``
  (:func:`sim.analysis.shift_patterns.coverage_matrix`);
* requirement met: ``sum_g y[i, g, c] >= r[i, c]``;
* minimise ``sum cost[p] x[p, g]`` (cost 1: the fewest agents).

With one channel per group this is exactly ``min sum x, A x >= r, x integer >= 0``.
``y`` may stay continuous: for whole ``x`` and ``r`` the split of agents over channels is
a transportation problem, whose constraint matrix is totally unimodular, so a whole
split exists whenever a fractional one does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from i18n import _
from plans.types import human_minutes
from sim.analysis.shift_patterns import ShiftPattern, min_by_interval

TIME_LIMIT = 60.0
"""Seconds HiGHS may take; a centre's cover takes milliseconds."""


class ShiftCoverError(ValueError):
    """No cover exists, or the solver gave up; the message says which interval and why."""


@dataclass(frozen=True)
class ShiftCover:
    """The answer: agents per pattern and skill group, and what they leave over."""

    patterns: tuple[ShiftPattern, ...]
    groups: tuple[tuple[str, ...], ...]
    channels: tuple[str, ...]
    starts: tuple[float, ...]
    """Interval starts, run minutes."""
    agents: NDArray[np.int64]
    """Patterns x groups: agents hired on each."""
    coverage: NDArray[np.int64]
    """Rows x patterns: the matrix A the program covered with (a row per interval, or per
    piece of an interval when intervals were cut at the patterns' edges)."""
    requirement: NDArray[np.int64]
    """Intervals x channels: r."""
    assignment: NDArray[np.float64]
    """Rows x groups x channels: one split of the agents at work that meets r."""
    cost: float
    row_interval: tuple[int, ...] = ()
    """The interval of each row of ``coverage`` (empty: row i is interval i)."""

    def _index(self) -> list[int]:
        return list(self.row_interval) or list(range(len(self.starts)))

    @property
    def total(self) -> int:
        """Agents in all."""
        return int(self.agents.sum())

    def at_work(self) -> NDArray[np.int64]:
        """Agents at work (on shift, not on a break) per interval and group: the fewest
        over the interval when it holds a shift change or a break."""
        rows = np.asarray(self.coverage @ self.agents, dtype=np.int64)
        return min_by_interval(rows, self._index(), len(self.starts))

    def at_work_total(self) -> NDArray[np.int64]:
        """Agents at work per interval, every group together (the fewest over the interval)."""
        rows = np.asarray((self.coverage @ self.agents).sum(axis=1), dtype=np.int64)
        return min_by_interval(rows, self._index(), len(self.starts))

    def surplus(self) -> NDArray[np.int64]:
        """Agents at work beyond the requirement, per interval (every channel together)."""
        return np.asarray(self.at_work_total() - self.requirement.sum(axis=1))

    def rows(self) -> list[tuple[str, tuple[str, ...], int]]:
        """(pattern id, skill group, agents) for every pattern and group hired on."""
        return [
            (p.id, g, int(self.agents[pi, gi]))
            for pi, p in enumerate(self.patterns)
            for gi, g in enumerate(self.groups)
            if self.agents[pi, gi] > 0
        ]


def _check_coverable(
    requirement: NDArray[np.int64],
    coverage: NDArray[np.int64],
    groups: Sequence[tuple[str, ...]],
    channels: Sequence[str],
    labels: Sequence[str],
) -> None:
    """Say which interval and channel no pattern and skill group can serve, if any."""
    problems = []
    working = np.asarray(coverage.any(axis=1), dtype=bool)
    for ci, channel in enumerate(channels):
        served = any(channel in g for g in groups)
        for i in (int(k) for k in np.flatnonzero(requirement[:, ci] > 0)):
            if not served:
                problems.append(
                    _("channel '{channel}' needs agents but no skill group serves it").format(
                        channel=channel
                    )
                )
                break
            if not working[i]:
                problems.append(
                    _(
                        "interval at {start} needs {n} agent(s) on '{channel}' "
                        "but no shift pattern is at work for all of it"
                    ).format(start=labels[i], n=int(requirement[i, ci]), channel=channel)
                )
    problems = list(dict.fromkeys(problems))  # pieces of one interval say it once
    if problems:
        raise ShiftCoverError(
            _("no shift cover exists: {reasons}").format(reasons="; ".join(problems))
        )


def run_clock(minute: float) -> str:
    """A run minute as '+1h30m' from the run's start (when no clock labels are given)."""
    return "+" + human_minutes(minute)


def solve_cover(
    requirement: NDArray[np.int64] | Sequence[Sequence[int]],
    channels: Sequence[str],
    starts: Sequence[float],
    patterns: Sequence[ShiftPattern],
    coverage: NDArray[np.int64],
    groups: Sequence[tuple[str, ...]],
    labels: Sequence[str] | None = None,
    row_interval: Sequence[int] | None = None,
) -> ShiftCover:
    """The cheapest whole number of agents per pattern and group with ``A x >= r``.

    ``requirement`` is intervals x channels; ``coverage`` intervals x patterns;
    ``labels`` name the intervals in messages (default: '+1h30m' from the start).
    ``row_interval``: when ``coverage`` has a row per piece of an interval
    (:func:`sim.analysis.shift_patterns.segments`), the interval of each row. Raises
    :class:`ShiftCoverError` naming the interval and channel no pattern can cover, or
    when HiGHS gives no optimum within :data:`TIME_LIMIT`.
    """
    per_interval = np.asarray(requirement, dtype=np.int64)
    index = list(row_interval) if row_interval is not None else list(range(len(starts)))
    r = per_interval[index]
    a = np.asarray(coverage, dtype=np.int64)
    n_i, n_c = r.shape
    n_p, n_g = len(patterns), len(groups)
    if a.shape != (n_i, n_p):
        raise ValueError(
            _("coverage is {got} but {i} intervals x {p} patterns were expected").format(
                got=a.shape, i=n_i, p=n_p
            )
        )
    names = labels or [run_clock(t) for t in starts]
    _check_coverable(r, a, groups, channels, [names[k] for k in index])
    pairs = [(gi, ci) for gi, g in enumerate(groups) for ci, c in enumerate(channels) if c in g]
    n_x, n_y = n_p * n_g, n_i * len(pairs)
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []

    def put(row: int, col: int, value: float) -> None:
        rows.append(row)
        cols.append(col)
        vals.append(value)

    # rows 0 .. n_i*n_g-1: sum_c y[i,g,c] - sum_p A[i,p] x[p,g] <= 0
    for i in range(n_i):
        for gi in range(n_g):
            row = i * n_g + gi
            for p in range(n_p):
                if a[i, p]:
                    put(row, p * n_g + gi, -1.0)
            for k, (g2, _c) in enumerate(pairs):
                if g2 == gi:
                    put(row, n_x + i * len(pairs) + k, 1.0)
    # rows n_i*n_g ..: sum_g y[i,g,c] >= r[i,c]
    base = n_i * n_g
    for i in range(n_i):
        for ci in range(n_c):
            for k, (_g, c2) in enumerate(pairs):
                if c2 == ci:
                    put(base + i * n_c + ci, n_x + i * len(pairs) + k, 1.0)
    matrix = coo_array((vals, (rows, cols)), shape=(base + n_i * n_c, n_x + n_y)).tocsr()
    lower = np.concatenate([np.full(base, -np.inf), r.reshape(-1).astype(float)])
    upper = np.concatenate([np.zeros(base), np.full(n_i * n_c, np.inf)])
    costs = np.array([p.cost for p in patterns for _g in groups] + [0.0] * n_y)
    integrality = np.concatenate([np.ones(n_x), np.zeros(n_y)])
    res = milp(
        costs,
        constraints=LinearConstraint(matrix, lower, upper),
        integrality=integrality,
        bounds=Bounds(0, np.inf),
        options={"time_limit": TIME_LIMIT},
    )
    if res.status != 0 or res.x is None:
        raise ShiftCoverError(
            _("the shift cover has no optimum: {reason}").format(reason=res.message)
        )
    x = np.rint(res.x[:n_x]).astype(np.int64).reshape(n_p, n_g)
    split = np.zeros((n_i, n_g, n_c))
    y = res.x[n_x:].reshape(n_i, len(pairs))
    for k, (gi, ci) in enumerate(pairs):
        split[:, gi, ci] = y[:, k]
    return ShiftCover(
        tuple(patterns),
        tuple(tuple(g) for g in groups),
        tuple(channels),
        tuple(float(s) for s in starts),
        x,
        a,
        per_interval,
        split,
        float(res.fun),
        tuple(index) if row_interval is not None else (),
    )
