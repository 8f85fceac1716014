"""A ticket's whole life (issue 14 part 7): calendar limits, back office, closure.

Known answers on the plan's working calendar (a ticket raised Friday 17:00 with a
3-working-day limit is due Wednesday 17:00; a holiday moves it a day), a hand-made
ticket whose lateness depends on counting clock or working time, conservation of the
back office's tickets, and on common random numbers: a smaller back office never
leaves fewer tickets late.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from plans.calendar import WorkingCalendar
from plans.model import Plan
from plans.types import FROM_FILE
from sim.engine.metrics import kpis_for
from sim.engine.simulation import Simulation, simulate

FRIDAY_5PM = dt.datetime(2026, 3, 6, 17, 0)  # a Friday
THREE_DAYS = 3 * 1440


@pytest.mark.parametrize(
    ("raised", "holidays", "due"),
    [
        (FRIDAY_5PM, (), dt.datetime(2026, 3, 11, 17, 0)),  # Wednesday 17:00
        (FRIDAY_5PM, (dt.date(2026, 3, 9),), dt.datetime(2026, 3, 12, 17, 0)),  # Monday off
        (dt.datetime(2026, 3, 7, 10, 0), (), dt.datetime(2026, 3, 11, 18, 0)),  # Saturday
        (dt.datetime(2026, 3, 6, 19, 0), (), dt.datetime(2026, 3, 11, 18, 0)),  # after hours
        (dt.datetime(2026, 3, 9, 9, 0), (), dt.datetime(2026, 3, 11, 18, 0)),  # Monday open
    ],
)
def test_three_working_days_on_the_calendar(raised, holidays, due):
    calendar = WorkingCalendar.model_validate(
        {"days": "weekdays", "hours": "09:00-18:00", "holidays": list(holidays)}
    )
    assert calendar.due(raised, THREE_DAYS) == due


def test_working_hours_count_within_the_day():
    calendar = WorkingCalendar()  # weekdays 09:00-18:00
    assert calendar.due(FRIDAY_5PM, 30) == dt.datetime(2026, 3, 6, 17, 30)
    assert calendar.due(FRIDAY_5PM, 120) == dt.datetime(2026, 3, 9, 10, 0)


def plan_with(plan: Plan, calendar: dict | None = None) -> Plan:
    data = plan.model_dump(mode="json")
    if calendar is not None:
        data["calendar"] = calendar
    return Plan.model_validate(data, context={FROM_FILE: True})


def ticket_scenario(queue_scenario, back_office_agents, horizon="3d", start=None, **life):
    def edit(d):
        d["demand"]["channels"] = {"app": 1.0}
        d["demand"]["classes"] = {"urgent": 0.2, "ordinary": 0.6, "complex": 0.2}
        d["staffing"] = [{"site": "main_centre", "agents": 10, "skills": ["app"]}]
        d["horizon"] = horizon
        if start:
            d["start"] = start
        d["tickets"] = {
            "back_office": {
                "agents": back_office_agents,
                "hours": "always",
                "share": {"urgent": 1.0, "ordinary": 0.5, "complex": 1.0},
                "effort": {"dist": "exponential", "mean": "40m"},
            },
            **life,
        }

    return queue_scenario(edit)


def test_without_a_ticket_life_the_records_are_todays(default_plan, queue_scenario):
    rec = simulate(default_plan, queue_scenario(), 2)
    assert rec.resolved is None and rec.closed is None


def test_back_office_resolves_after_first_handling_and_keeps_its_backlog(
    default_plan, queue_scenario
):
    scenario = ticket_scenario(
        queue_scenario, 3, confirmation={"dist": "fixed", "value": "2h"}, horizon="1d"
    )
    sim = Simulation(default_plan, scenario, 4)
    rec = sim.run()
    done = ~np.isnan(rec.end)
    handed = np.zeros(len(rec), dtype=bool)
    handed[list(sim.tickets.handed)] = True
    resolved = ~np.isnan(rec.resolved)
    assert (rec.resolved[resolved] >= rec.end[resolved]).all()
    assert (rec.resolved[done & ~handed] == rec.end[done & ~handed]).all()  # front line
    assert (rec.resolved[handed & resolved] > rec.end[handed & resolved]).all()
    closed = ~np.isnan(rec.closed)
    assert np.allclose(rec.closed[closed], rec.resolved[closed] + 120)
    # conservation: every ticket handed over is resolved, in service or waiting
    in_service = sim.tickets.busy
    waiting = sim.tickets.back_office_backlog()
    assert (handed & ~resolved).sum() == in_service + waiting
    k = kpis_for(rec, default_plan)
    measured = rec.arrival >= rec.warm_up
    assert k["back_office_backlog"] == (handed & ~resolved & measured).sum()
    assert waiting > 0  # 3 people at 40 min cannot keep up: the backlog is carried


def test_a_smaller_back_office_never_leaves_fewer_tickets_late(default_plan, queue_scenario):
    for seed in (1, 2, 3):
        late = []
        for agents in (12, 8, 5, 3):
            rec = simulate(default_plan, ticket_scenario(queue_scenario, agents), seed)
            late.append(kpis_for(rec, default_plan)["tickets_late.urgent.resolve"])
        assert all(b >= a for a, b in zip(late, late[1:], strict=False)), late
        assert late[-1] > late[0]


def test_a_friday_ticket_is_late_in_clock_time_but_not_in_working_days(
    default_plan, queue_scenario, customers
):
    """Raised Friday 17:00, resolved by the back office 4 days later (Tuesday 17:05):
    past a 3-day limit by the clock, within 3 working days (due Wednesday 17:00)."""
    app = default_plan.channels.index(next(c for c in default_plan.channels if c.id == "app"))
    scenario = ticket_scenario(queue_scenario, 1, horizon="6d", start="2026-03-06T17:00:00")
    data = scenario.model_dump(mode="json")
    data["tickets"]["back_office"]["effort"] = {"dist": "fixed", "value": "4d"}
    data["tickets"]["back_office"]["share"] = {"ordinary": 1.0}
    data["warm_up"] = "0m"  # the Friday 17:00 ticket is measured
    scenario = type(scenario).model_validate(data, context={FROM_FILE: True})
    rows = [(0.0, app, 5.0, float("inf"), "ordinary")]
    sim = Simulation(default_plan, scenario, 1, customers=customers(rows))
    rec = sim.run()
    assert rec.closed[0] == pytest.approx(5 + 4 * 1440)
    clock = plan_with(default_plan, {"working_limits": {}})  # every limit in clock time
    by_clock = kpis_for(rec, clock)
    working = plan_with(default_plan, {"working_limits": {"ordinary": ["close"]}})
    by_working = kpis_for(rec, working)
    assert by_clock["tickets_late.ordinary.close"] == 1
    assert by_working["tickets_late.ordinary.close"] == 0
    holiday = plan_with(
        default_plan,
        {"working_limits": {"ordinary": ["close"]}, "holidays": ["2026-03-09"]},
    )
    assert kpis_for(rec, holiday)["tickets_late.ordinary.close"] == 0
