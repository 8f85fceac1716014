"""Agents needed by interval and channel (skill), as workforce tools compute them: Erlang A.

Why per interval: a planner rosters half hours, not a day; each interval is treated as
a stationary queue of its own (the "stationary independent period by period" method of
WFM tools), with the offered load of :mod:`sim.analysis.interval_load`. The simulated
check (:mod:`sim.analysis.interval_check`) then sees what this leaves out: queues
carried from one interval to the next, events, redials, breaks taken one by one.

Each setting applied, in this order, and stated in every table's ``assumptions``:

1. **Goal**: the plan's goal for the channel (``targets.service_goals``: share answered
   within a time); a live channel without one takes the plan-wide ``service_level``.
   Erlang A (:func:`sim.queueing.erlang_a_staffing`) gives the fewest agents whose share
   answered within the time reaches the goal, with the scenario's mean handle time and
   mean patience taken as exponential. A goal's ``short_abandon`` is not left out here
   (Erlang A cannot), which can only ask for more agents than the goal needs.
2. **Chat concurrency** (``workforce.concurrency``: k contacts an agent, handle time
   multiplied by ``stretch`` once for each other contact open): an agent counts as k
   servers, each serving at the rate of a contact stretched as when all k are open
   (handle time x stretch^(k-1)); agents = ceil(servers / k). Since the engine gives a
   chat to an idle agent first, agents hold all k less often than this assumes: the
   model errs towards more agents.
3. **Occupancy cap**: agents (servers, with concurrency) are raised until Erlang A's
   occupancy (busy share of agents taking contacts) is at most the cap.
4. **Shrinkage** s (breaks, meetings, training): staffed = ceil(agents / (1 - s)), the
   agents to roster so that agents x (1 - s) take contacts.

Ticket channels (app, web: no answer-time goal, no patience) get the agents that carry
their offered load at the occupancy cap (85 % without one), so that their work does not
pile up; they are rostered and simulated, not judged. Channels the scenario offers no
demand are left out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from i18n import N_, _
from plans.model import Plan
from plans.targets import ServiceGoal
from plans.types import human_minutes
from scenarios.model import Scenario
from scenarios.workforce import Concurrency
from sim.analysis.interval_load import IntervalLoad, offered_load
from sim.analysis.staff_scaling import base_groups
from sim.queueing import erlang_a, erlang_a_staffing

TICKET_OCCUPANCY = 0.85
"""Occupancy ticket channels are staffed to when no cap is given (a common WFM planning figure)."""
MAX_INTERVALS = 7 * 24 * 4
"""A week of 15-minute intervals: the interval roster is a weekly shift pattern."""


@dataclass(frozen=True, slots=True)
class RequirementRow:
    """One interval and channel: its load and the agents Erlang A asks for."""

    interval_start: float
    """Minutes from the run's start."""
    channel: str
    offered: float
    """Expected arrivals in the interval (first attempts)."""
    load: float
    """Offered load in Erlangs (arrivals a minute x mean handle time)."""
    mean_handle: float
    mean_patience: float
    goal: ServiceGoal | None
    """The goal judged (None: a ticket channel, rostered but not judged)."""
    goal_agents: int
    """Erlang A agents for the goal alone (with concurrency)."""
    erlang_a_agents: int
    """Agents taking contacts: the goal's, raised to the occupancy cap."""
    staffed_agents: int
    """Agents to roster: ``erlang_a_agents`` / (1 - shrinkage), rounded up."""
    occupancy: float
    """Erlang A occupancy at ``erlang_a_agents`` (nan when there are none)."""

    def to_dict(self) -> dict[str, object]:
        """Plain form for JSON."""
        return {
            "interval_start": self.interval_start,
            "channel": self.channel,
            "offered": self.offered,
            "load": self.load,
            "mean_handle": self.mean_handle,
            "mean_patience": None if math.isinf(self.mean_patience) else self.mean_patience,
            "goal": None
            if self.goal is None
            else {"share": self.goal.share, "answer_within": self.goal.answer_within},
            "goal_agents": self.goal_agents,
            "erlang_a_agents": self.erlang_a_agents,
            "staffed_agents": self.staffed_agents,
            "occupancy": None if math.isnan(self.occupancy) else self.occupancy,
        }


