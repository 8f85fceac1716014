"""The run's clock: SimPy's environment with a cheaper path for the model's own timers.

Why not plain SimPy: a default-scenario replication has about 7,700 events, and most of
them (an arrival, the end of a handling, a patience timer) need no ``Event`` object at
all: nobody waits on them, they carry one number and call one method. Building a
``Timeout`` for each, and stepping it through ``Environment.step``, cost more than the
queue itself (issue 19: 2.5 us an event against a heapq floor's 0.6 us).

So :meth:`Clock.call_in` puts a bare entry ``(time, NORMAL, eid, function, argument)`` on
SimPy's own heap, and SimPy's events are scheduled as ``(time, priority, eid, fire,
event)``. Both take their sequence number ``eid`` from the one counter SimPy uses, at the
moment they are made, so the order of events is exactly what it was with a ``Timeout``:
by time, then priority, then the order they were made. Processes, conditions and every
other SimPy event work as before; :meth:`step` (what ``Environment.run`` calls) and
:meth:`advance` run every entry the same way.

The one stream of pre-drawn arrivals keeps its next entry beside the heap
(:attr:`Clock.arrival`), in the same shape and order, and the loop takes whichever of
it and the heap's head comes first: an arrival is then never pushed or popped.

:meth:`Clock.advance` is :meth:`Simulation.run_until`'s loop without the ``until`` event
SimPy would schedule, and gives the same events in the same order (see its docstring).
"""

from __future__ import annotations

from collections.abc import Callable
from heapq import heappop, heappush
from typing import Any

import simpy
from simpy.core import EmptySchedule, Infinity, StopSimulation
from simpy.events import NORMAL, URGENT

__all__ = ["Clock"]


class Clock(simpy.Environment):
    """A SimPy environment that also runs bare timer entries (see the module's docstring)."""

    def __init__(self) -> None:
        super().__init__()
        self.heap: list[Any] = self._queue
        """SimPy's event heap, for the flow's hottest timers, which push their entries
        inline as :meth:`call_in` does (a call saved on each of thousands of contacts)."""
        self.eids = self._eid
        """SimPy's sequence counter (``next(clock.eids)``), shared by both kinds of entry."""
        self.arrival: Any = None
        """The next pre-drawn arrival's entry, kept beside the heap, not on it (None: none).

        Why apart: arrivals come one after another from a sorted list, so at most one is
        ever pending; kept here it is compared with the heap's head instead of being
        pushed and popped (a third of a replication's events). It is ordered exactly as
        on the heap: by time, priority and sequence number."""

    def call_in(self, delay: float, function: Callable[[Any], object], argument: Any) -> None:
        """Call ``function(argument)`` after ``delay`` minutes, ordered as a ``Timeout`` made now.

        The time is ``now + delay`` computed as SimPy computes a timeout's, so the float
        is the same one a ``Timeout`` of the same delay would be due at.
        """
        if delay < 0:
            raise ValueError(f"Negative delay {delay}")  # not for people: as SimPy's own
        entry: Any = (self._now + delay, NORMAL, next(self._eid), function, argument)
        heappush(self._queue, entry)

    def schedule(self, event: Any, priority: Any = NORMAL, delay: float = 0) -> None:
        """Schedule a SimPy event (as ``Environment.schedule``), as an entry like a timer's.

        Every entry on the heap is then ``(time, priority, eid, function, argument)``, a
        SimPy event's function being :meth:`_fire`, so the loop runs both kinds alike.
        """
        entry: Any = (self._now + delay, priority, next(self._eid), self._fire, event)
        heappush(self._queue, entry)

    def _pop(self) -> Any:
        """The next entry in order, the kept arrival or the heap's head (IndexError: none)."""
        queue: list[Any] = self._queue
        arrival = self.arrival
        if arrival is not None and (not queue or arrival < queue[0]):
            self.arrival = None
            return arrival
        return heappop(queue)

    def peek(self) -> float:
        """Time of the next entry, the kept arrival included (infinity when none)."""
        queue: list[Any] = self._queue
        arrival = self.arrival
        if arrival is not None and (not queue or arrival < queue[0]):
            return float(arrival[0])
        return float(queue[0][0]) if queue else Infinity

    def step(self) -> None:
        """Process the next entry, a bare timer or a SimPy event (as ``Environment.step``)."""
        try:
            entry = self._pop()
        except IndexError:
            raise EmptySchedule from None
        self._now = entry[0]
        entry[3](entry[4])

    def _fire(self, event: Any) -> None:
        """Run a SimPy event's callbacks, and fail as SimPy does if the event failed."""
        callbacks, event.callbacks = event.callbacks, None
        for k, callback in enumerate(callbacks):
            try:
                callback(event)
            except StopSimulation:
                # as SimPy: the callbacks left run when the simulation resumes
                event.callbacks = callbacks[k + 1 :]
                self.schedule(event, -1)
                raise
        if not event._ok and not hasattr(event, "_defused"):
            exc = type(event._value)(*event._value.args)
            exc.__cause__ = event._value
            raise exc

    def advance(self, target: float) -> None:
        """Process every entry due at or before ``target``, in order; the clock ends there.

        SimPy's ``run(until=target)`` followed by stepping the events due exactly at
        ``target`` (what the simulation did before) processes the same entries in the
        same order: SimPy stops at an ``until`` event due at ``now + (target - now)``
        with urgent priority; if that float is at most ``target``, everything up to
        ``target`` runs either way, in heap order. If rounding puts it one step past
        ``target``, SimPy also ran what fell between, and so does this. The ``until``
        event's sequence number is taken too, so later numbers match SimPy's.
        """
        queue: list[Any] = self._queue
        now = self._now
        stop = now
        if target > now:
            stop = now + (target - now)
            until_eid = next(self._eid)
            if stop > target:  # rare: rounding put SimPy's stop past the target
                while self.peek() <= stop:
                    head = self.arrival
                    if head is None or (queue and queue[0] < head):
                        head = queue[0]
                    if head[0] == stop and (head[1], head[2]) > (URGENT, until_eid):
                        break
                    self.step()
        while True:
            arrival = self.arrival
            if arrival is not None and (not queue or arrival < queue[0]):
                if arrival[0] > target:
                    break
                self.arrival = None
                entry = arrival
            elif queue and queue[0][0] <= target:
                entry = heappop(queue)
            else:
                break
            self._now = entry[0]
            entry[3](entry[4])
        if self._now < stop:
            self._now = stop  # where SimPy's until event left the clock
