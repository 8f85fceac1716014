"""The plan acted out: exact timings, escalation, policies, decisions, RPO.

The hand-built plan is tests/data/plans/tiny.yaml with answering times made exact
(``response_time_cv: 0``). Ann (commander) is always on call and answers in 5m; Bob
(duty manager) is on call weekdays 08:00-20:00 (5m; 30m off call); Cat (IT on call,
deputy of both) is always on call and answers in 10m. Roles wait 10m before calling
the next person. The CRM's standby needs the commander's approval (5m) and 30m to
come up; the phone channel depends on the CRM.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.engine.metrics import kpis_for
from sim.engine.simulation import Simulation, simulate
from sim.response.decisions import Decision, DecisionScript, TimedDecision
from sim.response.metrics import response_kpis
from sim.response.reach import reach_role


def exact(d):
    d["response"] = {"response_time_cv": 0, "alarm_delay": "5m"}


@pytest.fixture
def tiny_plan(make_plan):
    return make_plan(exact)


def test_known_rto_exactly(tiny_plan, tiny_crm):
    # outage 60; alarm 65; duty (Bob, on call) reached 70, reports and grades at 70
    # (level 3: nothing in the criteria is met); activation: the commander (Ann) at 75;
    # handling: IT (Cat) reached at 85, approval by the already reached commander 5m
    # -> 90, activation 30m -> standby active at 120. The phone was dark 60-120.
    rec = simulate(tiny_plan, tiny_crm(), seed=1, policy="plan")
    incident = rec.response.incidents[0]
    assert incident.detected == 65
    assert incident.levels == [(70, 3, "plan")]
    assert {n: (s.started, s.done) for n, s in incident.steps.items() if n != "review_improve"} == {
        "discover_report": (60, 70),
        "assess_grade": (70, 70),
        "activate": (70, 75),
        "handle_coordinate": (75, 120),
        "track_feedback": (120, 120),
    }
    assert rec.response.activations[0] | {} == {
        "backup": "crm_b",
        "decided": 85,
        "active": 120,
        "attempts": 1,
        "failures": 0,
        "by": "plan",
        "incident": "incident_1",
    }
    kpis = kpis_for(rec, tiny_plan)
    assert kpis["rto"] == 60
    assert kpis_for(rec, tiny_plan, channel="phone")["uptime"] == pytest.approx(1 - 60 / 360)
    r = response_kpis(rec)
    assert r["step.discover_report.late"] == 0  # 10m, limit 10m
    assert r["restored_by_backup"] >= 1 and r["backup.crm_b.active_after_discovery"] == 55


def test_none_policy_waits_for_repair(tiny_plan, tiny_crm):
    rec = simulate(tiny_plan, tiny_crm(), seed=1, policy="none")
    assert rec.response.activations == []
    assert kpis_for(rec, tiny_plan)["rto"] == 300  # down from 60 to the end of the run
    assert rec.response.incidents[0].detected == 65  # the alarm still rings


def test_failed_activation_is_retried(make_plan, tiny_crm):
    def flaky(d):
        exact(d)
        next(s for s in d["systems"] if s["id"] == "crm_b")["activation"].update(
            {"failure_probability": 0.6, "retry_after": "10m"}
        )

    plan = make_plan(flaky)
    records = [simulate(plan, tiny_crm(), seed=s, policy="plan").response for s in range(12)]
    runs = [r.activations[0] for r in records if r.activations]  # some never succeed in 6 hours
    assert len(runs) >= 8
    for act in runs:
        assert act["active"] == 120 + (act["attempts"] - 1) * 40  # each failure costs 10m + 30m
        assert act["failures"] == act["attempts"] - 1
    assert {a["attempts"] for a in runs} > {1}


def test_escalation_when_the_holder_and_deputy_do_not_answer(make_plan, tiny_crm):
    # Saturday: Bob is off call and cannot be reached off call; his deputy Dan has no
    # off-call number either. After 10m each, the call goes up the duty manager's
    # escalation line to the commander: Ann, called at 20m, answers at 25m.
    def unreachable_duty(d):
        exact(d)
        d["people"].append(
            {
                "id": "dan",
                "name": "Dan",
                "on_call": [{"days": "weekdays", "hours": "08:00-20:00"}],
                "response_time": {"on_call": "5m"},
            }
        )
        bob = next(p for p in d["people"] if p["id"] == "bob")
        bob["response_time"] = {"on_call": "5m"}
        duty = next(r for r in d["roles"] if r["id"] == "duty")
        duty["deputies"] = ["dan"]

    plan = make_plan(unreachable_duty)
    saturday_noon = 5 * 1440 + 12 * 60
    reach = reach_role(plan, "duty", saturday_noon, np.random.default_rng(0))
    assert (reach.delay, reach.person, reach.via) == (25, "ann", "commander")
    assert [(p, called) for p, called, _ in reach.calls] == [("bob", 0), ("dan", 10), ("ann", 20)]
    rec = simulate(plan, tiny_crm(start="2026-03-07T12:00:00"), seed=1, policy="plan")
    assert rec.response.reached["duty"]["via"] == "commander"
    assert rec.response.incidents[0].steps["discover_report"].done == 65 + 25
    # a weekday, Bob answers himself
    assert reach_role(plan, "duty", 12 * 60, np.random.default_rng(0)).person == "bob"


def test_nobody_at_all_leaves_the_role_unreached(make_plan, tiny_crm):
    def nobody(d):
        exact(d)
        for p in d["people"]:
            p["on_call"] = []
            p["response_time"] = {"on_call": "5m"}

    plan = make_plan(nobody)
    reach = reach_role(plan, "it", 0, np.random.default_rng(0))
    assert math.isinf(reach.delay) and reach.person is None
    rec = simulate(plan, tiny_crm(), seed=1, policy="plan")
    assert rec.response.incidents[0].steps["discover_report"].done is None
    assert response_kpis(rec)["roles_unreached"] >= 1


def test_scripted_decision_changes_nothing_before_its_time(tiny_plan, tiny_crm):
    script = DecisionScript(
        decisions=(TimedDecision(at=150, action="activate_backup", target="crm_b", by="room"),)
    )
    with_it = Simulation(tiny_plan, tiny_crm(), 4, policy="scripted", script=script)
    without = Simulation(tiny_plan, tiny_crm(), 4, policy="scripted", script=DecisionScript())
    for sim in (with_it, without):
        sim.run_until(149.999)
    a, b = with_it.records(), without.records()
    for field in ("arrival", "start", "end", "status"):
        assert np.array_equal(getattr(a, field), getattr(b, field), equal_nan=True)
    assert with_it.state() == without.state()
    with_it.run_until(360)
    assert with_it.response.record.activations[0]["active"] == 150 + 5 + 30  # approval, activation


def test_refused_decisions_change_nothing(tiny_plan, tiny_crm):
    refused = [
        Decision(action="activate_backup", target="nope"),
        Decision(action="activate_backup", target="phone"),  # a channel, not a standby
        Decision(action="call_in_reserves", target="crm_b"),
        Decision(action="escalate", target="crm"),
        Decision(action="declare_level"),
        Decision(action="switch_to_notice", target="counter"),  # not in the plan's flow
    ]
    sim = Simulation(tiny_plan, tiny_crm(), 5, policy="scripted")
    early = Simulation(tiny_plan, tiny_crm(), 5, policy="scripted")
    assert not early.decide(
        Decision(action="activate_backup", target="crm_b")
    ).accepted  # nothing open yet
    for s in (sim, early):
        s.run_until(100)
    before = sim.state()
    verdicts = [sim.decide(d) for d in refused]
    assert not any(v.accepted for v in verdicts)
    assert [v.reason for v in verdicts][:2] == [
        "unknown id 'nope'",
        "'phone' is not a system or site, which activate_backup needs",
    ]
    assert "flow has no switch_to_notice on 'counter'" in verdicts[-1].reason
    assert sim.state() == before
    reference = Simulation(tiny_plan, tiny_crm(), 5, policy="scripted")
    reference.run_until(360)
    sim.run_until(360)
    for field in ("arrival", "start", "end", "status"):
        assert np.array_equal(
            getattr(sim.records(), field), getattr(reference.records(), field), equal_nan=True
        )


def test_accepted_decision_is_taken_and_a_second_is_refused(tiny_plan, tiny_crm):
    sim = Simulation(tiny_plan, tiny_crm(), 6, policy="scripted")
    sim.run_until(100)
    assert sim.decide(Decision(action="declare_level", level=2, by="duty")).accepted
    assert sim.decide(Decision(action="activate_backup", target="crm_b", by="commander")).accepted
    again = sim.decide(Decision(action="activate_backup", target="crm_b"))
    assert (again.accepted, again.reason) == (False, "'crm_b' is already being activated")
    sim.run_until(136)
    assert sim.state()["backups"]["crm_b"] == "active"
    assert sim.decide(Decision(action="close", by="commander")).accepted
    assert not sim.decide(Decision(action="close")).accepted  # nothing open any more


@pytest.mark.parametrize(
    "name",
    [
        "crm_outage_monday_peak",
        "telephony_outage",
        "typhoon_site_closure",
        "ransomware_data_platform",
        "surge_and_outage",
        "network_loss_one_site",
    ],
)
def test_no_action_never_beats_the_plan_on_rto(default_plan, name):
    from scenarios import bundled_scenarios, load_scenario

    sc = load_scenario(bundled_scenarios()[name])
    for seed in (1, 2, 3):
        planned = kpis_for(simulate(default_plan, sc, seed, policy="plan"), default_plan)["rto"]
        nobody = kpis_for(simulate(default_plan, sc, seed, policy="none"), default_plan)["rto"]
        assert nobody >= planned - 1e-9, (name, seed, nobody, planned)


def test_replication_lag_gives_the_rpo(tiny_plan, tiny_crm):
    # crm replicates every 5m from a phase drawn per run: the data lost at a loss is
    # the time since the last copy, uniform over [0, 5m).
    rpos = []
    for seed in range(200):
        sc = tiny_crm(
            events=[{"id": "loss", "kind": "data_loss", "system": "crm", "start": "37m"}],
            horizon="1h",
            injects=[],
        )
        sim = Simulation(tiny_plan, sc, seed, policy="none")
        rec = sim.run()
        (loss,) = [e for e in rec.events if e.kind == "data_loss"]
        assert loss.detail["rpo"] == pytest.approx((37 - sim.replication_phase["crm"]) % 5)
        rpos.append(loss.detail["rpo"])
        assert kpis_for(rec, tiny_plan)["rpo"] == loss.detail["rpo"]
    assert max(rpos) < 5 and min(rpos) >= 0
    assert np.mean(rpos) == pytest.approx(2.5, abs=0.3)  # uniform mean 2.5, sd of the mean 0.1


def test_lost_work_counts_contacts_in_the_lost_window(tiny_plan, tiny_crm):
    sc = tiny_crm(
        events=[{"id": "loss", "kind": "data_loss", "system": "crm", "start": "3h"}],
        demand={"rate_per_hour": 600, "channels": {"phone": 1.0}},
    )
    rec = simulate(tiny_plan, sc, 8, policy="none")
    (loss,) = [e for e in rec.events if e.kind == "data_loss"]
    window = (rec.arrival >= 180 - loss.detail["rpo"]) & (rec.arrival <= 180)
    assert kpis_for(rec, tiny_plan)["lost_work"] == window.sum()
    assert loss.detail["channels"] == ["phone"]


def test_site_loss_loses_the_data_of_systems_there(tiny_plan, tiny_crm):
    sc = tiny_crm(
        events=[
            {
                "id": "fire",
                "kind": "disaster",
                "site": "main",
                "start": "2h",
                "duration": {"dist": "fixed", "value": "2h"},
            }
        ]
    )
    rec = simulate(tiny_plan, sc, 9, policy="none")
    assert [e.ref for e in rec.events if e.kind == "data_loss"] == ["crm"]
