"""Issue 15, parts 2, 5, 6, 7 and the RTO rule: known answers on the tiny plan.

The tiny plan (tests/data/plans/tiny.yaml): the phone depends on the CRM; with policy
'none' nobody activates the standby, so the phone is dark exactly while the scenario's
fixed outage lasts (tests/data/scenarios/tiny_crm.yaml, from 1h).
"""

from __future__ import annotations

import math

import pytest
import yaml

from plans import ModelFileError, load_plan_text
from plans.targets import ServiceGoal
from sim.analysis.montecarlo import run_monte_carlo
from sim.analysis.targets import plan_targets
from sim.engine.goal_metrics import goal_service_level
from sim.engine.kpi_set import all_kpis
from sim.engine.metrics import kpis_for
from sim.engine.simulation import simulate


def _outage(minutes: float, horizon: str = "6h"):
    def edit(d):
        d["horizon"] = horizon
        d["events"][0]["duration"] = {"dist": "fixed", "value": f"{minutes:g}m"}

    return edit


def _mtbf(hours: float):
    def edit(d):
        for s in d["systems"]:
            s["mtbf"] = f"{hours:g}h"

    return edit


def _targets(**fields):
    def edit(d):
        d.setdefault("targets", {}).update(fields)

    return edit


def test_long_run_availability_is_mtbf_over_mtbf_plus_a_fixed_restoration(make_plan, tiny_crm):
    plan = make_plan(_mtbf(10))  # 600 min between failures
    rec = simulate(plan, tiny_crm(_outage(90)), seed=3, policy="none")
    expected = 1 - 90 / (600 + 90)
    kpis = kpis_for(rec, plan)
    assert kpis["availability"] == pytest.approx(expected)
    assert kpis["system.crm.availability"] == pytest.approx(expected)
    assert kpis["system.net.availability"] == 1.0  # this event never touches it
    assert kpis["uptime"] == pytest.approx(1 - 90 / 360)  # the drill-window share, renamed
    phone = kpis_for(rec, plan, channel="phone")
    assert phone["availability"] == pytest.approx(expected)
    assert kpis_for(rec, plan, channel="counter")["availability"] == 1.0
    # over replications: every one restores in exactly 90m, so the CI has no width
    mc = run_monte_carlo(plan, tiny_crm(_outage(90)), 4, seed=5, policy="none")
    s = mc.kpis["availability"]
    assert s.mean == pytest.approx(expected)
    assert s.ci95[1] - s.ci95[0] == pytest.approx(0, abs=1e-12)


@pytest.mark.parametrize(("minutes", "met"), [(20, True), (40, False)])
def test_availability_target_met_when_restoration_is_short_enough(
    make_plan, tiny_crm, minutes, met
):
    # 980h MTBF (5.2): 99.95% allows 58800 * 0.0005 / 0.9995 = 29.4 min a failure
    plan = make_plan()
    mc = run_monte_carlo(plan, tiny_crm(_outage(minutes)), 3, seed=1, policy="none")
    target = {t.check.name: t for t in mc.targets}["availability"]
    assert target.probability == (1.0 if met else 0.0)
    assert mc.kpis["system_availability"].mean == pytest.approx(58800 / (58800 + minutes))
    # 4.1's 99.9% on the channels: 58.9 min allowed, so both restorations meet it
    assert {t.check.name: t for t in mc.targets}["service_availability"].probability == 1.0


def test_a_run_without_a_failed_system_does_not_judge_availability(make_plan, tiny_crm):
    plan = make_plan()
    scenario = tiny_crm(events=[], injects=[])
    mc = run_monte_carlo(plan, scenario, 2, seed=1)
    target = {t.check.name: t for t in mc.targets}["availability"]
    assert target.judged_n == 0
    assert target.to_dict()["not_judged"].startswith("not judged: the scenario fails no system")
    assert target.to_dict()["probability_met"] is None


def test_satisfaction_and_efficiency_are_shown_as_not_simulated(make_plan, tiny_crm):
    mc = run_monte_carlo(make_plan(), tiny_crm(), 2, seed=1)
    by_name = {t.check.name: t.to_dict() for t in mc.targets}
    assert by_name["satisfaction"]["not_judged"].startswith("not simulated")
    assert by_name["efficiency"]["not_judged"].startswith("not simulated")


def test_rto_of_a_service_still_down_past_its_limit_is_not_met(make_plan, tiny_crm):
    # outage 10h, horizon 6h, nobody responds: the phone is down 60 -> 360, 300 >= 240
    plan = make_plan(_targets(recovery_tiers=[{"id": "t1", "services": ["phone"], "rto": "4h"}]))
    mc = run_monte_carlo(plan, tiny_crm(_outage(600)), 3, seed=1, policy="none")
    by_name = {t.check.name: t for t in mc.targets}
    for name in ("rto", "rto.phone"):
        assert by_name[name].met == 0 and by_name[name].judged_n == 3
        assert by_name[name].not_yet_known == 0
    assert mc.kpis["not_restored_for"].mean == pytest.approx(300)


