"""The Erlang A starting estimate of the staffing search, hour by hour.

Why a start at all: Erlang A (:mod:`sim.queueing`) answers in milliseconds but only for
a stationary queue and only on average, so the search (:mod:`sim.analysis.staffing`)
begins where it points and lets the simulation decide. This module turns a plan and
scenario into that queue: the ordinary hours (clear of every event), the live share of
demand, mean handle time and patience, and the share of the staffing on duty.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from plans.model import Plan
from plans.schedule import covers
from scenarios.model import (
    REQUEST_TYPES,
    ComplaintSurge,
    DataLoss,
    Scenario,
    StaffAbsence,
)
from sim.analysis.staff_scaling import base_groups
from sim.analysis.staffing_targets import Target
from sim.engine.demand import channel_shares, hour_segments, start_minute_of_week
from sim.queueing import erlang_a, erlang_a_staffing


@dataclass(frozen=True, slots=True)
class HourEstimate:
    """The Erlang A staffing of one clock hour of the run."""

    start: float
    """Run minute the hour starts."""
    rate: float
    """Live contacts offered per hour."""
    agents: int
    """Fewest agents on duty Erlang A says meet the targets in that hour."""
    roster: int | None
    """Agents in all (the scaled staffing) that put ``agents`` on duty then; None when
    no group serving a live channel works that hour."""


def _event_windows(scenario: Scenario) -> list[tuple[float, float]]:
    """[start, end) of each event, random lengths taken at their mean."""
    windows = []
    for e in scenario.events:
        if isinstance(e, ComplaintSurge):
            end = e.start + 2 * e.ramp + e.duration
        elif isinstance(e, StaffAbsence):
            end = scenario.horizon if e.duration is None else e.start + e.duration
        elif isinstance(e, DataLoss):
            continue  # an instant: it costs data, not capacity
        else:
            end = e.start + e.duration.moments()[0]
        windows.append((e.start, end))
    return windows


def _means(plan: Plan, scenario: Scenario) -> tuple[float, float, float]:
    """(share of demand on live channels, mean handle time, mean patience) over them."""
    shares = channel_shares(plan, scenario)
    types = scenario.demand.request_types
    weight = handle = patience = 0.0
    for channel in plan.channels:
        if channel.effective_mode() != "live":
            continue
        for rtype in REQUEST_TYPES:
            w = shares[channel.id] * types.get(rtype, 0.0)
            if w <= 0.0:
                continue
            weight += w
            handle += w * scenario.handle_time.pick(channel.id, rtype).moments()[0]
            if scenario.patience is not None:
                patience += w * scenario.patience.pick(channel.id, rtype).moments()[0]
    if weight <= 0.0:
        return 0.0, 1.0, math.inf
    live = weight / (sum(types.values()) or 1.0)
    return live, handle / weight, math.inf if scenario.patience is None else patience / weight


def _hour_agents(
    plan: Plan, rate: float, handle: float, patience: float, targets: list[Target]
) -> int:
    """Erlang A staffing of one hour for the service-level, abandonment and ASA targets."""
    per_min = rate / 60.0
    by_kpi = {t.kpi: t.threshold for t in targets}
    level = min(max(by_kpi.get("service_level", 1e-9), 1e-9), 1.0 - 1e-9)
    cap = by_kpi.get("abandonment")
    within = plan.targets.service_level.answer_within
    agents = erlang_a_staffing(
        per_min, handle, patience, within, level, None if cap is None else max(cap, 1e-9)
    )
    if "asa" in by_kpi:  # mean wait of all arrivals, a shade above the answered ones' ASA
        bound = agents + int(per_min * handle * 10) + 100
        while agents < bound:
            if erlang_a(agents, per_min, handle, patience).mean_wait <= by_kpi["asa"]:
                break
            agents += 1
    return agents


def _on_duty_share(plan: Plan, scenario: Scenario) -> Callable[[float], float]:
    """Share of the staffing to scale that is on duty and serves a live channel, by run minute."""
    groups = base_groups(plan, scenario)
    live = {c.id for c in plan.channels if c.effective_mode() == "live"}
    total = sum(g.agents for g in groups)
    shifts = {s.id: s.window.intervals() for s in plan.shifts}
    offset = start_minute_of_week(scenario)

    def share(t: float) -> float:
        on = sum(
            g.agents
            for g in groups
            if live & set(g.skills)
            and (g.shift is None or covers(shifts[g.shift], int(offset + t)))
        )
        return on / total if total else 1.0

    return share


def erlang_a_hours(plan: Plan, scenario: Scenario, targets: list[Target]) -> list[HourEstimate]:
    """The Erlang A staffing of each ordinary clock hour of the run.

    Ordinary: after the warm-up and clear of every event (random lengths at their
    mean); when no hour is, every hour counts. The offered rate is the scenario's base
    rate times the share of demand on live channels; handle time and patience are the
    means of the scenario's distributions over those channels and request types. The
    roster turns agents on duty into agents in all, by the share of the scaled
    staffing on a shift that hour (1 when the groups have no shifts).
    """
    live, handle, patience = _means(plan, scenario)
    windows = _event_windows(scenario)
    segments = hour_segments(scenario)
    ordinary = [
        s
        for s in segments
        if s[1] > scenario.warm_up and not any(s[0] < b and a < s[1] for a, b in windows)
    ] or segments
    on_duty = _on_duty_share(plan, scenario)
    cache: dict[float, int] = {}
    out = []
    for start, end, rate in ordinary:
        offered = rate * live
        if offered not in cache:
            cache[offered] = _hour_agents(plan, offered, handle, patience, targets)
        agents, share = cache[offered], on_duty((start + end) / 2)
        roster = math.ceil(agents / share - 1e-9) if share > 0 else None
        out.append(HourEstimate(start, offered, agents, roster))
    return out


def erlang_a_start(plan: Plan, scenario: Scenario, targets: list[Target]) -> int:
    """Erlang A agents (in all) for the busiest ordinary hour: one fixed team covering the peak.

    Agents in all: with shifts, enough that the agents on duty in each hour meet that
    hour's Erlang A figure; hours nobody serving a live channel works are left out.
    """
    rosters = [h.roster for h in erlang_a_hours(plan, scenario, targets) if h.roster is not None]
    return max(rosters, default=1)