@dataclass(frozen=True)
class RequirementTable:
    """The Erlang A requirement of every interval and channel, with what it assumes."""

    interval_minutes: float
    starts: tuple[float, ...]
    channels: tuple[str, ...]
    rows: tuple[RequirementRow, ...]
    """Interval by interval, channels in plan order within each."""
    shrinkage: float
    occupancy_cap: float | None
    concurrency: dict[str, Concurrency] = field(default_factory=dict)
    assumptions: tuple[str, ...] = ()
    """Each setting and model, in words a planner reads (translated when made)."""

    def row(self, start: float, channel: str) -> RequirementRow:
        """The row of one interval and channel."""
        return next(r for r in self.rows if r.interval_start == start and r.channel == channel)

    def matrix(
        self, column: str = "staffed_agents"
    ) -> tuple[npt.NDArray[np.int64], list[str], list[float]]:
        """(intervals x channels int array of ``column``, channel list, interval starts).

        Default column: ``staffed_agents``, the agents to roster (after shrinkage), which is
        what a shift covering must reach; ``"erlang_a_agents"`` gives the agents taking
        contacts. Ticket channels are included (they need rostering too); see
        :meth:`judged` for the channels with a goal.
        """
        index = {c: j for j, c in enumerate(self.channels)}
        where = {s: i for i, s in enumerate(self.starts)}
        out = np.zeros((len(self.starts), len(self.channels)), dtype=np.int64)
        for r in self.rows:
            out[where[r.interval_start], index[r.channel]] = int(getattr(r, column))
        return out, list(self.channels), list(self.starts)

    def judged(self) -> list[str]:
        """Channels with an answer-time goal (the others are rostered, not judged)."""
        return [c for c in self.channels if any(r.goal for r in self.rows if r.channel == c)]

    def to_dict(self) -> dict[str, object]:
        """Plain form for JSON."""
        return {
            "interval_minutes": self.interval_minutes,
            "shrinkage": self.shrinkage,
            "occupancy_cap": self.occupancy_cap,
            "concurrency": {
                c: {"contacts": k.contacts, "stretch": k.stretch}
                for c, k in self.concurrency.items()
            },
            "assumptions": list(self.assumptions),
            "rows": [r.to_dict() for r in self.rows],
        }


def channel_goal(plan: Plan, channel: str) -> ServiceGoal | None:
    """The goal a live channel is staffed to: its own, else the plan-wide service level."""
    spec = next(c for c in plan.channels if c.id == channel)
    if spec.effective_mode() != "live":
        return None
    goal = plan.targets.service_goals.get(channel)
    if goal is not None:
        return goal
    level = plan.targets.service_level
    return ServiceGoal(share=level.share, answer_within=level.answer_within)


def _servers(
    rate: float, handle: float, patience: float, goal: ServiceGoal, cap: float | None
) -> tuple[int, int, float]:
    """(servers for the goal, servers after the occupancy cap, occupancy there)."""
    share = min(max(goal.share, 1e-9), 1.0 - 1e-9)
    for_goal = erlang_a_staffing(rate, handle, patience, goal.answer_within, share)
    servers = for_goal
    occupancy = erlang_a(servers, rate, handle, patience).utilisation
    while cap is not None and occupancy > cap + 1e-12:
        servers += 1
        occupancy = erlang_a(servers, rate, handle, patience).utilisation
    return for_goal, servers, occupancy


def _check_settings(shrinkage: float, occupancy_cap: float | None, interval: float) -> None:
    if not 0.0 <= shrinkage < 1.0:
        raise ValueError(
            _("shrinkage must be a share from 0 to below 1 (e.g. 0.3), got {value:g}").format(
                value=shrinkage
            )
        )
    if occupancy_cap is not None and not 0.0 < occupancy_cap <= 1.0:
        raise ValueError(
            _("the occupancy cap must be a share above 0 and at most 1, got {value:g}").format(
                value=occupancy_cap
            )
        )
    if interval < 1 or interval != int(interval):
        raise ValueError(
            _("an interval must be a whole number of minutes, at least 1, got {value:g}").format(
                value=interval
            )
        )


def _row(
    load: IntervalLoad,
    i: int,
    c: int,
    goal: ServiceGoal | None,
    multi: Concurrency | None,
    shrinkage: float,
    cap: float | None,
) -> RequirementRow:
    rate, handle = load.rate(i, c), load.mean_handle(i, c)
    patience, erlangs = load.mean_patience(i, c), load.load(i, c)
    k, stretch = (1, 1.0) if multi is None else (multi.contacts, multi.stretch)
    goal_agents = agents = 0
    occupancy = math.nan
    if rate > 1e-12 and handle > 0:
        if goal is None:  # a ticket channel: carry the load at the cap
            agents = goal_agents = math.ceil(erlangs / (cap or TICKET_OCCUPANCY) - 1e-9)
            occupancy = erlangs / agents if agents else math.nan
        else:
            served = handle * stretch ** (k - 1)
            for_goal, servers, occupancy = _servers(rate, served, patience, goal, cap)
            goal_agents, agents = math.ceil(for_goal / k), math.ceil(servers / k)
    staffed = math.ceil(agents / (1.0 - shrinkage) - 1e-9)
    return RequirementRow(
        load.starts[i],
        load.channels[c],
        float(load.arrivals[i, c]),
        erlangs,
        handle,
        patience,
        goal,
        goal_agents,
        agents,
        staffed,
        occupancy,
    )


