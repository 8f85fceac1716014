"""The yearly drill programme: the full drill due once a year, three-year gaps, the next drill.

The default plan records its last full drill on 2026-05-20; its event classes, in
the plan's order, are system_failure, complaint_surge, disaster, security_incident
and staff_shortage. Drills in the store are dated by editing their creation time.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
import yaml

from drills import evaluations as ev
from drills import items as it
from drills import programme as pg
from drills import session
from drills.programme import HeldDrill
from drills.store import DrillStore
from plans import default_plan_path, load_plan
from plans.loader import bundled_plans

ROOT = Path(__file__).resolve().parents[2]
PLAN_TEXT = (ROOT / "plans" / "examples" / "default_centre.yaml").read_text()
LIBRARY = ROOT / "scenarios" / "library"
TINY_PLAN_TEXT = (ROOT / "tests" / "data" / "plans" / "tiny.yaml").read_text()
TINY_SCENARIO_TEXT = yaml.safe_dump(
    {
        "meta": {
            "id": "tiny_crm",
            "name": "CRM outage on the tiny plan",
            "event_class": "system_failure",
        },
        "start": "2026-03-02T09:00:00",
        "horizon": "6h",
        "demand": {"rate_per_hour": 60, "channels": {"phone": 0.7, "counter": 0.3}},
        "handle_time": {"default": {"dist": "exponential", "mean": "4m"}},
        "events": [
            {
                "id": "crm_down",
                "kind": "outage",
                "target": "crm",
                "start": "1h",
                "duration": {"dist": "fixed", "value": "10h"},
            }
        ],
    }
)
LAST = dt.date(2026, 5, 20)


@pytest.fixture(scope="module")
def plan():
    return load_plan(default_plan_path())


@pytest.fixture(scope="module")
def pool(plan):
    return it.fitting_scenarios(plan)


def with_last_drill(plan, day: dt.date | None):
    return plan.model_copy(update={"meta": plan.meta.model_copy(update={"last_full_drill": day})})


def held(
    day: dt.date,
    event_class: str | None = "system_failure",
    mode: str = "tabletop",
    status: str = "ended",
    rated: tuple[str, ...] = (),
    name: str = "d",
) -> HeldDrill:
    return HeldDrill(f"drill-{name}", name, day, mode, status, "some_scenario", event_class, rated)


def item(kind: str, node: str, status: str = "open", number: int = 1) -> it.Item:
    return it.Item(
        number,
        "default_centre",
        None,
        None,
        "issue",
        "action",
        "training",
        "duty_manager",
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
        status,
        kind,
        node,
        "2026-01-01T00:00:00+00:00",
        "Eve",
        0,
        None,
        (),
    )


# --- the yearly full drill ----------------------------------------------------------------


@pytest.mark.parametrize(("days", "overdue"), [(364, False), (365, False), (366, True)])
def test_the_next_full_drill_is_due_365_days_after_the_last(tmp_path, plan, pool, days, overdue):
    today = LAST + dt.timedelta(days=days)
    prog = pg.programme(tmp_path / "none.sqlite", plan, today, pool)
    assert prog.last_full_drill == LAST and prog.last_full_source == "plan"
    assert prog.next_full_due == dt.date(2027, 5, 20)
    assert prog.overdue is overdue


def test_365_days_across_a_leap_year_is_not_the_same_date(tmp_path, plan, pool):
    leap = with_last_drill(plan, dt.date(2027, 6, 1))
    prog = pg.programme(tmp_path / "none.sqlite", leap, dt.date(2028, 5, 31), pool)
    assert prog.next_full_due == dt.date(2028, 5, 31) and not prog.overdue
    assert pg.programme(tmp_path / "none.sqlite", leap, dt.date(2028, 6, 1), pool).overdue


def test_no_full_drill_ever_is_overdue(tmp_path, plan, pool):
    prog = pg.programme(
        tmp_path / "none.sqlite", with_last_drill(plan, None), dt.date(2026, 1, 1), pool
    )
    assert prog.last_full_drill is None and prog.next_full_due is None and prog.overdue
    assert prog.last_full_source == ""


def test_a_later_ended_live_drill_is_the_last_full_drill(plan):
    today = dt.date(2027, 1, 1)
    drills = [
        held(dt.date(2026, 9, 1), mode="live", name="live"),
        held(dt.date(2026, 10, 1), mode="tabletop", name="tabletop"),  # not a full drill
        held(dt.date(2026, 11, 1), mode="live", status="open", name="open"),  # never ended
        held(dt.date(2027, 2, 1), mode="live", name="future"),  # after today
    ]
    assert pg.last_full_drill(plan, drills, today) == (dt.date(2026, 9, 1), "drill-live")
    assert pg.last_full_drill(plan, [held(dt.date(2026, 5, 1), mode="live")], today) == (
        LAST,
        "plan",
    )


# --- the three-year window ----------------------------------------------------------------


def test_window_start_is_the_same_date_three_years_before():
    assert pg.window_start(dt.date(2026, 6, 1)) == dt.date(2023, 6, 1)
    assert pg.window_start(dt.date(2028, 2, 29)) == dt.date(2025, 2, 28)


def test_gaps_over_three_years(plan):
    today = dt.date(2026, 6, 1)
    drills = [
        held(
            dt.date(2023, 6, 1), "system_failure", rated=("activate",)
        ),  # first day of the window: tested
        held(
            dt.date(2023, 5, 31), "complaint_surge", rated=("discover_report",)
        ),  # one day before: a gap
        held(dt.date(2021, 1, 1), "disaster"),
        held(
            dt.date(2026, 1, 1), "staff_shortage", status="open", rated=("track_feedback",)
        ),  # not ended
    ]
    classes, capabilities = pg.gaps(plan, drills, today)
    assert [(g.name, g.last_tested) for g in classes] == [
        ("security_incident", None),
        ("staff_shortage", None),  # never: in the plan's order
        ("disaster", dt.date(2021, 1, 1)),
        ("complaint_surge", dt.date(2023, 5, 31)),
    ]
    assert [(g.name, g.last_tested) for g in capabilities] == [
        ("assess_grade", None),
        ("handle_coordinate", None),
        ("track_feedback", None),
        ("review_improve", None),
        ("resource_guarantee", None),
        ("discover_report", dt.date(2023, 5, 31)),
    ]


# --- the next drill -----------------------------------------------------------------------


def test_with_no_drill_the_first_class_in_the_plan_and_the_first_scenario_by_name(plan, pool):
    name, reason = pg.suggest_next(plan, [], [], dt.date(2026, 6, 1), pool)
    assert (
        name == "crm_outage_monday_peak"
    )  # system_failure: crm_outage, network_loss, telephony tie
    assert (
        reason
        == "event class 'system_failure' has not been drilled in the last 3 years (never drilled)"
    )


def test_the_scenario_of_the_gap_that_retests_most_items_wins(plan, pool):
    items = [item("system", "telephony", number=4), item("role", "security_lead", number=5)]
    name, reason = pg.suggest_next(plan, [], items, dt.date(2026, 6, 1), pool)
    assert name == "telephony_outage"
    assert reason.endswith("it also re-tests 1 open improvement item (#4)")


def test_the_gap_untested_longest_comes_first(plan, pool):
    today = dt.date(2026, 6, 1)
    recent = [
        held(dt.date(2025, 1, 1), c) for c in ("system_failure", "disaster", "staff_shortage")
    ]
    drills = [
        *recent,
        held(dt.date(2022, 1, 1), "complaint_surge"),
        held(dt.date(2021, 1, 1), "security_incident"),
    ]
    name, reason = pg.suggest_next(plan, drills, [], today, pool)
    assert name == "ransomware_data_platform"
    assert (
        "'security_incident' has not been drilled in the last 3 years (last drilled 2021-01-01)"
        in reason
    )
    # equally old gaps go in the plan's order: complaint_surge before security_incident
    drills[-1] = held(dt.date(2022, 1, 1), "security_incident")
    assert pg.suggest_next(plan, drills, [], today, pool)[0] == "complaint_surge_billing_error"


def test_without_gaps_the_scenario_retesting_most_open_items(plan, pool):
    today = dt.date(2026, 6, 1)
    drills = [held(dt.date(2026, 1, 1), c.id) for c in plan.event_classes]
    items = [
        item("role", "security_lead", number=1),
        item("target", "rpo", number=2),
        item("system", "telephony", number=3),
        item("target", "rpo", status="verified", number=4),  # verified: needs no re-test
    ]
    name, reason = pg.suggest_next(plan, drills, items, today, pool)
    assert name == "ransomware_data_platform"
    assert (
        reason == "it re-tests 2 open improvement items (#1, #2), the most of any bundled scenario"
    )
    # one item each: the first name wins
    assert pg.suggest_next(
        plan, drills, [items[2], item("role", "security_lead", number=9)], today, pool
    )[0] == ("ransomware_data_platform")
    assert (
        pg.suggest_next(plan, drills, [item("target", "rto", number=7)], today, pool)[0]
        == "crm_outage_monday_peak"
    )


def test_without_gaps_or_items_the_class_drilled_longest_ago(plan, pool):
    today = dt.date(2026, 6, 1)
    dates = {
        "system_failure": 2026,
        "complaint_surge": 2024,
        "disaster": 2025,
        "security_incident": 2025,
        "staff_shortage": 2026,
    }
    drills = [held(dt.date(year, 3, 1), c) for c, year in dates.items()]
    name, reason = pg.suggest_next(plan, drills, [], today, pool)
    # complaint_surge_billing_error and surge_and_outage are both complaint surges: by name
    assert name == "complaint_surge_billing_error"
    assert "'complaint_surge' longest ago (last drilled 2024-03-01)" in reason


def test_no_suggestion_when_no_bundled_scenario_fits():
    other = load_plan(bundled_plans()["single_point_centre"])
    name, reason = pg.suggest_next(other, [], [], dt.date(2026, 6, 1))
    assert name is None and "no bundled scenario fits plan 'single_point_centre'" in reason


# --- from the drill store -----------------------------------------------------------------


def dated(db: Path, drill_id: str, day: dt.date) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE drills SET created_wall = ? WHERE id = ?",
            (f"{day.isoformat()}T09:00:00.000+00:00", drill_id),
        )


def new_drill(
    store: DrillStore,
    scenario: str = "crm_outage_monday_peak",
    mode: str = "tabletop",
    end: bool = True,
    plan_text: str = PLAN_TEXT,
    scenario_text: str | None = None,
) -> str:
    text = (
        scenario_text if scenario_text is not None else (LIBRARY / f"{scenario}.yaml").read_text()
    )
    drill = store.create_drill(
        scenario, "plan", plan_text, scenario, text, mode=mode, start_live=False
    )
    if end:
        drill = session.end_drill(store, drill.id, "Alice", drill.version)
    return drill.id


def test_programme_from_the_drill_store(tmp_path, plan, pool):
    db = tmp_path / "drills.sqlite"
    store = DrillStore(db)
    surge = new_drill(store, "complaint_surge_billing_error")
    live = new_drill(store, "typhoon_site_closure", mode="live")
    never_ended = new_drill(store, "flu_wave", mode="live", end=False)
    tiny = new_drill(store, "tiny_crm", plan_text=TINY_PLAN_TEXT, scenario_text=TINY_SCENARIO_TEXT)
    dated(db, surge, dt.date(2023, 5, 31))
    dated(db, live, dt.date(2026, 9, 1))
    dated(db, never_ended, dt.date(2026, 10, 1))
    dated(db, tiny, dt.date(2026, 10, 1))
    ev.rate(db, live, "activate", "S", "", "Eve")
    prog = pg.programme(db, plan, dt.date(2026, 12, 1), pool)
    assert [(d.id, d.date, d.mode, d.status, d.event_class) for d in prog.drills] == [
        (surge, dt.date(2023, 5, 31), "tabletop", "ended", "complaint_surge"),
        (live, dt.date(2026, 9, 1), "live", "ended", "disaster"),
        (never_ended, dt.date(2026, 10, 1), "live", "open", "staff_shortage"),
    ]  # the tiny plan's drill is not this plan's
    assert prog.drills[1].rated == ("activate",)
    assert (prog.last_full_drill, prog.last_full_source) == (dt.date(2026, 9, 1), live)
    assert prog.next_full_due == dt.date(2027, 9, 1) and not prog.overdue
    assert [g.name for g in prog.untested_classes] == [
        "system_failure",
        "security_incident",
        "staff_shortage",
        "complaint_surge",
    ]
    assert "activate" not in [g.name for g in prog.untested_capabilities]
    assert prog.suggestion == "crm_outage_monday_peak"
    doc = prog.to_dict()
    assert doc["last_full_drill"] == "2026-09-01" and doc["untested_classes"][-1] == {
        "name": "complaint_surge",
        "last_tested": "2023-05-31",
    }
    assert pg.drills_held(db, "tiny")[0].id == tiny
    assert set(pg.stored_plans(db)) == {"default_centre", "tiny"}


def test_open_items_of_the_store_steer_the_suggestion(tmp_path, plan, pool):
    db = tmp_path / "drills.sqlite"
    it.add_item(
        db,
        plan,
        issue="standby link failed over late",
        corrective_action="test failover monthly",
        element="equipment",
        owner_role="it_on_call",
        start="2026-01-01",
        due="2026-12-31",
        node_kind="system",
        node_id="network_a_backup",
        author="Eve",
    )
    prog = pg.programme(db, plan, dt.date(2026, 6, 1), pool)
    assert (
        prog.suggestion == "network_loss_one_site"
    )  # a system_failure scenario that re-tests the item
    assert "re-tests 1 open improvement item (#1)" in prog.reason
