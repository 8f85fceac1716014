"""A ticket's life after the front line: back-office resolution, confirmation, closure.

Why apart from the flow: the front line's queues are the hot path; a scenario without
a ``tickets`` block never builds this part and runs as before. With it, a ticket the
front line has handled once (first handling) either is resolved there or goes to the
back office, a team of counted agents working the plan's office hours (the queue is
carried across nights and weekends: the backlog of one day is the next day's work).
Urgent tickets go first, then first come, first served. After resolution the customer
confirms and the ticket is closed.

Every random figure (who needs the back office, its effort, the customer's delay) is
drawn before the run from the ``tickets`` stream, one per contact, so variants on the
same seed (fewer back-office agents) see the same tickets.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import deque
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from plans.model import Plan
from scenarios.model import Scenario
from scenarios.tickets import BackOffice
from sim.engine.clock import Clock
from sim.engine.rng import Streams
from sim.engine.sampling import sample

CLASS_NAMES = ("urgent", "ordinary", "complex")


class TicketCentre(Protocol):
    """What the back office reads of the run (a Protocol: the flow calls this module)."""

    env: Clock
    plan: Plan
    scenario: Scenario
    streams: Streams
    horizon: float
    c_prio: list[int]


class TicketLives:
    """Resolution and closure times of every ticket; the back office's queue and agents."""

    def __init__(self, sim: TicketCentre, n: int, rclass: NDArray[np.int64]) -> None:
        self.sim = sim
        life = sim.scenario.tickets
        rng = sim.streams["tickets"]
        self.need = rng.random(n)
        self.office: BackOffice | None = life.back_office
        self.effort = sample(self.office.effort, rng, n) if self.office is not None else np.zeros(n)
        self.confirm = (
            sample(life.confirmation, rng, n) if life.confirmation is not None else np.zeros(n)
        )
        self.share = np.zeros(len(CLASS_NAMES))
        if self.office is not None:
            for ci, name in enumerate(CLASS_NAMES):
                self.share[ci] = self.office.share.get(name, 0.0)  # type: ignore[call-overload]
        self.rclass = rclass
        self.resolved = [math.nan] * n
        self.closed = [math.nan] * n
        self.handed: set[int] = set()
        """Tickets that went to the back office."""
        self.queue: list[deque[int]] = [deque(), deque()]
        self.busy = 0
        self.staffed = 0
        if self.office is not None:
            self._schedule_hours()

    # --- the back office's hours -------------------------------------------------------

    def _schedule_hours(self) -> None:
        office = self.office
        assert office is not None
        if office.hours == "always":
            self.staffed = office.agents
            return
        sim = self.sim
        calendar = sim.plan.calendar
        start = sim.scenario.start.replace(tzinfo=None)
        day = start.date()
        end = start + dt.timedelta(minutes=sim.horizon)
        while dt.datetime.combine(day, dt.time()) < end:
            if calendar.is_working_day(day):
                midnight = dt.datetime.combine(day, dt.time())
                for minute, on in ((calendar.hours[0], True), (calendar.hours[1], False)):
                    at = (midnight + dt.timedelta(minutes=minute) - start).total_seconds() / 60
                    if at <= 0:
                        self.staffed = office.agents if on else 0
                    elif at < sim.horizon:
                        self._at(at, office.agents if on else 0)
            day += dt.timedelta(days=1)

    def _at(self, at: float, agents: int) -> None:
        self.sim.env.call_in(at - self.sim.env.now, self._set_staffed, agents)

    def _set_staffed(self, agents: int) -> None:
        self.staffed = agents
        self._dispatch()

    # --- a ticket's way ----------------------------------------------------------------

    def first_handled(self, i: int) -> None:
        """The front line has handled ticket ``i`` once (now)."""
        now = self.sim.env.now
        if self.office is not None and self.need[i] < self.share[self.rclass[i]]:
            self.handed.add(i)
            self.queue[min(self.sim.c_prio[i], 1)].append(i)
            self._dispatch()
        else:
            self._resolve(i, now)

    def _dispatch(self) -> None:
        while self.busy < self.staffed:
            queue = self.queue[0] or self.queue[1]
            if not queue:
                return
            i = queue.popleft()
            self.busy += 1
            self.sim.env.call_in(float(self.effort[i]), self._done, i)

    def _done(self, i: int) -> None:
        self.busy -= 1
        self._resolve(i, self.sim.env.now)
        self._dispatch()

    def _resolve(self, i: int, now: float) -> None:
        self.resolved[i] = now
        self.closed[i] = now + float(self.confirm[i])

    # --- what the records keep -----------------------------------------------------------

    def arrays(self, arrived: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Resolution and closure times of the first ``arrived`` contacts (nan: not yet)."""
        now = self.sim.env.now
        resolved = np.asarray(self.resolved[:arrived], dtype=float)
        closed = np.asarray(self.closed[:arrived], dtype=float)
        closed[closed > now] = math.nan  # the customer has not confirmed yet: still open
        return resolved, closed

    def back_office_backlog(self) -> int:
        """Tickets waiting for the back office now."""
        return len(self.queue[0]) + len(self.queue[1])
