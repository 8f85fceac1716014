"""Chat concurrency: an agent serves up to k contacts of a channel at once.

Why apart from the flow: only channels a scenario names (``workforce.concurrency``)
take this path, so the hot path of every other contact is one list lookup longer and
no different. Agents stay counts in their groups (``g_busy``); only agents holding
chats are tracked one by one here, each with the number of chats it has open.

* A chat goes to a free agent first (an idle agent is the least loaded), else to the
  least-loaded agent of the most specialised group who has a free slot.
* Each chat's handle time is stretched by ``stretch`` once for every other chat the
  agent already has open when it starts (the agent's attention is shared).
* An agent is free again when its last chat ends; a chat ending on an agent who
  still has others open frees a slot, which takes the best waiting chat.
* When capacity drops below the agents busy, no new chat joins a busy agent.
* Occupancy counts an agent's time once however many chats it holds: each shared
  agent's busy spans (first chat taken to last chat ended) are kept by group in
  ``shared_spans`` and replace, in :func:`sim.engine.metrics.occupancy`, the handle times
  of the chats served in them (summing those would count an agent with two chats as
  two agents busy, and occupancy could pass 100%).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from typing import Any

import numpy as np

from scenarios.model import Scenario
from sim.engine.clock import Clock
from sim.engine.records import DONE, SERVING, WAITING
from sim.engine.tickets import TicketLives

CALLBACK = 2
"""Offset of a channel's callback queues: index 2 + priority holds callbacks."""
QUEUE_SLOTS = (0, 1, 2, 3)


class ChatSessions:
    """The agents who hold several contacts at once, and the slots they have free."""

    # set by the flow and staffing; declared for the type checker only
    env: Clock
    scenario: Scenario
    channel_index: dict[str, int]
    channel_ids: tuple[str, ...]
    live: list[bool]
    up: list[bool]
    factor: list[float]
    queues: list[list[deque[int]]]
    waiting: list[int]
    chan_groups: list[list[int]]
    g_busy: list[int]
    g_staffed: list[int]
    status: bytearray
    t_arr: list[float]
    c_live: list[bool]
    c_chan: list[int]
    c_handle: list[float]
    c_start: list[float]
    c_end: list[float]
    c_group: list[int]
    n_answered: int
    tickets: TicketLives | None

    owed: list[int] | None

    _dispatch: Callable[[int], None]
    """The flow's (sim.engine.flow_kernel): free agents of group ``g`` take waiting work."""

    def _break_after_contact(self, g: int) -> None:
        raise NotImplementedError  # staffing's

    def _setup_concurrency(self) -> None:
        n = len(self.channel_ids)
        self.slots = [1] * n
        """Contacts an agent may hold at once, per channel."""
        self.stretch = [1.0] * n
        for c in self.scenario.workforce.concurrency:
            self.slots[self.channel_index[c.channel]] = c.contacts
            self.stretch[self.channel_index[c.channel]] = c.stretch
        self.multi = [k > 1 for k in self.slots]
        """Channels whose agents hold several contacts at once."""
        self.loads: dict[tuple[int, int], dict[int, int]] = {}
        """(group, channel) -> agent -> contacts it holds."""
        self.c_agent: dict[int, int] = {}
        self._agents_made = 0
        self.busy_since: dict[int, float] = {}
        """Shared agent -> when it took its first chat of the current busy span."""
        self.shared_spans: list[tuple[int, float, float]] = []
        """(group, from, to) of every finished busy span of a shared agent."""
        self.shared: set[int] = set()
        """Contacts served by a shared agent (their time is in the spans)."""

    def _serve_multi(self, i: int, g: int) -> None:
        """A free agent of group ``g`` takes contact ``i``, then fills its other slots."""
        self.g_busy[g] += 1
        agent = self._agents_made
        self._agents_made += 1
        c = self.c_chan[i]
        self.loads.setdefault((g, c), {})[agent] = 0
        self.busy_since[agent] = self.env.now
        self._start(i, g, c, agent)
        self._fill(g, c, agent)

    def _join(self, i: int, c: int) -> bool:
        """Contact ``i`` joins the least-loaded busy agent with a free slot, if any."""
        k = self.slots[c]
        for g in self.chan_groups[c]:
            if self.g_busy[g] > self.g_staffed[g]:
                continue
            held = self.loads.get((g, c))
            if not held:
                continue
            agent = min(held, key=lambda a: (held[a], a))
            if held[agent] < k:
                self._start(i, g, c, agent)
                return True
        return False

    def _start(self, i: int, g: int, c: int, agent: int) -> None:
        held = self.loads[(g, c)]
        others = held[agent]
        held[agent] = others + 1
        self.c_agent[i] = agent
        self.shared.add(i)
        if self.c_live[i]:
            self.n_answered += 1
        self.status[i] = SERVING
        self.c_start[i] = self.env.now
        self.c_group[i] = g
        stretch = self.stretch[c] ** others
        self.env.call_in(self.c_handle[i] * self.factor[c] * stretch, self._complete_multi, i)

    def _complete_multi(self, i: int) -> None:
        self.status[i] = DONE
        self.c_end[i] = self.env.now
        if self.tickets is not None and not self.c_live[i]:
            self.tickets.first_handled(i)
        g, c = self.c_group[i], self.c_chan[i]
        agent = self.c_agent.pop(i)
        held = self.loads[(g, c)]
        held[agent] -= 1
        if held[agent] == 0:
            del held[agent]
            self.shared_spans.append((g, self.busy_since.pop(agent), self.env.now))
            self.g_busy[g] -= 1
            if self.owed is not None and self.owed[g]:
                self._break_after_contact(g)
            if self.g_busy[g] < self.g_staffed[g]:
                self._dispatch(g)
        elif self.g_busy[g] <= self.g_staffed[g]:
            self._fill(g, c, agent)

    def shared_records(self, arrived: int) -> dict[str, Any]:
        """For the records: shared agents' busy spans (open ones to the horizon), their chats."""
        if not any(self.multi):
            return {}
        owner = {agent: g for (g, _c), held in self.loads.items() for agent in held}
        spans = [*self.shared_spans]
        spans += [(owner[a], t, math.inf) for a, t in self.busy_since.items() if a in owner]
        mask = np.zeros(arrived, dtype=bool)
        mask[[i for i in self.shared if i < arrived]] = True
        return {"shared_spans": tuple(spans), "shared": mask}

    def _fill(self, g: int, c: int, agent: int) -> None:
        """Give an agent's free slots the best waiting contacts of channel ``c``."""
        held = self.loads[(g, c)]
        while held.get(agent, math.inf) < self.slots[c] and self.up[c]:
            i = self._pop_waiting(c)
            if i is None:
                return
            self._start(i, g, c, agent)

    def _pop_waiting(self, c: int) -> int | None:
        """The best waiting contact of channel ``c`` (live before callbacks, priority, wait)."""
        best: tuple[int, int, float] | None = None
        best_slot = -1
        for slot in QUEUE_SLOTS:
            queue = self.queues[c][slot]
            while queue and self.status[queue[0]] != WAITING:
                queue.popleft()
            if queue:
                ticket = 0 if self.live[c] and slot < CALLBACK else 1
                key = (ticket, slot % CALLBACK, self.t_arr[queue[0]])
                if best is None or key < best:
                    best, best_slot = key, slot
        if best is None:
            return None
        self.waiting[c] -= 1
        return self.queues[c][best_slot].popleft()