ASSUME_GOAL = N_(
    "Erlang A per interval, each a stationary queue (the interval's mean arrival rate, "
    "handle time and patience, both taken as exponential); goal: the plan's per-channel "
    "service goal, else the plan-wide service level; short abandons are not left out."
)
ASSUME_LOAD = N_(
    "Offered load: the scenario's hourly rate, day factors, channel mix (by hour) and "
    "surges; first attempts only (redials, channel switches and the forecast error are "
    "seen by the simulated check only)."
)
ASSUME_TICKETS = N_(
    "Ticket channels ({channels}) get the agents that carry their load at {occupancy} "
    "occupancy; they are simulated, not judged."
)


def _assumptions(
    shrinkage: float, cap: float | None, multi: dict[str, Concurrency], tickets: list[str]
) -> tuple[str, ...]:
    out = [_(ASSUME_GOAL), _(ASSUME_LOAD)]
    if cap is None:
        out.append(_("No occupancy cap."))
    else:
        out.append(
            _(
                "Occupancy cap {cap:.0%}: agents raised until Erlang A occupancy is at most it."
            ).format(cap=cap)
        )
    out.append(
        _(
            "Shrinkage {share:.0%}: staffed agents = agents taking contacts / (1 - {share:.0%}), "
            "rounded up."
        ).format(share=shrinkage)
    )
    for channel, k in multi.items():
        out.append(
            _(
                "Concurrency on {channel}: an agent is {k} servers, each with the handle time "
                "stretched as with all {k} contacts open (x{stretch:g}^{extra}); agents = "
                "servers / {k}, rounded up."
            ).format(channel=channel, k=k.contacts, stretch=k.stretch, extra=k.contacts - 1)
        )
    if tickets:
        out.append(
            _(ASSUME_TICKETS).format(
                channels=", ".join(tickets), occupancy=f"{cap or TICKET_OCCUPANCY:.0%}"
            )
        )
    return tuple(out)


def scenario_shrinkage(plan: Plan, scenario: Scenario) -> float:
    """The scenario's shrinkage as one share: its own, or with shares by shift, their mean
    weighted by the roster's agents on each shift (an interval plan has no shifts of its own)."""
    spec = scenario.workforce.shrinkage
    groups = base_groups(plan, scenario)
    total = sum(g.agents for g in groups)
    if not spec.shifts or not total:
        return float(spec.share)
    return sum(g.agents * spec.share_for(g.shift) for g in groups) / total


def erlang_requirements(
    plan: Plan,
    scenario: Scenario,
    *,
    interval_minutes: float = 30,
    shrinkage: float | None = None,
    occupancy_cap: float | None = None,
) -> RequirementTable:
    """The Erlang A requirement of every interval and channel (module docstring: the model).

    ``shrinkage`` None: the scenario's (:func:`scenario_shrinkage`).

    Raises:
        ValueError: a setting out of range, or more than a week of intervals.
    """
    share = scenario_shrinkage(plan, scenario) if shrinkage is None else float(shrinkage)
    _check_settings(share, occupancy_cap, interval_minutes)
    if scenario.horizon > 7 * 1440 or scenario.horizon / interval_minutes > MAX_INTERVALS:
        raise ValueError(
            _(
                "requirements by interval cover at most a week ({n} intervals of 15 minutes); "
                "this scenario runs {horizon}"
            ).format(n=MAX_INTERVALS, horizon=human_minutes(scenario.horizon))
        )
    load = offered_load(plan, scenario, float(interval_minutes))
    multi = {k.channel: k for k in scenario.workforce.concurrency if k.contacts > 1}
    used = [c for c, cid in enumerate(load.channels) if load.arrivals[:, c].sum() > 1e-9]
    goals = {load.channels[c]: channel_goal(plan, load.channels[c]) for c in used}
    rows = tuple(
        _row(load, i, c, goals[load.channels[c]], multi.get(load.channels[c]), share, occupancy_cap)
        for i in range(len(load.starts))
        for c in used
    )
    channels = tuple(load.channels[c] for c in used)
    tickets = [c for c in channels if goals[c] is None]
    return RequirementTable(
        interval_minutes=float(interval_minutes),
        starts=load.starts,
        channels=channels,
        rows=rows,
        shrinkage=share,
        occupancy_cap=occupancy_cap,
        concurrency={c: k for c, k in multi.items() if c in channels},
        assumptions=_assumptions(
            share, occupancy_cap, {c: k for c, k in multi.items() if c in channels}, tickets
        ),
    )
