"""The vectorised working-time due times equal the loop they replaced, to the bit.

Why: :func:`sim.engine.ticket_times.working_due` now places every ticket's working-time
limit with numpy on whole microseconds instead of a datetime loop per ticket (issue 19:
a replication's KPIs four times cheaper). The late-ticket counts, and with them journals
and the golden run, rest on these minutes, so they must be the very floats the loop
gave: on the default plan, on night office hours with a holiday, for tickets raised
just before a closure or between the microseconds CPython rounds half to even, and on
a calendar of so few working days that the loop's own fallback takes over. The loop is
kept below, as it was, as the reference.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest
from numpy.typing import NDArray

from plans import default_plan_path, load_plan
from plans.calendar import WorkingCalendar
from plans.model import Plan
from scenarios import default_scenario_path, load_scenario
from sim.engine.records import RunRecords
from sim.engine.simulation import simulate
from sim.engine.ticket_times import minutes_us, working_due


# fmt: off
def old_working_due(
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


# fmt: on

LIMITS = (0.5, 45.0, 60.0, 500.5, 539.999, 1440.0, 3 * 1440.0, 7 * 1440 + 17.3, 40 * 1440.0)
MONDAYS = [dt.date(2026, 3, 2) + dt.timedelta(weeks=k) for k in range(0, 600)]
CALENDARS = {
    "default": None,
    "night hours and a holiday": WorkingCalendar(
        hours=(20 * 60, 23 * 60 + 30), holidays=(dt.date(2026, 3, 3), dt.date(2026, 3, 6))
    ),
    "weekends, early hours": WorkingCalendar(days=("sat", "sun"), hours=(1, 7 * 60)),
    "Mondays, nearly all holidays": WorkingCalendar(
        days=("mon",), holidays=tuple(d for k, d in enumerate(MONDAYS) if k % 50)
    ),
}


def _records(plan: Plan) -> RunRecords:
    return simulate(plan, load_scenario(default_scenario_path()), 11, "plan", None)


def _odd_arrivals(n: int) -> NDArray[np.float64]:
    """Minutes over a week: office openings and closings to the microsecond, halves of a
    microsecond (k / 512 minutes is an odd number of half microseconds), random ones."""
    rng = np.random.default_rng(5)
    edges = np.array([d * 1440.0 + h for d in range(8) for h in (0, 60, 539, 540, 1079, 1080)])
    near = np.concatenate([edges, edges - 1 / 60e6, edges + 1 / 60e6, edges - 0.5])
    halves = np.arange(1, 2 * n, 2)[:n] / 512 + rng.integers(0, 7 * 1440, n)
    return np.concatenate([near, halves, rng.uniform(0, 7 * 1440, n)])


def test_minutes_become_the_microseconds_timedelta_makes():
    minutes = np.concatenate([_odd_arrivals(2000), [0.0, 1e-9, 2.5e-8, 123456.789, 86399.99]])
    want = [dt.timedelta(minutes=float(m)) // dt.timedelta(microseconds=1) for m in minutes]
    assert minutes_us(minutes).tolist() == want


@pytest.mark.parametrize("name", list(CALENDARS))
@pytest.mark.parametrize("clock", ["scenario", "odd"])
def test_working_due_equals_the_loop_it_replaced(name, clock):
    plan = load_plan(default_plan_path())
    if CALENDARS[name] is not None:
        plan = plan.model_copy(update={"calendar": CALENDARS[name]})
    rec = _records(plan)
    cases = [(rec, ~rec.live)]  # the run's own tickets
    arrival = _odd_arrivals(600)
    odd = dataclasses.replace(rec, arrival=arrival)  # working_due reads arrivals and the clock
    cases.append((odd, np.ones(arrival.shape[0], dtype=bool)))
    if clock == "odd":
        assert rec.clock_start is not None
        late = rec.clock_start.replace(hour=17, minute=59, second=59, microsecond=999_999)
        cases = [(dataclasses.replace(r, clock_start=late), w) for r, w in cases]
    for case, which in cases:
        assert which.sum() > 100
        for limit in LIMITS:
            got = working_due(plan, case, which, limit)
            want = old_working_due(plan, case, which, limit)
            assert np.array_equal(got, want), (name, clock, limit)
            assert np.isinf(got[~which]).all()


@pytest.mark.parametrize("name", list(CALENDARS))
def test_working_time_never_runs_faster_than_the_clock(name):
    """What :func:`sim.engine.ticket_times.working_due_by_horizon` rests on: a limit of
    L working minutes runs out at least L minutes after the ticket was raised, so the
    ticket KPIs may skip the tickets raised too late to be due by the horizon."""
    plan = load_plan(default_plan_path())
    if CALENDARS[name] is not None:
        plan = plan.model_copy(update={"calendar": CALENDARS[name]})
    rec = dataclasses.replace(_records(plan), arrival=_odd_arrivals(600))
    which = np.ones(rec.arrival.shape[0], dtype=bool)
    for limit in LIMITS:
        after = working_due(plan, rec, which, limit) - rec.arrival
        assert after.min() >= plan.calendar.working_limit(limit) - 1e-6, (name, limit)


def test_the_calendar_of_rare_working_days_really_takes_the_fallback():
    """The Mondays calendar lists fewer working days than a 40-day limit needs: the loop
    finishes those tickets (the case above would pass vacuously otherwise)."""
    cal = CALENDARS["Mondays, nearly all holidays"]
    assert cal is not None
    workdays = [d for d in MONDAYS if cal.is_working_day(d)]
    assert len(workdays) < int(cal.working_limit(40 * 1440.0) // cal.day_length) + 2
