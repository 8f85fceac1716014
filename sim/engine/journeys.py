"""A customer across all their attempts: redials, channel switches and callback retries.

Why generated during the run and not drawn before it like first contacts
(:mod:`sim.engine.demand`): whether a customer tries again depends on what happened to
them (they gave up waiting, found a channel dark, were not reached by a callback),
which only the run knows. Each new attempt is appended to the contact flow's lists
when it arrives and goes through the same ``_arrive`` as a first contact; the person
behind it keeps one customer id.

Randomness, from streams of its own (``redials``, ``switching``, ``callbacks``): the
decision and the delay of a customer's n-th attempt come from tables drawn by
(customer, attempt) at the start, so a run with a higher redial probability redials
every customer the lower one did, at the same delays (common random numbers). Handle
times of a switched contact and patience of a new attempt are drawn as they come.

A callback attempt that does not reach the customer takes the agent
``attempt_time``; the contact then waits ``retry_after`` out of any queue and joins its
channel's callback queue again, up to ``attempts`` tries; then it is UNREACHED.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scenarios.distributions import Distribution
from scenarios.model import REQUEST_TYPES
from sim.engine.demand_tables import demand_tables
from sim.engine.hours import is_open, open_tables
from sim.engine.records import CLOSED, REDIAL, SWITCH, UNREACHED, WAITING, RunRecords
from sim.engine.sampling import sample

CALLBACK_SLOT = 2
"""Offset of a channel's callback queues (:data:`sim.engine.flow.CALLBACK`)."""


class _Table:
    """Draws by (customer, attempt), made on first use from a child generator of their own."""

    def __init__(self, rng: np.random.Generator, shape: tuple[int, int]) -> None:
        self._rng = np.random.default_rng(rng.integers(2**63))
        self._shape = shape
        self._values: NDArray[np.float64] | None = None
        self._dist: Distribution | None = None

    def uniform(self, k: int, a: int) -> float:
        if self._values is None:
            self._values = self._rng.random(self._shape)
        return float(self._values[k, a])

    def times(self, dist: Distribution, k: int, a: int) -> float:
        if self._values is None:
            n, m = self._shape
            self._values = sample(dist, self._rng, n * m).reshape(self._shape)
        return float(self._values[k, a])


