"""The Debrief page tells the truth the report tells (issue 13, part 2), click by click:
a service still down at the end of play is 'not restored', its RTO target 'not yet
known' (or 'not met'), and the room is judged on every scenario objective beside the
plan's own policy and no action. Also: the Gantt chart never draws a negative bar.

The drill: the default plan and the CRM outage at the Monday peak (the CRM fails at
T+1h00m), seed 7, a tabletop room that takes no decision and stops at T+1h45m.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from matplotlib.patches import Rectangle
from streamlit.testing.v1 import AppTest

from drills import session
from drills.paths import DB_ENV
from drills.store import DrillStore
from reports.figures import step_gantt
from sim.response.decisions import Decision
from tests.dashboard.test_report_truth import drill as tiny_drill

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


@pytest.fixture
def debrief(tmp_path, monkeypatch, new_drill):
    db = tmp_path / "drills.sqlite"
    store = DrillStore(db)
    record = new_drill(store)
    session.advance(store, record.id, 105.0, "Alice", record.version)
    monkeypatch.setenv(DB_ENV, str(db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/debrief.py").run()
    assert not at.exception
    return at


def test_a_drill_ended_mid_outage_is_not_restored_on_the_page(debrief):
    kpis = debrief.dataframe[0].value
    rto = kpis[kpis["KPI"] == "RTO achieved"].iloc[0]
    least = "not restored by the end of play (at least 45m) (not yet known)"
    assert rto["What the room did"] == least
    assert rto["No action"] == least
    assert rto["The plan's own policy"] == least  # the standby is not up by T+1h45m either
    assert rto["target"] == "RTO <= 4h00m"
    assert not any(" min" in str(v) for v in kpis.to_numpy().ravel())


def test_the_room_is_judged_on_every_objective_on_the_page(debrief):
    tables = [d.value for d in debrief.dataframe]
    objectives = next(t for t in tables if "Objective" in t)
    assert list(objectives["Objective"])[:2] == ["rto_crm", "rpo_crm"]
    assert {"Room", "Plan's own policy", "No action"} <= set(objectives)
    rto = objectives[objectives["Objective"] == "rto_crm"].iloc[0]
    assert rto["Target"] == "RTO achieved <= 4h00m"
    assert rto["Room"] == "not restored by the end of play (at least 45m)"
    assert rto["Met? (room)"] == "not yet known"
    assert any(s.value.startswith("The scenario's objectives") for s in debrief.subheader)


def test_the_gantt_chart_never_draws_a_negative_bar(tiny_plan, tiny_crm):
    """The -1h52m case of the report (test_report_truth): level 2 declared at T+1h05m,
    before the assessment step started at T+1h10m."""
    aar = tiny_drill(
        tiny_plan,
        tiny_crm(),
        "scripted",
        180.0,
        [(65.0, Decision(action="declare_level", level=2, by="duty"))],
    )
    incidents = aar.room.response.incidents
    assert (
        incidents[0].steps["assess_grade"].started,
        incidents[0].steps["assess_grade"].done,
    ) == (
        70.0,
        65.0,
    )
    ax = step_gantt(incidents, now=180.0).axes[0]
    widths = [p.get_width() for p in ax.patches if isinstance(p, Rectangle)]
    assert widths and min(widths) >= 0.0
