"""Contacts through the centre: arrive, wait, get served, give up, get dispatched.

Why apart from staffing and recording: this is the hot path, run once or more per
contact, and the one part whose cost sets how many replications a study can afford.
Kept alone it stays short enough to read against the design below; who is at work
(:mod:`sim.engine.staffing`) only changes the counts it reads.

* **Callbacks, not a process per contact.** An arrival, a service completion and an
  abandonment are each one SimPy ``Timeout`` with a callback, which keeps the cost
  per contact below a bare SimPy model's.
* **Queues per channel and priority, FIFO within.** Urgent requests go first; within
  a priority, first come first served. A contact that gives up is marked and skipped
  when it reaches the head of its queue; the count of waiting contacts is exact.
* **A free agent takes the best waiting contact among its skills**: live contacts
  before tickets, then priority, then the longest wait. An arriving contact goes to a
  free agent of the most specialised group with its skill.
"""

from __future__ import annotations

import math
from collections import deque
from typing import TYPE_CHECKING, Any

import numpy as np
import simpy
from simpy.events import NORMAL

from plans.model import Plan
from sim.engine.concurrency import CALLBACK, QUEUE_SLOTS, ChatSessions
from sim.engine.demand import CLASS_PRIORITY, Customers
from sim.engine.records import ABANDONED, BLOCKED, DONE, DROPPED, NOTICED, SERVING, WAITING
from sim.engine.rng import Streams
from sim.engine.tickets import TicketLives

if TYPE_CHECKING:
    from sim.engine.journeys import Journeys

PRIORITIES = (0, 1)


class _Timer(simpy.Timeout):
    """A SimPy timeout whose callbacks are handed in, for the three events every contact has.

    Why: arrival, end of handling and the patience timer are most of a replication's
    events; building each with ``env.timeout`` and then appending a freshly bound method
    to a fresh list costs more than the queue itself. This schedules the same event at
    the same time with the same priority and sequence number (``env.schedule``, as
    ``Timeout`` does), so the run is the same event for event; ``callbacks`` is a list
    made once per run and never changed (SimPy takes it off the event and only reads it).
    """

    def __init__(
        self, env: simpy.Environment, delay: float, value: int, callbacks: list[Any]
    ) -> None:
        if delay < 0:
            raise ValueError(f"Negative delay {delay}")  # not for people: as SimPy's own
        self.env = env
        self.callbacks = callbacks
        self._value = value
        self._delay = delay
        self._ok = True
        env.schedule(self, NORMAL, delay)


class ContactFlow(ChatSessions):
    """Channels' queues and every contact's state, moved on by SimPy callbacks."""

    # set by the simulation and by staffing; declared for the type checker only
    env: simpy.Environment
    plan: Plan
    streams: Streams
    customers: Customers
    horizon: float
    n_answered: int
    n_abandoned: int
    chan_groups: list[list[int]]
    g_busy: list[int]
    g_staffed: list[int]
    g_skills: list[list[int]]
    journeys: Journeys | None
    """Redials, switches and callback retries (None: nobody tries again)."""

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
        self.owed: list[int] | None = None
        """Per group, agents due a break who go when their contact ends (shrinkage only)."""
        self._setup_concurrency()

    def _setup_contacts(self) -> None:
        cust = self.customers
        n = len(cust)
        self.n = n
        self.t_arr: list[float] = cust.time.tolist()
        self.c_chan: list[int] = cust.channel.tolist()
        by_class = np.array([CLASS_PRIORITY[k] for k in ("urgent", "ordinary", "complex")])
        self.c_prio: list[int] = by_class[cust.rclass].tolist()
        self.c_handle: list[float] = cust.handle.tolist()
        self.c_patience: list[float] = cust.patience.tolist()
        self.c_block: list[float] = cust.block_draw.tolist()
        self.c_live: list[bool] = [self.live[c] for c in self.c_chan]
        self.c_start = [math.nan] * n
        self.c_end = [math.nan] * n
        self.c_group = [-1] * n
        self._on_arrive: list[Any] = [self._arrive]
        self._on_complete: list[Any] = [self._complete]
        self._on_abandon: list[Any] = [self._abandon]
        self.status = bytearray(n)
        life = self.scenario.tickets
        self.tickets = None if life.is_default() else TicketLives(self, n, cust.rclass)
        """Back office, confirmation and closure of tickets (None: done at first handling)."""

    # --- contacts --------------------------------------------------------------------

    def _schedule_next_arrival(self, i: int) -> None:
        if i < self.n and self.t_arr[i] < self.horizon:
            _Timer(self.env, self.t_arr[i] - self.env.now, i, self._on_arrive)

    def _arrive(self, ev: Any) -> None:
        i: int = ev._value
        self._schedule_next_arrival(i + 1)
        c = self.c_chan[i]
        draw = self.c_block[i]
        if self.journeys is not None and self.journeys.closed(i):
            return
        if not self.up[c] or draw < self.block[c]:
            self.status[i] = BLOCKED
            self.c_end[i] = self.env.now
            if self.journeys is not None:
                self.journeys.found_dark(i)
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
        if self.multi[c] and self._join(i, c):
            return
        self.status[i] = WAITING
        slot = self.c_prio[i] + (CALLBACK if self.live[c] and not self.c_live[i] else 0)
        self.queues[c][slot].append(i)
        self.waiting[c] += 1
        patience = self.c_patience[i]
        if self.c_live[i] and patience != math.inf:
            _Timer(self.env, patience, i, self._on_abandon)

    def _serve(self, i: int, g: int) -> None:
        if self.multi[self.c_chan[i]]:
            self._serve_multi(i, g)
            return
        if self.c_live[i]:
            self.n_answered += 1
        self.g_busy[g] += 1
        self.status[i] = SERVING
        self.c_start[i] = self.env.now
        self.c_group[i] = g
        handle = self.c_handle[i]
        if self.journeys is not None and not self.c_live[i] and self.live[self.c_chan[i]]:
            handle = self.journeys.call_back(i, handle)  # a callback may not reach them
        _Timer(self.env, handle * self.factor[self.c_chan[i]], i, self._on_complete)

    def _complete(self, ev: Any) -> None:
        i: int = ev._value
        self.status[i] = DONE
        self.c_end[i] = self.env.now
        if self.tickets is not None and not self.c_live[i]:
            self.tickets.first_handled(i)
        g = self.c_group[i]
        self.g_busy[g] -= 1
        if self.owed is not None and self.owed[g]:
            self._break_after_contact(g)
        if self.g_busy[g] < self.g_staffed[g]:
            self._dispatch(g)
        if self.journeys is not None:
            self.journeys.completed(i)

    def _abandon(self, ev: Any) -> None:
        i: int = ev._value
        if self.status[i] == WAITING:
            self.n_abandoned += 1
            self.status[i] = ABANDONED
            self.c_end[i] = self.env.now
            if self.journeys is not None:
                self.journeys.gave_up(i)
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

    def _drop_queue(self, c: int) -> None:
        now = self.env.now
        for queue in self.queues[c][:CALLBACK]:
            for i in queue:
                if self.status[i] == WAITING:
                    self.status[i] = DROPPED
                    self.c_end[i] = now
                    if self.journeys is not None:
                        self.journeys.found_dark(i)
            queue.clear()
        self.waiting[c] = 0

    def urgent_waiting(self) -> int:
        """Urgent requests waiting now, on every channel."""
        return sum(
            1
            for c in range(len(self.channel_ids))
            for slot in (0, CALLBACK)
            for i in self.queues[c][slot]
            if self.status[i] == WAITING
        )
