"""The contact centre under a scenario, as a SimPy discrete-event model.

Design, and why:

* **Agents are counts, not objects.** Agents of one staff group (same site, shift
  and skills) are interchangeable, so a group is two integers: agents at work and
  agents busy. Capacity can then change at any moment (shifts, absence, a lost
  site), which SimPy's ``Resource`` cannot do, and freeing an agent costs the same
  with 200 agents as with 3,200. When capacity drops below the number busy, agents
  finish their current contact and then stop; nobody is cut off mid-contact.
* **Callbacks, not a process per contact.** An arrival, a service completion and an
  abandonment are each one SimPy ``Timeout`` with a callback, which keeps the cost
  per contact below a bare SimPy model's.
* **Queues per channel and priority, FIFO within.** Urgent requests go first; within
  a priority, first come first served. A contact that gives up is marked and skipped
  when it reaches the head of its queue; the count of waiting contacts is exact.
* **A free agent takes the best waiting contact among its skills**: live contacts
  before tickets, then priority, then the longest wait. An arriving contact goes to a
  free agent of the most specialised group with its skill.
* **Everything random is drawn before the run** (:mod:`sim.engine.demand`), so the run is
  reproducible from plan, scenario and seed, and variants share customers.

Times are minutes from the scenario's start.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from typing import Any

import numpy as np
import simpy

from plans.model import Plan
from scenarios.model import Scenario, StaffGroup
from sim.engine.demand import CLASS_PRIORITY, Customers, draw_customers, start_minute_of_week
from sim.engine.disruptions import ScenarioEvents
from sim.engine.records import (
    ABANDONED,
    BLOCKED,
    DONE,
    DROPPED,
    NOTICED,
    SERVING,
    WAITING,
    EventRecord,
    RunRecords,
    Snapshots,
)
from sim.engine.rng import make_streams
from sim.engine.topology import Infrastructure
from sim.response.controller import Policy, ResponseController
from sim.response.decisions import Decision, DecisionScript, Verdict

SNAPSHOT_EVERY = 5.0
"""Minutes between state snapshots (queue and agent charts)."""
PRIORITIES = (0, 1)
CALLBACK = 2
"""Offset of a channel's callback queues: index 2 + priority holds callbacks."""
QUEUE_SLOTS = (0, 1, 2, 3)
WEEK = 10080


