"""The flow's per-contact steps as closures over the run's lists: the hottest code there is.

Why closures and not methods: a replication's few thousand contacts each pass through
these steps two or three times, and in CPython a method reading ``self.queues``,
``self.g_busy``... on an object of some seventy attributes pays a dictionary lookup
for each (issue 19 measured 2.2 us an event against a heapq floor's 0.6 us). The
closures read the same list objects from their cells instead. The lists are made once
by the set-up and only ever changed in place (never rebound), which is what lets them
be captured; the few values that are rebound during a run (``owed``, the counters)
are still read from the simulation.

The logic is the one :mod:`sim.engine.flow` describes, step for step; timers are pushed
on the clock's heap inline, as :meth:`sim.engine.clock.Clock.call_in` pushes them.
"""

from __future__ import annotations

import math
from collections import deque
from heapq import heappush
from typing import TYPE_CHECKING

from simpy.events import NORMAL

from sim.engine.concurrency import CALLBACK, QUEUE_SLOTS
from sim.engine.records import ABANDONED, BLOCKED, DONE, NOTICED, SERVING, WAITING

if TYPE_CHECKING:
    from sim.engine.flow import ContactFlow

INF = math.inf


def bind_flow(sim: ContactFlow) -> None:
    """Give ``sim`` its ``_arrive``, ``_serve``, ``_complete``, ``_abandon``, ``_dispatch``
    and ``_next_for`` steps, bound to its lists (call once, after the set-up)."""
    env = sim.env
    heap, eids = env.heap, env.eids
    n, horizon = sim.n, sim.horizon
    t_arr, c_chan, c_block, c_prio = sim.t_arr, sim.c_chan, sim.c_block, sim.c_prio
    c_handle, c_patience, c_live = sim.c_handle, sim.c_patience, sim.c_live
    c_start, c_end, c_group, status = sim.c_start, sim.c_end, sim.c_group, sim.status
    up, block, factor, mode, deflect = sim.up, sim.block, sim.factor, sim.mode, sim.deflect
    live_channel, multi, queues, waiting = sim.live, sim.multi, sim.queues, sim.waiting
    g_busy, g_staffed, g_skills = sim.g_busy, sim.g_staffed, sim.g_skills
    chan_active = sim.chan_active
    journeys, tickets = sim.journeys, sim.tickets
    base_shut = None
    if journeys is not None and journeys.base.closed is not None:
        base_shut = journeys.base.closed.tolist()
    serve_multi, join = sim._serve_multi, sim._join

    def arrive(i: int) -> None:
        now = env._now
        nxt = i + 1
        if nxt < n:
            t = t_arr[nxt]
            if t < horizon:
                env.arrival = (now + (t - now), NORMAL, next(eids), arrive, nxt)
        c = c_chan[i]
        draw = c_block[i]
        # a drawn contact's closed flag is read here; a later attempt's hours are looked
        # up by the journeys, which also mark the contact turned away
        if (
            journeys is not None
            and (i >= n or (base_shut is not None and base_shut[i]))
            and journeys.closed(i)
        ):
            return
        if not up[c] or draw < block[c]:
            status[i] = BLOCKED
            c_end[i] = now
            if journeys is not None:
                journeys.found_dark(i)
            return
        live = c_live[i]
        how = mode[c]
        if how != "normal" or draw >= 1.0 - deflect[c]:
            if how == "notice" or draw >= 1.0 - deflect[c]:
                status[i] = NOTICED  # told what is happening; does not queue
                c_end[i] = now
                return
            c_live[i] = live = False  # callback: becomes a ticket
        for g in chan_active[c]:  # the channel's groups with anyone at work, in order
            if g_busy[g] < g_staffed[g]:
                serve(i, g)
                return
        if multi[c] and join(i, c):
            return
        status[i] = WAITING
        queues[c][c_prio[i] + (CALLBACK if live_channel[c] and not live else 0)].append(i)
        waiting[c] += 1
        patience = c_patience[i]
        if live and patience != INF:
            if patience < 0:
                raise ValueError(f"Negative delay {patience}")  # not for people: as SimPy's
            heappush(heap, (now + patience, NORMAL, next(eids), abandon, i))

    def serve(i: int, g: int) -> None:
        c = c_chan[i]
        if multi[c]:
            serve_multi(i, g)
            return
        live = c_live[i]
        if live:
            sim.n_answered += 1
        g_busy[g] += 1
        status[i] = SERVING
        now = env._now
        c_start[i] = now
        c_group[i] = g
        handle = c_handle[i]
        if not live and journeys is not None and live_channel[c]:
            handle = journeys.call_back(i, handle)  # a callback may not reach them
        delay = handle * factor[c]
        if delay < 0:
            raise ValueError(f"Negative delay {delay}")  # not for people: as SimPy's own
        heappush(heap, (now + delay, NORMAL, next(eids), complete, i))

    def complete(i: int) -> None:
        status[i] = DONE
        c_end[i] = env._now
        if tickets is not None and not c_live[i]:
            tickets.first_handled(i)
        g = c_group[i]
        g_busy[g] -= 1
        owed = sim.owed
        if owed is not None and owed[g]:
            sim._break_after_contact(g)
        if g_busy[g] < g_staffed[g]:
            for c in g_skills[g]:
                if waiting[c]:  # someone waits for this agent's skills: find the best
                    dispatch(g)
                    break
        if journeys is not None and i in journeys.unreached:
            journeys.completed(i)

    def abandon(i: int) -> None:
        if status[i] != WAITING:
            return
        sim.n_abandoned += 1
        status[i] = ABANDONED
        c_end[i] = env._now
        if journeys is not None:
            journeys.gave_up(i)
        c = c_chan[i]
        waiting[c] -= 1
        p = c_prio[i]  # only live contacts give up: never a callback slot
        queue = queues[c][p]
        if len(queue) > 2 * waiting[c] + 64:
            queues[c][p] = deque(j for j in queue if status[j] == WAITING)

    # A waiting contact's rank among the heads of the queues: live before tickets (a
    # callback is a ticket), then urgent first; the longest wait breaks a tie in rank.
    rank_of = [
        [(0 if live and slot < CALLBACK else 2) + slot % CALLBACK for slot in QUEUE_SLOTS]
        for live in live_channel
    ]

    def next_for(g: int) -> tuple[int, int] | None:
        """The best waiting contact for an agent of group ``g``: (channel, contact)."""
        best_rank, best_t, best_c, best_slot = 4, INF, -1, -1
        for c in g_skills[g]:
            if not waiting[c] or not up[c]:
                continue
            on, ranks = queues[c], rank_of[c]
            for slot in QUEUE_SLOTS:
                queue = on[slot]
                while queue and status[queue[0]] != WAITING:
                    queue.popleft()
                if queue:
                    rank, t = ranks[slot], t_arr[queue[0]]
                    if rank < best_rank or (rank == best_rank and t < best_t):
                        best_rank, best_t, best_c, best_slot = rank, t, c, slot
        if best_c < 0:
            return None
        return best_c, queues[best_c][best_slot].popleft()

    def dispatch(g: int) -> None:
        while g_busy[g] < g_staffed[g]:
            nxt = next_for(g)
            if nxt is None:
                return
            c, i = nxt
            waiting[c] -= 1
            serve(i, g)

    sim._arrive, sim._serve, sim._complete = arrive, serve, complete
    sim._abandon, sim._next_for, sim._dispatch = abandon, next_for, dispatch
