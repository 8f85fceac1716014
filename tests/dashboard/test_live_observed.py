"""A live drill's observed step times against the plan's limits and the simulated steps.

The hand-made live drill: the default plan and the CRM outage at the Monday peak
(the CRM fails at T+1h00m, incident_1), seed 7, speed 1, the live clock started at
09:00 UTC (T+0) and paused at 11:00 (T+2h00m). Observers record, on the wall clock:

* discover report done at 10:20 (T+1h20m): started when the incident occurred
  (T+1h00m), took 20m against 30m: within, a strength;
* assess grade done at 10:45 (T+1h45m): started when discovery was seen done
  (T+1h20m), took 25m against 15m: over, an area;
* activate done at 10:40 (T+1h40m): before assess grade was seen done (T+1h45m), so
  done before it started: an area about the order of steps, never a strength, never a
  duration.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from matplotlib.patches import Rectangle

from drills import session
from drills.observed import live_speed, observed_clock, observed_rows, observed_steps
from drills.store import DrillStore
from reports.aar import build_report
from reports.aar_drafts import observed_findings
from reports.aar_markdown import to_markdown
from reports.figures import step_gantt
from reports.gantt_figure import OBSERVED_HATCH
from reports.source import aar_for_drill

W0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
NEGATIVE = re.compile(r"-\s?\d+h\d\dm|-\d+m\b|took -")


def at(minutes: float) -> dt.datetime:
    return W0 + dt.timedelta(minutes=minutes)


@pytest.fixture
def live(tmp_path, new_drill):
    """(store, drill) of the hand-made live drill, played and paused at T+2h00m."""
    store = DrillStore(tmp_path / "drills.sqlite")
    drill = new_drill(store, mode="live", speed=1.0)
    drill = session.start_live(store, drill.id, drill.version, "Alice", wall_now=W0)
    for step, minutes in (("discover_report", 80), ("assess_grade", 105), ("activate", 100)):
        session.add_observation(store, drill.id, step, "Eve", wall_time=at(minutes))
    drill = session.pause(store, drill.id, drill.version, "Alice", wall_now=at(120))
    assert drill.clock == 120.0
    return store, drill


def incidents_of(drill):
    sim = session.open_simulation(drill)
    try:
        return sim.response.record.incidents
    finally:
        sim.release()


def test_observed_steps_known_answers(live):
    _store, drill = live
    entries = [e.to_dict() for e in drill.entries]
    observed = observed_steps(entries, incidents_of(drill), drill.speed)
    got = {o.step: (o.started, o.done, o.start_from, o.verdict, o.took) for o in observed}
    assert got == {
        "discover_report": (60.0, 80.0, "occurred", "within", 20.0),
        "assess_grade": (80.0, 105.0, "previous", "over", 25.0),
        "activate": (105.0, 100.0, "previous", "done_before_start", None),
    }
    assert [o.step for o in observed] == ["discover_report", "assess_grade", "activate"]
    assert {o.observer for o in observed} == {"Eve"}
    # the speed read off the log (start 09:00 at T+0, paused 11:00 at T+2h) is the same
    assert live_speed(entries) == pytest.approx(1.0)
    assert observed_steps(entries, incidents_of(drill)) == observed
    rows = {r["step"]: r for r in observed_rows(observed)}
    assert rows["assess grade"]["took"] == "25m"
    assert rows["assess grade"]["verdict"] == "over its limit"
    assert rows["activate"]["took"] == "-"
    assert rows["activate"]["verdict"] == "seen done before it started (order of steps)"
    assert rows["discover report"]["simulated"].endswith("in the simulation")


def test_observed_clock_follows_speed_and_pauses():
    """Speed 2 from 09:00 at T+0; paused 09:30 at T+1h00m; resumed 10:00; ended 10:30 at
    T+2h00m. Seen at 09:15 -> T+30m; at 09:45 (paused) -> T+1h00m; at 10:10 -> T+1h20m."""

    def entry(kind, sim_time, wall, **payload):
        return {"kind": kind, "sim_time": sim_time, "wall_time": wall.isoformat(),
                "author": "Eve", "payload": payload}  # fmt: skip

    log = [
        entry("start", 0.0, at(0), live_started_wall=at(0).isoformat(), clock=0.0),
        entry("pause", 60.0, at(30), to=60.0, paused_wall=at(30).isoformat()),
        entry("resume", 60.0, at(60), live_started_wall=at(60).isoformat(), clock=60.0),
        entry("end", 120.0, at(90), text=""),
    ]
    seen = {
        m: entry("observation", 0.0, at(m), step="activate", observed_wall=at(m).isoformat())
        for m in (15, 45, 70)
    }
    assert live_speed(log) == pytest.approx(2.0)
    for speed in (2.0, None):
        assert [observed_clock(log, seen[m], speed) for m in (15, 45, 70)] == pytest.approx(
            [30.0, 60.0, 80.0]
        )
    # an observation before the live clock ever started keeps the clock it was written at
    early = entry("observation", 5.0, at(-10), step="activate", observed_wall=at(-10).isoformat())
    assert observed_clock(log, early, 2.0) == 5.0


def test_drafted_findings_judge_the_observed_steps(live):
    store, drill = live
    aar = aar_for_drill(store.path, drill.id, W0, W0.date())
    drafts = {(f.kind, f.capability): f for f in observed_findings(aar)}
    assert set(drafts) == {
        ("strength", "discover_report"),
        ("area", "assess_grade"),
        ("area", "activate"),
    }
    assert "took the real team 20m" in drafts[("strength", "discover_report")].observed
    assert "within its limit of 30m" in drafts[("strength", "discover_report")].observed
    over = drafts[("area", "assess_grade")]
    assert "took the real team 25m" in over.observed and "over its limit of 15m" in over.observed
    order = drafts[("area", "activate")]
    assert "seen done at T+1h40m by Eve, before the step started at T+1h45m" in order.observed
    assert "order of steps" in order.analysis
    assert "took" not in order.observed
    assert all(f in aar.findings for f in observed_findings(aar))  # drafted into the report
    text = to_markdown(build_report(aar))
    assert "took the real team 25m" in text
    assert not NEGATIVE.search(text), NEGATIVE.search(text)


def test_gantt_draws_observed_bars_beside_the_simulated_ones(live):
    _store, drill = live
    incidents = incidents_of(drill)
    observed = observed_steps([e.to_dict() for e in drill.entries], incidents, drill.speed)
    ax = step_gantt(incidents, now=120.0, observed=observed).axes[0]
    dotted = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_hatch() == OBSERVED_HATCH]
    # two observed bars (within, over), none for the step done before it started
    spans = sorted((round(p.get_x() * 60, 6), round(p.get_width() * 60, 6)) for p in dotted)
    assert spans == [(60.0, 20.0), (80.0, 25.0)]
    crosses = [ln for ln in ax.lines if ln.get_marker() == "X"]
    assert len(crosses) == 1 and crosses[0].get_xdata()[0] * 60 == pytest.approx(100.0)
    assert all(p.get_width() >= 0 for p in ax.patches if isinstance(p, Rectangle))
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "observed in the live drill (lower bar)" in legend
    # without observations the chart is as before: no dotted bars, no such legend entry
    plain = step_gantt(incidents, now=120.0).axes[0]
    assert not [p for p in plain.patches if p.get_hatch() == OBSERVED_HATCH]
    assert "observed in the live drill (lower bar)" not in [
        t.get_text() for t in plain.get_legend().get_texts()
    ]


def test_debrief_page_shows_the_observed_steps(live, monkeypatch):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from drills.paths import DB_ENV

    store, drill = live
    monkeypatch.setenv(DB_ENV, str(store.path))
    app = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
    at = AppTest.from_file(str(app), default_timeout=120)
    at.run()
    at.switch_page("pages/debrief.py").run()
    assert not at.exception
    tables = [d.value for d in at.dataframe]
    observed = next(t for t in tables if "verdict" in t)
    assert list(observed["step"]) == ["discover report", "assess grade", "activate"]
    assert list(observed["took"]) == ["20m", "25m", "-"]
    assert list(observed["verdict"]) == [
        "within its limit",
        "over its limit",
        "seen done before it started (order of steps)",
    ]
    assert any("Observed in the live drill" in m.value for m in at.markdown)


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_gantt_with_observed_steps_has_no_overlapping_labels(live, lang):
    from i18n import language
    from tests.dashboard.test_debrief_charts import overlaps

    _store, drill = live
    incidents = incidents_of(drill)
    with language(lang):
        observed = observed_steps([e.to_dict() for e in drill.entries], incidents, drill.speed)
        assert overlaps(step_gantt(incidents, now=120.0, observed=observed)) == []
