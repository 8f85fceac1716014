"""Every customer of a run, drawn before the run starts.

Why all at once: arrivals, their channel, type and class, handle time and patience
are drawn with numpy in bulk from their own streams, so the simulation loop does no
sampling, and two variants on the same seed meet the same customers.

Arrivals are a non-homogeneous Poisson process with a rate that is constant within
each clock hour (the scenario's hourly profile times the day factor), which is
sampled exactly: a Poisson count per hour, then uniform times within it. A surge
adds a second process for the surging channels and types, sampled by thinning
against a fixed cap (``SURGE_CAP``) so that a bigger multiplier keeps every customer
a smaller one had and adds more: a bigger surge can never mean fewer customers.

The scenario's ``behaviour`` (all off by default, and then nothing here draws
differently) adds, each from a stream of its own: a per-replication volume factor
and surge size (forecast error, stream ``forecast``), a channel mix by hour of the day,
and opening hours: an arrival at a closed channel moves to another channel or is
turned away (stream ``opening``). Redials and switches are not drawn here: they
depend on what happens in the run (:mod:`sim.engine.journeys`).

What depends only on the plan and scenario (rates, shares, distributions) is worked
out once per pair in :mod:`sim.engine.demand_tables`; here only the draws are made,
from the same streams, in the same order and number as ever.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from plans.model import Plan
from scenarios.model import ComplaintSurge, Scenario
from sim.engine.demand_tables import (
    DAY_NAMES,
    DayName,
    DemandTables,
    Mix,
    Segments,
    base_rate,
    channel_shares,
    demand_tables,
    hour_segments,
    lognormal_sigma,
    start_minute_of_week,
)
from sim.engine.hours import open_mask, open_tables
from sim.engine.rng import Streams, child_generators

__all__ = [
    "CLASS_PRIORITY",
    "DAY_NAMES",
    "SURGE_CAP",
    "Customers",
    "DayName",
    "base_rate",
    "channel_shares",
    "draw_customers",
    "forecast_factors",
    "hour_segments",
    "start_minute_of_week",
]

SURGE_CAP = 20.0
"""Largest extra demand (multiplier - 1) sampled with nested thinning."""
CLASS_PRIORITY = {"urgent": 0, "ordinary": 1, "complex": 1}
"""Queue priority by class: urgent first; ordinary and complex first come, first served."""

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class Customers:
    """The run's customers in arrival order; indexes are contact ids."""

    time: FloatArray
    channel: IntArray
    rtype: IntArray
    rclass: IntArray
    handle: FloatArray
    patience: FloatArray
    """Minutes a customer waits before giving up (inf: never, as for tickets)."""
    block_draw: FloatArray
    """A uniform draw per customer, used to decide who a partial outage turns away."""
    surge: NDArray[np.bool_]
    """Whether the customer came with a surge."""
    closed: NDArray[np.bool_] | None = None
    """Whether the customer met a closed channel and was turned away (None: all open)."""

    def __len__(self) -> int:
        return int(self.time.shape[0])


def _poisson_times(rng: np.random.Generator, segments: Segments, scale: float) -> FloatArray:
    """Sorted arrival times: a Poisson count per segment, then uniform times within it.

    Worked in place (``u * width + start`` is ``start + width * u`` exactly): fewer
    arrays to allocate and fill, and a replication's draw runs with cold caches.
    """
    counts = rng.poisson(segments.rate * scale * segments.width / 60)
    times = rng.random(int(counts.sum()))
    times *= np.repeat(segments.width, counts)
    times += np.repeat(segments.start, counts)
    times.sort()
    return times


def _surge_multiplier(event: ComplaintSurge, multiplier: float, t: FloatArray) -> FloatArray:
    """Peak ``multiplier`` (the event's, sized) rising linearly over the ramp, flat, then
    falling back."""
    peak_start, peak_end = event.start + event.ramp, event.start + event.ramp + event.duration
    m = np.ones_like(t)
    if event.ramp > 0:
        rising = (t >= event.start) & (t < peak_start)
        m[rising] = 1 + (multiplier - 1) * (t[rising] - event.start) / event.ramp
        falling = (t >= peak_end) & (t < peak_end + event.ramp)
        m[falling] = multiplier - (multiplier - 1) * (t[falling] - peak_end) / event.ramp
    m[(t >= peak_start) & (t < peak_end)] = multiplier
    return m


def _categorical(rng: np.random.Generator, cdf: FloatArray | None, u: FloatArray) -> IntArray:
    """One category per draw, its uniform drawn into ``u`` (scratch of the draw's size);
    no draw at all when there is none or nothing has weight."""
    if u.shape[0] == 0 or cdf is None:
        return np.zeros(u.shape[0], dtype=np.int64)
    rng.random(out=u)
    return np.searchsorted(cdf, u, side="right").astype(np.int64, copy=False)


