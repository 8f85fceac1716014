"""The debrief: the room beside 'plan' and 'none', the KPI table, adherence to the plan.

Two settings: the bundled default plan and scenario (a CRM outage at the Monday
peak), and the tiny hand-built plan (tests/data/plans/tiny.yaml) with exact answering
times, where the CRM fails 1h in and stays down: Bob (duty) reports and grades at
70 (level 3), the commander is reached at 75, IT at 85, the standby CRM is up at 120.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from drills import debrief
from drills.kpis import DEBRIEF_KPIS
from plans import default_plan_path, load_plan
from plans.model import STEP_NAMES
from plans.types import FROM_FILE
from scenarios import default_scenario_path, load_scenario
from sim.analysis.targets import plan_targets
from sim.engine.metrics import kpis_for
from sim.engine.simulation import Simulation, simulate
from sim.response.decisions import Decision, DecisionScript
from sim.response.metrics import response_kpis

SEED = 11


@pytest.fixture(scope="module")
def plan():
    return load_plan(default_plan_path())


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(default_scenario_path())


@pytest.fixture(scope="module")
def room(plan, scenario):
    """A drill room that declares level 2 and brings up the standby CRM, nothing else."""
    sim = Simulation(plan, scenario, SEED, policy="scripted")
    sim.run_until(90)
    assert sim.decide(Decision(action="declare_level", level=2, by="deputy_commander")).accepted
    assert sim.decide(
        Decision(action="activate_backup", target="crm_standby", by="it_on_call")
    ).accepted
    records = sim.run()
    sim.release()
    return records


@pytest.fixture(scope="module")
def runs(plan, scenario, room):
    return debrief.compare_policies(plan, scenario, SEED, room)


@pytest.fixture(scope="module")
def tiny_scenario(tiny_crm):
    return tiny_crm()


# --- the three runs ----------------------------------------------------------------


def test_compare_policies_meets_the_same_customers_in_the_three_runs(runs, room):
    assert list(runs) == ["room", "plan", "none"]
    assert runs["room"] is room
    assert [runs[k].response.policy for k in runs] == ["scripted", "plan", "none"]
    assert len(room) > 2000

    # the same people's first attempts; their redials and switches follow how each run went
    def first(rec):
        return rec.attempt == 0 if rec.attempt is not None else np.ones(len(rec), dtype=bool)

    for name in ("plan", "none"):
        run, mine = runs[name], first(runs[name])
        assert np.array_equal(run.arrival[mine], room.arrival[first(room)])
        assert np.array_equal(run.channel[mine], room.channel[first(room)])
        assert np.array_equal(run.rtype[mine], room.rtype[first(room)])


def test_compare_policies_stops_where_the_drill_stopped(tiny_plan, tiny_scenario):
    sim = Simulation(tiny_plan, tiny_scenario, SEED, policy="scripted")
    sim.run_until(150)
    room = sim.records()
    runs = debrief.compare_policies(tiny_plan, tiny_scenario, SEED, room, until=150)
    for rec in runs.values():
        assert np.array_equal(rec.arrival, room.arrival)
        assert rec.arrival.max() <= 150
    # the plan's standby CRM is up at 120; nobody acting, the phone is still dark at 150
    assert runs["plan"].response.activations[0]["active"] == 120
    assert runs["none"].response.activations == []


# --- the KPI table -----------------------------------------------------------------


def test_kpi_table_rows_and_columns(runs, plan):
    table = debrief.kpi_table(runs, plan)
    assert (
        [row["kpi"] for row in table]
        == [s.key for s in DEBRIEF_KPIS]
        == [
            "service_level",
            "asa",
            "abandonment",
            "max_queue",
            "backlog",
            "tickets_late",
            "availability",
            "rto",
            "rpo",
            "steps_late",
            "backups_activated",
        ]
    )
    for row in table:
        assert list(row) == [
            "kpi",
            "label",
            "unit",
            "target",
            "op",
            "target_label",
            "room",
            "plan",
            "none",
            "room_met",
            "plan_met",
            "none_met",
        ]


def test_kpi_table_values_are_the_metrics_of_each_run(runs, plan):
    table = {row["kpi"]: row for row in debrief.kpi_table(runs, plan)}
    for name, rec in runs.items():
        direct = kpis_for(rec, plan) | response_kpis(rec)
        for key, row in table.items():
            value = direct[key]
            if math.isnan(value):
                assert row[name] is None
            else:
                assert row[name] == value and isinstance(row[name], float)
    assert table["backups_activated"]["room"] == 1.0
    assert table["backups_activated"]["plan"] >= 1.0
    assert table["backups_activated"]["none"] == 0.0


def test_kpi_table_targets_are_the_plans(runs, plan):
    table = {row["kpi"]: row for row in debrief.kpi_table(runs, plan)}
    checks = {c.name: c for c in plan_targets(plan)}
    # the availability row is the worst channel's: judged by the channel target (4.1)
    judged_by = {"availability": "service_availability"}
    for key in ("service_level", "availability", "rto", "rpo"):
        row, check = table[key], checks[judged_by.get(key, key)]
        assert (row["target"], row["op"], row["target_label"]) == (
            check.threshold,
            check.op,
            check.label,
        )
        for name in runs:
            assert row[f"{name}_met"] == check.met(row[name] if row[name] is not None else math.nan)
    assert table["service_level"]["target"] == 0.8 and table["rto"]["target"] == 240
    for key in ("asa", "abandonment", "max_queue", "backlog", "backups_activated"):
        assert table[key]["target"] is None
        assert {table[key][f"{n}_met"] for n in runs} == {None}
    steps = table["steps_late"]
    assert (steps["target"], steps["op"]) == (0.0, "<=")
    for name in runs:
        assert steps[f"{name}_met"] == (steps[name] == 0)
    assert steps["none_met"] is False  # nobody reports: the first step runs past its limit


def test_kpi_table_of_runs_stopped_early_ends_at_the_stop(tiny_plan, tiny_scenario):
    sim = Simulation(tiny_plan, tiny_scenario, SEED, policy="scripted")
    sim.run_until(150)
    runs = debrief.compare_policies(tiny_plan, tiny_scenario, SEED, sim.records(), until=150)
    table = {row["kpi"]: row for row in debrief.kpi_table(runs, tiny_plan, until=150)}
    # phone dark from 60: to the standby at 120 under the plan, still dark at 150 otherwise
    assert table["rto"]["plan"] == 60
    assert table["rto"]["none"] == table["rto"]["room"] == 90
    # long-run availability: MTBF 980h (58800 min) over MTBF plus the downtime so far
    assert table["availability"]["none"] == pytest.approx(58800 / (58800 + 90))
    assert table["availability"]["plan"] == pytest.approx(58800 / (58800 + 60))


def test_decision_effects_compare_the_room_with_each_run(runs, plan):
    table = {row["kpi"]: row for row in debrief.kpi_table(runs, plan)}
    effects = debrief.decision_effects(runs, plan)
    assert [row["kpi"] for row in effects] == [s.key for s in DEBRIEF_KPIS]
    for row in effects:
        t = table[row["kpi"]]
        for other in ("plan", "none"):
            if t["room"] is None or t[other] is None:
                assert row[f"vs_{other}"] is None
            else:
                assert row[f"vs_{other}"] == pytest.approx(t["room"] - t[other])
    by_kpi = {row["kpi"]: row for row in effects}
    assert by_kpi["backups_activated"]["better_than_none"] is None  # neither way is better
    rto = by_kpi["rto"]
    assert rto["better_than_none"] == (rto["vs_none"] < 0) or rto["vs_none"] == 0


# --- adherence ---------------------------------------------------------------------


def test_adherence_with_nobody_acting_lists_the_steps_never_done(plan, scenario):
    rec = simulate(plan, scenario, SEED, policy="none")
    (incident,) = rec.response.incidents
    findings = debrief.adherence(plan, rec.response, rec.horizon)
    undone = [f for f in findings if f["kind"] == "not_done"]
    # due by the plan's limits from the outage at 60: 90, 105, 135, 375; tracking (1 day)
    # is not due before the end of the 8-hour run, the review never is
    due = debrief.due_times(incident)
    assert [due[n] for n in STEP_NAMES[:4]] == [90, 105, 135, 375]
    assert due["track_feedback"] > rec.horizon
    assert [f["step"] for f in undone] == list(STEP_NAMES[:4])
    assert undone[0]["message"] == (
        "discover report (owner duty_manager) started at 1h00m and was still not done at 8h00m, "
        "past its limit of 30m"
    )  # the alarm started it; nobody reported
    assert undone[1]["message"] == (
        "assess grade (owner duty_manager) was never started; "
        "by the plan's limits it was due done at 1h45m"
    )
    assert all("was never started" in f["message"] for f in undone[1:])
    assert {f["incident"] for f in findings} == {"incident_1"}
    roles = {f["role"] for f in findings if f["kind"] == "role_not_reached"}
    assert roles == {"duty_manager", "commander", "it_on_call"}
    assert not [f for f in findings if f["kind"] in {"late", "skipped", "out_of_order"}]
    untaken = {(f["action"], f["target"]) for f in findings if f["kind"] == "action_not_taken"}
    assert untaken == {
        ("notify_customers", "app"),
        ("notify_customers", "web"),
    }  # listed for every level


def test_adherence_of_the_plan_on_the_tiny_plan_reports_nothing(tiny_plan, tiny_scenario):
    rec = simulate(tiny_plan, tiny_scenario, SEED, policy="plan")
    steps = rec.response.incidents[0].steps
    assert [(steps[n].started, steps[n].done) for n in STEP_NAMES[:5]] == [
        (60, 70),
        (70, 70),
        (70, 75),
        (75, 120),
        (120, 120),
    ]
    findings = debrief.adherence(tiny_plan, rec.response, rec.horizon)
    assert not [f for f in findings if f["kind"] in {"out_of_order", "skipped"}]
    assert findings == []


def test_adherence_of_the_plan_on_the_default_plan_reports_nothing(plan, runs):
    rec = runs["plan"]
    assert debrief.adherence(plan, rec.response, rec.horizon) == []


def test_adherence_finds_a_room_that_acted_before_activating(tiny_plan, tiny_scenario):
    # the room brings up the standby at 80 without declaring a level: activation skipped,
    # grading left open; the commander (owner of the activation step) is never called
    script = DecisionScript.model_validate(
        {
            "decisions": [
                {"at": "1h20m", "action": "activate_backup", "target": "crm_b", "by": "it"}
            ]
        },
        context={FROM_FILE: True},
    )
    rec = simulate(tiny_plan, tiny_scenario, SEED, policy="scripted", script=script)
    findings = debrief.adherence(tiny_plan, rec.response, rec.horizon)
    kinds = [(f["kind"], f.get("step") or f.get("role")) for f in findings]
    assert kinds == [
        ("not_done", "assess_grade"),
        ("skipped", "activate"),
        ("role_not_reached", "commander"),
    ]
    assert (
        findings[1]["message"]
        == "activate (owner commander) was never started, yet handle coordinate started at 1h20m"
    )


def test_adherence_finds_steps_late_and_out_of_order(make_plan, tiny_scenario):
    def tight(d):
        d["response"] = {"response_time_cv": 0}
        activate = next(s for s in d["flows"][0]["steps"] if s["step"] == "activate")
        activate["limit"] = "2m"  # the commander answers in 5m

    plan = make_plan(tight)
    rec = simulate(plan, tiny_scenario, SEED, policy="plan")
    findings = debrief.adherence(plan, rec.response, rec.horizon)
    assert [(f["kind"], f["step"]) for f in findings] == [("late", "activate")]
    assert findings[0]["message"] == "activate (owner commander) took 5m against a limit of 2m"
    # the same run read as if handling had started at 72, before activation was done at 75
    rec.response.incidents[0].steps["handle_coordinate"].started = 72.0
    findings = debrief.adherence(plan, rec.response, rec.horizon)
    assert ("out_of_order", "handle_coordinate") in [(f["kind"], f["step"]) for f in findings]


def test_adherence_mid_drill_reports_nothing_before_it_is_due(tiny_plan, tiny_scenario):
    sim = Simulation(tiny_plan, tiny_scenario, SEED, policy="plan")
    sim.run_until(80)  # handling started at 75 (limit 4h); IT is called, answers at 85
    assert sim.response.record.reached["it"]["reached"] == 85
    assert debrief.adherence(tiny_plan, sim.response.record, sim.now) == []


def test_adherence_of_a_room_on_the_default_plan(plan, room):
    # the room declared level 2 and brought up the standby CRM, and did nothing else
    findings = debrief.adherence(plan, room.response, room.horizon, records=room)
    untaken = {(f["action"], f["target"]) for f in findings if f["kind"] == "action_not_taken"}
    assert untaken == {
        ("switch_to_callback", "phone"),
        ("notify_customers", "app"),
        ("notify_customers", "web"),
    }
    # without the records, backups of systems that never failed are listed too
    blind = debrief.adherence(plan, room.response, room.horizon)
    blind_untaken = {(f["action"], f["target"]) for f in blind if f["kind"] == "action_not_taken"}
    assert blind_untaken - untaken == {
        ("activate_backup", "cloud_telephony"),
        ("activate_backup", "ticketing_standby"),
    }
    for f in findings:
        assert set(f) >= {"kind", "incident", "message"} and f["message"]
