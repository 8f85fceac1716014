"""Known answers of the report's numbers (issue 13, part 2): durations never negative,
a service still down reported as not restored, the room judged on every objective.

The drills are the tiny plan and CRM outage of tests/conftest.py (the CRM fails 1h in
and, with nobody acting, stays down), with the helpers of tests/dashboard/test_aar.py.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from typing import Any

import numpy as np

from drills.adherence import adherence
from drills.debrief import compare_policies, kpi_table, not_restored
from drills.kpis import duration_text
from reports.aar import build_report
from reports.aar_drafts import draft_findings
from reports.aar_input import AarInput
from reports.aar_markdown import to_markdown
from reports.aar_results import _count_ci
from sim.analysis.stats import count_ci95, summarise
from sim.engine.simulation import Simulation
from sim.response.decisions import Decision
from tests.dashboard.test_aar import GENERATED, SEED, TODAY

NEGATIVE = re.compile(r"-\s?\d+h\d\dm|-\d+m\b|took -")


def drill(plan, scenario, policy, until, decisions=()):
    """A drill whose room played ``policy`` (with ``decisions`` at their times) to ``until``."""
    sim = Simulation(plan, scenario, SEED, policy=policy)
    for at, decision in decisions:
        sim.run_until(at)
        assert sim.decide(decision).accepted
    sim.run_until(until)
    room = sim.records()
    sim.release()
    return AarInput(
        title="After-action report",
        generated_at=GENERATED,
        plan=plan,
        scenario=scenario,
        seed=SEED,
        room=room,
        runs=compare_policies(plan, scenario, SEED, room, until=until),
        until=until,
        today=TODAY,
    )


def markdown(aar):
    """The Markdown report with the drafted findings."""
    return to_markdown(build_report(replace(aar, findings=draft_findings(aar))))


def test_duration_text_never_divmods_a_negative_number():
    assert duration_text(-5) == "-5m"
    assert duration_text(-112) == "-1h52m"
    assert duration_text(112) == "1h52m"


# --- (a) a step done before it started ----------------------------------------------


def test_level_declared_before_the_assessment_step_started(tiny_plan, tiny_crm):
    """The room declares level 2 at T+1h05m, before the simulated assessment started
    (T+1h10m, when discovery was done): assessment is done at 1h05m, started at 1h10m."""
    aar = drill(
        tiny_plan,
        tiny_crm(),
        "scripted",
        180.0,
        [(65.0, Decision(action="declare_level", level=2, by="duty"))],
    )
    step = aar.room.response.incidents[0].steps["assess_grade"]
    assert (step.started, step.done) == (70.0, 65.0)  # the known answer of this drill
    text = markdown(aar)
    assert not NEGATIVE.search(text), NEGATIVE.search(text)
    assert "before the step started (the room acted before the simulation reached it)" in text
    findings = draft_findings(aar)
    assert not [f for f in findings if f.kind == "strength" and f.capability == "assess_grade"]
    order = [f for f in findings if f.kind == "area" and f.capability == "assess_grade"]
    assert len(order) == 1
    assert "before the step started at 1h10m" in order[0].observed
    assert "order of steps" in order[0].analysis
    kinds = [f["kind"] for f in adherence(aar.plan, aar.room.response, 180.0, aar.room)]
    assert "done_before_start" in kinds


# --- (b) a service still down at the end of play -------------------------------------


def _rto_row(text):
    return next(line for line in text.splitlines() if line.startswith("| RTO achieved"))


def test_crm_still_down_at_1h45m_is_not_restored_and_not_yet_known(tiny_plan, tiny_crm):
    aar = drill(tiny_plan, tiny_crm(), "none", 105.0)
    row = _rto_row(markdown(aar))
    assert "not restored by the end of play (at least 45m)" in row
    assert not row.endswith("| yes |")
    assert row.endswith("| not yet known |")
    rto = next(r for r in kpi_table(aar.runs, aar.plan, aar.until) if r["kpi"] == "rto")
    assert rto["room_met"] is None
    assert "room" in not_restored(aar.runs, aar.until)


def test_crm_still_down_at_5h_is_not_met(tiny_plan, tiny_crm):
    aar = drill(tiny_plan, tiny_crm(), "none", 300.0)
    text = markdown(aar)
    row = _rto_row(text)
    assert "not restored by the end of play (at least 4h00m)" in row
    assert row.endswith("| not met |")
    rto = next(r for r in kpi_table(aar.runs, aar.plan, aar.until) if r["kpi"] == "rto")
    assert rto["room_met"] is False
    assert (
        "RTO achieved: in the room's run the service was not restored by the end of play "
        "(down at least 4h00m). Same seed: plan's own policy: 1h00m; no action: not restored "
        "by the end of play (at least 4h00m)."
    ) in " ".join(text.split())


# --- (c) the room judged against every scenario objective ----------------------------

OBJECTIVES = [
    {"id": "rto_fast", "metric": "rto", "op": "<=", "threshold": 30},
    {"id": "rto_plan", "metric": "rto", "op": "<=", "threshold": 240},
    {
        "id": "counter_ok",
        "metric": "service_level",
        "op": ">=",
        "threshold": 0.6,
        "channel": "counter",
    },
]


def test_the_room_is_judged_on_every_objective(tiny_plan, tiny_crm):
    """Played by the book to T+3h: the standby CRM is up 1h after the failure.

    Known answers: the room's RTO achieved is 1h00m (misses 30m, meets 4h00m); with no
    action the CRM is still down at T+3h (2h00m so far): 30m not met, 4h00m not yet
    known; the counter, untouched by the CRM, answers everyone in time.
    """
    aar = drill(tiny_plan, tiny_crm(objectives=OBJECTIVES), "plan", 180.0)
    lines = markdown(aar).splitlines()
    at = lines.index("### The scenario's objectives")
    assert lines[at + 2] == (
        "| Objective | Target | Room | Plan's own policy | No action | Met? (room) |"
    )
    rows = {line.split(" | ")[0][2:]: line for line in lines[at + 4 : at + 7]}
    least = "not restored by the end of play (at least 2h00m)"
    assert rows["rto_fast"] == (
        f"| rto_fast | RTO achieved <= 30m | 1h00m | 1h00m | {least} | NO |"
    )
    assert rows["rto_plan"] == (
        f"| rto_plan | RTO achieved <= 4h00m | 1h00m | 1h00m | {least} | yes |"
    )
    assert rows["counter_ok"] == (
        "| counter_ok | Service level >= 60.0% on channel counter | 100.0% | 100.0% | 100.0% | yes |"
    )


def test_a_scenario_without_objectives_says_so(tiny_plan, tiny_crm):
    aar = drill(tiny_plan, tiny_crm(), "plan", 180.0)
    assert "*The scenario sets no objectives of its own.*" in markdown(aar)


# --- (d) counts never with a negative confidence bound -------------------------------


def test_a_skewed_count_has_no_negative_bound():
    """Nine replications with no backlog and one with 67: mean 6.7, where the t-interval
    gives [-8.5, 21.9]; the bootstrap interval stays within what was seen."""
    x = np.array([0.0] * 9 + [67.0])
    assert summarise(x).ci95[0] == 0.0  # the t-interval, kept inside what was seen
    low, high = count_ci95(x)
    assert 0.0 <= low <= 6.7 <= high <= 67.0
    assert count_ci95(x) == (low, high)  # fixed seed: the same every time
    assert math.isnan(count_ci95(np.array([3.0]))[0])


def test_a_share_of_few_replications_stays_a_share():
    """Four replications of the typhoon day gave abandonment 7.1% [-1.0%, 15.2%]: the
    t-interval is now kept within the values seen, so a share stays in [0, 1]."""
    x = np.array([0.036, 0.04, 0.133, 0.075])
    s = summarise(x)
    assert 0.036 <= s.ci95[0] <= s.mean <= s.ci95[1] <= 0.133
    near_one = summarise(np.array([1.0, 1.0, 1.0, 0.2]))
    assert near_one.ci95[1] <= 1.0 and near_one.ci95[0] >= 0.2
    one = summarise(np.array([0.5]))
    assert math.isnan(one.ci95[0]) and math.isnan(one.ci95[1])


def test_the_report_never_prints_a_negative_count_bound():
    mc: dict[str, Any] = {
        "kpis": {"backlog": {"mean": 6.7, "ci95": [-7.9, 21.2], "p5": 0, "p95": 40, "n": 10}}
    }
    assert _count_ci(mc, "backlog", -7.9) == (None, None)
    mc["replication_kpis"] = [{"backlog": v} for v in [0.0] * 9 + [67.0]]
    low, high = _count_ci(mc, "backlog", -7.9)
    assert 0.0 <= low < high


# --- (e) durations as a person reads them --------------------------------------------


def test_plan_targets_read_as_durations(tiny_plan):
    from sim.analysis.targets import check_text, plan_targets

    texts = {c.name: check_text(c.name, c.label, tiny_plan) for c in plan_targets(tiny_plan)}
    assert texts["rto"] == "RTO <= 4h00m"
    assert texts["rpo"] == "RPO <= 15m"
    assert texts["tickets.urgent.respond"] == "every urgent ticket: respond within 1h00m"
    assert not [t for t in texts.values() if " min" in t]
