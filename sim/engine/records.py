"""What one replication leaves behind: flat records of contacts, events and state.

Why flat arrays for contacts: a busy day is tens of thousands of contacts, and the
metrics are vectorised numpy over them; one dataclass per contact would cost more
than the simulation itself. Events (outages, repairs, capacity changes) are few and
kept as small frozen records with a ``kind``, like Ciw's data records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import numpy as np
from numpy.typing import NDArray

T = TypeVar("T")

# Contact status codes.
PENDING = 0
"""Not arrived yet (only seen while a run is paused)."""
WAITING = 1
"""In a queue."""
SERVING = 2
"""With an agent."""
DONE = 3
"""Answered and finished."""
ABANDONED = 4
"""Gave up waiting (live channels only)."""
BLOCKED = 5
"""Turned away on arrival: the channel was dark or partly out."""
DROPPED = 6
"""Was waiting when the channel went dark."""
NOTICED = 7
"""Met a notice about the disruption (a channel switched to a notice, or spared by one)."""
CLOSED = 8
"""Turned away: the channel was closed (outside its opening hours)."""
UNREACHED = 9
"""A callback that never reached the customer, after every attempt."""
TURNED_AWAY = (BLOCKED, DROPPED, NOTICED, UNREACHED)
"""Live contacts the disruption sent away unanswered: they count against the service level
(:mod:`sim.engine.metrics`); CLOSED is not among them (outside opening hours, offered to
nobody)."""
STATUS_NAMES = (
    "pending",
    "waiting",
    "serving",
    "done",
    "abandoned",
    "blocked",
    "dropped",
    "noticed",
    "closed",
    "unreached",
)
# How a contact came about (RunRecords.attempt).
FIRST = 0
"""The customer's first contact."""
REDIAL = 1
"""The same channel again, after giving up or finding it dark."""
SWITCH = 2
"""Another channel, after finding one dark."""


@dataclass(frozen=True, slots=True)
class EventRecord:
    """Something that happened to the centre, at a run time in minutes."""

    time: float
    kind: str
    """e.g. 'outage_start', 'repair', 'surge_start', 'site_lost', 'data_loss', 'inject'."""
    ref: str
    """Id of what it happened to (a system, site, channel, event or inject)."""
    detail: dict[str, object] = field(default_factory=dict, compare=False, hash=False)
    """Figures that go with it, e.g. {'share': 0.5} or {'rpo': 7.5}."""


@dataclass
class Snapshots:
    """State sampled at a fixed interval: queues, agents at work, agents busy."""

    time: list[float] = field(default_factory=list)
    waiting: list[list[int]] = field(default_factory=list)
    """Contacts waiting per channel, in plan channel order."""
    busy: list[int] = field(default_factory=list)
    staffed: list[int] = field(default_factory=list)
    channels_up: list[list[bool]] = field(default_factory=list)


@dataclass
class RunRecords:
    """Everything one replication recorded; the input of :mod:`sim.engine.metrics`."""

    horizon: float
    warm_up: float
    channel_ids: tuple[str, ...]
    channel_live: tuple[bool, ...]
    arrival: NDArray[np.float64]
    start: NDArray[np.float64]
    """Service start (nan: never served)."""
    end: NDArray[np.float64]
    """Service end, abandonment or drop time (nan: still open)."""
    status: NDArray[np.int8]
    channel: NDArray[np.int64]
    live: NDArray[np.bool_]
    """Whether the contact waited live (False: a ticket, or a call switched to a callback)."""
    rtype: NDArray[np.int64]
    rclass: NDArray[np.int64]
    surge: NDArray[np.bool_]
    events: list[EventRecord]
    channel_log: list[tuple[float, int, bool]]
    """(time, channel index, up) at the start and at every change."""
    staffing_log: list[tuple[float, int, int]]
    """(time, group index, agents at work) at the start and at every change."""
    snapshots: Snapshots
    group_labels: tuple[str, ...] = ()
    """Readable names of the agent groups."""
    service_log: list[tuple[float, str, bool, str]] = field(default_factory=list)
    """(time, channel/system/site, working as required, cause) at every change."""
    response: Any = None
    """The response's record (:class:`sim.response.controller.ResponseRecord`), if a policy ran."""
    resolved: NDArray[np.float64] | None = None
    """Ticket resolved, by the front line or the back office (nan: not yet); None: the
    scenario has no ticket life, a ticket is done at first handling (``end``)."""
    closed: NDArray[np.float64] | None = None
    """Ticket closed after the customer's confirmation (nan: still open); None as above."""
    clock_start: dt.datetime | None = None
    """The scenario's start: run minutes as dates on the plan's working calendar."""
    customer: NDArray[np.int64] | None = None
    """The person behind each contact (None: one person per contact, nobody tries again)."""
    attempt: NDArray[np.int8] | None = None
    """How each contact came about: FIRST, REDIAL or SWITCH (None: all FIRST)."""
    retrying: tuple[int, ...] = ()
    """Customers with another attempt still to come when the records were taken."""
    shared_spans: tuple[tuple[int, float, float], ...] = ()
    """(group, from, to; inf: still busy) of agents holding several chats at once."""
    shared: NDArray[np.bool_] | None = None
    """Contacts served by such an agent (None: no chat concurrency in the run)."""
    derived: dict[tuple[Any, ...], Any] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    """Figures the KPI functions derived from these records, by what they are (records do
    not change once taken): one replication's KPIs read the same ticket due times for every
    window, channel and type, and compute them once. Not copied by ``dataclasses.replace``
    (a subset of the records starts empty)."""

    def __len__(self) -> int:
        return int(self.arrival.shape[0])


def derive(
    rec: RunRecords, key: tuple[Any, ...], compute: Callable[[], T], owner: object = None
) -> T:
    """A figure of ``rec`` computed once and kept in ``rec.derived`` under ``key``.

    Why: a replication's KPIs read the same figures (down intervals, disruptions, ticket
    flags, queue levels) for every window, channel and request type; records do not
    change once taken, so the first reading serves the others. ``owner`` is what else
    the figure depends on (a plan): kept by identity, a figure of another plan that
    happened to get the same ``id`` is computed afresh.
    """
    kept = rec.derived.get(key)
    if kept is None or kept[0] is not owner:
        kept = rec.derived[key] = (owner, compute())
    return cast(T, kept[1])


def remember(rec: RunRecords, key: tuple[Any, ...], value: Any, owner: object = None) -> None:
    """Keep ``value`` as :func:`derive` would have computed it under ``key``: for figures
    computed together for several keys at once (one product counts a dozen masks)."""
    rec.derived[key] = (owner, value)
