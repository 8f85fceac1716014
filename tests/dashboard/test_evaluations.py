"""Capability ratings and findings of a drill, kept in the drill database; the layout migration."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from drills import evaluations as ev
from drills.errors import UnknownDrill
from drills.schema import SCHEMA_VERSION, NewerSchema, connect
from drills.store import DrillStore

ROOT = Path(__file__).resolve().parents[2]
PLAN_TEXT = (ROOT / "plans" / "examples" / "default_centre.yaml").read_text()
SCENARIO_TEXT = (ROOT / "scenarios" / "library" / "crm_outage_monday_peak.yaml").read_text()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "drills.sqlite"


@pytest.fixture
def drill_id(db: Path) -> str:
    store = DrillStore(db)
    return store.create_drill(
        "CRM outage", "default_centre", PLAN_TEXT, "crm_outage_monday_peak", SCENARIO_TEXT
    ).id


# --- ratings ------------------------------------------------------------------------------


def test_capabilities_are_the_six_steps_and_resource_guarantee():
    assert ev.CAPABILITIES == (
        "discover_report",
        "assess_grade",
        "activate",
        "handle_coordinate",
        "track_feedback",
        "review_improve",
        "resource_guarantee",
    )


def test_a_rating_is_stored_and_read_back(db, drill_id):
    given = ev.rate(db, drill_id, "activate", "S", "commander reached after 25 min", "Eve")
    assert given.rating == "S" and given.current
    [stored] = ev.ratings(db, drill_id)
    assert stored == given
    assert stored.wall_time.endswith("+00:00")


@pytest.mark.parametrize("capability", ["activation", "Activate", "", None, "resource"])
def test_an_unknown_capability_is_refused(db, drill_id, capability):
    with pytest.raises(
        ValueError, match="unknown capability .*: one of discover_report, .*resource_guarantee"
    ):
        ev.rate(db, drill_id, capability, "P", "", "Eve")


@pytest.mark.parametrize("rating", ["X", "p", "PS", "", None, 1])
def test_a_rating_other_than_psmu_is_refused(db, drill_id, rating):
    with pytest.raises(ValueError, match="is not one of P, S, M, U"):
        ev.rate(db, drill_id, "activate", rating, "seen", "Eve")


@pytest.mark.parametrize("rating", ["M", "U"])
@pytest.mark.parametrize("evidence", ["", "   ", None])
def test_m_and_u_need_evidence(db, drill_id, rating, evidence):
    with pytest.raises(ValueError, match=f"a rating of {rating} .* needs evidence"):
        ev.rate(db, drill_id, "activate", rating, evidence, "Eve")
    assert ev.ratings(db, drill_id) == []


@pytest.mark.parametrize("rating", ["P", "S"])
def test_p_and_s_may_go_without_evidence(db, drill_id, rating):
    assert ev.rate(db, drill_id, "discover_report", rating, "", "Eve").evidence == ""


def test_a_rating_needs_an_evaluator(db, drill_id):
    with pytest.raises(ValueError, match="needs a name"):
        ev.rate(db, drill_id, "activate", "P", "", "  ")


def test_a_rating_of_an_unknown_drill_is_refused(db, drill_id):
    with pytest.raises(UnknownDrill, match="no drill 'drill-0099'"):
        ev.rate(db, "drill-0099", "activate", "P", "", "Eve")


def test_a_later_rating_by_the_same_evaluator_replaces_the_earlier_and_history_keeps_both(
    db, drill_id
):
    first = ev.rate(db, drill_id, "activate", "U", "commander never called", "Eve")
    other = ev.rate(db, drill_id, "activate", "M", "called late", "Sam")
    second = ev.rate(
        db, drill_id, "activate", "S", "called after 25 min on review of the log", "Eve"
    )
    current = ev.ratings(db, drill_id)
    assert [(r.evaluator, r.rating) for r in current] == [("Eve", "S"), ("Sam", "M")]
    assert {r.id for r in current} == {second.id, other.id}
    history = ev.rating_history(db, drill_id)
    assert [(r.id, r.rating, r.current) for r in history] == [
        (first.id, "U", False),
        (other.id, "M", True),
        (second.id, "S", True),
    ]


def test_ratings_come_in_the_flow_order(db, drill_id):
    for capability in ("resource_guarantee", "activate", "discover_report"):
        ev.rate(db, drill_id, capability, "P", "", "Eve")
    assert [r.capability for r in ev.ratings(db, drill_id)] == [
        "discover_report",
        "activate",
        "resource_guarantee",
    ]


def test_ratings_live_in_the_drill_database_beside_the_drills(db, drill_id):
    ev.rate(db, drill_id, "activate", "P", "", "Eve")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM drills").fetchone()[0] == 1
        assert conn.execute("SELECT capability, rating FROM ratings").fetchall() == [
            ("activate", "P")
        ]


# --- findings -----------------------------------------------------------------------------


def test_a_strength_is_recorded_as_a_draft(db, drill_id):
    fid = ev.add_finding(
        db, drill_id, "strength", "discover_report", "alarm reported in 5 min", "", "", "Eve"
    )
    [found] = ev.findings(db, drill_id)
    assert found.id == fid and found.kind == "strength" and found.draft
    assert found.observed == "alarm reported in 5 min"


def test_a_draft_area_may_be_incomplete_but_a_final_one_needs_reference_and_analysis(db, drill_id):
    with pytest.raises(ValueError, match="needs its reference and analysis before it leaves draft"):
        ev.add_finding(
            db, drill_id, "area", "activate", "commander not called", "", "", "Eve", draft=False
        )
    fid = ev.add_finding(db, drill_id, "area", "activate", "commander not called", "", "", "Eve")
    with pytest.raises(ValueError, match="needs its analysis before it leaves draft"):
        ev.update_finding(db, fid, reference="plan 7.2 step 3", draft=False)
    assert ev.findings(db, drill_id)[0].draft  # nothing changed
    done = ev.update_finding(
        db,
        fid,
        reference="plan 7.2 step 3",
        analysis="nobody declared a level, so nobody called the team",
        draft=False,
    )
    assert not done.draft and done.reference == "plan 7.2 step 3"
    assert ev.findings(db, drill_id) == [done]
    with pytest.raises(ValueError, match="needs its analysis"):
        ev.update_finding(db, fid, analysis="")  # a final area cannot lose its analysis


def test_a_finding_needs_what_was_observed_and_a_known_kind_and_capability(db, drill_id):
    with pytest.raises(ValueError, match="needs what was observed"):
        ev.add_finding(db, drill_id, "strength", "activate", " ", "", "", "Eve")
    with pytest.raises(ValueError, match="'strength' or 'area'"):
        ev.add_finding(db, drill_id, "weakness", "activate", "x", "", "", "Eve")
    with pytest.raises(ValueError, match="unknown capability"):
        ev.add_finding(db, drill_id, "strength", "comms", "x", "", "", "Eve")
    with pytest.raises(UnknownDrill):
        ev.add_finding(db, "drill-0042", "strength", "activate", "x", "", "", "Eve")
    with pytest.raises(LookupError, match="no finding 99"):
        ev.update_finding(db, 99, observed="x")


def test_findings_come_oldest_first(db, drill_id):
    a = ev.add_finding(db, drill_id, "area", "activate", "late", "", "", "Eve")
    b = ev.add_finding(db, drill_id, "strength", "track_feedback", "closed the loop", "", "", "Sam")
    assert [f.id for f in ev.findings(db, drill_id)] == [a, b]


# --- the layout ---------------------------------------------------------------------------


def test_a_layout_1_file_is_migrated_and_keeps_its_drills(db, drill_id):
    ev.rate(db, drill_id, "activate", "P", "", "Eve")
    with sqlite3.connect(db) as conn:  # make it a file as drillsim 1 left it
        for table in ("item_history", "items", "findings", "ratings"):
            conn.execute(f"DROP TABLE {table}")
        conn.execute("UPDATE schema_version SET version = 1")
    assert ev.ratings(db, drill_id) == []  # the tables are back, empty
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
    record = DrillStore(db).get(drill_id)
    assert record.name == "CRM outage" and record.plan_text == PLAN_TEXT


def test_drill_store_migrates_too(db, drill_id):
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE ratings")
        conn.execute("UPDATE schema_version SET version = 1")
    DrillStore(db)
    ev.rate(db, drill_id, "activate", "P", "", "Eve")
    assert len(ev.ratings(db, drill_id)) == 1


def test_a_newer_layout_is_refused(db, drill_id):
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
    with pytest.raises(NewerSchema, match="newer than this drillsim understands"):
        ev.ratings(db, drill_id)


def test_a_folder_is_not_a_database(tmp_path):
    with pytest.raises(ValueError, match="is a folder"), connect(tmp_path):
        pass
