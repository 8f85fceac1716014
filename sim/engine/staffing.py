"""Who can work now: staff groups, shifts, seats, and whether services hold up.

Why apart from the contact flow: capacity changes rarely (a shift edge, an outage,
reserves joining) while contacts move all the time; this part recomputes the counts
the flow reads and then hands newly free agents back to it (``_dispatch``).

* **Agents are counts, not objects.** Agents of one staff group (same site, shift
  and skills) are interchangeable, so a group is two integers: agents at work and
  agents busy. Capacity can then change at any moment (shifts, absence, a lost
  site), which SimPy's ``Resource`` cannot do, and freeing an agent costs the same
  with 200 agents as with 3,200. When capacity drops below the number busy, agents
  finish their current contact and then stop; nobody is cut off mid-contact.
* **Services are tracked here** because "working at required capacity" is a
  comparison of agents at work against agents planned; the response closes the
  loop on every change (``services_changed``).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable
from typing import TYPE_CHECKING

from plans.model import Plan
from scenarios.model import Scenario, StaffGroup
from sim.engine.capacity import CapacityRules
from sim.engine.demand import start_minute_of_week
from sim.engine.flow import ContactFlow
from sim.engine.kept import PairCache
from sim.engine.topology import Infrastructure

if TYPE_CHECKING:
    from sim.response.controller import ResponseController

WEEK = 10080


def _on_shift(intervals: list[tuple[int, int]], offset: int) -> Callable[[float], bool]:
    """Whether a group with these minute-of-week intervals is on duty at run time ``t``.

    The intervals are merged into one sorted list of edges, and a minute is on duty when
    an odd number of edges lie at or before it: the same answer as asking each interval
    ``start <= minute < end``, in one bisection instead of a loop (every capacity change
    asks it of every group).
    """
    edges: list[float] = []
    for start, end in sorted(intervals):
        if start >= end:
            continue  # empty: holds no minute
        if edges and start <= edges[-1]:
            edges[-1] = max(edges[-1], end)  # overlapping or touching: one stretch
        else:
            edges += [start, end]

    def on(t: float) -> bool:
        return bisect_right(edges, (offset + t) % WEEK) % 2 == 1

    return on


_PLAN_GROUPS: dict[int, tuple[Plan, tuple[StaffGroup, ...]]] = {}


def _plan_groups(plan: Plan) -> tuple[StaffGroup, ...]:
    """The plan's staff groups as scenario groups, validated once per plan, not per run.

    Why: a replication used to rebuild (and re-validate) some thirty frozen models that
    are the same for every replication of the plan. Kept by the plan's identity (the
    plan is kept beside them, so an id is never reused while its entry lives); a few
    plans at most, as a Monte Carlo or a staffing search holds.
    """
    kept = _PLAN_GROUPS.get(id(plan))
    if kept is None or kept[0] is not plan:
        if len(_PLAN_GROUPS) >= 8:
            _PLAN_GROUPS.clear()
        kept = _PLAN_GROUPS[id(plan)] = (
            plan,
            tuple(StaffGroup.from_plan(g) for g in plan.staffing),
        )
    return kept[1]


def _shift_times(
    plan: Plan, scenario: Scenario
) -> tuple[tuple[Callable[[float], bool], ...], list[float]]:
    """Per group, whether it is on duty at a run time; and the run times shifts change.

    Why kept (:data:`_SHIFT_TIMES`): they depend only on the plan's shifts and the
    scenario's groups, start and horizon, the same for every replication of the pair;
    working them out walked every shift's intervals over every week of the run.
    """
    groups = scenario.staffing if scenario.staffing is not None else _plan_groups(plan)
    shifts = {s.id: s for s in plan.shifts}
    offset = start_minute_of_week(scenario)
    horizon = scenario.horizon
    on_shift = tuple(
        (lambda t: True)
        if g.shift is None
        else _on_shift(shifts[g.shift].working_intervals(), offset)
        for g in groups
    )
    edges = sorted(
        {
            float(edge)
            for g in groups
            if g.shift is not None
            for s, e in shifts[g.shift].working_intervals()
            for base in range(-WEEK, int(horizon) + WEEK, WEEK)
            for edge in (s + base - offset, e + base - offset)
            if 0 < edge < horizon
        }
    )
    return on_shift, edges


_SHIFT_TIMES = PairCache(_shift_times)


class Staffing(ContactFlow):
    """Staff groups and their capacity, on top of the contact flow they feed."""

    # set by the simulation; declared for the type checker only
    scenario: Scenario
    infra: Infrastructure
    absence: dict[str | None, list[float]]
    site_factor: dict[str, float]
    staffing_log: list[tuple[float, int, int]]
    service_log: list[tuple[float, str, bool, str]]
    _service_ok: dict[str, bool]
    cause: str
    response: ResponseController | None

    # --- set-up ----------------------------------------------------------------------

    def _setup_groups(self) -> None:
        groups = self.scenario.staffing
        if groups is None:
            groups = _plan_groups(self.plan)
        self.groups: list[StaffGroup] = list(groups)
        self.planned_groups = len(groups)
        """Groups before any reserves joined: the planned capacity services are measured against."""
        self.g_staffed = [0] * len(groups)
        self.g_busy = [0] * len(groups)
        self.g_site: list[str | None] = [g.site for g in groups]
        self.g_agents = [g.agents for g in groups]
        self.g_skills = [
            [self.channel_index[c] for c in g.skills if c in self.channel_index] for g in groups
        ]
        self.g_label = [f"{g.site}/{g.shift or 'all'}/{'+'.join(g.skills)}" for g in groups]
        self.chan_groups = [[] for _ in self.channel_ids]
        self._index_groups()
        on_shift, self._shift_edges = _SHIFT_TIMES.get(self.plan, self.scenario)
        self.g_on_shift: list[Callable[[float], bool]] = list(on_shift)
        self._on_shift_at: tuple[float, int] = (math.nan, 0)  # nan: never equal, computed first
        self._on_shift_list: list[bool] = []
        workforce = self.scenario.workforce
        self.rules = None if workforce.is_default() else CapacityRules(self, workforce)
        """Who is at work under the scenario's workforce settings (None: all off, as before)."""
        if self.rules is not None:
            self.rules.schedule_breaks()

    def _index_groups(self) -> None:
        """Which groups serve each channel, most specialised first."""
        self.chan_groups = [[] for _ in self.channel_ids]
        for gi in sorted(range(len(self.g_skills)), key=lambda g: (len(self.g_skills[g]), g)):
            for c in self.g_skills[gi]:
                self.chan_groups[c].append(gi)
        self._index_active()

    def _index_active(self) -> None:
        """Per channel, its groups with anyone at work, in the same order (``chan_active``).

        Why: an arriving contact goes to the first group of its channel with a free
        agent, and most of a channel's groups are off shift at any moment (13 of the
        default phone's 19); a group with nobody at work can never be that group, so
        skipping them gives the same one. Kept a superset between capacity changes: a
        break only lowers a group's count, and counts rise only in
        :meth:`_update_capacity`, which calls this. The list is changed in place (the
        flow's steps hold it).
        """
        active = [[g for g in groups if self.g_staffed[g] > 0] for groups in self.chan_groups]
        if hasattr(self, "chan_active"):
            self.chan_active[:] = active
        else:
            self.chan_active = active

    # --- changes the response makes --------------------------------------------------

    def add_group(self, site: str | None, agents: int, skills: list[str], label: str) -> int:
        """Bring a new group to work (reserve staff); returns its index."""
        self.groups.append(
            StaffGroup(site=site or self.plan.sites[0].id, agents=agents, skills=tuple(skills))
        )
        self.g_staffed.append(0)
        self.g_busy.append(0)
        self.g_site.append(site)
        self.g_agents.append(agents)
        self.g_skills.append([self.channel_index[c] for c in skills])
        self.g_label.append(label)
        self.g_on_shift.append(lambda t: True)
        self._index_groups()
        self._update_capacity()
        return len(self.groups) - 1

    def add_skill(self, group: int, channel: str) -> None:
        """Cross-skill a group onto a channel (redeployment)."""
        c = self.channel_index[channel]
        if c not in self.g_skills[group]:
            self.g_skills[group].append(c)
            self._index_groups()
            self._update_capacity()

    def relocate(self, from_site: str, to_site: str) -> list[int]:
        """Move the groups of a site to another (staff to a backup site); their indexes."""
        moved = [g for g, site in enumerate(self.g_site) if site == from_site]
        for g in moved:
            self.g_site[g] = to_site
        if self.rules is not None:
            self.rules.relocated(moved, to_site)
        self._update_capacity()
        return moved

    # --- capacity --------------------------------------------------------------------

    def _break_after_contact(self, g: int) -> None:
        if self.rules is not None:
            self.rules.take_break(g)

    def _group_capacity(self, gi: int) -> int:
        if not self.on_shift_now()[gi]:
            return 0
        site = self.g_site[gi]
        if site is None:
            factor = 1.0  # reserve staff working from anywhere
        elif site in self.site_factor:
            factor = self.site_factor[site]  # a disaster: only those working elsewhere
        elif not self.infra.site_working(site):
            factor = 0.0  # the site or something it needs (its network link) is down
        else:
            factor = 1.0 - self.infra.down.get(site, 0.0)  # a partial outage of the site
        for where in (None, self.groups[gi].site):
            for share in self.absence.get(where, []):
                factor *= 1.0 - share
        return math.floor(self.g_agents[gi] * factor + 0.5)

    def _seat_limits(self, staffed: list[int]) -> None:
        """Staff moved to a backup site fill its seats; the rest cannot work there."""
        for site in self.plan.sites:
            if site.kind != "backup":
                continue
            free = site.seats
            for gi, where in enumerate(self.g_site):
                if where == site.id:
                    staffed[gi] = min(staffed[gi], free)
                    free -= staffed[gi]

    def _update_capacity(self) -> None:
        """Recompute agents at work in every group; put newly free agents to work."""
        now = self.env.now
        if self.rules is not None:
            staffed = self.rules.staffed()
        else:
            staffed = [self._group_capacity(gi) for gi in range(len(self.groups))]
            self._seat_limits(staffed)
        for gi, count in enumerate(staffed):
            if count != self.g_staffed[gi] or len(self.staffing_log) < len(self.groups):
                self.g_staffed[gi] = count
                self.staffing_log.append((now, gi, count))
        self._index_active()
        for gi in range(len(self.groups)):
            if self.g_busy[gi] < self.g_staffed[gi]:
                self._dispatch(gi)
        self._track_services()

    def on_shift_now(self) -> list[bool]:
        """Whether each group is on duty now, worked out once per moment of the run.

        Why kept: every capacity change asks it per group and per channel (planned
        agents of each channel, the plan's total, each group's capacity), and the
        answer depends only on the clock; a reserve group joining starts a new list.
        """
        now, n = self.env.now, len(self.g_on_shift)
        if self._on_shift_at != (now, n):
            self._on_shift_at = (now, n)
            self._on_shift_list = [on(now) for on in self.g_on_shift]
        return self._on_shift_list

    def planned_agents(self, c: int) -> int:
        """Agents the plan puts on channel ``c`` now, before anything went wrong."""
        on = self.on_shift_now()
        return sum(
            self.groups[g].agents
            for g in range(self.planned_groups)
            if on[g] and c in self.g_skills[g]
        )

    def working_agents(self, c: int) -> int:
        """Agents at work now who serve channel ``c`` (on a break or not: breaks are planned)."""
        counts = self.g_staffed if self.rules is None else self.rules.present
        return sum(counts[g] for g in self.chan_groups[c])

    def planned_agents_total(self) -> int:
        """Agents the plan puts to work now, before anything went wrong."""
        on = self.on_shift_now()
        return sum(self.groups[g].agents for g in range(self.planned_groups) if on[g])

    # --- services --------------------------------------------------------------------

    def _track_services(self) -> None:
        """Log when each channel, system and site stops or starts working as required."""
        need = self.plan.response.restored_capacity
        states: dict[str, bool] = {}
        for c, cid in enumerate(self.channel_ids):
            planned = self.planned_agents(c)
            states[cid] = self.up[c] and (
                planned == 0 or self.working_agents(c) >= need * planned - 1e-9
            )
        for system in self.plan.systems:
            states[system.id] = self.infra.works(system.id)
        for site in self.plan.sites:
            if site.kind == "primary":
                states[site.id] = self.infra.site_working(
                    site.id
                ) or self.infra.backup_site_active_for(site.id)
        now = self.env.now
        changed = False
        for name, ok in states.items():
            if self._service_ok.get(name, True) != ok:
                self.service_log.append((now, name, ok, self.cause))
                changed = True
            self._service_ok[name] = ok
        if changed and self.response is not None:
            self.response.services_changed()

    def service_ok(self, name: str) -> bool:
        """Whether a channel, system or site works as required now."""
        return self._service_ok.get(name, True)

    def service_states(self) -> dict[str, bool]:
        """Every tracked channel, system and site: working as required now."""
        return dict(self._service_ok)
