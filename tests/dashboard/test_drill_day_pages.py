"""A drill day through the console's pages (Streamlit's AppTest), click by click.

The steps a person takes are clicks and typing; the drill database is only read, to
check what the clicks stored. The default drill is the bundled CRM outage on the
default plan, seed 1: the first inject (CRM not responding) comes at 1h05m.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import drill_actions
from dashboard.drill_create import REQUEST_ID
from drills.paths import DB_ENV
from drills.store import DrillStore

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
DATA = Path(__file__).resolve().parents[1] / "data"
PEOPLE = "Li Wei, duty_manager\nZhang Min, commander"


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "drills.sqlite"
    monkeypatch.setenv(DB_ENV, str(path))
    return path


@pytest.fixture
def app(db):
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    return at


def create(
    at, name="Monday drill", participants=PEOPLE, mode="tabletop", speed=1.0, request_id=None
):
    at.switch_page("pages/drill.py").run()
    if request_id is not None:  # the id the form was drawn with, as a second Enter sends it
        at.session_state[REQUEST_ID] = request_id
    at.text_input(key="new_name").set_value(name)
    at.text_area(key="new_participants").set_value(participants)
    at.radio(key="new_mode").set_value(mode)
    at.number_input(key="new_speed").set_value(speed)
    at.button[0].click().run()  # the form's submit button
    assert not at.exception
    return at


def decide(at, choice, level=None):
    at.selectbox(key="decision_choice").set_value(choice).run()
    if level is not None:
        at.radio(key="decision_level").set_value(level)
    at.text_input(key="decision_rationale").set_value("as the plan says")
    at.button(key="decide").click().run()
    assert "Decision taken and saved" in at.success[0].value, [e.value for e in at.error]


def advance(at, minutes):
    at.radio(key="clock_step").set_value(minutes)
    at.button(key="advance").click().run()
    assert "Clock moved to" in at.success[0].value, [e.value for e in at.error]


def end(at, summary):
    at.text_area(key="end_summary").set_value(summary)
    at.checkbox(key="end_confirm").check()  # in the End drill form: sent with the button
    at.button(key="end_drill").click().run()
    assert "Drill ended" in at.success[0].value, [e.value for e in at.error]


def test_end_drill_asks_for_the_confirmation_first(app, db):
    create(app)
    app.button(key="end_drill").click().run()
    assert "Tick 'I confirm' first" in warned(app)
    assert DrillStore(db).get("drill-0001").status == "open"


NAMES = {"facilitator": "Fay Li", "evaluator": "Eve Zhou", "observer": "Olga Wu"}
"""Who signs in with each role: ratings and findings record a person's name."""


def sign_in_as(at, role):
    at.button(key="sign_out").click().run()
    at.selectbox(key="sign_in_role").set_value(role)
    at.text_input(key="sign_in_name").set_value(NAMES.get(role, "Rey Ma"))
    at.button(key="sign_in").click().run()
    assert f"Signed in as {role}" in at.success[0].value


def keys(at):
    return {b.key for b in at.button if b.key}


def warned(at):
    return "\n".join(w.value for w in at.warning)


def table_text(at):
    return "\n".join(m.value for m in at.markdown)


