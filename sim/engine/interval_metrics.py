"""Figures of one replication by channel and interval (15 or 30 minutes), as WFM tools show.

Why apart from :mod:`sim.engine.metrics`: the whole-run KPIs are judged against the
plan; these are read as a day's profile, one row per channel and interval, and cost
nothing unless asked for.

Per channel and interval, by the same rules as the whole-run figures:

* **offered**, **service level**, **ASA**, **abandonment**: the contacts that *arrived* in
  the interval (so a contact answered after the interval still counts in it).
* **occupancy**: agent time busy over agent time at work, in the interval, of the agent
  groups that serve the channel (an agent skilled for phone and chat counts on both
  rows, with all of its busy time). It needs the group that served each contact,
  which the simulation keeps (``Simulation.c_group``) and the records leave out.

Intervals run from the start of the scenario (time 0, warm-up included) to the
horizon; the last one is shorter if the horizon is not a whole number of them.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from plans.model import Plan
from sim.engine.metrics import Kpis, turned_away, wait_times
from sim.engine.records import ABANDONED, DONE, SERVING, RunRecords

INTERVAL_FIGURES = ("offered", "service_level", "asa", "abandonment", "occupancy")
"""The figures of each interval row, in column order."""


def interval_starts(horizon: float, length: float) -> list[float]:
    """Start times (minutes) of the intervals covering [0, horizon)."""
    n = max(1, math.ceil(horizon / length - 1e-9))
    return [i * length for i in range(n)]


def interval_key(index: int, channel: str, figure: str) -> str:
    """Flat key of one figure of one interval row: ``'3|phone|service_level'``."""
    return f"{index}|{channel}|{figure}"


def _ratio(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b > 0, a / np.where(b > 0, b, 1.0), np.nan)


def _overlap(
    lo: NDArray[np.float64], hi: NDArray[np.float64], edges: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Total length of the spans [lo, hi) inside each bin between consecutive edges."""
    if lo.size == 0:
        return np.zeros(edges.size - 1)
    inside = np.clip(
        np.minimum(hi[:, None], edges[None, 1:]) - np.maximum(lo[:, None], edges[None, :-1]),
        0.0,
        None,
    )
    return np.asarray(inside.sum(axis=0), dtype=float)


def _staffed(rec: RunRecords, groups: set[int], edges: NDArray[np.float64]) -> NDArray[np.float64]:
    """Agent time at work of ``groups`` in each bin (from the staffing log)."""
    out = np.zeros(edges.size - 1)
    current: dict[int, tuple[float, int]] = {}
    for t, g, n in [*rec.staffing_log, (rec.horizon, -1, 0)]:
        for gi, (since, count) in list(current.items()):
            if g in (gi, -1):
                if gi in groups and count:
                    span = _overlap(np.array([since]), np.array([t]), edges)
                    out += count * span
                del current[gi]
        if g >= 0:
            current[g] = (t, n)
    return out


def interval_kpis(
    rec: RunRecords,
    plan: Plan,
    length: float,
    contact_group: NDArray[np.int64],
    group_skills: list[list[int]],
) -> Kpis:
    """Every figure of every channel and interval, keyed by :func:`interval_key`."""
    starts = interval_starts(rec.horizon, length)
    edges = np.array([*starts, rec.horizon], dtype=float)
    bins = len(starts)
    threshold = plan.targets.service_level.answer_within
    index = np.minimum((rec.arrival // length).astype(np.int64), bins - 1)
    status = rec.status
    answered = rec.live & ((status == DONE) | (status == SERVING))
    abandoned = rec.live & (status == ABANDONED)
    waits = wait_times(rec)
    within = answered & (waits <= threshold + 1e-9)
    away = turned_away(rec)  # counts against the service level, as in sim.engine.metrics
    served = ~np.isnan(rec.start)
    busy_end = np.where(np.isnan(rec.end), rec.horizon, rec.end)
    out: Kpis = {}
    for ci, cid in enumerate(rec.channel_ids):
        on = rec.channel == ci

        def count(flags: NDArray[np.bool_], on: NDArray[np.bool_] = on) -> NDArray[np.float64]:
            return np.bincount(index[flags & on], minlength=bins).astype(float)

        queued = count(answered) + count(abandoned)
        settled = queued + count(away)
        n_answered = count(answered)
        wait_sum = np.bincount(
            index[answered & on], weights=waits[answered & on], minlength=bins
        ).astype(float)
        groups = {g for g, skills in enumerate(group_skills) if ci in skills}
        by_group = served & np.isin(contact_group, list(groups))
        if rec.shared is not None:
            by_group &= ~rec.shared  # a shared agent's time is its spans, counted once
        busy = _overlap(rec.start[by_group], busy_end[by_group], edges)
        spans = [(a, min(b, rec.horizon)) for g, a, b in rec.shared_spans if g in groups]
        if spans:
            lo, hi = np.array(spans, dtype=float).T
            busy = busy + _overlap(lo, hi, edges)
        figures = {
            "offered": np.bincount(index[on], minlength=bins).astype(float),
            "service_level": _ratio(count(within), settled),
            "asa": _ratio(wait_sum, n_answered),
            "abandonment": _ratio(count(abandoned), queued),
            "occupancy": _ratio(busy, _staffed(rec, groups, edges)),
        }
        for name in INTERVAL_FIGURES:
            for i, value in enumerate(figures[name]):
                out[interval_key(i, cid, name)] = float(value)
    return out