class Journeys:
    """Every customer's further attempts in one run; ``sim`` is the running simulation."""

    def __init__(self, sim: Any) -> None:
        self.sim = sim
        scenario, cust = sim.scenario, sim.customers
        self.behaviour = b = scenario.behaviour
        self.n = n = len(cust)
        self.base = cust
        self.customer: list[int] = list(range(n))
        self.attempt = bytearray(n)
        self.x_rtype: list[int] = []
        self.x_rclass: list[int] = []
        self.x_surge: list[bool] = []
        self.tries: dict[int, int] = {}
        """Attempts so far per customer who tried more than once."""
        self.pending: dict[int, int] = {}
        """Attempts (or callback retries) still to come, per customer."""
        self.cb_tries: dict[int, int] = {}
        self.unreached: set[int] = set()
        self.tables = open_tables(sim.plan, scenario) if b.has_hours() else None
        ids = sim.channel_ids
        self.redial = [b.redials.rule(cid) for cid in ids]
        self.dark = [b.dark_channels.get(cid) for cid in ids]
        # in the plan's channel order, not the file's: the same settings written in
        # another order send the same customers to the same channels
        self.switch_to = [
            sorted((sim.channel_index[t], share) for t, share in d.switch.items())
            if d is not None
            else []
            for d in self.dark
        ]
        shape = (n, b.max_attempts)
        redials, switching = sim.streams["redials"], sim.streams["switching"]
        self.u_redial = _Table(redials, shape)
        self.redial_delay = [_Table(redials, shape) for _ in ids]
        self.u_dark = _Table(switching, shape)
        self.switch_delay = [_Table(switching, shape) for _ in ids]
        self.retry_delay = [_Table(switching, shape) for _ in ids]
        self.rng_new = np.random.default_rng(redials.integers(2**63))
        """Handle times, patience and outage draws of attempts, as they come."""
        self.rng_callback = sim.streams["callbacks"]
        self.draws = demand_tables(sim.plan, scenario)
        """One-draw samplers of handle time and patience per channel and type, kept per
        plan and scenario: an attempt on another channel draws its own."""
        self.reach = b.callbacks.reach
        """Share of callback attempts that reach the customer (read per attempt: kept)."""
        self.attempt_time = b.callbacks.attempt_time

    # --- what the flow calls ---------------------------------------------------------------

    def closed(self, i: int) -> bool:
        """Turn contact ``i`` away if its channel is closed now; whether it was."""
        sim = self.sim
        if i < self.n:
            shut = self.base.closed is not None and bool(self.base.closed[i])
        else:
            shut = self.tables is not None and not is_open(
                self.tables, sim.c_chan[i], sim.minute_of_week()
            )
        if shut:
            sim.status[i] = CLOSED
            sim.c_end[i] = sim.env.now
        return shut

    def gave_up(self, i: int) -> None:
        """Contact ``i`` gave up waiting: redial, or not."""
        sim = self.sim
        c = sim.c_chan[i]
        rule = self.redial[c]
        p = rule.probability * (1.0 - sim.deflect[c])  # a notice spares some redials
        k, a = self.customer[i], self.tries.get(self.customer[i], 1)
        if p <= 0 or a >= self.behaviour.max_attempts or self.u_redial.uniform(k, a) >= p:
            return
        self._schedule(i, c, REDIAL, self.redial_delay[c].times(rule.delay, k, a))

    def found_dark(self, i: int) -> None:
        """Contact ``i`` was turned away or cut off by a dark channel: switch, retry or give up."""
        sim = self.sim
        c = sim.c_chan[i]
        rule = self.dark[c]
        k, a = self.customer[i], self.tries.get(self.customer[i], 1)
        if rule is None or a >= self.behaviour.max_attempts:
            return
        u, low = self.u_dark.uniform(k, a), 0.0
        for target, share in self.switch_to[c]:
            if low <= u < low + share:
                delay = self.switch_delay[c].times(rule.switch_delay, k, a)
                self._schedule(i, target, SWITCH, delay)
                return
            low += share
        if low <= u < low + rule.retry:
            self._schedule(i, c, REDIAL, self.retry_delay[c].times(rule.retry_delay, k, a))

    def call_back(self, i: int, handle: float) -> float:
        """Agent time of a callback attempt: the handle time, or a short try that fails."""
        reach = self.reach
        if reach >= 1.0:
            return handle
        self.cb_tries[i] = self.cb_tries.get(i, 0) + 1
        if self.rng_callback.random() < reach:
            return handle
        self.unreached.add(i)
        return self.attempt_time

    def completed(self, i: int) -> None:
        """After service of ``i`` ends (agent freed): a callback that failed goes round again."""
        if i not in self.unreached:
            return
        sim = self.sim
        self.unreached.discard(i)
        cb = self.behaviour.callbacks
        if self.cb_tries[i] >= cb.attempts:
            sim.status[i] = UNREACHED
            return
        sim.status[i] = WAITING  # out of any queue until the next try
        sim.c_start[i] = math.nan
        sim.c_end[i] = math.nan
        sim.c_group[i] = -1
        k = self.customer[i]
        self.pending[k] = self.pending.get(k, 0) + 1
        sim.env.call_in(cb.retry_after, self._call_again, i)

    # --- new attempts ----------------------------------------------------------------------

    def _schedule(self, i: int, channel: int, kind: int, delay: float) -> None:
        k = self.customer[i]
        self.tries[k] = self.tries.get(k, 1) + 1
        self.pending[k] = self.pending.get(k, 0) + 1
        self.sim.env.call_in(delay, self._attempt, (k, channel, kind, i))

    def _done_waiting(self, k: int) -> None:
        left = self.pending[k] - 1
        if left:
            self.pending[k] = left
        else:
            del self.pending[k]

    def _field(self, i: int) -> tuple[int, int, bool]:
        if i < self.n:
            b = self.base
            return int(b.rtype[i]), int(b.rclass[i]), bool(b.surge[i])
        j = i - self.n
        return self.x_rtype[j], self.x_rclass[j], self.x_surge[j]

    def _attempt(self, attempt: tuple[int, int, int, int]) -> None:
        k, c, kind, prev = attempt
        self._done_waiting(k)
        sim = self.sim
        rtype, rclass, surge = self._field(prev)
        pair = c * len(REQUEST_TYPES) + rtype  # the samplers of this channel and type
        if c == sim.c_chan[prev]:
            handle = sim.c_handle[prev]
        else:
            handle = self.draws.handle_one[pair](self.rng_new)
        patience = math.inf
        if sim.scenario.patience is not None and sim.live[c]:
            patience = self.draws.patience_one[pair](self.rng_new)
        j = len(sim.t_arr)
        sim.t_arr.append(sim.env.now)
        sim.c_chan.append(c)
        sim.c_prio.append(sim.c_prio[prev])
        sim.c_handle.append(handle)
        sim.c_patience.append(patience)
        sim.c_block.append(float(self.rng_new.random()))
        sim.c_live.append(sim.live[c])
        sim.c_start.append(math.nan)
        sim.c_end.append(math.nan)
        sim.c_group.append(-1)
        sim.status.append(0)
        self.customer.append(k)
        self.attempt.append(kind)
        self.x_rtype.append(rtype)
        self.x_rclass.append(rclass)
        self.x_surge.append(surge)
        sim._arrive(j)

    def _call_again(self, i: int) -> None:
        sim = self.sim
        self._done_waiting(self.customer[i])
        c = sim.c_chan[i]
        if sim.up[c]:
            for g in sim.chan_groups[c]:
                if sim.g_busy[g] < sim.g_staffed[g]:
                    sim._serve(i, g)
                    return
        sim.queues[c][CALLBACK_SLOT + sim.c_prio[i]].append(i)
        sim.waiting[c] += 1

    # --- records ---------------------------------------------------------------------------

    def records(self, rec: RunRecords) -> RunRecords:
        """The records with every attempt so far, in arrival order, and who is behind each."""
        sim = self.sim
        arrived = len(rec)
        total = len(sim.t_arr)
        idx = np.concatenate([np.arange(arrived), np.arange(self.n, total)]).astype(np.int64)
        extra = total - self.n
        arrival = np.concatenate([rec.arrival, np.asarray(sim.t_arr[self.n :], dtype=float)])
        order = np.argsort(arrival, kind="stable")

        def full(base: NDArray[Any], more: list[Any], dtype: Any) -> NDArray[Any]:
            return np.concatenate([base, np.asarray(more, dtype=dtype)])[order]

        def of_run(values: list[Any], dtype: Any) -> NDArray[Any]:
            return np.asarray(values, dtype=dtype)[idx][order]

        status = np.frombuffer(bytes(sim.status), dtype=np.int8)[idx][order]
        return replace(
            rec,
            arrival=arrival[order],
            start=of_run(sim.c_start, float),
            end=of_run(sim.c_end, float),
            status=status,
            channel=of_run(sim.c_chan, np.int64),
            live=of_run(sim.c_live, bool),
            rtype=full(rec.rtype, self.x_rtype[:extra], np.int64),
            rclass=full(rec.rclass, self.x_rclass[:extra], np.int64),
            surge=full(rec.surge, self.x_surge[:extra], bool),
            customer=of_run(self.customer, np.int64),
            attempt=np.frombuffer(bytes(self.attempt), dtype=np.int8)[idx][order],
            retrying=tuple(sorted(self.pending)),
        )