def test_a_drill_day_from_creation_to_a_verified_item(app, db):
    # --- the first drill: the room activates the standby late, with no level declared
    create(app)
    assert "created (drill-0001)" in app.success[0].value
    app.button(key="next_inject").click().run()
    assert "Clock moved to 1h05m" in app.success[0].value
    assert any("CRM not responding" in i.value for i in app.info)
    app.button(key="next_inject").click().run()
    assert "Clock moved to 1h30m" in app.success[0].value
    decide(app, ("activate_backup", "crm_standby"))
    log = app.dataframe[0].value
    assert {"entered by", "decided by"} <= set(log.columns)
    assert log["decided by"].iloc[0] == "Li Wei" and log["entered by"].iloc[0] == "facilitator"
    advance(app, 60)
    end(app, "Standby came up late: nobody declared a level.")
    assert "This drill has ended" in warned(app)
    assert "nobody declared a level" in " ".join(t.value for t in app.text)
    assert not keys(app) & {"advance", "next_inject", "decide", "end_drill"}
    assert not any(k.startswith(("deliver_", "skip_")) for k in keys(app))
    assert not any("adhoc_inject" in k for k in keys(app))  # no ad-hoc inject form
    first = DrillStore(db).get("drill-0001")
    assert first.status == "ended" and first.entries[-1].payload["text"].startswith("Standby")

    # --- the evaluator rates it and raises an improvement item on the activate step
    sign_in_as(app, "evaluator")
    app.switch_page("pages/evaluate.py").run()
    for capability, rating in (("activate", "M"), ("discover_report", "S")):
        app.selectbox(key="rate_capability").set_value(capability)
        app.radio(key="rate_value").set_value(rating)
        app.text_area(key="rate_evidence").set_value("seen in the log")
        app.button(key="save_rating").click().run()
        assert "Rating saved." in app.success[0].value
    app.text_input(key="item_issue").set_value("Activation late: no level declared")
    app.text_input(key="item_action").set_value("Duty manager declares a level at once")
    app.selectbox(key="item_node_kind").set_value("step")
    app.text_input(key="item_node_id").set_value("system_failure.activate")
    app.button(key="add_item").click().run()
    assert "Improvement item saved." in app.success[0].value, [e.value for e in app.error]

    # --- the programme counts the ended drill: its event class drilled, capabilities rated
    app.switch_page("pages/programme.py").run()
    assert not app.exception
    held = app.dataframe[0].value  # held, class gaps, capability gaps, items
    row = held[held["id"] == "drill-0001"].iloc[0]
    assert row["event_class"] == "system_failure"
    assert {"activate", "discover_report"} <= set(row["rated"])
    class_gaps = set(app.dataframe[1].value.get("name", []))
    assert not {"system_failure", "System failure"} & class_gaps
    rated_gaps = set(app.dataframe[2].value.get("name", []))
    assert not {"activate", "discover_report"} & rated_gaps
    for status in ("in_progress", "done"):
        app.selectbox(key="status_1").set_value(status)
        app.button(key="change_1").click().run()
        assert not app.exception

    # --- the second drill, after the fix: level declared at once, standby activated in time
    sign_in_as(app, "facilitator")
    create(app, name="Re-test")
    assert "created (drill-0002)" in app.success[0].value
    app.button(key="next_inject").click().run()
    assert "Clock moved to 1h05m" in app.success[0].value
    decide(app, ("declare_level", None), level=1)
    advance(app, 5)
    decide(app, ("activate_backup", "crm_standby"))
    advance(app, 60)
    advance(app, 60)
    end(app, "Activated within the limit.")

    # --- the programme's verify action: the later drill shows the problem gone
    app.switch_page("pages/programme.py").run()
    app.selectbox(key="verify_with_1").set_value("drill-0002")
    app.button(key="verify_1").click().run()
    assert "Item 1 verified by drill-0002" in app.success[0].value, [e.value for e in app.error]
    items = app.dataframe[3].value
    assert items["status"].iloc[0] == "verified"


def test_the_drill_log_names_who_decided_beside_who_entered_it(app):
    create(app)
    app.text_input(key="author").set_value("Fay")
    app.button(key="next_inject").click().run()
    app.selectbox(key="decision_by").set_value("Zhang Min")
    decide(app, ("activate_backup", "crm_standby"))
    log = app.dataframe[0].value
    first = log.iloc[0]
    # who typed it, with the role the console signed in (the core checked it)
    assert (first["entered by"], first["decided by"]) == ("Fay (facilitator)", "Zhang Min")
    assert "activate_backup crm_standby - taken" in first["entry"]


