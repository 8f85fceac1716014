"""The columns a history export is read into, shared by the reader and the fitting.

Why columns of numpy arrays and not one object a row: a million-row export must fit in
bounded memory and the fits (maximum likelihood, Kaplan-Meier, counts by interval) work on
whole columns. Times are seconds since the Unix epoch (UTC, float64); ``utc_offset_s`` gives
each row's offset from UTC in its plan time zone so weekday and interval are read in the
centre's local time. Text columns are numpy object arrays of ``str``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
TextArray = npt.NDArray[np.object_]

HistoryKind = Literal["contacts", "intervals"]
Outcome = Literal["answered", "abandoned", "blocked"]
OUTCOMES: tuple[Outcome, ...] = ("answered", "abandoned", "blocked")


@dataclass(frozen=True)
class RowProblem:
    """One bad row or value: where it is and why it was not used."""

    line: int  # 1-based line in the file, the header being line 1
    column: str  # the column as named in the file ("" for the whole row)
    reason: str  # a translated sentence a person reads


@dataclass(frozen=True)
class Provenance:
    """Where the rows came from and how many were kept, for the scenario's header."""

    path: str
    sha256: str
    kind: HistoryKind
    rows_read: int
    rows_used: int
    rows_dropped: int
    first: float  # earliest time used, epoch seconds
    last: float  # latest time used (interval records: the last interval's end)
    time_zone: str  # IANA name the local times were read in


@dataclass(frozen=True)
class ContactHistory:
    """Contact records: one row a contact (call, chat, counter visit, ticket)."""

    arrived_at: FloatArray  # epoch seconds, UTC
    utc_offset_s: FloatArray  # local time = arrived_at + utc_offset_s
    channel: TextArray
    request_type: TextArray
    service_class: TextArray  # the file's ``class`` column
    waited_s: FloatArray  # time in queue until answered or abandoned
    handled_s: FloatArray  # handle time; NaN when not answered
    outcome: TextArray  # one of OUTCOMES
    customer_id: TextArray | None  # None when the file has no customer ids
    provenance: Provenance
    problems: tuple[RowProblem, ...] = ()  # the first ones found, at most MAX_SHOWN
    problem_count: int = 0  # all of them

    kind: HistoryKind = field(default="contacts", init=False)


@dataclass(frozen=True)
class IntervalHistory:
    """Interval records: one row a channel and 15/30/60-minute interval."""

    interval_start: FloatArray  # epoch seconds, UTC
    utc_offset_s: FloatArray
    interval_minutes: IntArray
    channel: TextArray
    offered: IntArray
    answered: IntArray
    abandoned: IntArray
    aht_s: FloatArray  # average handle time of the answered
    asa_s: FloatArray  # average speed of answer of the answered
    answered_within_threshold: IntArray | None  # None when the column is absent
    agents: FloatArray | None  # agents staffed on average, None when absent
    provenance: Provenance
    problems: tuple[RowProblem, ...] = ()
    problem_count: int = 0

    kind: HistoryKind = field(default="intervals", init=False)


History = ContactHistory | IntervalHistory
MAX_SHOWN = 20
"""Problems printed by name; all are counted."""
