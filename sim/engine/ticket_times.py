"""When a ticket's limits run out and when their moments came, for the ticket KPIs.

Why apart from :mod:`sim.engine.metrics`: the plain limits are a subtraction there; a
ticket's life (resolution, closure) and limits counted in working time on the plan's
calendar need these few helpers, which a run without them never calls.
"""

from __future__ import annotations

import datetime as dt
from typing import cast

import numpy as np
from numpy.typing import NDArray

from plans.model import Plan
from sim.engine.records import RunRecords


def ticket_moments(
    rec: RunRecords, started: NDArray[np.float64], finished: NDArray[np.float64]
) -> dict[str, NDArray[np.float64]]:
    """When each limit's moment came (inf: not yet): response and first handling by the
    front line; resolution and closure from the ticket's life when the run has one,
    else the front line's handling (a ticket was done there)."""
    out = {"respond": started, "first_handling": finished}
    if rec.resolved is None or rec.closed is None:
        out.update(resolve=finished, close=finished)
    else:
        out["resolve"] = np.where(np.isnan(rec.resolved), np.inf, rec.resolved)
        out["close"] = np.where(np.isnan(rec.closed), np.inf, rec.closed)
    return out


def working_due(
    plan: Plan, rec: RunRecords, which: NDArray[np.bool_], limit: float
) -> NDArray[np.float64]:
    """Run minute each ticket's limit runs out, counted in working time on the calendar."""
    assert rec.clock_start is not None
    start = rec.clock_start.replace(tzinfo=None)
    due = np.full(rec.arrival.shape[0], np.inf)
    for i in np.flatnonzero(which):
        raised = start + dt.timedelta(minutes=float(rec.arrival[i]))
        due[i] = (plan.calendar.due(raised, limit) - start).total_seconds() / 60
    return due


def class_working_due(plan: Plan, rec: RunRecords, ci: int, limit: float) -> NDArray[np.float64]:
    """:func:`working_due` for every ticket of ticket class ``ci`` (inf for the others),
    computed once per records: each window, channel and type of a replication selects
    from it, and a ticket's due time depends on nothing but when it was raised."""
    key = ("working_due", ci, limit)
    due = rec.derived.get(key)
    if due is None:
        due = rec.derived[key] = working_due(plan, rec, ~rec.live & (rec.rclass == ci), limit)
    return cast(NDArray[np.float64], due)
