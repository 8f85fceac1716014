"""What a run writes down: its event log, periodic snapshots, and the records.

Why apart from the model: the flow and staffing change state; this part only reads
it, at fixed times (snapshots) or on request (:meth:`Recording.records`, also called
mid-run for a drill's status board). Keeping the reading in one place keeps the
shape of :class:`~sim.engine.records.RunRecords` next to the code that fills it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from scenarios.model import Scenario
from sim.engine.clock import Clock
from sim.engine.demand import Customers
from sim.engine.records import EventRecord, RunRecords, Snapshots
from sim.engine.tickets import TicketLives

if TYPE_CHECKING:
    from sim.engine.journeys import Journeys
    from sim.response.controller import ResponseController

SNAPSHOT_EVERY = 5.0
"""Minutes between state snapshots (queue and agent charts)."""


class Recording:
    """The run's records, read from the state the rest of the simulation keeps."""

    # set by the simulation, the flow and staffing; declared for the type checker only
    env: Clock
    scenario: Scenario
    customers: Customers
    horizon: float
    events: list[EventRecord]
    snapshots: Snapshots
    channel_ids: tuple[str, ...]
    live: list[bool]
    up: list[bool]
    waiting: list[int]
    g_busy: list[int]
    g_staffed: list[int]
    g_label: list[str]
    c_live: list[bool]
    c_start: list[float]
    c_end: list[float]
    status: bytearray
    channel_log: list[tuple[float, int, bool]]
    staffing_log: list[tuple[float, int, int]]
    service_log: list[tuple[float, str, bool, str]]
    response: ResponseController | None
    tickets: TicketLives | None
    journeys: Journeys | None
    shared_records: Callable[[int], dict[str, Any]]  # chat concurrency's

    def log(self, kind: str, ref: str, **detail: object) -> None:
        """Record something that happened to the centre, now."""
        self.events.append(EventRecord(self.env.now, kind, ref, dict(detail)))

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
            self.env.call_in(self._snapshot_every, self._snapshot, None)

    def _ticket_records(self, arrived: int) -> dict[str, Any]:
        """The tickets' resolution and closure, when the scenario gives them a life."""
        out: dict[str, Any] = {"clock_start": self.scenario.start}
        if self.tickets is not None:
            out["resolved"], out["closed"] = self.tickets.arrays(arrived)
        out.update(self.shared_records(arrived))
        return out

    def records(self) -> RunRecords:
        """The records so far (contacts not yet arrived are left out)."""
        arrived = int(np.searchsorted(self.customers.time, self.env.now, side="right"))
        cust = self.customers
        # with journeys the per-contact states are read again, with every later attempt
        # (Journeys.records): not converted twice
        n = 0 if self.journeys is not None else arrived
        rec = RunRecords(
            horizon=self.horizon,
            warm_up=self.scenario.warm_up,
            channel_ids=self.channel_ids,
            channel_live=tuple(self.live),
            live=np.asarray(self.c_live[:n], dtype=bool),
            arrival=cust.time[:arrived],
            start=np.asarray(self.c_start[:n], dtype=float),
            end=np.asarray(self.c_end[:n], dtype=float),
            status=np.frombuffer(bytes(self.status[:n]), dtype=np.int8),
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
            **self._ticket_records(arrived),
        )
        return rec if self.journeys is None else self.journeys.records(rec)