def test_the_board_shows_states_in_colour_and_its_windows_and_zone(app):
    create(app)
    app.button(key="next_inject").click().run()
    text = table_text(app)
    assert ":red-badge[DOWN]" in text  # the CRM is down
    assert ":orange-badge[not yet]" in text  # the duty manager not reached yet
    assert app.metric[0].label == "Service level since T+0"
    assert any("since T+0 (2 Mar 2026 08:00)" in c.value for c in app.caption)
    assert "(Asia/Shanghai)" in app.subheader[0].value
    decide(app, ("declare_level", None), level=1)
    advance(app, 5)
    decide(app, ("activate_backup", "crm_standby"))
    advance(app, 5)
    assert ":orange-badge[backup activating]" in table_text(app)
    advance(app, 60)
    text = table_text(app)
    assert ":green-badge[backup active]" in text
    assert ":orange-badge[down, on its backup]" in text or ":green-badge[restored]" in text


def test_what_is_coming_deliver_now_and_skip(app, db):
    create(app)
    coming = table_text(app)
    assert "T+1h05m, Mon 09:05" in coming and "CRM not responding" in coming
    assert "Duty manager, IT on call" in coming and ":blue[**coming**]" in coming
    app.button(key="deliver_0").click().run()
    assert "Inject 'CRM not responding' delivered now." in app.success[0].value
    assert any("CRM not responding" in i.value for i in app.info)  # shown before its time
    assert "deliver_0" not in keys(app)
    app.button(key="skip_1").click().run()
    assert "skipped" in app.success[0].value
    assert ":gray[**skipped**]" in table_text(app)
    app.radio(key="clock_step").set_value(60)
    for _ in range(2):
        app.button(key="advance").click().run()
    assert not any("No fix after 30 minutes" in i.value for i in app.info)  # skipped: not shown
    kinds = [(e.kind, e.payload.get("action")) for e in DrillStore(db).get("drill-0001").entries]
    assert kinds[:2] == [("inject", "deliver"), ("inject", "skip")]
    log = app.dataframe[0].value
    assert any("inject skipped: No fix after 30 minutes" in t for t in log["entry"])


def test_an_ad_hoc_inject_is_on_the_board(app, db):
    create(app)
    app.text_input(key="adhoc_title").set_value("Journalist calls")
    app.text_area(key="adhoc_message").set_value("A reporter asks about the outage.")
    app.multiselect(key="adhoc_to").select("communications_lead")
    submit = [b for b in app.button if "adhoc_inject" in str(b.id)]
    submit[0].click().run()
    assert "Ad-hoc inject 'Journalist calls' sent." in app.success[0].value
    shown = [i.value for i in app.info if "Journalist calls" in i.value]
    assert shown and "A reporter asks about the outage." in shown[0]
    assert "(ad-hoc)" in shown[0] and "Communications lead" in shown[0]
    entry = DrillStore(db).get("drill-0001").entries[-1]
    assert entry.payload["action"] == "adhoc" and entry.payload["to"] == ["communications_lead"]


