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
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from plans.model import Plan
from scenarios.model import REQUEST_TYPES, TICKET_CLASSES, ComplaintSurge, Scenario
from sim.engine.hours import open_mask, open_tables
from sim.engine.rng import Streams
from sim.engine.sampling import sample

SURGE_CAP = 20.0
"""Largest extra demand (multiplier - 1) sampled with nested thinning."""
CLASS_PRIORITY = {"urgent": 0, "ordinary": 1, "complex": 1}
"""Queue priority by class: urgent first; ordinary and complex first come, first served."""
DayName = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAY_NAMES: tuple[DayName, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

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


def start_minute_of_week(scenario: Scenario) -> int:
    """Minute of the week (0 = Monday 00:00) at which the run starts."""
    start = scenario.start
    return start.weekday() * 1440 + start.hour * 60 + start.minute


def base_rate(scenario: Scenario, minute_of_week: float) -> float:
    """Arrivals per hour at a minute of the week, before surges."""
    demand = scenario.demand
    mow = int(minute_of_week) % 10080
    day, minute = divmod(mow, 1440)
    hourly = demand.rate_per_hour if demand.hourly is None else demand.hourly[minute // 60]
    return float(hourly or 0.0) * demand.day_factors.get(DAY_NAMES[day], 1.0)


def hour_segments(scenario: Scenario) -> list[tuple[float, float, float]]:
    """(start, end, rate per hour) for each clock hour of the run, in run minutes."""
    offset = start_minute_of_week(scenario) + scenario.start.second / 60
    segments = []
    t = 0.0
    while t < scenario.horizon:
        next_hour = (np.floor((offset + t) / 60) + 1) * 60 - offset
        end = min(float(next_hour), scenario.horizon)
        segments.append((t, end, base_rate(scenario, offset + t)))
        t = end
    return segments


def channel_shares(plan: Plan, scenario: Scenario) -> dict[str, float]:
    """Demand share per plan channel: the scenario's, else the plan's."""
    shares = dict(scenario.demand.channels) or plan.channel_shares()
    return {c.id: float(shares.get(c.id, 0.0)) for c in plan.channels}


def _poisson_times(
    rng: np.random.Generator, segments: list[tuple[float, float, float]], scale: float
) -> FloatArray:
    counts = rng.poisson([rate * scale * (end - start) / 60 for start, end, rate in segments])
    starts = np.repeat([s for s, _, _ in segments], counts)
    widths = np.repeat([e - s for s, e, _ in segments], counts)
    return np.sort(starts + widths * rng.random(int(counts.sum())))


def _surge_multiplier(event: ComplaintSurge, t: FloatArray) -> FloatArray:
    """Peak multiplier rising linearly over the ramp, flat, then falling back."""
    peak_start, peak_end = event.start + event.ramp, event.start + event.ramp + event.duration
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


def _categorical(rng: np.random.Generator, probs: list[float], size: int) -> IntArray:
    p = np.asarray(probs, dtype=float)
    if size == 0 or p.sum() <= 0:
        return np.zeros(size, dtype=np.int64)
    cdf = np.cumsum(p / p.sum())
    return np.minimum(np.searchsorted(cdf, rng.random(size), side="right"), len(p) - 1).astype(
        np.int64
    )


def _lognormal_factor(cv: float, z: float) -> float:
    """A lognormal factor with mean 1 and coefficient of variation ``cv``, from a normal draw."""
    if cv <= 0:
        return 1.0
    sigma = float(np.sqrt(np.log1p(cv**2)))
    return float(np.exp(sigma * z - sigma**2 / 2))


def forecast_factors(scenario: Scenario, streams: Streams) -> tuple[float, list[float]]:
    """(volume factor, one size factor per surge) of this replication; 1s when off.

    One normal draw per factor, always in the same order, so a bigger CV moves every
    replication's factor further from 1 in the same direction (common random numbers).
    """
    forecast = scenario.behaviour.forecast
    surges = [e for e in scenario.events if isinstance(e, ComplaintSurge)]
    if forecast.volume_cv <= 0 and forecast.surge_cv <= 0:
        return 1.0, [1.0] * len(surges)
    z = streams["forecast"].standard_normal(1 + len(surges))
    return (
        _lognormal_factor(forecast.volume_cv, float(z[0])),
        [_lognormal_factor(forecast.surge_cv, float(x)) for x in z[1:]],
    )


def _sized(event: ComplaintSurge, factor: float) -> ComplaintSurge:
    """The surge with its extra demand (multiplier - 1) scaled by ``factor``."""
    if factor == 1.0:
        return event
    return event.model_copy(update={"multiplier": 1.0 + (event.multiplier - 1.0) * factor})


def _hour_weights(plan: Plan, scenario: Scenario, chan_p: list[float]) -> FloatArray | None:
    """Channel probabilities for each hour of the day (24 x channels), or None: no profile."""
    profile = scenario.behaviour.channel_profile
    if not profile:
        return None
    weights = np.array(
        [
            [chan_p[c] * profile.get(ch.id, (1.0,) * 24)[h] for c, ch in enumerate(plan.channels)]
            for h in range(24)
        ]
    )
    return weights


def _hours_of(scenario: Scenario, times: FloatArray) -> IntArray:
    offset = start_minute_of_week(scenario) + scenario.start.second / 60
    return (((offset + times) // 60) % 24).astype(np.int64)


def _surge_customers(
    plan: Plan,
    scenario: Scenario,
    event: ComplaintSurge,
    rng: np.random.Generator,
    volume: float = 1.0,
) -> tuple[FloatArray, IntArray, IntArray, IntArray, FloatArray]:
    """Extra arrivals of one surge: times, channel, request type, class, block draw."""
    shares = channel_shares(plan, scenario)
    channels = [c.id for c in plan.channels]
    chan_p = [shares[c] if (not event.channels or c in event.channels) else 0.0 for c in channels]
    types_p = [
        scenario.demand.request_types.get(t, 0.0) if t in event.request_types else 0.0
        for t in REQUEST_TYPES
    ]
    affected = sum(chan_p) * sum(types_p)
    end = min(scenario.horizon, event.start + 2 * event.ramp + event.duration)
    segments = [
        (max(s, event.start), min(e, end), r)
        for s, e, r in hour_segments(scenario)
        if e > event.start and s < end
    ]
    cap = max(SURGE_CAP, event.multiplier - 1)
    candidates = _poisson_times(rng, segments, affected * cap * volume)
    keep = rng.random(candidates.shape[0]) < (_surge_multiplier(event, candidates) - 1) / cap
    times = candidates[keep]
    weights = _hour_weights(plan, scenario, chan_p)
    hours = None if weights is None else _hours_of(scenario, times)
    return (times, *_attributes(scenario, rng, chan_p, types_p, times.shape[0], weights, hours))


def _attributes(
    scenario: Scenario,
    rng: np.random.Generator,
    chan_p: list[float],
    types_p: list[float],
    size: int,
    weights: FloatArray | None = None,
    hours: IntArray | None = None,
) -> tuple[IntArray, IntArray, IntArray, FloatArray]:
    classes_p = [scenario.demand.classes.get(c, 0.0) for c in TICKET_CLASSES]
    if weights is None or hours is None:
        chan = _categorical(rng, chan_p, size)
    else:
        chan = _categorical_by_hour(rng, weights, hours)
    rtype = _categorical(rng, types_p, size)
    rclass = _categorical(rng, classes_p, size)
    return chan, rtype, rclass, rng.random(size)


def _categorical_by_hour(
    rng: np.random.Generator, weights: FloatArray, hours: IntArray
) -> IntArray:
    """One category per draw, by the probabilities of its hour (one uniform draw each)."""
    u: FloatArray = rng.random(int(hours.shape[0]))
    out = np.zeros(hours.shape[0], dtype=np.int64)
    for h in range(24):
        here = hours == h
        p: FloatArray = weights[h]
        if not here.any() or p.sum() <= 0:
            continue
        cdf = np.cumsum(p / p.sum())
        out[here] = np.minimum(np.searchsorted(cdf, u[here], side="right"), len(p) - 1)
    return out


def _closed_moves(
    plan: Plan,
    scenario: Scenario,
    t: FloatArray,
    chan: IntArray,
    rng: np.random.Generator,
) -> tuple[IntArray, NDArray[np.bool_]]:
    """(channel after moves, turned away) for arrivals at closed channels.

    One uniform draw per customer, used or not, so the draws of one customer never
    depend on another's channel.
    """
    tables = open_tables(plan, scenario)
    minute = start_minute_of_week(scenario) + scenario.start.second / 60 + t
    shut = ~open_mask(tables, chan, minute)
    u = rng.random(t.shape[0])
    moved = chan.copy()
    index = {c.id: i for i, c in enumerate(plan.channels)}
    for cid, rule in scenario.behaviour.when_closed.items():
        here = shut & (chan == index[cid])
        low = 0.0
        for target, share in sorted((index[t], x) for t, x in rule.move_to.items()):
            pick = here & (u >= low) & (u < low + share)  # plan order, whatever the file's
            moved[pick] = target
            low += share
    turned_away = shut & (moved == chan)
    turned_away |= ~open_mask(tables, moved, minute)  # moved to a channel closed too
    return moved, turned_away


def draw_customers(plan: Plan, scenario: Scenario, streams: Streams) -> Customers:
    """Every customer of the run, in arrival order."""
    shares = channel_shares(plan, scenario)
    volume, surge_sizes = forecast_factors(scenario, streams)
    times = _poisson_times(streams["arrivals"], hour_segments(scenario), volume)
    types_p = [scenario.demand.request_types.get(t, 0.0) for t in REQUEST_TYPES]
    chan_p = [shares[c.id] for c in plan.channels]
    weights = _hour_weights(plan, scenario, chan_p)
    hours = None if weights is None else _hours_of(scenario, times)
    parts = [
        (
            times,
            *_attributes(
                scenario,
                streams["attributes"],
                chan_p,
                types_p,
                times.shape[0],
                weights,
                hours,
            ),
        )
    ]
    # Each surge draws from its own child of the surge stream, so surge customers never
    # shift a base customer's draws.
    surges = [e for e in scenario.events if isinstance(e, ComplaintSurge)]
    parts += [
        _surge_customers(
            plan,
            scenario,
            _sized(e, size),
            np.random.default_rng(streams["surge"].integers(2**63)),
            volume,
        )
        for e, size in zip(surges, surge_sizes, strict=True)
    ]
    t, chan, rtype, rclass, block = (np.concatenate(column) for column in zip(*parts, strict=True))
    is_surge = np.arange(t.shape[0]) >= times.shape[0]
    closed = None
    if scenario.behaviour.has_hours():
        chan, closed = _closed_moves(plan, scenario, t, chan, streams["opening"])
    # Base customers come first within every (channel, type), so their handle times and
    # patience are the same whatever surges are added after them.
    handle = _draw_times(plan, scenario, "handle", chan, rtype, streams["handle_time"])
    patience = _draw_times(plan, scenario, "patience", chan, rtype, streams["patience"])
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


def _draw_times(
    plan: Plan,
    scenario: Scenario,
    which: str,
    chan: IntArray,
    rtype: IntArray,
    rng: np.random.Generator,
) -> FloatArray:
    """Handle times or patience per customer, by the most specific distribution."""
    out = np.full(chan.shape[0], np.inf)
    model = scenario.handle_time if which == "handle" else scenario.patience
    for ci, channel in enumerate(plan.channels):
        if which == "patience" and (model is None or channel.effective_mode() == "ticket"):
            continue  # tickets and patient customers never give up
        assert model is not None
        for ti, rt in enumerate(REQUEST_TYPES):
            mask = (chan == ci) & (rtype == ti)
            count = int(mask.sum())
            # One child generator per (channel, type), drawn whether used or not, so
            # the draws of one combination never move another's.
            child = np.random.default_rng(rng.integers(2**63))
            if count:
                out[mask] = sample(model.pick(channel.id, rt), child, count)
    return out
