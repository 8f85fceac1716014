"""The console's pages through Streamlit's AppTest: what a facilitator does, click by click."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from drills.paths import DB_ENV
from drills.store import DrillStore

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
PAGES = [
    "pages/drill.py",
    "pages/debrief.py",
    "pages/evaluate.py",
    "pages/programme.py",
    "pages/compare.py",
    "pages/plans.py",
    "pages/scenarios.py",
]
DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv(DB_ENV, str(tmp_path / "drills.sqlite"))
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    return at


def create(at, name="Monday drill", participants="Li Wei, duty_manager\nZhang Min, commander"):
    at.text_input(key="new_name").set_value(name)
    at.text_area(key="new_participants").set_value(participants)
    at.button[0].click().run()  # the form's submit button
    return at


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_error(app, page):
    app.switch_page(page).run()
    assert not app.exception
    assert app.title[0].value


def test_create_advance_see_inject_and_decide(app, tmp_path):
    create(app)
    assert not app.exception
    assert "created" in app.success[0].value
    assert "crm_outage_monday_peak" in app.caption[0].value.replace("\\", "")  # source escaped
    app.radio(key="clock_step").set_value(60)
    app.button(key="advance").click().run()
    assert "Clock moved to 1h00m" in app.success[0].value
    app.button(key="next_inject").click().run()  # the first inject
    assert any("CRM" in i.value or "alarm" in i.value.lower() for i in app.info), [
        i.value for i in app.info
    ]
    app.button(key="next_inject").click().run()
    # the plan's own actions for the open event come first
    choices = app.selectbox(key="decision_choice").options
    assert "Activate backup: crm_standby" in choices[:6]
    app.selectbox(key="decision_choice").set_value(("activate_backup", "crm_standby"))
    app.text_input(key="decision_rationale").set_value("repair time unknown")
    app.button(key="decide").click().run()
    assert not app.exception
    assert "Decision taken and saved" in app.success[0].value
    record = DrillStore(tmp_path / "drills.sqlite").get("drill-0001")
    decision = [e for e in record.entries if e.kind == "decision"][0]
    assert (
        decision.payload["target"] == "crm_standby"
        and decision.payload["rationale"] == "repair time unknown"
    )
    assert decision.result["accepted"] is True
    assert decision.payload["by"] == "Li Wei"


def test_refused_decision_is_shown_and_kept(app, tmp_path):
    create(app)
    app.button(key="next_inject").click().run()
    app.button(key="next_inject").click().run()
    app.selectbox(key="decision_choice").set_value(("switch_to_notice", None)).run()
    app.selectbox(key="decision_target").set_value("counter")
    app.button(key="decide").click().run()
    assert not app.exception
    assert "Decision refused" in app.error[0].value
    record = DrillStore(tmp_path / "drills.sqlite").get("drill-0001")
    refused = [e for e in record.entries if e.kind == "decision"]
    assert refused and refused[0].result["accepted"] is False


def test_note_is_saved_at_the_simulated_time(app, tmp_path):
    create(app)
    app.radio(key="clock_step").set_value(15)
    app.button(key="advance").click().run()
    app.text_area(key="note_text").set_value(
        "Duty manager hesitated before grading <script>alert(1)</script>"
    )
    app.button(key="save_note").click().run()
    assert app.success[0].value == "Note saved."
    notes = [
        e
        for e in DrillStore(tmp_path / "drills.sqlite").get("drill-0001").entries
        if e.kind == "note"
    ]
    assert notes[0].sim_time == 15 and "<script>" in notes[0].payload["text"]


def test_empty_drill_name_is_refused_in_the_page(app):
    create(app, name="  ")
    assert app.error and "name" in app.error[0].value
    assert not app.exception


def test_bad_participant_line_is_refused(app):
    create(app, participants=", commander")
    assert "needs a name" in app.error[0].value


def test_plan_upload_with_errors_is_shown(app):
    app.switch_page("pages/plans.py").run()
    bad = (DATA / "plans" / "malformed" / "dangling_deputy.yaml").read_bytes()
    app.file_uploader[0].set_value(("dangling_deputy.yaml", bad, "application/yaml")).run()
    assert not app.exception
    assert "dangling_deputy.yaml cannot be used" in app.error[0].value
    assert "deputies[0]: unknown person" in app.code[0].value


def test_plan_given_as_scenario_upload_is_refused(app):
    app.switch_page("pages/scenarios.py").run()
    data = (DATA / "plans" / "tiny.yaml").read_bytes()
    app.file_uploader[0].set_value(("tiny.yaml", data, "application/yaml")).run()
    assert "this is a plan, not a scenario" in app.code[0].value


def test_valid_scenario_upload_joins_the_list(app):
    app.switch_page("pages/scenarios.py").run()
    data = (DATA / "scenarios" / "tiny_drill.yaml").read_bytes()
    app.file_uploader[0].set_value(("my_drill.yaml", data, "application/yaml")).run()
    assert "my_drill.yaml is a valid scenario" in app.success[0].value
    assert "my_drill.yaml" in app.selectbox(key="scenario_pick").options


def test_oversized_upload_is_refused(app):
    app.switch_page("pages/plans.py").run()
    app.file_uploader[0].set_value(("huge.yaml", b"# x\n" * 800_000, "application/yaml")).run()
    assert "the limit is" in app.code[0].value


def test_scenarios_page_checks_fit(app):
    app.switch_page("pages/scenarios.py").run()
    assert not app.exception
    assert any("Fits plan" in s.value for s in app.success)


def test_debrief_after_some_play(app):
    create(app)
    app.radio(key="clock_step").set_value(60)
    for _ in range(3):
        app.button(key="advance").click().run()
    app.switch_page("pages/debrief.py").run()
    assert not app.exception
    table = app.dataframe[0].value
    assert list(table.columns)[:2] == ["KPI", "target"]
    assert {"What the room did", "The plan's own policy", "No action"} <= set(table.columns)
    app.radio(key="report_format").set_value("pdf")
    app.number_input(key="report_mc").set_value(4)
    app.button(key="prepare_report").click().run()
    assert not app.exception
    assert app.get("download_button")


def test_two_tabs_conflict_on_the_clock(tmp_path, monkeypatch):
    monkeypatch.setenv(DB_ENV, str(tmp_path / "drills.sqlite"))
    first = AppTest.from_file(APP, default_timeout=90)
    first.run()
    create(first)
    second = AppTest.from_file(APP, default_timeout=90)
    second.run()  # both tabs now show version 0 of drill-0001
    first.button(key="advance").click().run()
    second.button(key="advance").click().run()
    assert "since you looked" in second.warning[0].value
    record = DrillStore(tmp_path / "drills.sqlite").get("drill-0001")
    assert record.clock == 15 and [e.kind for e in record.entries] == ["advance"]


def test_live_drill_clock_follows_wall_time(app, tmp_path):
    import time

    app.radio(key="new_mode").set_value("live")
    app.number_input(key="new_speed").set_value(600.0)  # 10 simulated minutes a wall second
    create(app, name="Live drill")
    assert "not started" in app.info[0].value  # a live drill waits for the facilitator
    app.button(key="live_start").click().run()
    started = DrillStore(tmp_path / "drills.sqlite").get("drill-0001")
    assert started.live_state == "running" and [e.kind for e in started.entries][0] == "start"
    time.sleep(1.5)
    app.session_state["live_last_move"] = 0.0  # as if the refresh period had passed
    app.run()
    assert not app.exception
    record = DrillStore(tmp_path / "drills.sqlite").get("drill-0001")
    moved = [e for e in record.entries if e.kind == "advance"]
    assert moved and moved[-1].author == "live clock" and record.clock >= 10
    assert any("follows wall time" in c.value for c in app.caption)
    app.selectbox(key="observe_step").set_value("discover_report")
    app.button(key="observe").click().run()
    assert "step 'discover_report' done now" in app.success[0].value


def test_second_drill_is_shown_and_its_id_is_in_the_address(app):
    create(app, name="First")
    create(app, name="Second")
    assert not app.exception
    assert app.selectbox(key="drill_pick").value == "drill-0002"
    assert app.query_params["drill"] == ["drill-0002"] or app.query_params["drill"] == "drill-0002"
    assert app.subheader[0].value.startswith("Second:")


def test_reviewer_reads_but_cannot_change_a_drill(app, tmp_path):
    create(app)
    app.button(key="sign_out").click().run()
    app.selectbox(key="sign_in_role").set_value("reviewer")
    app.button(key="sign_in").click().run()
    assert "Signed in as reviewer" in app.success[0].value
    keys = {b.key for b in app.button}
    assert not keys & {"advance", "next_inject", "decide", "save_note"}
    assert app.subheader[0].value.startswith("Monday drill:")  # the board is readable
    app.switch_page("pages/debrief.py").run()
    assert not app.exception


def test_access_codes_gate_the_roles(tmp_path, monkeypatch):
    from drills import access

    monkeypatch.setenv(DB_ENV, str(tmp_path / "drills.sqlite"))
    monkeypatch.setenv(
        access.HASHES_ENV, access.encode_hashes({"facilitator": "red-pen", "reviewer": "read-only"})
    )
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    assert "Sign in" in at.info[0].value and not at.warning  # not an open console: no warning
    at.selectbox(key="sign_in_role").set_value("facilitator")
    at.text_input(key="sign_in_code").set_value("wrong")
    at.button(key="sign_in").click().run()
    assert "not the access code" in at.error[0].value
    at.selectbox(key="sign_in_role").set_value("evaluator")  # no code set for it: stays closed
    at.text_input(key="sign_in_code").set_value("")
    at.button(key="sign_in").click().run()
    assert "not the access code" in at.error[0].value
    at.selectbox(key="sign_in_role").set_value("facilitator")
    at.text_input(key="sign_in_code").set_value("red-pen")
    at.button(key="sign_in").click().run()
    assert "Signed in as facilitator" in at.success[0].value
    assert at.title[0].value == "Drill console"


def played(app, hours=3):
    create(app)
    app.radio(key="clock_step").set_value(60)
    for _ in range(hours):
        app.button(key="advance").click().run()
    return app


def test_evaluator_rates_accepts_a_draft_adds_an_item_and_downloads_the_report(app, tmp_path):
    played(app)
    app.switch_page("pages/evaluate.py").run()
    assert not app.exception
    app.text_input(key="sign_in_name").set_value("Eve Zhou")
    app.button(key="save_name").click().run()
    app.selectbox(key="rate_capability").set_value("activate")
    app.radio(key="rate_value").set_value("M")
    app.text_area(key="rate_evidence").set_value("commander reached after 40 min")
    app.button(key="save_rating").click().run()
    assert "Rating saved." in app.success[0].value
    accept = next(b for b in app.button if b.key and b.key.startswith("accept_"))
    accept.click().run()
    assert "Draft accepted as your finding." in app.success[0].value
    app.text_input(key="item_issue").set_value("Commander slow to answer at night")
    app.text_input(key="item_action").set_value("Add a second deputy on the night rota")
    app.selectbox(key="item_node_kind").set_value("role")
    app.text_input(key="item_node_id").set_value("commander")
    app.button(key="add_item").click().run()
    assert "Improvement item saved." in app.success[0].value, [e.value for e in app.error]
    app.radio(key="report_format").set_value("html")
    app.button(key="prepare_report").click().run()
    assert not app.exception
    assert app.get("download_button")


def test_reviewer_sees_the_programme_but_changes_nothing(app):
    played(app, hours=1)
    app.switch_page("pages/programme.py").run()
    assert not app.exception
    app.button(key="sign_out").click().run()
    app.selectbox(key="sign_in_role").set_value("reviewer")
    app.button(key="sign_in").click().run()
    assert not app.exception
    assert not any(b.key and b.key.startswith(("change_", "verify_")) for b in app.button)
    app.switch_page("pages/evaluate.py").run()
    assert not any(b.key in {"save_rating", "add_finding", "add_item"} for b in app.button)
    assert not any(b.key and b.key.startswith(("accept_", "delete_")) for b in app.button)


def test_compare_page_runs_variants_with_progress(app):
    app.switch_page("pages/compare.py").run()
    app.text_area(key="cmp_vary").set_value("agents=110,140")
    app.number_input(key="cmp_n").set_value(3)
    app.button(key="cmp_run").click().run()
    assert not app.exception
    rows = app.dataframe[0].value  # one row per variant, KPIs by name (test_compare_page.py)
    assert list(rows["Settings"]) == ["agents=110", "agents=140"]


def test_compare_page_refuses_a_bad_key(app):
    app.switch_page("pages/compare.py").run()
    app.text_area(key="cmp_vary").set_value("agnts=1,2")
    app.button(key="cmp_run").click().run()
    assert "unknown key 'agnts'" in app.error[0].value


def test_a_note_the_database_cannot_take_is_not_acknowledged_and_its_text_stays(
    app, tmp_path, monkeypatch
):
    """Issue 18 section 3: a failed save says so and keeps what the person typed."""
    import sqlite3

    from drills import session

    create(app)

    def broken(*_args, **_kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    text = "Commander reached at 09:12 by mobile"
    with monkeypatch.context() as m:
        m.setattr(session, "add_note", broken)
        app.text_area(key="note_text").set_value(text)
        app.button(key="save_note").click().run()
    assert not app.exception and not app.success
    assert "Not saved" in app.error[0].value and "disk I/O error" in app.error[0].value
    assert app.text_area(key="note_text").value == text  # nothing typed is lost
    entries = DrillStore(tmp_path / "drills.sqlite").get("drill-0001").entries
    assert not [e for e in entries if e.kind == "note"]
    app.button(key="save_note").click().run()  # the disk is back: the same text saves
    assert app.success[0].value == "Note saved."
