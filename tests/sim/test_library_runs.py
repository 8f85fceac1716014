"""Every bundled scenario runs against the default plan (shortened), keeping the invariants."""

from __future__ import annotations

import pytest

from plans import default_plan_path, load_plan
from scenarios import bundled_scenarios, load_scenario
from sim.analysis.targets import objective_values
from sim.engine.metrics import conservation, kpis_for, replication_kpis
from sim.engine.simulation import simulate
from sim.response.decisions import DecisionScript, TimedDecision

SHORT = 6 * 60.0


@pytest.mark.parametrize("policy", ["plan", "none", "scripted"])
@pytest.mark.parametrize("name", sorted(bundled_scenarios()))
def test_bundled_scenario_runs(name, policy):
    plan = load_plan(default_plan_path())
    scenario = load_scenario(bundled_scenarios()[name])
    short = scenario.model_copy(update={"horizon": min(scenario.horizon, SHORT), "warm_up": 0.0})
    script = DecisionScript(
        decisions=(TimedDecision(at=90, action="declare_level", level=2, by="duty_manager"),)
    )
    rec = simulate(plan, short, 1, policy=policy, script=script if policy == "scripted" else None)
    c = conservation(rec)
    assert c["arrived"] == sum(v for k, v in c.items() if k != "arrived")
    assert c["arrived"] > 0
    kpis = replication_kpis(rec, plan)
    assert 0.0 <= kpis["occupancy"] <= 1.0
    objective_values(rec, plan, short)  # every objective is measurable


def test_system_outage_counts_towards_rto_until_repair(default_plan, queue_scenario):
    events = [
        {
            "id": "dp",
            "kind": "outage",
            "target": "data_platform",
            "start": "1h",
            "duration": {"dist": "fixed", "value": "3h"},
        }
    ]
    rec = simulate(default_plan, queue_scenario(events=events, warm_up="0m"), 2, policy="none")
    assert kpis_for(rec, default_plan)["rto"] == pytest.approx(180)
    # measured on the phone channel only, which the data platform does not darken
    assert kpis_for(rec, default_plan, channel="phone")["rto"] == 0


def test_unrepaired_disruption_runs_to_the_end(default_plan, queue_scenario):
    events = [
        {
            "id": "tel",
            "kind": "outage",
            "target": "telephony",
            "start": "20h",
            "duration": {"dist": "fixed", "value": "10h"},
        }
    ]
    rec = simulate(default_plan, queue_scenario(events=events, warm_up="0m"), 2, policy="none")
    assert kpis_for(rec, default_plan)["rto"] == pytest.approx(4 * 60)


def test_kpis_overall_by_channel_and_by_type(default_plan):
    scenario = load_scenario(bundled_scenarios()["crm_outage_monday_peak"])
    rec = simulate(default_plan, scenario, 3)
    kpis = replication_kpis(rec, default_plan)
    for name in ("service_level", "asa", "abandonment", "max_queue", "backlog", "tickets_late"):
        assert name in kpis
        assert all(f"channel.{c.id}.{name}" in kpis for c in default_plan.channels)
        assert all(
            f"type.{t}.{name}" in kpis for t in ("complaint", "consultation", "repair", "business")
        )
    for name in ("availability", "rto"):
        assert all(f"channel.{c.id}.{name}" in kpis for c in default_plan.channels)
    assert "occupancy" in kpis and "rpo" in kpis
    # the channels' offered contacts add up to the whole
    assert sum(kpis[f"channel.{c.id}.offered"] for c in default_plan.channels) == kpis["offered"]
    assert (
        sum(kpis[f"type.{t}.offered"] for t in ("complaint", "consultation", "repair", "business"))
        == kpis["offered"]
    )
