"""What drawing a run's customers needs that depends only on the plan and the scenario.

Why kept per (plan, scenario): a Monte Carlo run draws thousands of replications of
one pair, and the hourly rate segments, the channel, type and class shares (as
cumulative probabilities), the channel mix by hour, each surge's affected demand and
the distribution of every (channel, request type) are the same in all of them.
:func:`demand_tables` works them out once per pair; :mod:`sim.engine.demand` then only
draws. Every table holds exactly the numbers the draw used to compute each time, in
the same floating-point order, so every customer is what it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from plans.model import Plan
from scenarios.model import REQUEST_TYPES, TICKET_CLASSES, ComplaintSurge, Scenario, TimeModel
from sim.engine.kept import PairCache
from sim.engine.sampling import OneSampler, Sampler, one_sampler, sampler

FloatArray = NDArray[np.float64]
DayName = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAY_NAMES: tuple[DayName, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Days of the week in ``start.weekday()`` order."""


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


@dataclass(frozen=True)
class Segments:
    """Clock hours of arrivals: start and width in run minutes, rate per hour."""

    start: FloatArray
    width: FloatArray
    rate: FloatArray

    @classmethod
    def of(cls, segments: list[tuple[float, float, float]]) -> Segments:
        """From (start, end, rate) triples; widths as ``end - start``."""
        return cls(
            np.array([s for s, _, _ in segments], dtype=float),
            np.array([e - s for s, e, _ in segments], dtype=float),
            np.array([r for _, _, r in segments], dtype=float),
        )


def cdf_of(probs: list[float]) -> FloatArray | None:
    """Cumulative probabilities of weights (None: they sum to nothing, nothing is drawn).

    The last is +inf: a uniform draw at or above a total that rounds below 1 then picks
    the last category, as clipping the search to the last category always did.
    """
    p = np.asarray(probs, dtype=float)
    if p.sum() <= 0:
        return None
    cdf = np.cumsum(p / p.sum())
    cdf[-1] = np.inf
    return cdf


def lognormal_sigma(cv: float) -> float | None:
    """Sigma of a mean-1 lognormal factor with coefficient of variation ``cv`` (None: off)."""
    return None if cv <= 0 else float(np.sqrt(np.log1p(cv**2)))


def _hour_cdfs(plan: Plan, scenario: Scenario, chan_p: list[float]) -> FloatArray | None:
    """Cumulative channel probabilities per hour of the day (24 x channels; None: no
    profile). An hour whose weights sum to nothing holds +inf, which picks channel 0."""
    profile = scenario.behaviour.channel_profile
    if not profile:
        return None
    weights = np.array(
        [
            [chan_p[c] * profile.get(ch.id, (1.0,) * 24)[h] for c, ch in enumerate(plan.channels)]
            for h in range(24)
        ]
    )
    out = np.full(weights.shape, np.inf)
    for h in range(24):
        cdf = cdf_of(list(weights[h]))
        if cdf is not None:
            out[h] = cdf
    return out


@dataclass(frozen=True)
class Mix:
    """How one group of arrivals (the base, or one surge) picks its attributes."""

    chan: FloatArray | None
    """Cumulative channel probabilities (None: every draw is channel 0, none is drawn)."""
    chan_by_hour: FloatArray | None
    """Cumulative channel probabilities per hour of the day, when a profile is set."""
    rtype: FloatArray | None
    rclass: FloatArray | None


@dataclass(frozen=True)
class SurgeTable:
    """One surge's part: its hour segments and its demand share, independent of its size."""

    segments: Segments
    affected: float
    """Share of demand that surges: channel shares times request type shares affected."""
    mix: Mix


@dataclass(frozen=True)
class DemandTables:
    """Everything of a draw that depends only on (plan, scenario)."""

    offset: float
    """Minute of the week of run time 0, seconds included."""
    segments: Segments
    mix: Mix
    surges: tuple[SurgeTable, ...]
    n_types: int
    handle: tuple[tuple[int, Sampler], ...]
    """(channel * types + type, sampler) of handle times, in the order children are drawn."""
    patience: tuple[tuple[int, Sampler], ...]
    """The same for patience: live channels only (tickets never give up)."""
    moves: tuple[tuple[int, tuple[tuple[int, float], ...]], ...]
    """(channel, ((target, share), ...) in plan order) for arrivals at a closed channel."""
    sigmas: tuple[float | None, float | None]
    """Lognormal sigma of the forecast's volume and surge factors (None: that one is off)."""
    handle_one: tuple[OneSampler, ...]
    """One handle time, by channel * types + type: for attempts drawn during the run
    (:func:`sim.engine.sampling.sample_one` of the most specific distribution)."""
    patience_one: tuple[OneSampler, ...]
    """One patience by channel * types + type, any channel (empty: nobody gives up)."""


