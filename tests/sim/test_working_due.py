"""Working-time due times of the ticket KPIs equal the calendar's own ``due``, to the bit.

Why: :func:`sim.engine.ticket_times.working_due` looks up each date's office hours once
instead of calling :meth:`plans.calendar.WorkingCalendar.due` per ticket (issue 19, a
replication's speed); the late-ticket counts rest on these minutes, so they must be the
very floats ``due`` gives, on the default calendar and on odd ones (weekend-only work,
long office days, many holidays) and for limits short and long.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from plans import default_plan_path, load_plan
from plans.calendar import WorkingCalendar
from scenarios import default_scenario_path, load_scenario
from sim.engine.simulation import simulate
from sim.engine.ticket_times import working_due

CALENDARS = {
    "default": None,
    "weekends": WorkingCalendar(days=("sat", "sun")),
    "long days, many holidays": WorkingCalendar(
        hours=(60, 23 * 60),
        holidays=tuple(dt.date(2026, 1, 1) + dt.timedelta(days=k) for k in range(0, 400, 3)),
    ),
}


@pytest.mark.parametrize("name", list(CALENDARS))
def test_working_due_equals_the_calendars_due_for_every_ticket(name):
    plan, scenario = load_plan(default_plan_path()), load_scenario(default_scenario_path())
    cal = CALENDARS[name]
    if cal is not None:
        plan = plan.model_copy(update={"calendar": cal})
    rec = simulate(plan, scenario, 11, "plan", None)
    assert rec.clock_start is not None
    start = rec.clock_start.replace(tzinfo=None)
    tickets = ~rec.live
    assert tickets.sum() > 100
    for limit in (45.0, 500.5, 3 * 1440.0, 7 * 1440 + 17.3, 40 * 1440.0):
        got = working_due(plan, rec, tickets, limit)
        want = np.full(rec.arrival.shape[0], np.inf)
        for i in np.flatnonzero(tickets):
            raised = start + dt.timedelta(minutes=float(rec.arrival[i]))
            want[i] = (plan.calendar.due(raised, limit) - start).total_seconds() / 60
        assert np.array_equal(got, want), (name, limit)
        assert np.isinf(got[~tickets]).all()
