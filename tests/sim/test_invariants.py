"""Invariants every run must keep: conservation, Little's law, agent limits, time order."""

from __future__ import annotations

import numpy as np
import pytest

from sim.engine.metrics import conservation, littles_law
from sim.engine.records import BLOCKED, DONE, SERVING
from sim.engine.simulation import Simulation, simulate

SURGE_AND_OUTAGE = [
    {
        "id": "surge",
        "kind": "complaint_surge",
        "start": "9h",
        "duration": "4h",
        "multiplier": 4,
        "ramp": "30m",
        "request_types": ["complaint", "consultation"],
    },
    {
        "id": "crm",
        "kind": "outage",
        "target": "crm",
        "start": "10h",
        "duration": {"dist": "lognormal", "mean": "2h", "cv": 0.5},
    },
    {
        "id": "tel",
        "kind": "outage",
        "target": "telephony",
        "start": "11h",
        "duration": {"dist": "fixed", "value": "30m"},
    },
    {"id": "flu", "kind": "staff_absence", "start": "1h", "share": 0.2},
]


@pytest.fixture
def busy_day(queue_scenario):
    """The default plan's own staffing and channels on a Monday, with trouble."""

    def edit(d):
        d.pop("staffing")
        d["demand"] = {"hourly": [40] * 7 + [300] * 12 + [120] * 5}
        d["patience"] = {"default": {"dist": "exponential", "mean": "4m"}}

    return queue_scenario(
        edit, start="2026-03-02T00:00:00", horizon="1d", warm_up="0m", events=SURGE_AND_OUTAGE
    )


@pytest.mark.parametrize("policy", ["none", "plan"])
def test_contacts_are_conserved(default_plan, busy_day, policy):
    for seed in (1, 2, 3):
        rec = simulate(default_plan, busy_day, seed, policy=policy)
        c = conservation(rec)
        parts = ("answered", "abandoned", "blocked", "dropped", "noticed", "waiting", "serving")
        assert c["arrived"] == sum(c[k] for k in parts)
        if policy == "none":
            assert (
                c["blocked"] > 0 and c["dropped"] > 0 and c["abandoned"] > 0
            )  # every path exercised
        else:
            assert (
                c["noticed"] > 0 and (~rec.live & np.asarray(rec.channel_live)[rec.channel]).any()
            )  # notices, callbacks


def test_time_order_of_every_contact(default_plan, busy_day):
    rec = simulate(default_plan, busy_day, 4)
    assert np.all(np.diff(rec.arrival) >= 0)
    started = ~np.isnan(rec.start)
    assert np.all(rec.start[started] >= rec.arrival[started])
    ended = ~np.isnan(rec.end)
    assert np.all(rec.end[ended] >= rec.arrival[ended])
    done = rec.status == DONE
    assert np.all(rec.end[done] >= rec.start[done])
    assert np.all(np.isnan(rec.start[rec.status == BLOCKED]))


def test_no_agent_holds_two_contacts(default_plan, busy_day):
    sim = Simulation(default_plan, busy_day, 5)
    rec = sim.run()
    groups = np.asarray(sim.c_group[: len(rec)])
    for g, group in enumerate(sim.groups):
        mine = groups == g
        starts = rec.start[mine]
        ends = np.where(np.isnan(rec.end[mine]), rec.horizon, rec.end[mine])
        times = np.concatenate([starts, ends])
        steps = np.concatenate([np.ones(starts.shape[0]), -np.ones(ends.shape[0])])
        order = np.lexsort((steps, times))
        in_service = np.cumsum(steps[order])
        assert in_service.max(initial=0) <= group.agents, group


def test_serving_never_exceeds_agents_at_work_after_changes_settle(default_plan, busy_day):
    sim = Simulation(default_plan, busy_day, 6)
    for t in range(30, 1440, 30):
        sim.run_until(t)
        for g in range(len(sim.groups)):
            # busy may exceed agents at work only while people finish after a drop
            assert sim.g_busy[g] <= sim.groups[g].agents
            assert sim.g_busy[g] >= 0
    assert sum(sim.status[i] == SERVING for i in range(sim.n)) == sum(sim.g_busy)


@pytest.mark.parametrize("seed", [1, 2])
def test_littles_law(default_plan, queue_scenario, seed):
    # L (time-average number waiting, sampled each minute) = lambda * W, within 3%:
    # over 10 days at utilisation 0.9 the sampled average has a standard error of
    # about 1% of its value.
    def edit(d):
        d["demand"]["rate_per_hour"] = 108

    scenario = queue_scenario(
        edit, horizon="10d", patience={"default": {"dist": "exponential", "mean": "6m"}}
    )
    rec = Simulation(default_plan, scenario, seed, snapshot_every=1.0).run()
    level, rate, wait = littles_law(rec)
    assert level == pytest.approx(rate * wait, rel=0.03)
    assert level > 0.5