def _lognormal_factor(sigma: float | None, z: float) -> float:
    """A lognormal factor with mean 1 (sigma from :func:`lognormal_sigma`), from a normal draw."""
    if sigma is None:
        return 1.0
    return float(np.exp(sigma * z - sigma**2 / 2))


def forecast_factors(
    scenario: Scenario,
    streams: Streams,
    sigmas: tuple[float | None, float | None] | None = None,
) -> tuple[float, list[float]]:
    """(volume factor, one size factor per surge) of this replication; 1s when off.

    One normal draw per factor, always in the same order, so a bigger CV moves every
    replication's factor further from 1 in the same direction (common random numbers).
    ``sigmas``: the scenario's, worked out already (:class:`DemandTables`).
    """
    forecast = scenario.behaviour.forecast
    surges = [e for e in scenario.events if isinstance(e, ComplaintSurge)]
    if forecast.volume_cv <= 0 and forecast.surge_cv <= 0:
        return 1.0, [1.0] * len(surges)
    volume, surge = sigmas or (
        lognormal_sigma(forecast.volume_cv),
        lognormal_sigma(forecast.surge_cv),
    )
    z = streams["forecast"].standard_normal(1 + len(surges))
    return (
        _lognormal_factor(volume, float(z[0])),
        [_lognormal_factor(surge, float(x)) for x in z[1:]],
    )


def _sized(event: ComplaintSurge, factor: float) -> float:
    """The surge's multiplier with its extra demand (multiplier - 1) scaled by ``factor``."""
    if factor == 1.0:
        return event.multiplier
    return 1.0 + (event.multiplier - 1.0) * factor


def _attributes(
    tables: DemandTables, mix: Mix, rng: np.random.Generator, times: FloatArray
) -> tuple[IntArray, IntArray, IntArray, FloatArray]:
    """Channel, request type, class and block draw, drawn in that order.

    The uniform draws behind the first three go through one scratch array: fewer
    arrays to allocate and fill, as in :func:`_poisson_times`.
    """
    size = int(times.shape[0])
    u = np.empty(size)
    if mix.chan_by_hour is None:
        chan = _categorical(rng, mix.chan, u)
    else:
        hours = _hour_of_day(np.add(tables.offset, times, out=u))
        chan = _categorical_by_hour(rng, mix.chan_by_hour, hours, u)
    rtype = _categorical(rng, mix.rtype, u)
    rclass = _categorical(rng, mix.rclass, u)
    return chan, rtype, rclass, rng.random(size)


def _hour_of_day(minute: FloatArray) -> IntArray:
    """``(minute // 60) % 24``, exactly, at a third of the cost of a float floor division.

    ``minute / 60`` rounded down may be one off where the quotient rounds across a
    whole number; comparing with exact multiples of 60 (exact for any minute of a run)
    puts it right, so every hour is the one floor division gives.
    """
    q = minute / 60
    np.floor(q, out=q)
    whole = q * 60
    q -= whole > minute
    np.add(q, 1, out=whole)
    whole *= 60
    q += whole <= minute
    hours = q.astype(np.int64)
    hours %= 24
    return hours


def _categorical_by_hour(
    rng: np.random.Generator, cdfs: FloatArray, hours: IntArray, u: FloatArray
) -> IntArray:
    """One category per draw, by the cumulative probabilities of its hour (one uniform
    each, drawn into ``u``).

    Arrivals come sorted by time, so their hours come in runs: one search per run
    rather than a mask per hour of the day. An hour with no weight (all +inf) picks 0.
    """
    size = int(hours.shape[0])
    rng.random(out=u)
    out = np.zeros(size, dtype=np.int64)
    if size == 0:
        return out
    edges = [0, *(np.flatnonzero(hours[1:] != hours[:-1]) + 1).tolist(), size]
    for lo, hi in zip(edges[:-1], edges[1:], strict=False):
        out[lo:hi] = np.searchsorted(cdfs[hours[lo]], u[lo:hi], side="right")
    return out


def _surge_customers(
    tables: DemandTables,
    part: int,
    event: ComplaintSurge,
    multiplier: float,
    rng: np.random.Generator,
    volume: float = 1.0,
) -> tuple[FloatArray, IntArray, IntArray, IntArray, FloatArray]:
    """Extra arrivals of one surge (peak ``multiplier``, sized): times, channel, request
    type, class, block draw."""
    surge = tables.surges[part]
    cap = max(SURGE_CAP, multiplier - 1)
    candidates = _poisson_times(rng, surge.segments, surge.affected * cap * volume)
    keep = (
        rng.random(candidates.shape[0])
        < (_surge_multiplier(event, multiplier, candidates) - 1) / cap
    )
    times = candidates[keep]
    return (times, *_attributes(tables, surge.mix, rng, times))


