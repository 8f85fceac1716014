"""Offered load by interval and channel, read from a scenario's demand without simulating.

Why apart from the requirement: the requirement (:mod:`sim.analysis.interval_requirements`)
is queueing arithmetic on three numbers per interval and channel (arrival rate, mean
handle time, mean patience); this module says where those numbers come from, by the
same rules the engine draws customers with (:mod:`sim.engine.demand`):

* the base rate of each clock hour (``rate_per_hour`` or ``hourly``) times the day factor;
* split over channels by the channel mix, by hour when the scenario has a
  ``channel_profile``, and over request types by their shares;
* plus each complaint surge's extra arrivals (its multiplier minus one, ramped), on the
  surge's channels and request types;
* an arrival at a channel closed by the scenario's opening hours moves as ``when_closed``
  says, or is turned away (not offered);
* during an outage (random lengths at their mean, and as if no standby were activated:
  the plan's response is the simulation's to play), a partial outage turns its share of
  a channel's arrivals away, and a channel that leans on the failed system
  (``degraded_by``) has its handle time multiplied by the plan's factor, as the engine's
  topology (:class:`sim.engine.topology.Infrastructure`) says. A channel the outage takes
  fully dark keeps its load: it may come back at any moment (a repair, a standby), and
  its agents must then be there; the simulated check sees what they do meanwhile.

Integrated minute by minute (rates are constant within a clock hour and a surge's ramp
is linear, so the midpoint of each minute is exact up to a ramp starting mid-minute).
Left out, each because its mean effect is nil or depends on the run itself: the
per-replication forecast error (a factor of mean 1), redials and channel switches of
customers who gave up or met a dark channel. The simulated check sees all of them.
Mean handle time and patience are the means of the scenario's distributions, weighted
by the arrivals of each request type in the interval (a surge of complaints moves them).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from plans.model import Plan
from scenarios.model import REQUEST_TYPES, ComplaintSurge, Outage, Scenario
from sim.engine.demand import base_rate, channel_shares, start_minute_of_week
from sim.engine.hours import open_tables
from sim.engine.interval_metrics import interval_starts
from sim.engine.topology import Infrastructure

FloatArray = NDArray[np.float64]
WEEK = 10080


@dataclass(frozen=True)
class IntervalLoad:
    """Arrivals, work and patience per interval (rows) and plan channel (columns)."""

    starts: tuple[float, ...]
    """Interval starts, run minutes from the scenario's start."""
    lengths: FloatArray
    """Minutes each interval lasts (the last one is shorter when the horizon ends inside it)."""
    channels: tuple[str, ...]
    arrivals: FloatArray
    """Expected arrivals (first attempts)."""
    work: FloatArray
    """Expected handle minutes of those arrivals."""
    patience: FloatArray
    """Expected sum of the arrivals' mean patience (inf where customers never give up)."""

    def rate(self, i: int, c: int) -> float:
        """Arrivals per minute."""
        return float(self.arrivals[i, c] / self.lengths[i])

    def mean_handle(self, i: int, c: int) -> float:
        """Mean handle time (minutes); 0 when nothing arrives."""
        n = self.arrivals[i, c]
        return float(self.work[i, c] / n) if n > 0 else 0.0

    def mean_patience(self, i: int, c: int) -> float:
        """Mean patience (minutes); inf when customers never give up or nothing arrives."""
        n = self.arrivals[i, c]
        value = float(self.patience[i, c] / n) if n > 0 else math.inf
        return value if math.isfinite(value) else math.inf

    def load(self, i: int, c: int) -> float:
        """Offered load in Erlangs: arrivals per minute x mean handle time."""
        return float(self.work[i, c] / self.lengths[i])


def _surge_multiplier(event: ComplaintSurge, t: FloatArray) -> FloatArray:
    """The surge's multiplier at run times ``t`` (as :mod:`sim.engine.demand` ramps it)."""
    peak_start = event.start + event.ramp
    peak_end = peak_start + event.duration
    m = np.ones_like(t)
    if event.ramp > 0:
        rising = (t >= event.start) & (t < peak_start)
        m[rising] = 1 + (event.multiplier - 1) * (t[rising] - event.start) / event.ramp
        falling = (t >= peak_end) & (t < peak_end + event.ramp)
        m[falling] = (
            event.multiplier - (event.multiplier - 1) * (t[falling] - peak_end) / event.ramp
        )
    m[(t >= peak_start) & (t < peak_end)] = event.multiplier
    return m


def _channel_weights(
    plan: Plan, scenario: Scenario, chan_p: list[float], hours: NDArray[np.int64]
) -> FloatArray:
    """Per minute, the share of its arrivals going to each channel (minutes x channels)."""
    p = np.asarray(chan_p, dtype=float)
    profile = scenario.behaviour.channel_profile
    if profile:
        by_hour = np.array(
            [
                [p[c] * profile.get(ch.id, (1.0,) * 24)[h] for c, ch in enumerate(plan.channels)]
                for h in range(24)
            ]
        )
        w = by_hour[hours]
    else:
        w = np.broadcast_to(p, (hours.shape[0], p.shape[0])).copy()
    total = w.sum(axis=1, keepdims=True)
    return np.divide(w, total, out=np.zeros_like(w), where=total > 0)