def _mix(plan: Plan, scenario: Scenario, chan_p: list[float], types_p: list[float]) -> Mix:
    classes_p = [scenario.demand.classes.get(c, 0.0) for c in TICKET_CLASSES]
    return Mix(
        cdf_of(chan_p), _hour_cdfs(plan, scenario, chan_p), cdf_of(types_p), cdf_of(classes_p)
    )


def _surge_table(
    plan: Plan, scenario: Scenario, event: ComplaintSurge, shares: dict[str, float]
) -> SurgeTable:
    channels = [c.id for c in plan.channels]
    chan_p = [shares[c] if (not event.channels or c in event.channels) else 0.0 for c in channels]
    types_p = [
        scenario.demand.request_types.get(t, 0.0) if t in event.request_types else 0.0
        for t in REQUEST_TYPES
    ]
    end = min(scenario.horizon, event.start + 2 * event.ramp + event.duration)
    segments = [
        (max(s, event.start), min(e, end), r)
        for s, e, r in hour_segments(scenario)
        if e > event.start and s < end
    ]
    return SurgeTable(
        Segments.of(segments), sum(chan_p) * sum(types_p), _mix(plan, scenario, chan_p, types_p)
    )


def _samplers(plan: Plan, scenario: Scenario, which: str) -> tuple[tuple[int, Sampler], ...]:
    model = scenario.handle_time if which == "handle" else scenario.patience
    out = []
    for ci, channel in enumerate(plan.channels):
        if which == "patience" and (model is None or channel.effective_mode() == "ticket"):
            continue  # tickets and patient customers never give up
        assert model is not None
        for ti, rt in enumerate(REQUEST_TYPES):
            out.append((ci * len(REQUEST_TYPES) + ti, sampler(model.pick(channel.id, rt))))
    return tuple(out)


def _one_samplers(plan: Plan, model: TimeModel | None) -> tuple[OneSampler, ...]:
    if model is None:
        return ()
    return tuple(
        one_sampler(model.pick(channel.id, rt)) for channel in plan.channels for rt in REQUEST_TYPES
    )


def _build(plan: Plan, scenario: Scenario) -> DemandTables:
    shares = channel_shares(plan, scenario)
    types_p = [scenario.demand.request_types.get(t, 0.0) for t in REQUEST_TYPES]
    chan_p = [shares[c.id] for c in plan.channels]
    index = {c.id: i for i, c in enumerate(plan.channels)}
    return DemandTables(
        offset=start_minute_of_week(scenario) + scenario.start.second / 60,
        segments=Segments.of(hour_segments(scenario)),
        mix=_mix(plan, scenario, chan_p, types_p),
        surges=tuple(
            _surge_table(plan, scenario, e, shares)
            for e in scenario.events
            if isinstance(e, ComplaintSurge)
        ),
        n_types=len(REQUEST_TYPES),
        handle=_samplers(plan, scenario, "handle"),
        patience=_samplers(plan, scenario, "patience"),
        moves=tuple(
            (index[cid], tuple(sorted((index[t], x) for t, x in rule.move_to.items())))
            for cid, rule in scenario.behaviour.when_closed.items()
        ),
        sigmas=(
            lognormal_sigma(scenario.behaviour.forecast.volume_cv),
            lognormal_sigma(scenario.behaviour.forecast.surge_cv),
        ),
        handle_one=_one_samplers(plan, scenario.handle_time),
        patience_one=_one_samplers(plan, scenario.patience),
    )


_TABLES: PairCache[DemandTables] = PairCache(lambda plan, scenario: _build(plan, scenario))
"""Tables kept per (plan, scenario) pair (sim.engine.kept)."""


def demand_tables(plan: Plan, scenario: Scenario, cached: bool = True) -> DemandTables:
    """The pair's tables, built on first use (``cached=False``: built afresh, not kept)."""
    if not cached:
        return _build(plan, scenario)
    return _TABLES.get(plan, scenario)
