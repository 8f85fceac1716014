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
* **Everything random is drawn before the run** (:mod:`sim.demand`), so the run is
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
from scenarios.model import (
    ComplaintSurge,
    DataLoss,
    Disaster,
    Outage,
    Scenario,
    SecurityIncident,
    StaffAbsence,
    StaffGroup,
)
from sim.demand import CLASS_PRIORITY, Customers, draw_customers, start_minute_of_week
from sim.records import (
    ABANDONED,
    BLOCKED,
    DONE,
    DROPPED,
    SERVING,
    WAITING,
    EventRecord,
    RunRecords,
    Snapshots,
)
from sim.rng import make_streams
from sim.sampling import sample_one
from sim.topology import Infrastructure

SNAPSHOT_EVERY = 5.0
"""Minutes between state snapshots (queue and agent charts)."""
PRIORITIES = (0, 1)
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
    ) -> None:
        """Build the run; ``customers`` replaces the drawn ones (hand-made tests, replays)."""
        self.plan = plan
        self.scenario = scenario
        self.seed = seed
        self.horizon = scenario.horizon
        self.streams = make_streams(seed)
        self.env = simpy.Environment()
        self.customers: Customers = customers if customers is not None else draw_customers(plan, scenario, self.streams)
        self.events: list[EventRecord] = []
        self.infra = Infrastructure(plan)
        self._setup_channels()
        self._setup_groups()
        self._setup_contacts()
        self._absence: dict[str | None, list[float]] = {}
        self._site_factor: dict[str, float] = {}
        self._outages: dict[str, list[float]] = {}
        self.staffing_log: list[tuple[float, int, int]] = []
        self.channel_log: list[tuple[float, int, bool]] = [(0.0, c, True) for c in range(len(self.channel_ids))]
        self.snapshots = Snapshots()
        self._replication_phase = {
            s.id: float(self.streams["events"].uniform(0, s.replication_interval))
            for s in plan.systems
            if s.holds_data and s.replication_interval
        }
        self._update_capacity()
        self._refresh_channels()
        self._schedule_shifts()
        self._schedule_scenario_events()
        self._schedule_injects()
        self._schedule_snapshots(snapshot_every)
        self._schedule_next_arrival(0)

    # --- set-up ----------------------------------------------------------------------

    def _setup_channels(self) -> None:
        channels = self.plan.channels
        self.channel_ids = tuple(c.id for c in channels)
        self.channel_index = {c.id: i for i, c in enumerate(channels)}
        self.live = [c.effective_mode() == "live" for c in channels]
        self.up = [True] * len(channels)
        self.block = [0.0] * len(channels)
        self.factor = [1.0] * len(channels)
        self.queues: list[list[deque[int]]] = [[deque() for _ in PRIORITIES] for _ in channels]
        self.waiting = [0] * len(channels)

    def _setup_groups(self) -> None:
        groups = self.scenario.staffing
        if groups is None:
            groups = tuple(StaffGroup.from_plan(g) for g in self.plan.staffing)
        self.groups: tuple[StaffGroup, ...] = groups
        self.g_staffed = [0] * len(groups)
        self.g_busy = [0] * len(groups)
        self.g_skills = [[self.channel_index[c] for c in g.skills if c in self.channel_index] for g in groups]
        self.chan_groups: list[list[int]] = [[] for _ in self.channel_ids]
        for gi in sorted(range(len(groups)), key=lambda g: (len(self.g_skills[g]), g)):
            for c in self.g_skills[gi]:
                self.chan_groups[c].append(gi)
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

    def _setup_contacts(self) -> None:
        cust = self.customers
        n = len(cust)
        self.n = n
        self.t_arr: list[float] = cust.time.tolist()
        self.c_chan: list[int] = cust.channel.tolist()
        self.c_prio: list[int] = [CLASS_PRIORITY[k] for k in np.array(["urgent", "ordinary", "complex"])[cust.rclass]]
        self.c_handle: list[float] = cust.handle.tolist()
        self.c_patience: list[float] = cust.patience.tolist()
        self.c_block: list[float] = cust.block_draw.tolist()
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
        if not self.up[c] or self.c_block[i] < self.block[c]:
            self.status[i] = BLOCKED
            self.c_end[i] = self.env.now
            return
        g_busy, g_staffed = self.g_busy, self.g_staffed
        for g in self.chan_groups[c]:
            if g_busy[g] < g_staffed[g]:
                self._serve(i, g)
                return
        self.status[i] = WAITING
        self.queues[c][self.c_prio[i]].append(i)
        self.waiting[c] += 1
        patience = self.c_patience[i]
        if self.live[c] and patience != math.inf:
            timer = self.env.timeout(patience, i)
            timer.callbacks.append(self._abandon)

    def _serve(self, i: int, g: int) -> None:
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
            self.status[i] = ABANDONED
            self.c_end[i] = self.env.now
            c = self.c_chan[i]
            self.waiting[c] -= 1
            queue = self.queues[c][self.c_prio[i]]
            if len(queue) > 2 * self.waiting[c] + 64:
                self.queues[c][self.c_prio[i]] = deque(j for j in queue if self.status[j] == WAITING)

    def _next_for(self, g: int) -> tuple[int, int] | None:
        """The best waiting contact for an agent of group ``g``: (channel, contact)."""
        best: tuple[int, int, float] | None = None
        best_at: tuple[int, int] | None = None
        status = self.status
        for c in self.g_skills[g]:
            if not self.waiting[c] or not self.up[c]:
                continue
            for p in PRIORITIES:
                queue = self.queues[c][p]
                while queue and status[queue[0]] != WAITING:
                    queue.popleft()
                if queue:
                    head = queue[0]
                    key = (0 if self.live[c] else 1, p, self.t_arr[head])
                    if best is None or key < best:
                        best, best_at = key, (c, p)
                    break
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
        group = self.groups[gi]
        if not self.g_on_shift[gi](self.env.now):
            return 0
        if group.site in self._site_factor:
            factor = self._site_factor[group.site]  # a disaster: only those working elsewhere
        elif not self.infra.site_working(group.site):
            factor = 0.0  # the site or something it needs (its network link) is down
        else:
            factor = 1.0 - self.infra.down.get(group.site, 0.0)  # a partial outage of the site
        for where in (None, group.site):
            for share in self._absence.get(where, []):
                factor *= 1.0 - share
        return math.floor(group.agents * factor + 0.5)

    def _update_capacity(self) -> None:
        """Recompute agents at work in every group; put newly free agents to work."""
        now = self.env.now
        for gi in range(len(self.groups)):
            staffed = self._group_capacity(gi)
            if staffed != self.g_staffed[gi] or not self.staffing_log:
                self.g_staffed[gi] = staffed
                self.staffing_log.append((now, gi, staffed))
        for gi in range(len(self.groups)):
            if self.g_busy[gi] < self.g_staffed[gi]:
                self._dispatch(gi)

    def _schedule_shifts(self) -> None:
        for edge in self._shift_edges:
            self._at(edge, lambda: self._update_capacity())

    def _at(self, time: float, action: Callable[[], None]) -> None:
        ev = self.env.timeout(max(0.0, time - self.env.now))
        ev.callbacks.append(lambda _ev: action())

    # --- systems, sites and channels -----------------------------------------------------

    def _refresh_channels(self) -> None:
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
                self._drop_queue(c)
        self._update_capacity()

    def _drop_queue(self, c: int) -> None:
        now = self.env.now
        for queue in self.queues[c]:
            for i in queue:
                if self.status[i] == WAITING:
                    self.status[i] = DROPPED
                    self.c_end[i] = now
            queue.clear()
        self.waiting[c] = 0

    def _set_down(self, target: str, share: float, on: bool) -> None:
        active = self._outages.setdefault(target, [])
        if on:
            active.append(share)
        else:
            active.remove(share)
        if active:
            self.infra.down[target] = max(active)
        else:
            self.infra.down.pop(target, None)

    def _log(self, kind: str, ref: str, **detail: object) -> None:
        self.events.append(EventRecord(self.env.now, kind, ref, dict(detail)))

    def _schedule_scenario_events(self) -> None:
        rng = self.streams["events"]
        for event in self.scenario.events:
            # Durations are drawn in file order from the events stream, whether or not
            # the event reaches its end within the horizon (common random numbers).
            if isinstance(event, Outage | Disaster | SecurityIncident):
                duration = sample_one(event.duration, rng)
            else:
                duration = None
            self._at(event.start, lambda e=event, d=duration: self._begin(e, d))

    def _schedule_injects(self) -> None:
        for inject in self.scenario.injects:
            self._at(inject.at, lambda i=inject: self._log("inject", i.title, to=list(i.to), message=i.message))

    def _begin(self, event: Any, duration: float | None) -> None:
        if isinstance(event, Outage):
            self._log("outage_start", event.target, event=event.id, share=event.share, repair_after=duration)
            self._set_down(event.target, event.share, True)
            self._refresh_channels()
            self._after(duration, lambda: self._end_outage(event))
        elif isinstance(event, Disaster):
            self._log("site_lost", event.site, event=event.id, duration=duration)
            self._set_down(event.site, 1.0, True)
            self._site_factor[event.site] = 1.0 - event.staff_unavailable
            self._refresh_channels()
            if event.remote_after is not None and event.remote_share > 0:
                self._after(event.remote_after, lambda: self._remote_work(event))
            self._after(duration, lambda: self._end_disaster(event))
        elif isinstance(event, SecurityIncident):
            self._log("security_incident", event.id, event=event.id, systems=list(event.systems), data_at_risk=event.data_at_risk, duration=duration)
            for system in event.systems:
                self._set_down(system, 1.0, True)
                if event.data_at_risk:
                    self._data_loss(system, event.id)
            self._refresh_channels()
            self._after(duration, lambda: self._end_security(event))
        elif isinstance(event, StaffAbsence):
            self._log("staff_absence", event.site or "all", event=event.id, share=event.share)
            self._absence.setdefault(event.site, []).append(event.share)
            self._update_capacity()
            if event.duration is not None:
                self._after(event.duration, lambda: self._end_absence(event))
        elif isinstance(event, DataLoss):
            self._data_loss(event.system, event.id)
        elif isinstance(event, ComplaintSurge):
            self._log("surge_start", event.id, multiplier=event.multiplier)
            self._after(2 * event.ramp + event.duration, lambda: self._log("surge_end", event.id))

    def _after(self, delay: float | None, action: Callable[[], None]) -> None:
        if delay is not None and self.env.now + delay < self.horizon:
            self._at(self.env.now + delay, action)

    def _end_outage(self, event: Outage) -> None:
        self._set_down(event.target, event.share, False)
        self._log("repair", event.target, event=event.id)
        self._refresh_channels()

    def _end_disaster(self, event: Disaster) -> None:
        self._set_down(event.site, 1.0, False)
        self._site_factor.pop(event.site, None)
        self._log("site_restored", event.site, event=event.id)
        self._refresh_channels()

    def _remote_work(self, event: Disaster) -> None:
        if self._site_factor.get(event.site) is not None:
            self._site_factor[event.site] = max(self._site_factor[event.site], event.remote_share)
            self._log("remote_work", event.site, event=event.id, share=event.remote_share)
            self._update_capacity()

    def _end_security(self, event: SecurityIncident) -> None:
        for system in event.systems:
            self._set_down(system, 1.0, False)
        self._log("systems_restored", event.id, event=event.id, systems=list(event.systems))
        self._refresh_channels()

    def _end_absence(self, event: StaffAbsence) -> None:
        self._absence[event.site].remove(event.share)
        self._log("staff_back", event.site or "all", event=event.id)
        self._update_capacity()

    def _data_loss(self, system_id: str, cause: str) -> None:
        system = next(s for s in self.plan.systems if s.id == system_id)
        now = self.env.now
        if system.replication_interval:
            phase = self._replication_phase[system_id]
            rpo = (now - phase) % system.replication_interval
        else:
            rpo = now  # never replicated during the run: everything since the start is lost
        self._log("data_loss", system_id, event=cause, rpo=rpo)

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
            group_labels=tuple(f"{g.site}/{g.shift or 'all'}/{'+'.join(g.skills)}" for g in self.groups),
        )


    def release(self) -> None:
        """Drop the events still scheduled past the horizon.

        Why: they hold callbacks bound to this simulation, a reference cycle that
        only the cyclic garbage collector frees, late; a long Monte Carlo run would
        otherwise pile up finished simulations in memory.
        """
        self.env._queue.clear()  # SimPy keeps its event heap here; nothing runs after this


def simulate(plan: Plan, scenario: Scenario, seed: int) -> RunRecords:
    """One replication to the horizon."""
    sim = Simulation(plan, scenario, seed)
    records = sim.run()
    sim.release()
    return records
