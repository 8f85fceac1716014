"""KPIs a replication computes once and reads many times give what computing them afresh gives.

Why: a replication's KPIs are read over many windows, channels and request types, and
the ticket due times on the working calendar were computed again for each (issue 19);
they are now kept with the records (``RunRecords.derived``). A subset of the records
must not inherit them, and a second reading must equal the first.
"""

from __future__ import annotations

import dataclasses
import gc

from plans import default_plan_path, load_plan
from scenarios import default_scenario_path, load_scenario
from sim.analysis.montecarlo import run_chunk
from sim.engine.kpi_set import replication_set
from sim.engine.simulation import simulate


def test_ticket_due_times_are_kept_once_and_a_subset_starts_without_them():
    plan, scenario = load_plan(default_plan_path()), load_scenario(default_scenario_path())
    rec = simulate(plan, scenario, 3, "plan", None)
    fresh = simulate(plan, scenario, 3, "plan", None)
    first = replication_set(rec, plan)
    assert any(k[0] == "working_due" for k in rec.derived)  # the calendar's due times were kept
    assert replication_set(rec, plan) == first  # read again from what was kept
    assert replication_set(fresh, plan) == first  # and the same as computed afresh
    assert first["tickets_late"] > 0  # the default plan counts some limits in working time
    sub = dataclasses.replace(rec, arrival=rec.arrival.copy())
    assert sub.derived == {} and rec.derived


def test_a_chunk_leaves_the_garbage_collector_as_it_found_it():
    plan, scenario = load_plan(default_plan_path()), load_scenario(default_scenario_path())
    assert gc.isenabled()
    run_chunk(plan, scenario, "plan", None, [1])
    assert gc.isenabled()
    gc.disable()
    try:
        run_chunk(plan, scenario, "plan", None, [1])
        assert not gc.isenabled()
    finally:
        gc.enable()
