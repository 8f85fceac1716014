"""The drill day (issue 12): Start/Pause/Resume, the master event list, ad-hoc injects.

The scenario is the bundled CRM outage at the Monday peak: injects at 1h05m, 1h30m,
2h and 7h (indexes 0 to 3).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from drills import session
from drills.board import log_rows
from drills.errors import Conflict, DrillEnded
from drills.store import DrillStore
from reports.aar_model import Table
from reports.aar_timeline import timeline_blocks
from reports.source import aar_for_drill
from sim.response.decisions import Decision

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
STANDBY = Decision(action="activate_backup", target="crm_standby")


@pytest.fixture
def store(tmp_path: Path) -> DrillStore:
    return DrillStore(tmp_path / "drills.sqlite")


def minutes(n: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=n)


def centre(board: dict) -> dict:
    return {k: v for k, v in board.items() if k not in {"log", "drill", "injects"}}


# --- the live clock ---------------------------------------------------------------------


def test_a_live_drill_waits_for_start(store: DrillStore, new_drill) -> None:
    drill = new_drill(store, mode="live", speed=2.0)
    assert drill.live_started_wall is None and drill.live_state == "not_started"
    assert session.live_target_time(drill, minutes(30)) == 0.0
    drill = session.start_live(store, drill.id, drill.version, "Fay", wall_now=T0)
    assert drill.live_state == "running"
    assert [e.kind for e in drill.entries] == ["start"]
    assert drill.entries[0].author == "Fay"
    assert session.live_target_time(drill, minutes(10)) == pytest.approx(20.0)


def test_pause_stops_the_clock_and_resume_continues_from_there(
    store: DrillStore, new_drill
) -> None:
    drill = new_drill(store, mode="live", speed=2.0)
    drill = session.start_live(store, drill.id, drill.version, "Fay", wall_now=T0)
    drill = session.pause(store, drill.id, drill.version, "Fay", wall_now=minutes(10))
    assert drill.paused and drill.clock == pytest.approx(20.0)
    for later in (10, 60, 600):  # paused wall time does not move the simulated clock
        assert session.live_target_time(drill, minutes(later)) == pytest.approx(20.0)
    with pytest.raises(ValueError, match=r"already paused at T\+20m"):
        session.pause(store, drill.id, drill.version, "Fay", wall_now=minutes(11))
    drill = session.resume(store, drill.id, drill.version, "Gus", wall_now=minutes(60))
    assert drill.live_state == "running" and drill.clock == pytest.approx(20.0)
    assert session.live_target_time(drill, minutes(65)) == pytest.approx(30.0)
    with pytest.raises(ValueError, match="is not paused"):
        session.resume(store, drill.id, drill.version, "Gus", wall_now=minutes(66))
    assert [(e.kind, e.author) for e in drill.entries] == [
        ("start", "Fay"),
        ("pause", "Fay"),
        ("resume", "Gus"),
    ]
    board = session.board(drill)
    assert board["drill"]["live_state"] == "running" and board["time"] == pytest.approx(20.0)


def test_pause_needs_a_running_live_drill(store: DrillStore, new_drill) -> None:
    waiting = new_drill(store, mode="live")
    with pytest.raises(ValueError, match="has not started"):
        session.pause(store, waiting.id, waiting.version, "Fay")
    with pytest.raises(ValueError, match="is not paused"):
        session.resume(store, waiting.id, waiting.version, "Fay")
    tabletop = new_drill(store)
    with pytest.raises(ValueError, match="is a tabletop drill"):
        session.pause(store, tabletop.id, tabletop.version, "Fay")
    started = session.start_live(store, waiting.id, waiting.version, "Fay", wall_now=T0)
    with pytest.raises(Conflict):
        session.pause(store, started.id, waiting.version, "Fay")  # a second tab's old view


def test_start_on_a_paused_drill_resumes_it(store: DrillStore, new_drill) -> None:
    drill = new_drill(store, mode="live", speed=1.0)
    drill = session.start_live(store, drill.id, drill.version, "Fay", wall_now=T0)
    drill = session.pause(store, drill.id, drill.version, "Fay", wall_now=minutes(5))
    drill = session.start_live(store, drill.id, drill.version, "Fay", wall_now=minutes(50))
    assert drill.entries[-1].kind == "resume"
    assert session.live_target_time(drill, minutes(51)) == pytest.approx(6.0)


def test_pause_and_resume_do_not_change_the_simulation(store: DrillStore, new_drill) -> None:
    live = new_drill(store, mode="live", speed=1.0)
    live = session.start_live(store, live.id, live.version, "Fay", wall_now=T0)
    live = session.pause(store, live.id, live.version, "Fay", wall_now=minutes(70))
    live = session.resume(store, live.id, live.version, "Fay", wall_now=minutes(200))
    _v, live = session.decide(store, live.id, STANDBY, "Alice", "no fix", live.version)
    live = session.advance(store, live.id, 150.0, "live clock", live.version)
    plain = new_drill(store)
    plain = session.advance(store, plain.id, 70.0, "Alice", plain.version)
    _v, plain = session.decide(store, plain.id, STANDBY, "Alice", "no fix", plain.version)
    plain = session.advance(store, plain.id, 150.0, "Alice", plain.version)
    assert centre(session.board(live)) == centre(session.board(plain))


# --- the master event list ----------------------------------------------------------------


def test_upcoming_injects_list_the_scenario(store: DrillStore, new_drill) -> None:
    drill = new_drill(store)
    listed = session.upcoming_injects(drill)
    assert [(i["index"], i["at"], i["status"]) for i in listed] == [
        (0, 65.0, "coming"),
        (1, 90.0, "coming"),
        (2, 120.0, "coming"),
        (3, 420.0, "coming"),
    ]
    assert listed[0]["title"] == "CRM not responding"
    assert listed[0]["to"] == ["duty_manager", "it_on_call"]
    assert listed[0]["expected_action"].startswith("Duty manager reports")
    drill = session.advance(store, drill.id, 65.0, "Alice", drill.version)
    assert [i["status"] for i in session.upcoming_injects(drill)] == [
        "due",
        "coming",
        "coming",
        "coming",
    ]


def test_deliver_early_shows_at_once_and_skip_never_shows(store: DrillStore, new_drill) -> None:
    drill = new_drill(store)
    drill = session.deliver_inject(store, drill.id, 2, "Fay", drill.version)
    board = session.board(drill)
    assert [(i["title"], i["at"], i["by"]) for i in board["injects"]] == [
        ("Phone queue over 80", 0.0, "Fay")
    ]
    drill = session.skip_inject(store, drill.id, 1, "Gus", drill.version)
    assert board["drill"]["next_inject"] == 65.0
    assert session.next_inject_time(drill) == 65.0
    drill = session.advance(store, drill.id, 200.0, "Alice", drill.version)
    titles = [i["title"] for i in session.board(drill)["injects"]]
    assert titles == ["Phone queue over 80", "CRM not responding"]  # the skipped one never
    assert "No fix after 30 minutes" not in titles
    statuses = [(i["status"], i["by"]) for i in session.upcoming_injects(drill)]
    assert statuses == [("due", None), ("skipped", "Gus"), ("delivered", "Fay"), ("coming", None)]
    logged = [(e.kind, e.author, e.payload) for e in drill.entries if e.kind == "inject"]
    assert logged == [
        ("inject", "Fay", {"index": 2, "action": "deliver"}),
        ("inject", "Gus", {"index": 1, "action": "skip"}),
    ]


def test_deliver_and_skip_refuse_what_cannot_be_done(store: DrillStore, new_drill) -> None:
    drill = new_drill(store)
    with pytest.raises(ValueError, match="no inject 9"):
        session.deliver_inject(store, drill.id, 9, "Fay", drill.version)
    drill = session.skip_inject(store, drill.id, 0, "Fay", drill.version)
    with pytest.raises(ValueError, match="already skipped by Fay"):
        session.deliver_inject(store, drill.id, 0, "Fay", drill.version)
    drill = session.advance(store, drill.id, 95.0, "Alice", drill.version)
    with pytest.raises(ValueError, match=r"already shown to the players at T\+1h30m"):
        session.skip_inject(store, drill.id, 1, "Fay", drill.version)
    with pytest.raises(Conflict):
        session.deliver_inject(store, drill.id, 2, "Fay", drill.version - 1)


def test_adhoc_inject_on_the_board_and_in_the_report(
    store: DrillStore, new_drill, tmp_path: Path
) -> None:
    drill = new_drill(store)
    drill = session.advance(store, drill.id, 70.0, "Alice", drill.version)
    drill = session.add_inject(
        store,
        drill.id,
        "Press call",
        "A reporter asks about the outage.",
        ["communications_lead"],
        "Fay",
        drill.version,
    )
    drill = session.skip_inject(store, drill.id, 1, "Gus", drill.version)
    drill = session.deliver_inject(store, drill.id, 2, "Fay", drill.version)
    entry = drill.entries[-3]
    assert entry.kind == "inject" and entry.author == "Fay"
    assert entry.payload == {
        "action": "adhoc",
        "title": "Press call",
        "message": "A reporter asks about the outage.",
        "to": ["communications_lead"],
    }
    shown = session.board(drill)["injects"]
    assert [(i["title"], i["at"], i["adhoc"]) for i in shown] == [
        ("CRM not responding", 65.0, False),
        ("Press call", 70.0, True),
        ("Phone queue over 80", 70.0, False),
    ]
    with pytest.raises(ValueError, match="did you mean 'duty_manager'"):
        session.add_inject(store, drill.id, "X", "Y", ["duty_manger"], "Fay", drill.version)
    with pytest.raises(ValueError, match="needs a title"):
        session.add_inject(store, drill.id, " ", "Y", [], "Fay", drill.version)
    entries = [r["entry"] for r in log_rows(session.board(drill))]
    assert entries[:3] == [
        "inject 3 delivered now",
        "inject 2 skipped",
        "ad-hoc inject: Press call: A reporter asks about the outage.",
    ]
    drill = session.advance(store, drill.id, 100.0, "Alice", drill.version)
    aar = aar_for_drill(store.path, drill.id, T0, T0.date())
    table = next(b for b in timeline_blocks(aar, []) if isinstance(b, Table))
    rows = [r for r in table.rows if r[2] == "inject"]
    assert [r[0] for r in rows] == ["T+1h05m", "T+1h10m", "T+1h10m", "T+1h30m"]
    press = next(r for r in rows if r[4].startswith("Press call"))
    assert press[0] == "T+1h10m" and press[5] == "ad-hoc inject, sent by Fay"
    assert press[3] == "to communications_lead"
    early = next(r for r in rows if r[4].startswith("Phone queue over 80"))
    assert early[0] == "T+1h10m" and early[5].startswith("delivered early by Fay; expected:")
    skipped = next(r for r in rows if r[4].startswith("No fix after 30 minutes"))
    assert skipped[5] == "skipped by Gus: not shown to the players"


def test_injects_do_not_change_the_simulation(store: DrillStore, new_drill) -> None:
    played = new_drill(store)
    played = session.deliver_inject(store, played.id, 3, "Fay", played.version)
    played = session.skip_inject(store, played.id, 0, "Fay", played.version)
    played = session.add_inject(store, played.id, "Extra", "More.", [], "Fay", played.version)
    played = session.advance(store, played.id, 130.0, "Alice", played.version)
    plain = session.advance(store, new_drill(store).id, 130.0, "Alice", 0)
    assert centre(session.board(played)) == centre(session.board(plain))


# --- the log and an ended drill -----------------------------------------------------------


def test_decisions_keep_who_decided_beside_who_entered(store: DrillStore, new_drill) -> None:
    drill = session.advance(store, new_drill(store).id, 70.0, "Alice", 0)
    taken = Decision(action="activate_backup", target="crm_standby", by="it_on_call")
    _v, drill = session.decide(store, drill.id, taken, "Fay", "standby", drill.version)
    row = session.board(drill)["log"][-1]
    assert (row["author"], row["by"], row["payload"]["by"]) == ("Fay", "it_on_call", "it_on_call")


def test_an_ended_drill_is_read_only(store: DrillStore, new_drill) -> None:
    drill = new_drill(store, mode="live")
    drill = session.start_live(store, drill.id, drill.version, "Fay", wall_now=T0)
    drill = session.end_drill(store, drill.id, "Fay", drill.version, "done")
    v = drill.version
    for refused in (
        lambda: session.advance(store, drill.id, 10.0, "Fay", v),
        lambda: session.decide(store, drill.id, STANDBY, "Fay", "", v),
        lambda: session.deliver_inject(store, drill.id, 0, "Fay", v),
        lambda: session.skip_inject(store, drill.id, 0, "Fay", v),
        lambda: session.add_inject(store, drill.id, "T", "M", [], "Fay", v),
        lambda: session.pause(store, drill.id, v, "Fay"),
        lambda: session.resume(store, drill.id, v, "Fay"),
        lambda: session.start_live(store, drill.id, v, "Fay"),
    ):
        with pytest.raises(DrillEnded):
            refused()
    session.add_note(store, drill.id, "still open for notes", "Fay")
    assert store.get(drill.id).version == v
    assert session.live_target_time(store.get(drill.id), minutes(100)) == drill.clock
