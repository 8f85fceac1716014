"""Exact event logs: hand-made customers with fixed times, results known to the minute.

Channel indexes are the default plan's: 0 phone (live), 1 chat (live), 2 app (ticket),
3 web (ticket), 4 counter (live).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.engine.records import ABANDONED, BLOCKED, DONE, DROPPED, SERVING, WAITING
from sim.engine.simulation import Simulation

INF = math.inf


def run(plan, scenario, rows, customers, until=None):
    sim = Simulation(plan, scenario, seed=1, customers=customers(rows))
    if until is None:
        return sim.run()
    sim.run_until(until)
    return sim.records()


def one_agent(queue_scenario, skills=("phone",), agents=1, **fields):
    return queue_scenario(
        staffing=[{"site": "main_centre", "agents": agents, "skills": list(skills)}],
        warm_up="0m",
        **fields,
    )


def test_fifo_single_agent(default_plan, queue_scenario, customers):
    rec = run(
        default_plan,
        one_agent(queue_scenario),
        [(0, 0, 2, INF, "ordinary"), (1, 0, 2, INF, "ordinary"), (2, 0, 2, INF, "ordinary")],
        customers,
    )
    assert rec.start.tolist() == [0, 2, 4]
    assert rec.end.tolist() == [2, 4, 6]
    assert rec.status.tolist() == [DONE] * 3


def test_urgent_goes_before_earlier_ordinary(default_plan, queue_scenario, customers):
    rows = [
        (0, 0, 5, INF, "ordinary"),
        (1, 0, 1, INF, "ordinary"),
        (2, 0, 1, INF, "urgent"),
        (3, 0, 1, INF, "complex"),
    ]
    rec = run(default_plan, one_agent(queue_scenario), rows, customers)
    assert rec.start.tolist() == [0, 6, 5, 7]  # urgent first; complex and ordinary FCFS


def test_abandonment_at_patience(default_plan, queue_scenario, customers):
    rows = [(0, 0, 10, INF, "ordinary"), (1, 0, 2, 3, "ordinary"), (2, 0, 2, 30, "ordinary")]
    rec = run(default_plan, one_agent(queue_scenario), rows, customers)
    assert rec.status.tolist() == [DONE, ABANDONED, DONE]
    assert rec.end[1] == 4
    assert rec.start[2] == 10  # the one who gave up is skipped, not served


def test_live_before_ticket_and_specialist_first(default_plan, queue_scenario, customers):
    scenario = queue_scenario(
        warm_up="0m",
        staffing=[
            {"site": "main_centre", "agents": 1, "skills": ["phone", "app"]},
            {"site": "main_centre", "agents": 1, "skills": ["phone"]},
        ],
    )
    # The first phone call goes to the phone-only agent (group 1), keeping the
    # generalist free; the second to the generalist. When the generalist frees at 3,
    # the waiting phone call (arrived 2.5) goes before the ticket (arrived 2).
    rows = [
        (0, 0, 10, INF, "ordinary"),
        (1, 0, 2, INF, "ordinary"),
        (2, 2, 1, INF, "ordinary"),
        (2.5, 0, 1, INF, "ordinary"),
    ]
    sim = Simulation(default_plan, scenario, seed=1, customers=customers(rows))
    rec = sim.run()
    assert sim.c_group[:2] == [1, 0]
    assert rec.start.tolist() == [0, 1, 4, 3]


def test_run_until_pauses_with_exact_state(default_plan, queue_scenario, customers):
    rows = [(0, 0, 2, INF, "ordinary"), (1, 0, 2, INF, "ordinary"), (5, 0, 1, INF, "ordinary")]
    rec = run(default_plan, one_agent(queue_scenario), rows, customers, until=1.5)
    assert len(rec) == 2  # the third has not arrived
    assert rec.status.tolist() == [SERVING, WAITING]


def test_shift_end_lets_agents_finish_then_stop(default_plan, queue_scenario, customers):
    # 2026-03-02 is a Monday; start at 14:50, the plan's early shift ends at 15:00 and
    # nobody works the late shift in this staffing.
    scenario = queue_scenario(
        start="2026-03-02T14:50:00",
        warm_up="0m",
        horizon="1h",
        staffing=[{"site": "main_centre", "shift": "early", "agents": 1, "skills": ["phone"]}],
    )
    rows = [(0, 0, 15, INF, "ordinary"), (1, 0, 1, INF, "ordinary")]
    rec = run(default_plan, scenario, rows, customers)
    assert rec.status.tolist() == [DONE, WAITING]  # the call in hand is finished at 15:05
    assert rec.end[0] == 15


def test_outage_blocks_arrivals_and_drops_live_queue(default_plan, queue_scenario, customers):
    # telephony fails at 3 for a fixed 4 minutes: phone goes dark, its queue is dropped,
    # calls arriving in the dark are blocked.
    scenario = one_agent(
        queue_scenario,
        events=[
            {
                "id": "tel",
                "kind": "outage",
                "target": "telephony",
                "start": "3m",
                "duration": {"dist": "fixed", "value": "4m"},
            }
        ],
        horizon="30m",
    )
    rows = [
        (0, 0, 5, INF, "ordinary"),
        (1, 0, 1, INF, "ordinary"),
        (4, 0, 1, INF, "ordinary"),
        (8, 0, 1, INF, "ordinary"),
    ]
    rec = run(default_plan, scenario, rows, customers)
    assert rec.status.tolist() == [DONE, DROPPED, BLOCKED, DONE]
    assert rec.end[1] == 3 and rec.end[2] == 4
    assert rec.start[3] == 8
    assert [(t, up) for t, c, up in rec.channel_log if c == 0] == [
        (0.0, True),
        (3.0, False),
        (7.0, True),
    ]


def test_crm_outage_slows_phone_by_the_plan_factor(default_plan, queue_scenario, customers):
    scenario = one_agent(
        queue_scenario,
        events=[
            {
                "id": "crm",
                "kind": "outage",
                "target": "crm",
                "start": "10m",
                "duration": {"dist": "fixed", "value": "1h"},
            }
        ],
        horizon="2h",
    )
    rows = [(0, 0, 5, INF, "ordinary"), (20, 0, 5, INF, "ordinary"), (90, 0, 5, INF, "ordinary")]
    rec = run(default_plan, scenario, rows, customers)
    factor = next(
        d.handle_time_factor
        for c in default_plan.channels
        if c.id == "phone"
        for d in c.degraded_by
        if d.system == "crm"
    )
    assert (rec.end - rec.start).tolist() == pytest.approx([5, 5 * factor, 5])


def test_queued_tickets_wait_through_an_outage(default_plan, queue_scenario, customers):
    scenario = one_agent(
        queue_scenario,
        skills=("app",),
        events=[
            {
                "id": "tk",
                "kind": "outage",
                "target": "ticketing",
                "start": "1m",
                "duration": {"dist": "fixed", "value": "10m"},
            }
        ],
        horizon="1h",
    )
    rows = [(0, 2, 5, INF, "ordinary"), (0.5, 2, 1, INF, "ordinary"), (2, 2, 1, INF, "ordinary")]
    rec = run(default_plan, scenario, rows, customers)
    # The ticket in hand is finished; the queued one is kept (not dropped, unlike a
    # live queue) and worked when the app is back at 11; one arriving in the dark is
    # turned away.
    assert rec.status.tolist() == [DONE, DONE, BLOCKED]
    assert rec.start[1] == 11


def test_staff_absence_removes_agents(default_plan, queue_scenario, customers):
    scenario = one_agent(
        queue_scenario,
        agents=2,
        events=[{"id": "flu", "kind": "staff_absence", "start": "1m", "share": 0.5}],
        horizon="1h",
    )
    rows = [(0, 0, 10, INF, "ordinary"), (2, 0, 1, INF, "ordinary"), (3, 0, 1, INF, "ordinary")]
    rec = run(default_plan, scenario, rows, customers)
    assert rec.start.tolist() == [0, 10, 11]  # only one agent left after the absence


def test_disaster_takes_the_site_staff_then_remote_share(default_plan, queue_scenario, customers):
    scenario = one_agent(
        queue_scenario,
        agents=10,
        events=[
            {
                "id": "typhoon",
                "kind": "disaster",
                "site": "main_centre",
                "start": "0m",
                "duration": {"dist": "fixed", "value": "10h"},
                "staff_unavailable": 1.0,
                "remote_after": "1h",
                "remote_share": 0.3,
            }
        ],
        horizon="3h",
    )
    sim = Simulation(
        default_plan, scenario, seed=1, customers=customers([(0.5, 0, 1, INF, "ordinary")])
    )
    sim.run_until(30)
    assert sim.g_staffed == [0]
    sim.run_until(61)
    assert sim.g_staffed == [3]
    assert sim.records().start.tolist() == [60.0]


def test_data_loss_rpo_is_time_since_last_replication(default_plan, queue_scenario, customers):
    scenario = one_agent(
        queue_scenario,
        events=[{"id": "loss", "kind": "data_loss", "system": "crm", "start": "37m"}],
        horizon="1h",
    )
    sim = Simulation(default_plan, scenario, seed=1, customers=customers([]))
    rec = sim.run()
    interval = next(s.replication_interval for s in default_plan.systems if s.id == "crm")
    phase = sim.replication_phase["crm"]
    (loss,) = [e for e in rec.events if e.kind == "data_loss"]
    assert loss.detail["rpo"] == pytest.approx((37 - phase) % interval)
    assert 0 <= loss.detail["rpo"] < interval


def test_no_customers_no_crash(default_plan, queue_scenario, customers):
    rec = run(default_plan, one_agent(queue_scenario), [], customers)
    assert len(rec) == 0
    assert np.asarray(rec.snapshots.busy).max() == 0


def test_site_network_loss_sends_its_agents_home_and_partial_outage_halves(
    default_plan, queue_scenario, customers
):
    scenario = queue_scenario(
        warm_up="0m",
        horizon="5h",
        staffing=[
            {"site": "main_centre", "agents": 10, "skills": ["phone"]},
            {"site": "second_centre", "agents": 10, "skills": ["phone"]},
        ],
        events=[
            # both links of the main centre: the site cannot work without one
            {
                "id": "net",
                "kind": "outage",
                "target": "network_a",
                "start": "1h",
                "duration": {"dist": "fixed", "value": "1h"},
            },
            {
                "id": "net2",
                "kind": "outage",
                "target": "network_a_backup",
                "start": "1h",
                "duration": {"dist": "fixed", "value": "1h"},
            },
            {
                "id": "half",
                "kind": "outage",
                "target": "second_centre",
                "start": "3h",
                "share": 0.5,
                "duration": {"dist": "fixed", "value": "1h"},
            },
        ],
        injects=[{"at": "30m", "title": "Alarm", "message": "Network alarms at the main centre"}],
    )
    sim = Simulation(default_plan, scenario, seed=1, customers=customers([]))
    staffed = {}
    for t in (30, 90, 150, 210, 270):
        sim.run_until(t)
        staffed[t] = list(sim.g_staffed)
    assert staffed == {30: [10, 10], 90: [0, 10], 150: [10, 10], 210: [10, 5], 270: [10, 10]}
    assert [(e.time, e.ref) for e in sim.events if e.kind == "inject"] == [(30.0, "Alarm")]
