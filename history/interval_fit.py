"""Handle time and patience from interval records (offered, answered, abandoned, AHT, ASA).

Why these estimates are weaker than those from contact records, and say so:

* **Handle time** is known only as each interval's average, so the distribution cannot
  be seen; the scenario gets an exponential with the answered-weighted mean AHT. That the
  times are exponential is an assumption, not a finding.
* **Patience** is not observed at all. Two approximate estimates:

  - Erlang A's relation P(Ab) = E[W] / mean patience (Mandelbaum & Zeltyn; it holds for
    exponential patience whatever the staffing, since abandonments are theta times the
    time spent queueing), with the ASA of the answered standing in for the mean wait
    E[W] of all contacts: mean patience ~ ASA / P(Ab). This is the one the scenario
    gets. Abandoned contacts wait less than answered ones, so it reads somewhat low.
  - With the agents on duty, Erlang A itself (M/M/c+M, :func:`sim.queueing.erlang_a`):
    the mean patience that makes the abandonments Erlang A expects, summed over the
    intervals, equal those recorded (bisection; every interval with the channel's mean
    AHT, so intervals alike in offered and agents are computed once). Shown as a
    cross-check only: each interval is taken in steady state, and near full load P(Ab)
    hardly moves with patience, so small departures from steady state move the answer a
    long way (on the synthetic history, phone: 401 s against a true 180 s, where the
    relation gave 164 s).

  Without ASA and abandonment, patience cannot be estimated and the scenario keeps its
  default.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from history.records import IntervalHistory
from sim.queueing import erlang_a

LOW_MIN, HIGH_MIN = 0.01, 10000.0  # bisection range of mean patience, minutes


@dataclass(frozen=True)
class IntervalHandle:
    """A channel's handle time from AHT: exponential with this mean (an assumption)."""

    channel: str
    answered: int
    mean_s: float


@dataclass(frozen=True)
class IntervalPatience:
    """A channel's mean patience by Erlang A (approximate), or why there is none."""

    channel: str
    intervals: int  # intervals used (with agents, offered and AHT)
    offered: int
    abandoned: int
    mean_s: float | None  # ASA / P(Ab), written to the scenario; None: see ``reason``
    erlang_a_mean_s: float | None  # Erlang A inverted; None without agents
    reason: str  # "" when estimated; else "no_abandonment" or "no_asa"


def interval_handle(h: IntervalHistory, channel: str) -> IntervalHandle | None:
    """Answered-weighted mean AHT of a channel; None when nothing was answered."""
    on = (h.channel == channel) & (h.answered > 0) & np.isfinite(h.aht_s)
    answered = int(h.answered[on].sum())
    if answered == 0:
        return None
    return IntervalHandle(channel, answered, float((h.aht_s[on] * h.answered[on]).sum() / answered))


def _expected_abandoned(
    cells: dict[tuple[int, float, int], int], aht_min: float, patience: float
) -> float:
    """Abandonments Erlang A expects over the intervals, grouped by (offered, length, agents)."""
    total = 0.0
    for (n, length, c), times in cells.items():
        total += times * n * erlang_a(c, n / length, aht_min, patience).p_abandon
    return total


def interval_patience(
    h: IntervalHistory, channel: str, handle: IntervalHandle | None
) -> IntervalPatience:
    """A channel's mean patience by the relation, and by Erlang A with agents (module docstring)."""
    on = (h.channel == channel) & (h.offered > 0)
    offered, abandoned = int(h.offered[on].sum()), int(h.abandoned[on].sum())
    answered = h.answered[on]
    asa = np.nan_to_num(h.asa_s[on])
    n = int(on.sum())
    if abandoned == 0:
        return IntervalPatience(channel, n, offered, 0, None, None, "no_abandonment")
    has_asa = answered > 0
    if not has_asa.any() or not np.isfinite(h.asa_s[on][has_asa]).any():
        return IntervalPatience(channel, n, offered, abandoned, None, None, "no_asa")
    relation = float((asa * answered).sum() / answered.sum()) / (abandoned / offered)
    if h.agents is None:
        return IntervalPatience(channel, n, offered, abandoned, relation, None, "")
    use = on & np.isfinite(h.agents) & (h.agents >= 0.5)
    if handle is None or not use.any():
        return IntervalPatience(channel, n, offered, abandoned, relation, None, "")
    cells: dict[tuple[int, float, int], int] = {}
    for n, length, c in zip(
        h.offered[use].tolist(),
        h.interval_minutes[use].astype(float).tolist(),
        np.maximum(1, np.rint(h.agents[use])).astype(int).tolist(),
        strict=True,
    ):
        cells[(n, length, c)] = cells.get((n, length, c), 0) + 1
    target = float(h.abandoned[use].sum())
    aht = handle.mean_s / 60.0
    lo, hi = math.log(LOW_MIN), math.log(HIGH_MIN)
    for _step in range(16):  # log-bisection to about 2e-4 relative
        mid = (lo + hi) / 2
        if _expected_abandoned(cells, aht, math.exp(mid)) > target:
            lo = mid  # too many abandon: patience is longer
        else:
            hi = mid
    return IntervalPatience(
        channel, n, offered, abandoned, relation, math.exp((lo + hi) / 2) * 60, ""
    )