class Simulation:
    """One replication of a scenario against a plan, advanced with :meth:`run_until`."""

    def __init__(
        self,
        plan: Plan,
        scenario: Scenario,
        seed: int,
        snapshot_every: float = SNAPSHOT_EVERY,
        customers: Customers | None = None,
        policy: Policy | None = None,
        script: DecisionScript | None = None,
    ) -> None:
        """Build the run.

        ``policy`` plays the plan's response ('plan', 'scripted' with ``script``, or
        'none'); left out, no response runs at all (the bare queueing model).
        ``customers`` replaces the drawn ones (hand-made tests, replays).
        """
        self.plan = plan
        self.scenario = scenario
        self.seed = seed
        self.horizon = scenario.horizon
        self.streams = make_streams(seed)
        self.env = simpy.Environment()
        self.customers: Customers = (
            customers if customers is not None else draw_customers(plan, scenario, self.streams)
        )
        self.events: list[EventRecord] = []
        self.infra = Infrastructure(plan)
        self._setup_channels()
        self._setup_groups()
        self._setup_contacts()
        self.absence: dict[str | None, list[float]] = {}
        self.site_factor: dict[str, float] = {}
        self._outages: dict[str, list[float]] = {}
        self.staffing_log: list[tuple[float, int, int]] = []
        self.channel_log: list[tuple[float, int, bool]] = [
            (0.0, c, True) for c in range(len(self.channel_ids))
        ]
        self.service_log: list[tuple[float, str, bool, str]] = []
        """(time, channel/system/site, working at required capacity, cause of the change)."""
        self._service_ok: dict[str, bool] = {}
        self.cause = "start"
        """Why the next change happens ('repair', 'backup crm_standby', ...); set by callers."""
        self.snapshots = Snapshots()
        self.replication_phase = {
            s.id: float(self.streams["events"].uniform(0, s.replication_interval))
            for s in plan.systems
            if s.holds_data and s.replication_interval
        }
        self.n_answered = 0
        self.n_abandoned = 0
        self.response: ResponseController | None = None
        """The response controller, when a policy plays the plan."""
        self.disruptions = ScenarioEvents(self)
        if policy is not None:
            self.response = ResponseController(self, policy, script)
        self.refresh()
        self._schedule_shifts()
        self.disruptions.schedule()
        self._schedule_snapshots(snapshot_every)
        self._schedule_next_arrival(0)

    # --- set-up ----------------------------------------------------------------------

    def _setup_channels(self) -> None:
        channels = self.plan.channels
        self.channel_ids = tuple(c.id for c in channels)
        self.channel_index = {c.id: i for i, c in enumerate(channels)}
        self.live = [c.effective_mode() == "live" for c in channels]
        self.mode = ["normal"] * len(channels)
        """'normal', 'callback' (live arrivals become tickets) or 'notice' (told and leave)."""
        self.deflect = [0.0] * len(channels)
        """Share of would-be contacts a customer notice spares."""
        self.up = [True] * len(channels)
        self.block = [0.0] * len(channels)
        self.factor = [1.0] * len(channels)
        self.queues: list[list[deque[int]]] = [[deque() for _ in QUEUE_SLOTS] for _ in channels]
        self.waiting = [0] * len(channels)

    def _setup_groups(self) -> None:
        groups = self.scenario.staffing
        if groups is None:
            groups = tuple(StaffGroup.from_plan(g) for g in self.plan.staffing)
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
        self.chan_groups: list[list[int]] = [[] for _ in self.channel_ids]
        self._index_groups()
        shifts = {s.id: s for s in self.plan.shifts}
        offset = start_minute_of_week(self.scenario)
        self.g_on_shift: list[Callable[[float], bool]] = []
        for g in groups:
            if g.shift is None:
                self.g_on_shift.append(lambda t: True)
            else:
                intervals = shifts[g.shift].window.intervals()
                self.g_on_shift.append(
                    lambda t, iv=intervals: any(s <= (offset + t) % WEEK < e for s, e in iv)
                )
        self._shift_edges = sorted(
            {
                float(edge)
                for g in groups
                if g.shift is not None
                for s, e in shifts[g.shift].window.intervals()
                for base in range(-WEEK, int(self.horizon) + WEEK, WEEK)
                for edge in (s + base - offset, e + base - offset)
                if 0 < edge < self.horizon
            }
        )

    def _index_groups(self) -> None:
        """Which groups serve each channel, most specialised first."""
        self.chan_groups = [[] for _ in self.channel_ids]
        for gi in sorted(range(len(self.g_skills)), key=lambda g: (len(self.g_skills[g]), g)):
            for c in self.g_skills[gi]:
                self.chan_groups[c].append(gi)

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
        self._update_capacity()
        return moved

    def _setup_contacts(self) -> None:
        cust = self.customers
        n = len(cust)
        self.n = n
        self.t_arr: list[float] = cust.time.tolist()
        self.c_chan: list[int] = cust.channel.tolist()
        self.c_prio: list[int] = [
            CLASS_PRIORITY[k] for k in np.array(["urgent", "ordinary", "complex"])[cust.rclass]
        ]
        self.c_handle: list[float] = cust.handle.tolist()
        self.c_patience: list[float] = cust.patience.tolist()
        self.c_block: list[float] = cust.block_draw.tolist()
        self.c_live: list[bool] = [self.live[c] for c in self.c_chan]
        self.c_start = [math.nan] * n
        self.c_end = [math.nan] * n
        self.c_group = [-1] * n
        self.status = bytearray(n)

    # --- contacts --------------------------------------------------------------------

    def _schedule_next_arrival(self, i: int) -> None:
        if i < self.n and self.t_arr[i] < self.horizon:
            ev = self.env.timeout(self.t_arr[i] - self.env.now, i)
            ev.callbacks.append(self._arrive)

    def _arrive(self, ev: Any) -> None:
        i: int = ev._value
        self._schedule_next_arrival(i + 1)
        c = self.c_chan[i]
        draw = self.c_block[i]
        if not self.up[c] or draw < self.block[c]:
            self.status[i] = BLOCKED
            self.c_end[i] = self.env.now
            return
        if self.mode[c] != "normal" or draw >= 1.0 - self.deflect[c]:
            if self.mode[c] == "notice" or draw >= 1.0 - self.deflect[c]:
                self.status[i] = NOTICED  # told what is happening; does not queue
                self.c_end[i] = self.env.now
                return
            self.c_live[i] = False  # callback: becomes a ticket
        g_busy, g_staffed = self.g_busy, self.g_staffed
        for g in self.chan_groups[c]:
            if g_busy[g] < g_staffed[g]:
                self._serve(i, g)
                return
        self.status[i] = WAITING
        slot = self.c_prio[i] + (CALLBACK if self.live[c] and not self.c_live[i] else 0)
        self.queues[c][slot].append(i)
        self.waiting[c] += 1
        patience = self.c_patience[i]
        if self.c_live[i] and patience != math.inf:
            timer = self.env.timeout(patience, i)
            timer.callbacks.append(self._abandon)

    def _serve(self, i: int, g: int) -> None:
        if self.c_live[i]:
            self.n_answered += 1
        self.g_busy[g] += 1
        self.status[i] = SERVING
        self.c_start[i] = self.env.now
        self.c_group[i] = g
        ev = self.env.timeout(self.c_handle[i] * self.factor[self.c_chan[i]], i)
        ev.callbacks.append(self._complete)

    def _complete(self, ev: Any) -> None:
        i: int = ev._value
        self.status[i] = DONE
        self.c_end[i] = self.env.now
        g = self.c_group[i]
        self.g_busy[g] -= 1
        if self.g_busy[g] < self.g_staffed[g]:
            self._dispatch(g)

    def _abandon(self, ev: Any) -> None:
        i: int = ev._value
        if self.status[i] == WAITING:
            self.n_abandoned += 1
            self.status[i] = ABANDONED
            self.c_end[i] = self.env.now
            c = self.c_chan[i]
            self.waiting[c] -= 1
            queue = self.queues[c][
                self.c_prio[i]
            ]  # only live contacts give up: never a callback slot
            if len(queue) > 2 * self.waiting[c] + 64:
                self.queues[c][self.c_prio[i]] = deque(
                    j for j in queue if self.status[j] == WAITING
                )

    def _next_for(self, g: int) -> tuple[int, int] | None:
        """The best waiting contact for an agent of group ``g``: (channel, contact)."""
        best: tuple[int, int, float] | None = None
        best_at: tuple[int, int] | None = None
        status = self.status
        for c in self.g_skills[g]:
            if not self.waiting[c] or not self.up[c]:
                continue
            for slot in QUEUE_SLOTS:
                queue = self.queues[c][slot]
                while queue and status[queue[0]] != WAITING:
                    queue.popleft()
                if queue:
                    head = queue[0]
                    ticket = 0 if self.live[c] and slot < CALLBACK else 1
                    key = (ticket, slot % CALLBACK, self.t_arr[head])
                    if best is None or key < best:
                        best, best_at = key, (c, slot)
        if best_at is None:
            return None
        c, p = best_at
        return c, self.queues[c][p].popleft()

    def _dispatch(self, g: int) -> None:
        while self.g_busy[g] < self.g_staffed[g]:
            nxt = self._next_for(g)
            if nxt is None:
                return
            c, i = nxt
            self.waiting[c] -= 1
            self._serve(i, g)

    # --- capacity ----------------------------------------------------------------------

    def _group_capacity(self, gi: int) -> int:
        if not self.g_on_shift[gi](self.env.now):
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
        staffed = [self._group_capacity(gi) for gi in range(len(self.groups))]
        self._seat_limits(staffed)
        for gi, count in enumerate(staffed):
            if count != self.g_staffed[gi] or len(self.staffing_log) < len(self.groups):
                self.g_staffed[gi] = count
                self.staffing_log.append((now, gi, count))
        for gi in range(len(self.groups)):
            if self.g_busy[gi] < self.g_staffed[gi]:
                self._dispatch(gi)
        self._track_services()

    def planned_agents(self, c: int) -> int:
        """Agents the plan puts on channel ``c`` now, before anything went wrong."""
        now = self.env.now
        return sum(
            self.groups[g].agents
            for g in range(self.planned_groups)
            if c in self.g_skills[g] and self.g_on_shift[g](now)
        )

    def working_agents(self, c: int) -> int:
        """Agents at work now who serve channel ``c``."""
        return sum(self.g_staffed[g] for g in self.chan_groups[c])

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

    def planned_agents_total(self) -> int:
        """Agents the plan puts to work now, before anything went wrong."""
        now = self.env.now
        return sum(
            self.groups[g].agents for g in range(self.planned_groups) if self.g_on_shift[g](now)
        )

    def urgent_waiting(self) -> int:
        """Urgent requests waiting now, on every channel."""
        return sum(
            1
            for c in range(len(self.channel_ids))
            for slot in (0, CALLBACK)
            for i in self.queues[c][slot]
            if self.status[i] == WAITING
        )

    def minute_of_week(self) -> float:
        """Minute of the week now (0 = Monday 00:00)."""
        return (start_minute_of_week(self.scenario) + self.env.now) % WEEK

    def state(self) -> dict[str, Any]:
        """The status board of the run now (see :mod:`sim.engine.state`)."""
        from sim.engine.state import drill_state

        return drill_state(self)

    def decide(self, decision: Decision) -> Verdict:
        """Take a decision now (see :mod:`sim.response.controller`); refused ones change nothing."""
        if self.response is None:
            return Verdict(False, "this run plays no response: start it with a policy")
        return self.response.decide(decision)

    def _schedule_shifts(self) -> None:
        for edge in self._shift_edges:
            self._at(edge, lambda: self._update_capacity())

    def at(self, time: float, action: Callable[[], None]) -> None:
        """Run ``action`` at run time ``time`` (now, if that is past)."""
        self._at(time, action)

    def _at(self, time: float, action: Callable[[], None]) -> None:
        ev = self.env.timeout(max(0.0, time - self.env.now))
        ev.callbacks.append(lambda _ev: action())

    # --- systems, sites and channels -----------------------------------------------------

    def refresh(self) -> None:
        """Recompute which channels work and who can work; drop queues of dark live channels.

        Agents at work depend on the infrastructure too (a site whose network link is
        down has nobody answering), so capacity is recomputed after every change.
        """
        now = self.env.now
        for c, cid in enumerate(self.channel_ids):
            up = self.infra.channel_up(cid)
            self.block[c] = self.infra.channel_block_share(cid) if up else 1.0
            self.factor[c] = self.infra.handle_factor(cid)
            if up == self.up[c]:
                continue
            self.up[c] = up
            self.channel_log.append((now, c, up))
            if not up and self.live[c]:
                self._drop_queue(c)  # callers waiting on a dark line are cut off; callbacks stay
        self._update_capacity()

    def _drop_queue(self, c: int) -> None:
        now = self.env.now
        for queue in self.queues[c][:CALLBACK]:
            for i in queue:
                if self.status[i] == WAITING:
                    self.status[i] = DROPPED
                    self.c_end[i] = now
            queue.clear()
        self.waiting[c] = 0

    def set_down(self, target: str, share: float, on: bool) -> None:
        """Mark a system, site or channel failed (``on``) or repaired, by the share lost."""
        active = self._outages.setdefault(target, [])
        if on:
            active.append(share)
        else:
            active.remove(share)
        if active:
            self.infra.down[target] = max(active)
        else:
            self.infra.down.pop(target, None)

    def log(self, kind: str, ref: str, **detail: object) -> None:
        """Record something that happened to the centre, now."""
        self.events.append(EventRecord(self.env.now, kind, ref, dict(detail)))

    # --- snapshots and running ---------------------------------------------------------

    def _schedule_snapshots(self, every: float) -> None:
        self._snapshot_every = every
        self._snapshot()

    def _snapshot(self, _ev: Any = None) -> None:
        s = self.snapshots
        s.time.append(self.env.now)
        s.waiting.append(list(self.waiting))
        s.busy.append(sum(self.g_busy))
        s.staffed.append(sum(self.g_staffed))
        s.channels_up.append(list(self.up))
        if self.env.now + self._snapshot_every <= self.horizon:
            nxt = self.env.timeout(self._snapshot_every)
            nxt.callbacks.append(self._snapshot)

    @property
    def now(self) -> float:
        """Current run time in minutes."""
        return float(self.env.now)

    def run_until(self, time: float) -> None:
        """Advance the run to ``time`` (at most the horizon)."""
        target = min(time, self.horizon)
        if target > self.env.now:
            self.env.run(until=target)
        # SimPy stops *before* events due exactly at ``until``; a board read at 60:00
        # must already show what happens at 60:00, so finish that instant too.
        while self.env.peek() <= target:
            self.env.step()

    def run(self) -> RunRecords:
        """Run to the horizon and return the records."""
        self.run_until(self.horizon)
        return self.records()

    def records(self) -> RunRecords:
        """The records so far (contacts not yet arrived are left out)."""
        arrived = int(np.searchsorted(self.customers.time, self.env.now, side="right"))
        cust = self.customers
        return RunRecords(
            horizon=self.horizon,
            warm_up=self.scenario.warm_up,
            channel_ids=self.channel_ids,
            channel_live=tuple(self.live),
            live=np.asarray(self.c_live[:arrived], dtype=bool),
            arrival=cust.time[:arrived],
            start=np.asarray(self.c_start[:arrived], dtype=float),
            end=np.asarray(self.c_end[:arrived], dtype=float),
            status=np.frombuffer(bytes(self.status[:arrived]), dtype=np.int8),
            channel=cust.channel[:arrived],
            rtype=cust.rtype[:arrived],
            rclass=cust.rclass[:arrived],
            surge=cust.surge[:arrived],
            events=list(self.events),
            channel_log=list(self.channel_log),
            staffing_log=list(self.staffing_log),
            snapshots=self.snapshots,
            group_labels=tuple(self.g_label),
            service_log=list(self.service_log),
            response=self.response.record if self.response is not None else None,
        )

    def release(self) -> None:
        """Drop the events still scheduled past the horizon.

        Why: they hold callbacks bound to this simulation, a reference cycle that
        only the cyclic garbage collector frees, late; a long Monte Carlo run would
        otherwise pile up finished simulations in memory.
        """
        self.env._queue.clear()  # SimPy keeps its event heap here; nothing runs after this


def simulate(
    plan: Plan,
    scenario: Scenario,
    seed: int,
    policy: Policy = "plan",
    script: DecisionScript | None = None,
) -> RunRecords:
    """One replication to the horizon, the response played by ``policy``."""
    sim = Simulation(plan, scenario, seed, policy=policy, script=script)
    records = sim.run()
    sim.release()
    return records
