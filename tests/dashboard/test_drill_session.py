"""A drill room's operations: replay, the board, decisions, notes, the live clock, crashes.

The scenario is the bundled CRM outage at the Monday peak: the CRM fails 1 h in,
the alarm reports it at 1h05m, the first inject arrives then; the standby CRM takes
5 min approval and 40 min activation from the room's decision.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import select
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from drills import session
from drills.errors import Conflict, DrillEnded, ReplayMismatch, UnknownDrill
from drills.store import DrillStore
from sim.response.decisions import Decision

ROOT = Path(__file__).resolve().parents[2]
PLAN_TEXT = (ROOT / "plans" / "examples" / "default_centre.yaml").read_text()
SCENARIO_TEXT = (ROOT / "scenarios" / "library" / "crm_outage_monday_peak.yaml").read_text()
STANDBY = Decision(action="activate_backup", target="crm_standby")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "drills.sqlite"


@pytest.fixture
def store(db: Path) -> DrillStore:
    return DrillStore(db)


def centre(board: dict) -> dict:
    """The simulated centre on a board, without the log and drill header."""
    return {k: v for k, v in board.items() if k not in {"log", "drill"}}


def test_board_at_the_start(store: DrillStore, new_drill) -> None:
    drill = new_drill(store)
    board = session.board(drill)
    assert board["time"] == 0.0
    assert board["horizon"] == 480.0
    assert board["injects"] == []
    assert board["log"] == []
    assert board["drill"]["next_inject"] == 65.0
    assert board["backups"]["crm_standby"] == "idle"


def test_advancing_past_an_inject_shows_it(store: DrillStore, new_drill) -> None:
    drill = new_drill(store)
    assert session.next_inject_time(drill) == 65.0
    drill = session.advance(store, drill.id, 64.0, "Alice", drill.version)
    assert session.board(drill)["injects"] == []
    drill = session.advance(store, drill.id, 65.0, "Alice", drill.version)
    injects = session.board(drill)["injects"]
    assert [i["title"] for i in injects] == ["CRM not responding"]
    assert injects[0]["at"] == 65.0
    assert injects[0]["to"] == ["duty_manager", "it_on_call"]
    assert injects[0]["message"].startswith("Agents on both sites report")
    assert session.next_inject_time(drill) == 90.0
    drill = session.advance(store, drill.id, 125.0, "Alice", drill.version)
    assert [i["title"] for i in session.board(drill)["injects"]] == [
        "CRM not responding",
        "No fix after 30 minutes",
        "Phone queue over 80",
    ]


def test_standby_crm_activated_15_minutes_after_detection(store: DrillStore, new_drill) -> None:
    drill = new_drill(store)
    drill = session.advance(store, drill.id, 65.0, "Alice", drill.version)  # the alarm at 1h05m
    board = session.board(drill)
    assert [s["working"] for s in board["systems"] if s["id"] == "crm"] == [False]
    assert board["incidents"][0]["occurred"] == 60.0
    drill = session.advance(store, drill.id, drill.clock + 15, "Alice", drill.version)
    assert session.board(drill)["incidents"][0]["detected"] == 65.0
    verdict, drill = session.decide(
        store, drill.id, STANDBY, "Alice", "no fix in sight", drill.version
    )
    assert verdict.accepted, verdict.reason
    stored = drill.entries[-1]
    assert stored.kind == "decision"
    assert stored.sim_time == 80.0
    assert stored.payload == {
        "action": "activate_backup",
        "target": "crm_standby",
        "level": None,
        "by": "Alice",
        "rationale": "no fix in sight",
    }
    assert stored.result == {"accepted": True, "reason": "accepted"}
    drill = session.advance(store, drill.id, 100.0, "Alice", drill.version)
    assert session.board(drill)["backups"]["crm_standby"] == "activating"
    drill = session.advance(store, drill.id, 130.0, "Alice", drill.version)  # 80 + 5 approval + 40
    board = session.board(drill)
    assert board["backups"]["crm_standby"] == "active"
    assert [a["status"] for a in board["incidents"][0]["actions"]] == ["started", "done"]
    again, _ = session.decide(store, drill.id, STANDBY, "Bob", "", drill.version)
    assert not again.accepted
    assert again.reason == "'crm_standby' is already active"


def test_refused_decision_is_stored_and_changes_nothing(store: DrillStore, new_drill) -> None:
    drill = session.advance(store, new_drill(store).id, 30.0, "Alice", 0)  # before the outage
    before = session.board(drill)
    verdict, after = session.decide(store, drill.id, STANDBY, "Bob", "just in case", drill.version)
    assert not verdict.accepted
    assert (
        verdict.reason == "no event has been detected and reported yet, or the last one was closed"
    )
    entry = after.entries[-1]
    assert (entry.kind, entry.author, entry.payload["rationale"]) == (
        "decision",
        "Bob",
        "just in case",
    )
    assert entry.result == {"accepted": False, "reason": verdict.reason}
    assert after.version == drill.version + 1
    assert centre(session.board(after)) == centre(before)
    # still nothing once time runs on: the refused decision never happened in the centre
    later = session.advance(store, drill.id, 200.0, "Alice", after.version)
    assert session.board(later)["backups"]["crm_standby"] == "idle"


def test_a_decision_with_an_unknown_target_is_refused_and_kept(
    store: DrillStore, new_drill
) -> None:
    drill = session.advance(store, new_drill(store).id, 70.0, "Alice", 0)
    verdict, after = session.decide(
        store,
        drill.id,
        Decision(action="activate_backup", target="crm_stanby"),
        "Alice",
        "",
        drill.version,
    )
    assert not verdict.accepted
    assert "crm_stanby" in verdict.reason
    assert after.entries[-1].result["accepted"] is False


def test_replay_gives_the_same_board_after_reopening(
    store: DrillStore, db: Path, new_drill
) -> None:
    drill = new_drill(store)
    drill = session.advance(store, drill.id, 65.0, "Alice", drill.version)
    level_2 = Decision(action="declare_level", level=2)
    _, drill = session.decide(store, drill.id, level_2, "Bob", "over 1 h", drill.version)
    drill = session.advance(store, drill.id, 80.0, "Alice", drill.version)
    _, drill = session.decide(store, drill.id, STANDBY, "Alice", "", drill.version)
    session.add_note(store, drill.id, "standby ordered", "Carol")
    drill = session.advance(store, drill.id, 150.0, "Alice", drill.version)
    first = session.board(store.get(drill.id))
    reopened = DrillStore(db)
    second = session.board(reopened.get(drill.id))
    assert second == first
    assert first["incidents"][0]["level"] == 2
    assert [e["kind"] for e in first["log"]] == [
        "advance",
        "decision",
        "advance",
        "decision",
        "note",
        "advance",
    ]


def test_replay_in_another_process_gives_the_same_board(
    store: DrillStore, db: Path, new_drill
) -> None:
    drill = new_drill(store)
    drill = session.advance(store, drill.id, 82.5, "Alice", drill.version)
    _, drill = session.decide(store, drill.id, STANDBY, "Alice", "", drill.version)
    drill = session.advance(store, drill.id, 240.0, "Alice", drill.version)
    here = json.dumps(session.board(drill), sort_keys=True)
    child = textwrap.dedent(
        """
        import json, sys
        from drills import session
        from drills.store import DrillStore
        print(json.dumps(session.board(DrillStore(sys.argv[1]).get(sys.argv[2])), sort_keys=True))
        """
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}  # another process, another string hashing
    out = subprocess.run(
        [sys.executable, "-c", child, str(db), drill.id],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    assert out.stdout.strip() == here


def test_a_changed_stored_verdict_is_a_replay_mismatch(
    store: DrillStore, db: Path, new_drill
) -> None:
    drill = session.advance(store, new_drill(store).id, 30.0, "Alice", 0)
    session.decide(store, drill.id, STANDBY, "Bob", "", drill.version)
    conn = sqlite3.connect(db)
    with conn:
        forged = '{"accepted": true, "reason": "accepted"}'
        conn.execute("UPDATE entries SET result = ? WHERE kind = 'decision'", (forged,))
    conn.close()
    with pytest.raises(
        ReplayMismatch, match=r"entry 2 \(activate_backup at 30.0 min\): stored verdict"
    ):
        session.open_simulation(store.get(drill.id))


def test_a_stale_board_gets_a_conflict_and_nothing_is_written(store: DrillStore, new_drill) -> None:
    drill = session.advance(store, new_drill(store).id, 65.0, "Alice", 0)
    seen = drill.version  # Alice and Bob both look at the board at 65 min
    session.advance(store, drill.id, 75.0, "Alice", seen)
    entries = store.get(drill.id).entries
    with pytest.raises(Conflict) as caught:
        session.decide(store, drill.id, STANDBY, "Bob", "", seen)
    assert str(caught.value).startswith(
        "the clock was moved to T+1h15m by Alice (entry 2) since you looked"
    )
    with pytest.raises(Conflict):
        session.advance(store, drill.id, 70.0, "Bob", seen)  # the conflict, not "already at 75"
    assert store.get(drill.id).entries == entries


def test_two_threads_deciding_on_the_same_board_exactly_one_is_saved(
    store: DrillStore, new_drill
) -> None:
    drill = session.advance(store, new_drill(store).id, 80.0, "Alice", 0)
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def decide(author: str) -> None:
        barrier.wait()
        try:
            outcomes.append(session.decide(store, drill.id, STANDBY, author, "", drill.version))
        except Conflict as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=decide, args=(who,)) for who in ("Alice", "Bob")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(outcomes) == 2
    assert sum(isinstance(o, Conflict) for o in outcomes) == 1
    decisions = [e for e in store.get(drill.id).entries if e.kind == "decision"]
    assert len(decisions) == 1
    assert decisions[0].result == {"accepted": True, "reason": "accepted"}


def test_bad_room_inputs_get_clear_messages(store: DrillStore, new_drill) -> None:
    drill = session.advance(store, new_drill(store).id, 80.0, "Alice", 0)
    with pytest.raises(ValueError, match="a note cannot be empty"):
        session.add_note(store, drill.id, "  ", "Bob")
    with pytest.raises(
        ValueError, match=r"the clock is already at T\+1h20m; advance to a later time"
    ):
        session.advance(store, drill.id, 60.0, "Alice", drill.version)
    with pytest.raises(ValueError, match=r"the clock is already at T\+1h20m"):
        session.advance(store, drill.id, 80.0, "Alice", drill.version)
    with pytest.raises(ValueError, match="the time to advance to must be a number of minutes"):
        session.advance(store, drill.id, float("nan"), "Alice", drill.version)
    with pytest.raises(ValueError, match="unknown step 'panic'"):
        session.add_observation(store, drill.id, "panic", "Eve")
    with pytest.raises(ValueError, match="every log entry needs an author"):
        session.decide(store, drill.id, STANDBY, "", "", drill.version)
    with pytest.raises(UnknownDrill, match="no drill 'drill-0099'"):
        session.advance(store, "drill-0099", 90.0, "Alice", 0)
    with pytest.raises(UnknownDrill):
        session.add_note(store, "drill-0099", "hello", "Alice")
    assert store.get(drill.id).entries == drill.entries


def test_advancing_past_the_horizon_stops_at_it(store: DrillStore, new_drill) -> None:
    drill = session.advance(store, new_drill(store).id, 10_000.0, "Alice", 0)
    assert drill.clock == 480.0
    assert drill.entries[-1].payload == {"to": 480.0}
    assert session.board(drill)["time"] == 480.0
    assert session.next_inject_time(drill) is None
    with pytest.raises(ValueError, match=r"already at the scenario's end \(T\+8h00m\)"):
        session.advance(store, drill.id, 500.0, "Alice", drill.version)


def test_notes_observations_and_the_end(store: DrillStore, new_drill) -> None:
    drill = session.advance(store, new_drill(store).id, 65.0, "Alice", 0)
    note = session.add_note(store, drill.id, " CRM hangs on both sites ", "Bob")
    assert (note.kind, note.sim_time, note.version) == ("note", 65.0, None)
    assert note.payload == {"text": "CRM hangs on both sites"}
    seen = dt.datetime(2026, 3, 2, 9, 7, tzinfo=dt.UTC)
    obs = session.add_observation(store, drill.id, "discover_report", "Eve", wall_time=seen)
    assert obs.payload == {
        "step": "discover_report",
        "observed_wall": "2026-03-02T09:07:00.000+00:00",
    }
    assert store.get(drill.id).version == drill.version  # neither makes anyone's board stale
    ended = session.end_drill(store, drill.id, "Alice", drill.version, "good run")
    assert ended.status == "ended"
    assert ended.entries[-1].kind == "end"
    with pytest.raises(DrillEnded, match="has ended"):
        session.advance(store, drill.id, 90.0, "Alice", ended.version)
    with pytest.raises(DrillEnded):
        session.decide(store, drill.id, STANDBY, "Alice", "", ended.version)
    session.add_note(store, drill.id, "debrief on Thursday", "Bob")  # notes after the end are kept
    assert session.board(store.get(drill.id))["time"] == 65.0


def test_live_clock_follows_the_wall_clock(store: DrillStore, new_drill) -> None:
    drill = new_drill(store, mode="live", speed=2.0, start_live=True)
    started = dt.datetime.fromisoformat(drill.live_started_wall)
    assert session.live_target_time(drill, started) == 0.0
    assert session.live_target_time(drill, started + dt.timedelta(minutes=10)) == pytest.approx(
        20.0
    )
    assert (
        session.live_target_time(drill, started + dt.timedelta(hours=10)) == 480.0
    )  # capped at the horizon
    drill = session.advance(
        store,
        drill.id,
        session.live_target_time(drill, started + dt.timedelta(minutes=30)),
        "live clock",
        drill.version,
    )
    assert drill.clock == pytest.approx(60.0)
    restart = started + dt.timedelta(hours=1)
    drill = session.start_live(
        store, drill.id, drill.version, "Alice", wall_now=restart
    )  # after a pause
    assert drill.live_started_clock == pytest.approx(60.0)
    assert session.live_target_time(drill, restart + dt.timedelta(minutes=1)) == pytest.approx(62.0)
    with pytest.raises(ValueError, match="has no time zone"):
        session.live_target_time(drill, dt.datetime(2026, 3, 2, 9, 0))


def test_live_drill_can_wait_for_its_start(store: DrillStore, new_drill) -> None:
    drill = new_drill(store, mode="live", speed=1.0, start_live=False)
    assert drill.live_started_wall is None
    assert session.live_target_time(drill, dt.datetime.now(dt.UTC)) == 0.0
    drill = session.start_live(store, drill.id, drill.version)
    assert drill.live_started_wall is not None
    assert drill.version == 1
    tabletop = new_drill(store)
    with pytest.raises(ValueError, match="is a tabletop drill"):
        session.start_live(store, tabletop.id, tabletop.version)
    assert session.live_target_time(tabletop, dt.datetime.now(dt.UTC)) == 0.0


def test_entries_written_before_a_kill_survive(store: DrillStore, db: Path, new_drill) -> None:
    drill = session.advance(store, new_drill(store).id, 80.0, "Alice", 0)
    child = textwrap.dedent(
        """
        import sys, time
        from drills import session
        from drills.store import DrillStore
        from sim.response.decisions import Decision

        store = DrillStore(sys.argv[1])
        verdict, _ = session.decide(
            store, sys.argv[2], Decision(action="activate_backup", target="crm_standby"), "Alice",
            "repair time unknown", int(sys.argv[3]),
        )
        session.add_note(store, sys.argv[2], "standby ordered at 09:20", "Bob")
        print("SAVED", verdict.accepted, flush=True)
        time.sleep(120)
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", child, str(db), drill.id, str(drill.version)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        ready, _, _ = select.select([proc.stdout], [], [], 120)
        assert ready, "the child never reported its writes"
        line = proc.stdout.readline()
        assert line.strip() == "SAVED True", line or proc.stderr.read()
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    after = DrillStore(db).get(drill.id)
    assert [e.kind for e in after.entries] == ["advance", "decision", "note"]
    assert after.entries[1].payload["rationale"] == "repair time unknown"
    assert after.entries[1].result == {"accepted": True, "reason": "accepted"}
    assert after.entries[2].payload == {"text": "standby ordered at 09:20"}
    assert session.board(after)["backups"]["crm_standby"] == "activating"
