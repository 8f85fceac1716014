"""The debrief's charts read well: no label drawn over another, in English and Chinese, and
the room's decisions and the injects marked on the queue and service-level charts.

The default drill: the default plan and the CRM outage at the Monday peak, seed 7, a
tabletop room that advances to T+1h05m (the first inject), activates the standby CRM
and plays on to T+4h00m; the charts are drawn as the Debrief page draws them.
"""

from __future__ import annotations

import itertools

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from drills import session
from drills.debrief import compare_policies, kpi_table
from drills.store import DrillStore
from i18n import _, language
from plans.loader import load_plan_text
from reports.chart_events import drill_events
from reports.figures import compare_bars, queue_and_service
from reports.kpi_bars import text_width, wrap
from reports.run_figures import EVENT_STYLE
from scenarios.loader import load_scenario_text
from sim.response.decisions import Decision

PAGE_RUNS = (
    ("room", "What the room did"),
    ("plan", "The plan's own policy"),
    ("none", "No action"),
)
"""The Debrief page's names of the three runs (dashboard/pages/debrief.py)."""
PAGE_KPIS = ["service_level", "abandonment", "rto", "steps_late"]


@pytest.fixture(scope="module")
def drill(tmp_path_factory, new_drill):
    store = DrillStore(tmp_path_factory.mktemp("debrief") / "drills.sqlite")
    record = new_drill(store)
    record = session.advance(store, record.id, 65.0, "Alice", record.version)
    verdict, record = session.decide(
        store,
        record.id,
        Decision(action="activate_backup", target="crm_standby"),
        "Alice",
        "repair time unknown",
        record.version,
    )
    assert verdict.accepted
    return session.advance(store, record.id, 240.0, "Alice", record.version)


@pytest.fixture(scope="module")
def played(drill):
    plan = load_plan_text(drill.plan_text, drill.plan_name)
    scenario = load_scenario_text(drill.scenario_text, drill.scenario_name)
    sim = session.open_simulation(drill)
    room = sim.records()
    sim.release()
    runs = compare_policies(plan, scenario, drill.seed, room, until=drill.clock)
    return plan, scenario, room, runs


def drawn_texts(fig: Figure) -> list[Text]:
    """The texts a draw puts on the figure: tick labels only of ticks inside the view."""
    ticks: set[int] = set()
    shown: list[Text] = []
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                labels = (tick.label1, tick.label2)
                ticks.update(id(t) for t in labels)
                if low - 1e-9 <= tick.get_loc() <= high + 1e-9:
                    shown += [t for t in labels if t.get_visible()]
    shown += [t for t in fig.findobj(Text) if id(t) not in ticks and t.get_visible()]
    return [t for t in shown if t.get_text().strip()]