def _closed_moves(
    plan: Plan,
    scenario: Scenario,
    tables: DemandTables,
    t: FloatArray,
    chan: IntArray,
    rng: np.random.Generator,
) -> tuple[IntArray, NDArray[np.bool_]]:
    """(channel after moves, turned away) for arrivals at closed channels.

    One uniform draw per customer, used or not, so the draws of one customer never
    depend on another's channel.
    """
    hours = open_tables(plan, scenario)
    minute = tables.offset + t
    shut = ~open_mask(hours, chan, minute)
    u = rng.random(t.shape[0])
    moved = chan.copy()
    for c, rule in tables.moves:
        here = shut & (chan == c)
        low = 0.0
        for target, share in rule:  # plan order, whatever the file's
            pick = here & (u >= low) & (u < low + share)
            moved[pick] = target
            low += share
    turned_away = shut & (moved == chan)
    turned_away |= ~open_mask(hours, moved, minute)  # moved to a channel closed too
    return moved, turned_away


def draw_customers(
    plan: Plan, scenario: Scenario, streams: Streams, cached: bool = True
) -> Customers:
    """Every customer of the run, in arrival order.

    ``cached=False`` works the pair's tables out afresh (tests compare the two).
    """
    tables = demand_tables(plan, scenario, cached)
    volume, surge_sizes = forecast_factors(scenario, streams, tables.sigmas)
    times = _poisson_times(streams["arrivals"], tables.segments, volume)
    parts = [(times, *_attributes(tables, tables.mix, streams["attributes"], times))]
    # Each surge draws from its own child of the surge stream, so surge customers never
    # shift a base customer's draws.
    surges = [e for e in scenario.events if isinstance(e, ComplaintSurge)]
    parts += [
        _surge_customers(
            tables,
            k,
            e,
            _sized(e, size),
            np.random.default_rng(streams["surge"].integers(2**63)),
            volume,
        )
        for k, (e, size) in enumerate(zip(surges, surge_sizes, strict=True))
    ]
    if len(parts) == 1:
        t, chan, rtype, rclass, block = parts[0]
    else:
        t, chan, rtype, rclass, block = (
            np.concatenate(column) for column in zip(*parts, strict=True)
        )
    is_surge = np.zeros(t.shape[0], dtype=bool)
    is_surge[times.shape[0] :] = True
    closed = None
    if scenario.behaviour.has_hours():
        chan, closed = _closed_moves(plan, scenario, tables, t, chan, streams["opening"])
    # Base customers come first within every (channel, type), so their handle times and
    # patience are the same whatever surges are added after them.
    key = chan * tables.n_types
    key += rtype
    handle, patience = _draw_times(
        tables, _groups(key, len(plan.channels) * tables.n_types), streams, t.shape[0]
    )
    if len(parts) == 1:  # base arrivals only: already in arrival order
        return Customers(t, chan, rtype, rclass, handle, patience, block, is_surge, closed)
    order = np.argsort(t, kind="stable")
    return Customers(
        time=t[order],
        channel=chan[order],
        rtype=rtype[order],
        rclass=rclass[order],
        handle=handle[order],
        patience=patience[order],
        block_draw=block[order],
        surge=is_surge[order],
        closed=None if closed is None else closed[order],
    )


def _groups(key: IntArray, n_keys: int) -> tuple[IntArray, IntArray]:
    """(customers ordered by key, each key's first place in that order and the end).

    A stable sort keeps each key's customers in ascending order, the order in which a
    boolean mask hands them their draws.
    """
    order = np.argsort(key.astype(np.int16), kind="stable")
    bounds = np.zeros(n_keys + 1, dtype=np.int64)
    np.cumsum(np.bincount(key, minlength=n_keys), out=bounds[1:])
    return order, bounds


def _draw_times(
    tables: DemandTables,
    groups: tuple[IntArray, IntArray],
    streams: Streams,
    size: int,
) -> tuple[FloatArray, FloatArray]:
    """(handle time, patience) per customer, by the most specific distribution.

    One child generator per (channel, type) with a sampler, its seed drawn from the
    stream whether it is used or not, so the draws of one combination never move
    another's. Tickets and patient customers never give up (inf).
    """
    order, bounds = groups
    parts = [(tables.handle, streams["handle_time"]), (tables.patience, streams["patience"])]
    seeds = [rng.integers(2**63, size=len(samplers)) for samplers, rng in parts if samplers]
    children = child_generators(np.concatenate(seeds)) if seeds else iter(())
    out = []
    for samplers, _rng in parts:
        times = np.full(size, np.inf)
        for (key, draw), child in zip(samplers, children, strict=False):
            lo, hi = int(bounds[key]), int(bounds[key + 1])
            if hi > lo:
                times[order[lo:hi]] = draw(child, hi - lo)
        out.append(times)
    return out[0], out[1]
