"""Contacts through the centre: arrive, wait, get served, give up, get dispatched.

Why apart from staffing and recording: this is the hot path, run once or more per
contact, and the one part whose cost sets how many replications a study can afford.
Kept alone it stays short enough to read against the design below; who is at work
(:mod:`sim.engine.staffing`) only changes the counts it reads.

* **Callbacks, not a process per contact.** An arrival, a service completion and an
  abandonment are each one bare timer on the clock (:meth:`sim.engine.clock.Clock.call_in`:
  no SimPy event object, ordered exactly as a ``Timeout`` would be), which keeps the
  cost per contact well below a bare SimPy model's. The steps themselves are closures
  over the run's lists (:mod:`sim.engine.flow_kernel`); this class holds the lists.
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
from collections.abc import Callable
from operator import itemgetter
from typing import TYPE_CHECKING

import numpy as np
from simpy.events import NORMAL

from plans.model import Plan
from sim.engine.clock import Clock
from sim.engine.concurrency import CALLBACK, QUEUE_SLOTS, ChatSessions
from sim.engine.demand import CLASS_PRIORITY, Customers
from sim.engine.records import DROPPED, WAITING
from sim.engine.rng import Streams
from sim.engine.tickets import TicketLives

if TYPE_CHECKING:
    from sim.engine.journeys import Journeys

PRIORITIES = (0, 1)


class ContactFlow(ChatSessions):
    """Channels' queues and every contact's state, moved on by the clock's timers."""

    # set by the simulation and by staffing; declared for the type checker only
    env: Clock
    plan: Plan
    streams: Streams
    customers: Customers
    horizon: float
    n_answered: int
    n_abandoned: int
    chan_groups: list[list[int]]
    chan_active: list[list[int]]
    g_busy: list[int]
    g_staffed: list[int]
    g_skills: list[list[int]]
    journeys: Journeys | None
    """Redials, switches and callback retries (None: nobody tries again)."""

    # the steps of a contact, bound to the run's lists by sim.engine.flow_kernel.bind_flow
    _arrive: Callable[[int], None]
    """Contact ``i`` arrives: turned away, served by a free agent, or queued."""
    _serve: Callable[[int, int], None]
    """An agent of group ``g`` starts on contact ``i`` (``_serve(i, g)``)."""
    _complete: Callable[[int], None]
    """Contact ``i``'s handling ends; the agent takes the best waiting contact."""
    _abandon: Callable[[int], None]
    """Contact ``i``'s patience ran out: it gives up if still waiting."""
    _next_for: Callable[[int], tuple[int, int] | None]
    """The best waiting (channel, contact) for an agent of group ``g``, taken off its queue."""

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
        self.status = bytearray(n)
        life = self.scenario.tickets
        self.tickets = None if life.is_default() else TicketLives(self, n, cust.rclass)
        """Back office, confirmation and closure of tickets (None: done at first handling)."""

    # --- contacts --------------------------------------------------------------------

    def _schedule_next_arrival(self, i: int) -> None:
        if i < self.n and self.t_arr[i] < self.horizon:
            env = self.env
            delay = self.t_arr[i] - env._now
            env.arrival = (env._now + delay, NORMAL, next(env.eids), self._arrive, i)

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
        """Urgent requests waiting now, on every channel.

        Counted in C (the statuses of a queue's contacts fetched at once): the duty
        manager's round asks it often, and a callback queue can hold hundreds.
        """
        status, count = self.status, 0
        for queues in self.queues:
            for slot in (0, CALLBACK):
                queue = queues[slot]
                if len(queue) > 1:
                    count += itemgetter(*queue)(status).count(WAITING)
                elif queue:
                    count += status[queue[0]] == WAITING
        return count
