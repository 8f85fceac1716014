"""The debrief figures: what each shows, counted on the figure, and that it renders.

Runs: the bundled default plan and scenario (a CRM outage at the Monday peak), one
seed, played by the plan ('plan') and by nobody ('none').
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Annotation

from plans import default_plan_path, load_plan
from plans.graph import NODE_KINDS, build_graph
from plans.model import STEP_NAMES
from reports import figures
from reports.layout import COLUMNS, plan_layout
from reports.style import ON_TIME, WARNING
from scenarios import bundled_scenarios, default_scenario_path, load_scenario
from sim.engine.metrics import down_intervals, kpis_for
from sim.engine.simulation import simulate

SEED = 7
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def plan():
    return load_plan(default_plan_path())


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(default_scenario_path())


@pytest.fixture(scope="module")
def runs(plan, scenario):
    return {policy: simulate(plan, scenario, SEED, policy=policy) for policy in ("plan", "none")}


def png_bytes(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=60)
    return buf.getvalue()


def legend_texts(legend) -> list[str]:
    return [t.get_text() for t in legend.get_texts()]


# --- plan graph ----------------------------------------------------------------------


def test_plan_graph_draws_every_node_and_edge_with_a_legend_by_kind(plan):
    g = build_graph(plan)
    fig = figures.plan_graph(plan)
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    ax = fig.axes[0]
    assert ax.get_title().startswith("Plan graph: ") and plan.meta.name in ax.get_title()
    points = sum(len(c.get_offsets()) for c in ax.collections)
    assert points == g.number_of_nodes() > 50
    arrows = [t for t in ax.texts if isinstance(t, Annotation)]
    assert len(arrows) == g.number_of_edges()
    edge_kinds = Counter(k for _, _, k in g.edges(keys=True))
    heavy = [a for a in arrows if a.arrow_patch.get_linewidth() == pytest.approx(2.2)]
    assert len(heavy) == edge_kinds["escalates_to"] > 0  # escalation drawn heavy
    texts = legend_texts(ax.get_legend())
    assert set(NODE_KINDS) <= set(texts)
    assert {"escalates to", "reports to", "backed up by"} <= set(texts)
    labels = {t.get_text() for t in ax.texts if not isinstance(t, Annotation)}
    assert {"Emergency commander", "CRM", "Backup site", "Phone hotline"} <= labels
    assert {title for title, _ in COLUMNS} <= labels
    assert png_bytes(fig).startswith(PNG_MAGIC)


def test_plan_layout_is_deterministic_and_puts_each_kind_in_its_column(plan):
    g = build_graph(plan)
    pos = plan_layout(g)
    assert pos == plan_layout(build_graph(plan))
    column = {kind: x for x, (_, kinds) in enumerate(COLUMNS) for kind in kinds}
    for node, kind in g.nodes(data="kind"):
        assert pos[node][0] == column[kind]
        assert 0.0 <= pos[node][1] <= 1.0
    assert len(set(pos.values())) == len(pos)  # no two nodes on one spot
    # the commander heads the roles column; each standby sits right below what it backs up
    roles = sorted((n for n, k in g.nodes(data="kind") if k == "role"), key=lambda n: -pos[n][1])
    assert roles[0] == "commander"
    systems = sorted(
        (n for n, k in g.nodes(data="kind") if k == "system"), key=lambda n: -pos[n][1]
    )
    assert systems[systems.index("crm") + 1] == "crm_standby"


def test_plan_graph_of_the_tiny_plan(make_plan):
    fig = figures.plan_graph(make_plan())
    assert len(fig.axes) == 1 and png_bytes(fig).startswith(PNG_MAGIC)


# --- scenario timeline ---------------------------------------------------------------


def test_scenario_timeline_shows_events_as_bars_and_injects_as_markers(scenario):
    fig = figures.scenario_timeline(scenario)
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    assert ax.get_title() == f"Scenario: {scenario.meta.name}"
    assert ax.get_xlabel() == "hours into the run"
    assert ax.get_xlim() == (0.0, 8.0)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "crm_down: outage of crm"
    assert labels[1:] == [f"inject: {i.title}" for i in scenario.injects]
    (bar,) = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert bar.get_x() == pytest.approx(1.0)  # starts 1h in
    assert bar.get_width() == pytest.approx(2.5)  # mean of the repair time: 150m
    markers = [line for line in ax.lines if line.get_marker() == "D"]
    assert sorted(float(m.get_xdata()[0]) for m in markers) == pytest.approx(
        [i.at / 60 for i in scenario.injects]
    )
    assert legend_texts(ax.get_legend()) == ["outage", "inject"]
    assert png_bytes(fig).startswith(PNG_MAGIC)


def test_scenario_timeline_in_clock_time(scenario):
    fig = figures.scenario_timeline(scenario, start=scenario.start)
    ax = fig.axes[0]
    assert ax.get_xlabel().startswith("clock time")
    fmt = ax.xaxis.get_major_formatter()
    assert [fmt(x, 0) for x in (0.0, 1.0, 7.5)] == ["08:00", "09:00", "15:30"]


@pytest.mark.parametrize("name", sorted(bundled_scenarios()))
def test_scenario_timeline_of_every_bundled_scenario(name):
    scenario = load_scenario(bundled_scenarios()[name])
    fig = figures.scenario_timeline(scenario)
    ax = fig.axes[0]
    rows = len(scenario.events) + len(scenario.injects)
    assert len(ax.get_yticklabels()) == rows
    assert ax.get_xlim() == pytest.approx((0.0, scenario.horizon / 60))
    assert png_bytes(fig).startswith(PNG_MAGIC)


# --- step gantt ----------------------------------------------------------------------


def test_step_gantt_of_the_plan_run_has_a_bar_per_started_step(runs):
    rec = runs["plan"]
    (incident,) = rec.response.incidents
    fig = figures.step_gantt(rec.response.incidents, now=rec.horizon)
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    level = f"level {incident.level}"
    assert (
        ax.get_title()
        == f"Response steps against their limits: incident_1 (system_failure, {level})"
    )
    assert ax.get_xlabel() == "hours into the run"
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert [label.split(" · ")[0] for label in labels] == [n.replace("_", " ") for n in STEP_NAMES]
    assert labels[0] == "discover report · duty_manager · limit 30m"
    assert labels[-1].endswith("limit 7d")
    started = [incident.steps[n] for n in STEP_NAMES if incident.steps[n].started is not None]
    drawn = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(drawn) == len(started) == 6
    for bar, step in zip(drawn, started, strict=True):
        assert bar.get_x() == pytest.approx(step.started / 60)
        colour = WARNING if step.late(rec.horizon) else ON_TIME
        assert bar.get_facecolor()[:3] == pytest.approx(to_rgb(colour))
    assert (
        bool(drawn[-1].get_hatch()) and incident.steps["review_improve"].done is None
    )  # still open
    assert legend_texts(ax.get_legend()) == [
        "done within its limit",
        "late (past its limit)",
        "still open",
        "limit (start + limit)",
        "now",
    ]
    (limits,) = ax.collections
    assert len(limits.get_offsets()) >= 4  # steps whose limit falls inside the chart
    assert png_bytes(fig).startswith(PNG_MAGIC)


def test_step_gantt_of_the_none_run_shows_one_open_late_step_and_the_rest_not_started(runs):
    rec = runs["none"]
    fig = figures.step_gantt(
        rec.response.incidents, now=rec.horizon, start=dt.datetime(2026, 3, 2, 8)
    )
    ax = fig.axes[0]
    assert ax.get_title().endswith("(system_failure, not graded)")
    assert ax.get_xlabel().startswith("clock time")
    (bar,) = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert bar.get_facecolor()[:3] == pytest.approx(to_rgb(WARNING))  # open 7 h against 30m
    assert bar.get_x() + bar.get_width() == pytest.approx(rec.horizon / 60)
    assert sum(t.get_text() == "not started" for t in ax.texts) == 5
    assert png_bytes(fig).startswith(PNG_MAGIC)


def test_step_gantt_without_incidents_says_so():
    fig = figures.step_gantt([])
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts] == ["no incident with a response flow"]
    assert png_bytes(fig).startswith(PNG_MAGIC)


# --- queue and service level ---------------------------------------------------------


@pytest.mark.parametrize("policy", ["plan", "none"])
def test_queue_and_service_has_queues_on_top_and_service_level_below(runs, plan, policy):
    rec = runs[policy]
    fig = figures.queue_and_service(rec, plan, window=30.0)
    assert len(fig.axes) == 2
    top, bottom = fig.axes
    assert top.get_title() == "Contacts waiting in the live queues"
    assert top.get_ylabel() == "contacts waiting"
    assert bottom.get_title() == "Service level over rolling 30m windows (answered within 30s)"
    assert bottom.get_ylabel() == "share answered in time"
    assert bottom.get_xlabel() == "hours into the run"
    live = [cid for cid, is_live in zip(rec.channel_ids, rec.channel_live, strict=True) if is_live]
    assert live == ["phone", "chat", "counter"]
    assert legend_texts(top.get_legend()) == ["all live channels", *live]
    assert len(top.lines) == 1 + len(live)
    total = np.asarray(rec.snapshots.waiting)[:, [rec.channel_ids.index(c) for c in live]].sum(
        axis=1
    )
    assert np.array_equal(top.lines[0].get_ydata(), total)
    assert legend_texts(bottom.get_legend()) == [
        "service level, last 30m",
        "target 80% within 30s",
        "a channel down",
    ]
    target = [
        line for line in bottom.lines if set(np.asarray(line.get_ydata(), dtype=float)) == {0.8}
    ]
    assert len(target) == 1
    spans = {(a, b) for c in range(len(rec.channel_ids)) for a, b, _ in down_intervals(rec, c)}
    assert len(spans) == 1  # chat, app and web go dark together when the CRM fails
    assert len(bottom.patches) == len(top.patches) == len(spans)
    assert any(t.get_text() == "down: chat, app, web" for t in top.texts)
    assert png_bytes(fig).startswith(PNG_MAGIC)


def test_rolling_service_level_agrees_with_the_kpis(runs, plan):
    rec = runs["plan"]
    times, levels = figures.rolling_service_level(rec, 0.5, 30.0, rec.horizon)
    assert times[0] == 30.0 and times[-1] == rec.horizon and np.allclose(np.diff(times), 5.0)
    for i in (0, 20, len(times) - 1):
        expected = kpis_for(rec, plan, start=times[i] - 30.0, end=times[i])["service_level"]
        assert levels[i] == pytest.approx(expected)
    assert np.nanmin(levels) < 0.8 < np.nanmax(levels)  # the outage pulls it under the target


def test_queue_and_service_in_clock_time(runs, plan, scenario):
    fig = figures.queue_and_service(runs["plan"], plan, start=scenario.start)
    fmt = fig.axes[1].xaxis.get_major_formatter()
    assert fmt(2.0, 0) == "10:00"


# --- comparison bars ------------------------------------------------------------------


def test_compare_bars_one_chart_per_kpi_one_bar_per_run(runs, plan):
    metrics = ["service_level", "abandonment", "max_queue", "rto"]
    rows = {name: kpis_for(rec, plan) for name, rec in runs.items()}
    rows = {"room": {**rows["plan"], "rto": float("nan")}, **rows}
    fig = figures.compare_bars(rows, metrics, targets={"service_level": 0.8, "rto": 240.0})
    assert len(fig.axes) == len(metrics)
    assert [ax.get_title() for ax in fig.axes] == [
        "Service level",
        "Abandonment",
        "Longest queue",
        "RTO achieved",
    ]
    assert [ax.get_ylabel() for ax in fig.axes] == [
        "share answered in time",
        "share who gave up",
        "count",
        "duration",  # one unit style: a duration axis reads 1h00m, 2h00m, not minutes
    ]
    fig.canvas.draw()
    low, high = fig.axes[3].get_ylim()
    rto_ticks = [
        t.get_text() for t in fig.axes[3].get_yticklabels() if low <= t.get_position()[1] <= high
    ]
    assert rto_ticks and all(re.fullmatch(r"\d+m|\d+h\d\dm", t) for t in rto_ticks), rto_ticks
    for ax, key in zip(fig.axes, metrics, strict=True):
        heights = [p.get_height() for p in ax.containers[0]]
        expected = [rows[r][key] for r in ("room", "plan", "none")]
        assert heights == pytest.approx([0.0 if np.isnan(v) else v for v in expected])
        assert [t.get_text() for t in ax.get_xticklabels()] == ["room", "plan", "none"]
    rto_labels = [t.get_text() for t in fig.axes[3].texts]
    assert rto_labels[0] == "n/a"
    assert legend_texts(fig.legends[0]) == ["room", "plan", "none", "target"]
    assert png_bytes(fig).startswith(PNG_MAGIC)


def test_compare_bars_wraps_many_kpis(runs, plan):
    rows = {name: kpis_for(rec, plan) for name, rec in runs.items()}
    metrics = [
        "service_level",
        "asa",
        "abandonment",
        "max_queue",
        "backlog",
        "tickets_late",
        "availability",
    ]
    fig = figures.compare_bars(rows, metrics)
    assert len(fig.axes) == len(metrics)
    assert legend_texts(fig.legends[0]) == ["plan", "none"]
    assert png_bytes(fig).startswith(PNG_MAGIC)