def overlaps(fig: Figure) -> list[tuple[str, str]]:
    """Pairs of drawn texts whose bounding boxes intersect (after a real draw)."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in drawn_texts(fig)]
    boxes = [(s, b) for s, b in boxes if b.width > 0 and b.height > 0]
    assert len(boxes) > 20  # the figure has its labels
    return [(a, b) for (a, ba), (b, bb) in itertools.combinations(boxes, 2) if ba.overlaps(bb)]


def page_bars(runs, plan, until):
    rows = kpi_table(runs, plan, until)
    return compare_bars(
        {name: {r["kpi"]: r[name] for r in rows} for name, _label in PAGE_RUNS},
        PAGE_KPIS,
        targets={r["kpi"]: r.get("target") for r in rows},
        names={name: _(label) for name, label in PAGE_RUNS},
    )


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_kpi_bar_charts_of_the_default_drill_have_no_overlapping_labels(played, drill, lang):
    plan, _scenario, _room, runs = played
    with language(lang):
        fig = page_bars(runs, plan, drill.clock)
        assert overlaps(fig) == []
        ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert len(ticks) == 3 and "\n" in ticks[1]  # the long names are wrapped


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_kpi_bars_with_many_runs_turn_values_upright_and_still_do_not_overlap(played, lang):
    plan, _scenario, _room, runs = played
    values = {r["kpi"]: r["plan"] for r in kpi_table(runs, plan, 240.0)}
    rows = {f"variant {i}": values for i in range(7)}
    with language(lang):
        fig = compare_bars(rows, PAGE_KPIS + ["asa", "max_queue"])
        assert overlaps(fig) == []
    assert {t.get_rotation() for t in fig.axes[0].texts} == {90.0}
    assert {t.get_rotation() for t in fig.axes[0].get_xticklabels()} == {90.0}


def test_wrap_fits_the_width_and_breaks_chinese_anywhere():
    assert wrap("What the room did", 0.75) == "What the\nroom did"
    assert all(text_width(line) <= 0.75 for line in wrap("按预案自身策略", 0.75).split("\n"))
    assert wrap("按预案自身策略", 0.75).replace("\n", "") == "按预案自身策略"
    assert wrap("room", 0.75) == "room"


def test_decisions_and_injects_are_marked_on_the_queue_and_service_level_charts(played, drill):
    plan, scenario, room, _runs = played
    events = drill_events(scenario, [e.to_dict() for e in drill.entries], drill.clock)
    kinds = [(ev.kind, ev.at) for ev in events]
    assert ("decision", 65.0) in kinds
    assert [at for kind, at in kinds if kind == "inject"] == [
        float(i.at) for i in scenario.injects if i.at <= 240.0
    ]
    fig = queue_and_service(room, plan, start=scenario.start, events=events)
    top, bottom = fig.axes[:2]
    for ax in (top, bottom):
        for kind, at in kinds:
            style = EVENT_STYLE[kind]
            lines = [
                ln
                for ln in ax.lines
                if list(ln.get_xdata()) == [at / 60.0, at / 60.0]
                and ln.get_color() == style["color"]
                and ln.get_linestyle() == {"-": "-", ":": ":"}[style["linestyle"]]
            ]
            assert lines, (kind, at)
    tags = [
        t.get_text() for t in top.texts if t.get_text()[:1] in "DI" and t.get_text()[1:].isdigit()
    ]
    assert sorted(tags) == sorted(
        [f"D{i}" for i in range(1, 2)] + [f"I{i}" for i in range(1, len(kinds))]
    )
    key = [t.get_text() for t in fig.legends[-1].get_texts()]
    assert "D1 T+1h05m: activate_backup crm_standby" in key
    assert len(key) == len(events)
    assert overlaps(fig) == []


def test_marks_close_in_time_get_rows_of_their_own(played):
    from reports.chart_events import ChartEvent

    plan, scenario, room, _runs = played
    events = [ChartEvent(60.0 + i, "inject", f"inject {i}") for i in range(4)]
    events.append(ChartEvent(62.0, "decision", "declare_level 2"))
    events.sort(key=lambda ev: ev.at)
    fig = queue_and_service(room, plan, start=scenario.start, events=events)
    assert overlaps(fig) == []
    with language("zh-CN"):
        assert overlaps(queue_and_service(room, plan, start=scenario.start, events=events)) == []


def test_a_skipped_inject_is_not_marked_and_one_delivered_early_is_marked_early(played):
    _plan, scenario, _room, _runs = played
    first, second = float(scenario.injects[0].at), float(scenario.injects[1].at)
    log = [
        {"kind": "inject", "sim_time": 10.0, "payload": {"index": 0, "action": "deliver"}},
        {"kind": "inject", "sim_time": 20.0, "payload": {"index": 1, "action": "skip"}},
        {"kind": "decision", "sim_time": 30.0, "payload": {"action": "declare_level", "level": 2},
         "result": {"accepted": False}},
    ]  # fmt: skip
    marks = [(ev.kind, ev.at) for ev in drill_events(scenario, log, 480.0)]
    assert ("inject", 10.0) in marks and ("inject", first) not in marks
    assert ("inject", second) not in marks
    assert not [m for m in marks if m[0] == "decision"]  # a refused decision changed nothing
