"""When a ticket's limits run out and when their moments came, for the ticket KPIs.

Why apart from :mod:`sim.engine.metrics`: the plain limits are a subtraction there; a
ticket's life (resolution, closure) and limits counted in working time on the plan's
calendar need these few helpers, which a run without them never calls.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from numpy.typing import NDArray

from plans.model import Plan
from sim.engine.records import RunRecords, derive


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


US_PER_MINUTE = 60_000_000
US_PER_DAY = 1440 * US_PER_MINUTE


def minutes_us(minutes: NDArray[np.float64]) -> NDArray[np.int64]:
    """``timedelta(minutes=m)`` in whole microseconds, for each ``m >= 0``, as CPython rounds it.

    CPython's constructor splits a float argument with ``modf``: the whole minutes times
    60,000,000 exactly, then the fraction times 60,000,000.0 (one float product), rounded
    half to even on the whole sum; the whole part is even, so rounding the product half
    to even (``np.rint``) gives the same microsecond.
    """
    whole = np.trunc(minutes)
    fraction = minutes - whole  # exact, as modf
    micro = np.rint(fraction * float(US_PER_MINUTE))
    return whole.astype(np.int64) * US_PER_MINUTE + micro.astype(np.int64)


def _us_minutes(us: NDArray[np.int64]) -> NDArray[np.float64]:
    """A timedelta of ``us`` microseconds as ``td.total_seconds() / 60`` gives it (exact
    division of integers below 2**53, then the same float division)."""
    return (us.astype(np.float64) / 1e6) / 60


def working_due(
    plan: Plan, rec: RunRecords, which: NDArray[np.bool_], limit: float
) -> NDArray[np.float64]:
    """Run minute each ticket's limit runs out, counted in working time on the calendar.

    The same steps as :meth:`plans.calendar.WorkingCalendar.due`, on whole microseconds
    (the integers datetime arithmetic works in) and the same float operations in the same
    order, so the same minute to the bit, for all tickets at once: the first day
    (possibly part of one), then one whole office day at a time over the next working
    days of each ticket's date. Only dates are looked up one by one (a run spans a few).
    A replication has about a thousand tickets; a datetime loop over them was most of
    its ticket KPIs' time (issue 19). A ticket the listed working days do not cover (a
    calendar of rare working days) takes :func:`_working_due_loop`.
    """
    assert rec.clock_start is not None
    start = rec.clock_start.replace(tzinfo=None)
    cal = plan.calendar
    base = dt.datetime.combine(start.date(), dt.time())
    start_us = (start - base) // dt.timedelta(microseconds=1)
    open_us, close_us = cal.hours[0] * US_PER_MINUTE, cal.hours[1] * US_PER_MINUTE
    full = dt.timedelta(minutes=cal.hours[1]) - dt.timedelta(minutes=cal.hours[0])
    full_minutes = full.total_seconds() / 60
    left0 = cal.working_limit(limit)
    enough = int(left0 // full_minutes) + 2

    due = np.full(rec.arrival.shape[0], np.inf)
    index = np.flatnonzero(which)
    if not index.size:
        return due
    raised = start_us + minutes_us(rec.arrival[index])  # microseconds since base
    day = raised // US_PER_DAY
    first_day = int(day.min())
    dates = range(first_day, int(day.max()) + 1)  # the dates tickets were raised on
    of_date = day - first_day
    one_day = dt.timedelta(days=1)
    working: dict[int, bool] = {}

    def works(d: int) -> bool:
        if d not in working:
            working[d] = cal.is_working_day(start.date() + d * one_day)
        return working[d]

    # the next `enough` working days after each date (-1: not found in ten years)
    after = np.full((len(dates), enough), -1, dtype=np.int64)
    for u, d in enumerate(dates):
        found, nxt = 0, d + 1
        for _guard in range(3659):
            if found >= enough:
                break
            if works(nxt):
                after[u, found] = nxt
                found += 1
            nxt += 1
    when = np.zeros(index.size, dtype=np.int64)  # microseconds since base, once placed
    placed = np.zeros(index.size, dtype=bool)
    first_works = np.array([works(d) for d in dates], dtype=bool)[of_date]
    opens = np.maximum(raised, day * US_PER_DAY + open_us)
    closes = day * US_PER_DAY + close_us
    today = first_works & (opens < closes)
    span = np.where(today, _us_minutes(closes - opens), 0.0)
    left = np.full(index.size, left0)
    hit = today & (left <= span)
    when[hit] = opens[hit] + minutes_us(left[hit])
    placed |= hit
    cut = today & ~hit
    left[cut] = left[cut] - span[cut]
    # then whole office days, only over the tickets still open (those a day would not
    # list drop out to the loop below)
    todo = np.flatnonzero(~hit)
    left, of_date = left[todo], of_date[todo]
    for k in range(enough):
        if not todo.size:
            break
        nxt = after[of_date, k]
        listed = nxt >= 0
        hit = listed & (left <= full_minutes)
        when[todo[hit]] = nxt[hit] * US_PER_DAY + open_us + minutes_us(left[hit])
        placed[todo[hit]] = True
        more = listed & ~hit
        todo, left, of_date = todo[more], left[more] - full_minutes, of_date[more]
    due[index[placed]] = _us_minutes(when[placed] - start_us)
    if not placed.all():
        rest = np.zeros_like(which)
        rest[index[~placed]] = True
        due[rest] = _working_due_loop(plan, rec, rest, limit)[rest]
    return due


def _working_due_loop(
    plan: Plan, rec: RunRecords, which: NDArray[np.bool_], limit: float
) -> NDArray[np.float64]:
    """:func:`working_due` one ticket at a time, on datetimes: the steps of
    :meth:`plans.calendar.WorkingCalendar.due` with each date's office hours looked up
    once. Kept for the tickets :func:`working_due` cannot place from its list of working
    days (a calendar with few of them), where it continues as ``due`` does.
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


def working_due_by_horizon(
    plan: Plan, rec: RunRecords, ci: int, limit: float
) -> NDArray[np.float64]:
    """:func:`working_due` of the tickets of ticket class ``ci`` that could be due by the
    horizon, inf for the others; kept with the records (each window, channel and type
    of a replication reads it, and a due time depends only on when a ticket was raised).

    Working time runs no faster than the clock, so a limit of ``L`` working minutes
    runs out no sooner than ``L`` minutes after the ticket was raised; a ticket raised
    later than the horizon less ``L`` (with a minute to spare, far above the
    microseconds of rounding) cannot be due by the horizon, and a ticket is late only
    when its moment came, or the horizon, after its due time. Those tickets are never
    late either way, and their due time need not be worked out: on an 8-hour drill with
    a limit of 3 working days, none is (issue 19).
    """

    def compute() -> NDArray[np.float64]:
        soon = rec.arrival + plan.calendar.working_limit(limit) <= rec.horizon + 1.0
        return working_due(plan, rec, ~rec.live & (rec.rclass == ci) & soon, limit)

    return derive(rec, ("working_due", ci, limit, "by_horizon", id(plan)), compute, plan)