class WallClock:
    """A wall clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def tick(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


def test_pause_stops_the_live_clock_and_resume_goes_on(app, db, monkeypatch):
    wall = WallClock()
    monkeypatch.setattr(drill_actions, "wall_now", wall)
    create(app, name="Live", mode="live", speed=600.0)  # 10 simulated minutes a wall second
    assert "not started" in app.info[0].value
    assert not keys(app) & {"live_pause", "live_resume"}
    app.button(key="live_start").click().run()
    assert "live_pause" in keys(app)

    def follow(seconds):
        wall.tick(seconds)
        app.session_state["live_last_move"] = 0.0  # as if the refresh period had passed
        app.run()
        assert not app.exception
        return DrillStore(db).get("drill-0001").clock

    assert follow(1) == pytest.approx(10)
    app.button(key="live_pause").click().run()
    assert "Drill paused" in app.success[0].value
    assert "Paused at 10m" in warned(app) and "live_resume" in keys(app)
    assert follow(30) == pytest.approx(10)  # 30 wall seconds paused: the clock stands still
    assert follow(30) == pytest.approx(10)
    app.button(key="live_resume").click().run()
    assert follow(1) == pytest.approx(20)  # goes on from 10, not from 70 minutes later
    kinds = [e.kind for e in DrillStore(db).get("drill-0001").entries]
    assert kinds == ["start", "advance", "pause", "resume", "advance"]


def test_an_archived_drill_leaves_the_pickers_and_comes_back(app, db):
    create(app, name="Practice run")
    create(app, name="Real drill")
    assert set(app.selectbox(key="drill_pick").options) >= {
        "Practice run (drill-0001, tabletop)",
        "Real drill (drill-0002, tabletop)",
    }
    app.selectbox(key="drill_pick").set_value("drill-0001").run()
    app.button(key="archive_drill").click().run()
    assert "Drill drill-0001 archived" in app.success[0].value
    assert app.selectbox(key="drill_pick").options == ["Real drill (drill-0002, tabletop)"]
    app.switch_page("pages/evaluate.py").run()
    assert app.selectbox(key="evaluate_pick").options == ["Real drill (drill-0002)"]
    app.switch_page("pages/drill.py").run()
    app.button(key="restore_drill-0001").click().run()
    assert "Drill drill-0001 restored." in app.success[0].value
    assert len(app.selectbox(key="drill_pick").options) == 2
    assert [d.id for d in DrillStore(db).list_drills()] == ["drill-0002", "drill-0001"]


def test_an_observer_cannot_archive_or_end(app):
    create(app)
    sign_in_as(app, "observer")
    assert not keys(app) & {"archive_drill", "end_drill", "live_start"}
    assert not any(k.startswith(("deliver_", "skip_")) for k in keys(app))


def test_the_same_request_id_twice_creates_one_drill(app, db):
    create(app, request_id="enter-pressed-twice")
    assert "created (drill-0001)" in app.success[0].value
    create(app, request_id="enter-pressed-twice")  # the same form submitted again
    assert "already created (drill-0001)" in app.info[0].value
    assert [d.id for d in DrillStore(db).list_drills()] == ["drill-0001"]
    create(app, name="Another")  # a new form, a new request id: a new drill
    assert "created (drill-0002)" in app.success[0].value


def test_a_participant_role_typo_is_refused_with_the_closest_role(app, db):
    create(app, participants="Li Wei, duty_manger")
    assert "unknown role 'duty_manger'" in app.error[0].value
    assert "did you mean 'duty_manager'?" in app.error[0].value
    assert DrillStore(db).list_drills() == []


def test_an_upload_is_kept_for_every_tab_and_a_failed_one_is_not(app, db):
    app.switch_page("pages/scenarios.py").run()
    data = (DATA / "scenarios" / "tiny_drill.yaml").read_bytes()
    app.file_uploader[0].set_value(("my_drill.yaml", data, "application/yaml")).run()
    assert "my_drill.yaml is a valid scenario" in app.success[0].value
    bad = (DATA / "plans" / "malformed" / "dangling_deputy.yaml").read_bytes()
    app.switch_page("pages/plans.py").run()
    app.file_uploader[0].set_value(("dangling_deputy.yaml", bad, "application/yaml")).run()
    assert "cannot be used" in app.error[0].value
    other = AppTest.from_file(APP, default_timeout=90)  # another tab, or a restarted console
    other.run()
    assert "my_drill.yaml" in other.selectbox(key="new_scenario").options
    assert "dangling_deputy.yaml" not in other.selectbox(key="new_plan").options
    other.switch_page("pages/scenarios.py").run()
    assert "my_drill.yaml" in other.selectbox(key="scenario_pick").options


def test_the_programme_lists_open_drills_that_do_not_count(app):
    create(app, name="Still running")
    app.switch_page("pages/programme.py").run()
    assert not app.exception
    assert "1 drill is not ended: it does not count as held" in warned(app)
    links = app.get("page_link")
    assert links and "Still running (drill-0001, not ended: does not count)" in links[0].proto.label
    assert (links[0].proto.page, links[0].proto.query_string) == ("drill", "drill=drill-0001")