def test_rto_of_a_service_still_down_before_its_limit_is_not_yet_known(make_plan, tiny_crm):
    # horizon 3h: down 60 -> 180 = 2h < 4h when play ends; not met is not yet certain,
    # and met (what a bare 2h <= 4h would say) would be wrong
    plan = make_plan(_targets(recovery_tiers=[{"id": "t1", "services": ["phone", "crm"]}]))
    mc = run_monte_carlo(plan, tiny_crm(_outage(600, horizon="3h")), 3, seed=1, policy="none")
    by_name = {t.check.name: t for t in mc.targets}
    for name in ("rto", "rto.phone", "rto.crm"):
        t = by_name[name]
        assert (t.met, t.judged_n, t.not_yet_known) == (0, 0, 3)
        assert t.to_dict()["probability_met"] is None and t.to_dict()["not_yet_known"] == 3


def test_a_restored_service_is_judged_on_its_restoration(make_plan, tiny_crm):
    plan = make_plan(
        _targets(recovery_tiers=[{"id": "t1", "services": ["phone"], "rto": "1h", "mtd": "2h"}])
    )
    mc = run_monte_carlo(plan, tiny_crm(_outage(90)), 3, seed=1, policy="none")
    by_name = {t.check.name: t for t in mc.targets}
    assert by_name["rto.phone"].probability == 0.0  # 90m > 1h
    assert by_name["mtd.phone"].probability == 1.0  # 90m <= 2h
    assert by_name["rpo.crm"].probability == 1.0  # the CRM holds data; no loss in this event


def test_rpo_per_system_is_the_data_lost_by_that_system(make_plan, tiny_crm):
    plan = make_plan()
    scenario = tiny_crm(
        events=[{"id": "loss", "kind": "data_loss", "system": "crm", "start": "1h02m"}], injects=[]
    )
    rec = simulate(plan, scenario, seed=1)
    loss = next(e for e in rec.events if e.kind == "data_loss")
    kpis = kpis_for(rec, plan)
    assert kpis["system.crm.rpo"] == pytest.approx(float(loss.detail["rpo"])) and kpis["rpo"] > 0
    assert "system.net.rpo" not in kpis  # holds no data


def test_channel_goal_service_level_and_short_abandons(default_plan, queue_scenario):
    def busier(d):
        d["demand"]["rate_per_hour"] = 110

    scenario = queue_scenario(busier, patience={"default": {"dist": "exponential", "mean": "2m"}})
    rec = simulate(default_plan, scenario, seed=11)
    phone = rec.channel_ids.index("phone")
    lo, hi = rec.warm_up, rec.horizon
    same = ServiceGoal(share=0.8, answer_within=default_plan.targets.service_level.answer_within)
    level, short = goal_service_level(rec, phone, same, lo, hi)
    assert short == 0
    assert level == pytest.approx(kpis_for(rec, default_plan, channel="phone")["service_level"])
    levels = [
        goal_service_level(rec, phone, ServiceGoal(answer_within=s / 60), lo, hi)[0]
        for s in (10, 20, 30, 60)
    ]
    assert levels == sorted(levels) and levels[0] < levels[-1]  # a longer threshold never less
    # leaving out every abandon: answered within over answered, by hand
    every = ServiceGoal(answer_within=0.5, short_abandon=10_000)
    level, short = goal_service_level(rec, phone, every, lo, hi)
    mask = (rec.arrival >= lo) & (rec.arrival < hi) & (rec.channel == phone)
    answered = mask & ~(rec.start != rec.start)
    waits = (rec.start - rec.arrival)[answered]
    assert short > 0 and level == pytest.approx(float((waits <= 0.5 + 1e-9).mean()))


def test_goal_targets_per_channel_in_the_default_plan(default_plan):
    checks = {c.name: c for c in plan_targets(default_plan)}
    assert checks["service_level.phone"].threshold == 0.8
    assert checks["service_level.chat"].label.endswith("(answered within 60s)")
    assert checks["service_level.counter"].label.endswith("(answered within 10m)")
    assert checks["asa.phone"].threshold == 0.5 and checks["asa.chat"].threshold == 0.5
    assert "asa.counter" not in checks  # 4.1's response time is not a hall's queue
    assert checks["service_level"].threshold == 0.8  # the plan-wide target stays as it was


def test_short_abandons_are_named_in_the_label(make_plan):
    plan = make_plan(
        _targets(service_goals={"phone": {"answer_within": "20s", "short_abandon": "5s"}})
    )
    check = {c.name: c for c in plan_targets(plan)}["service_level.phone"]
    assert (
        check.label
        == "service level on phone >= 80% (answered within 20s), abandons within 5s left out"
    )


def test_every_kpi_reaches_the_board_and_the_debrief(default_plan, queue_scenario):
    rec = simulate(default_plan, queue_scenario(), seed=2)
    kpis = all_kpis(rec, default_plan, 0.0, 600.0)
    for key in (
        "class.ordinary.service_level",
        "mean_queue",
        "mean_wait_all",
        "goal.phone.service_level",
        "uptime",
        "system.crm.rto",
    ):
        assert key in kpis and not math.isnan(kpis[key]), key


def test_a_tier_naming_an_unknown_service_is_reported_with_line_and_field(tiny_data):
    data = dict(tiny_data)
    data["targets"] = {"recovery_tiers": [{"id": "t1", "services": ["phone", "nosuch"]}]}
    text = yaml.safe_dump(data, sort_keys=False)
    with pytest.raises(ModelFileError) as exc:
        load_plan_text(text, "tiny.yaml")
    message = str(exc.value)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "nosuch" in row)
    assert "recovery_tiers" in message and "nosuch" in message and f":{line}" in message