def _closed_moves(
    plan: Plan, scenario: Scenario, minute: NDArray[np.int64], x: FloatArray
) -> FloatArray:
    """Arrivals (minutes x channels x types) after moving those that met a closed channel."""
    if not scenario.behaviour.has_hours():
        return x
    tables = open_tables(plan, scenario)
    index = {c.id: i for i, c in enumerate(plan.channels)}
    is_open = np.ones((minute.shape[0], len(plan.channels)), dtype=bool)
    for c, table in enumerate(tables):
        if table is not None:
            is_open[:, c] = table[minute % WEEK]
    out = x * is_open[:, :, None]
    for cid, rule in scenario.behaviour.when_closed.items():
        c = index[cid]
        shut = (~is_open[:, c]).astype(float)[:, None]
        for target, share in rule.move_to.items():
            t = index[target]
            out[:, t, :] += x[:, c, :] * shut * share * is_open[:, t, None]
    return out


def _outages(plan: Plan, scenario: Scenario, mid: FloatArray) -> tuple[FloatArray, FloatArray]:
    """(share of arrivals offered, handle-time factor), minutes x channels, under outages
    (a fully dark channel: 1, its load kept; module docstring)."""
    n = len(plan.channels)
    offered, factor = np.ones((mid.shape[0], n)), np.ones((mid.shape[0], n))
    events = [e for e in scenario.events if isinstance(e, Outage)]
    if not events:
        return offered, factor
    spans = [(e.start, e.start + e.duration.moments()[0], e) for e in events]
    states: dict[tuple[int, ...], tuple[list[float], list[float]]] = {}
    for m, t in enumerate(mid):
        active = tuple(k for k, (a, b, _e) in enumerate(spans) if a <= t < b)
        if not active:
            continue
        if active not in states:
            infra = Infrastructure(plan)
            for k in active:
                target, share = spans[k][2].target, spans[k][2].share
                infra.down[target] = max(infra.down.get(target, 0.0), share)
            states[active] = (
                [
                    (1.0 - infra.channel_block_share(c.id)) if infra.channel_up(c.id) else 1.0
                    for c in plan.channels
                ],
                [infra.handle_factor(c.id) for c in plan.channels],
            )
        offered[m], factor[m] = states[active]
    return offered, factor


def offered_load(plan: Plan, scenario: Scenario, interval_minutes: float) -> IntervalLoad:
    """Expected arrivals, work and patience by interval and channel (see the module docstring)."""
    horizon = float(scenario.horizon)
    starts = interval_starts(horizon, interval_minutes)
    edges = np.array([*starts, horizon])
    n_min = math.ceil(horizon - 1e-9)
    left = np.arange(n_min, dtype=float)
    width = np.minimum(left + 1.0, horizon) - left
    mid = left + width / 2
    offset = start_minute_of_week(scenario) + scenario.start.second / 60
    week_minute = (offset + mid).astype(np.int64)
    hours = (week_minute // 60) % 24
    rates = np.array([base_rate(scenario, offset + t) for t in mid]) / 60.0 * width
    shares = channel_shares(plan, scenario)
    chan_p = [shares[c.id] for c in plan.channels]
    types = scenario.demand.request_types
    types_p = np.array([types.get(t, 0.0) for t in REQUEST_TYPES], dtype=float)
    type_w = types_p / types_p.sum() if types_p.sum() > 0 else types_p
    x = rates[:, None, None] * _channel_weights(plan, scenario, chan_p, hours)[:, :, None]
    x = x * type_w[None, None, :]
    for e in scenario.events:
        if not isinstance(e, ComplaintSurge):
            continue
        e_chan = [
            p if (not e.channels or c.id in e.channels) else 0.0
            for c, p in zip(plan.channels, chan_p, strict=True)
        ]
        e_types = np.array(
            [types.get(t, 0.0) if t in e.request_types else 0.0 for t in REQUEST_TYPES]
        )
        affected = sum(e_chan) * float(e_types.sum())
        if affected <= 0:
            continue
        extra = rates * affected * (_surge_multiplier(e, mid) - 1.0)
        w = _channel_weights(plan, scenario, e_chan, hours)
        x = x + extra[:, None, None] * w[:, :, None] * (e_types / e_types.sum())[None, None, :]
    x = _closed_moves(plan, scenario, week_minute, x)
    share_offered, slow = _outages(plan, scenario, mid)
    x = x * share_offered[:, :, None]
    handle = np.zeros((len(plan.channels), len(REQUEST_TYPES)))
    patience = np.full((len(plan.channels), len(REQUEST_TYPES)), math.inf)
    for c, channel in enumerate(plan.channels):
        for t, rtype in enumerate(REQUEST_TYPES):
            handle[c, t] = scenario.handle_time.pick(channel.id, rtype).moments()[0]
            if scenario.patience is not None and channel.effective_mode() == "live":
                patience[c, t] = scenario.patience.pick(channel.id, rtype).moments()[0]
    bins = np.minimum(np.searchsorted(edges, mid, side="right") - 1, len(starts) - 1)

    def by_interval(values: FloatArray) -> FloatArray:
        out = np.zeros((len(starts), values.shape[1]))
        np.add.at(out, bins, values)
        return out

    with np.errstate(invalid="ignore"):
        pat = np.where(x > 0, x * patience[None], 0.0)
        pat = np.where((x > 0) & np.isinf(patience[None]), np.inf, pat)
    return IntervalLoad(
        starts=tuple(starts),
        lengths=np.diff(edges),
        channels=tuple(c.id for c in plan.channels),
        arrivals=by_interval(x.sum(axis=2)),
        work=by_interval((x * handle[None]).sum(axis=2) * slow),
        patience=by_interval(pat.sum(axis=2)),
    )
