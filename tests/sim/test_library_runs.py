"""Every bundled scenario runs against its plan (shortened), keeping the invariants.

The Chinese editions (plan default_centre_zh, scenarios <name>_zh) simulate exactly as the
English ones: same ids and figures, so the same seed gives the same KPIs.
"""

from __future__ import annotations

import math

import pytest

from plans import default_plan_path, load_plan
from plans.loader import bundled_plans
from scenarios import bundled_scenarios, load_scenario
from sim.analysis.montecarlo import run_monte_carlo
from sim.analysis.targets import objective_values
from sim.engine.metrics import conservation, kpis_for, replication_kpis
from sim.engine.simulation import simulate
from sim.response.decisions import DecisionScript, TimedDecision

SHORT = 6 * 60.0


@pytest.mark.parametrize("policy", ["plan", "none", "scripted"])
@pytest.mark.parametrize("name", sorted(bundled_scenarios()))
def test_bundled_scenario_runs(name, policy):
    scenario = load_scenario(bundled_scenarios()[name])
    plan = load_plan(bundled_plans().get(scenario.meta.plan or "", default_plan_path()))
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


CHINESE_EDITIONS = sorted(n for n in bundled_scenarios() if n.endswith("_zh"))


def _same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


@pytest.mark.parametrize("name", CHINESE_EDITIONS)
def test_chinese_edition_gives_the_same_kpis(name):
    """Same seed, same replications: every KPI and objective of the Chinese plan and
    scenario equals the English one's (names and texts do not enter the simulation)."""
    chinese = load_scenario(bundled_scenarios()[name])
    english = load_scenario(bundled_scenarios()[name.removesuffix("_zh")])
    plans = bundled_plans()
    assert chinese.meta.plan == "default_centre_zh" and english.meta.plan == "default_centre"
    runs = [
        run_monte_carlo(load_plan(plans[s.meta.plan or ""]), s, 3, seed=20260301)
        for s in (english, chinese)
    ]
    en, zh = runs
    assert zh.seeds == en.seeds
    assert set(zh.columns) == set(en.columns)
    for kpi in en.columns:
        assert all(_same(a, b) for a, b in zip(en.columns[kpi], zh.columns[kpi], strict=True)), kpi
    assert [(r.check.kpi, r.met) for r in zh.objectives] == [
        (r.check.kpi, r.met) for r in en.objectives
    ]
    assert [(r.check.kpi, r.met) for r in zh.targets] == [(r.check.kpi, r.met) for r in en.targets]
