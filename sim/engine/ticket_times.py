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
    """Run minute each ticket's limit runs out, counted in working time on the calendar.

    The same steps as :meth:`plans.calendar.WorkingCalendar.due` (the same datetime and
    float operations in the same order, so the same minute to the bit), without redoing
    per ticket what depends only on the date: whether a day works and when it opens and
    closes are looked up once per date of the run. A replication has about a thousand
    tickets; calling ``due`` for each was most of its ticket KPIs' time.
    """
    assert rec.clock_start is not None
    start = rec.clock_start.replace(tzinfo=None)
    cal = plan.calendar
    left0 = cal.working_limit(limit)
    days: dict[dt.date, tuple[dt.datetime, dt.datetime] | None] = {}
    one_day = dt.timedelta(days=1)
    open_at, close_at = dt.timedelta(minutes=cal.hours[0]), dt.timedelta(minutes=cal.hours[1])

    def office(day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
        """(opens, closes) of a working day, None for a day off."""
        if day not in days:
            midnight = dt.datetime.combine(day, dt.time())
            days[day] = (
                (midnight + open_at, midnight + close_at) if cal.is_working_day(day) else None
            )
        return days[day]

    # every day after the first opens at the office's opening time, so its span is the
    # whole office day: the same timedelta, hence the same float, as WorkingCalendar.due
    full = (close_at - open_at).total_seconds() / 60
    enough = int(left0 // full) + 2  # working days after the first that can use up a limit
    after: dict[dt.date, tuple[list[dt.datetime], dt.date]] = {}

    def following(day: dt.date) -> tuple[list[dt.datetime], dt.date]:
        """Opening times of the next working days after ``day``, and the day after them."""
        if day not in after:
            opens: list[dt.datetime] = []
            nxt = day + one_day
            for _guard in range(3659):  # with the first day: as WorkingCalendar.due's ten years
                if len(opens) >= enough:
                    break
                hours = office(nxt)
                if hours is not None:
                    opens.append(hours[0])
                nxt += one_day
            after[day] = (opens, nxt)
        return after[day]

    due = np.full(rec.arrival.shape[0], np.inf)
    arrival = rec.arrival
    for i in np.flatnonzero(which):
        raised = start + dt.timedelta(minutes=float(arrival[i]))
        left, day, when = left0, raised.date(), dt.datetime.max
        hours = office(day)
        if hours is not None:
            opens, closes = max(raised, hours[0]), hours[1]
            if opens < closes:
                span = (closes - opens).total_seconds() / 60
                if left <= span:
                    due[i] = (opens + dt.timedelta(minutes=left) - start).total_seconds() / 60
                    continue
                left -= span
        opening, day = following(day)
        for opens in opening:
            if left <= full:
                when = opens + dt.timedelta(minutes=left)
                break
            left -= full
        else:  # not enough working days listed (a calendar of rare working days)
            for _guard in range(3660 - (day - raised.date()).days):
                hours = office(day)
                if hours is not None:
                    if left <= full:
                        when = hours[0] + dt.timedelta(minutes=left)
                        break
                    left -= full
                day += one_day
        due[i] = (when - start).total_seconds() / 60
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
