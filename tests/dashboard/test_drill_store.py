"""The drill database: round trips, durability, versions and conflicts, refusals.

Every test uses a real SQLite file under tmp_path and the bundled default plan and
scenario texts, the inputs a console user picks first.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from drills.errors import Conflict, DrillEnded, UnknownDrill
from drills.records import Participant
from drills.schema import SCHEMA_VERSION, NewerSchema
from drills.store import DrillStore
from plans.issues import ModelFileError

ROOT = Path(__file__).resolve().parents[2]
PLAN_TEXT = (ROOT / "plans" / "examples" / "default_centre.yaml").read_text()
SCENARIO_TEXT = (ROOT / "scenarios" / "library" / "crm_outage_monday_peak.yaml").read_text()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "drills.sqlite"


@pytest.fixture
def store(db: Path) -> DrillStore:
    return DrillStore(db)


def test_create_list_get_round_trip(store: DrillStore, new_drill) -> None:
    created = new_drill(store)
    assert created.id == "drill-0001"
    assert (created.clock, created.version, created.status, created.entries) == (0.0, 0, "open", ())
    assert created.participants == (
        Participant("Alice", "commander"),
        Participant("Bob", "duty_manager"),
    )
    assert created.plan_text == PLAN_TEXT
    assert created.scenario_text == SCENARIO_TEXT
    assert created.created_wall.endswith("+00:00")
    assert created.live_started_wall is None  # tabletop: no live clock
    second = new_drill(store, name="  Live run  ", mode="live", speed=4, seed=0)
    assert second.id == "drill-0002"
    assert second.name == "Live run"
    assert second.live_started_wall is None  # a live drill waits for the facilitator's Start
    assert second.live_started_clock is None and second.live_state == "not_started"
    summaries = store.list_drills()
    assert [s.id for s in summaries] == ["drill-0002", "drill-0001"]
    assert summaries[1].name == "Monday CRM outage"
    assert summaries[1].entries == 0
    assert store.get("drill-0001") == created


def test_ids_come_from_the_database_not_the_process(db: Path, new_drill) -> None:
    first = new_drill(DrillStore(db))
    second = new_drill(DrillStore(db))  # another "server" on the same file
    assert (first.id, second.id) == ("drill-0001", "drill-0002")


def test_file_is_wal_with_foreign_keys_and_a_schema_version(
    store: DrillStore, db: Path, new_drill
) -> None:
    drill = new_drill(store)
    store.append(drill.id, "note", 0.0, "Alice", {"text": "room ready"})
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
        conn.execute("PRAGMA foreign_keys = ON")
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(
                "INSERT INTO entries (drill_id, seq, kind, sim_time, wall_time, author, payload) "
                "VALUES ('drill-9999', 1, 'note', 0, '', 'x', '{}')"
            )
    finally:
        conn.close()


def test_a_newer_schema_is_refused(db: Path) -> None:
    DrillStore(db)
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
    conn.close()
    with pytest.raises(NewerSchema, match="newer than this drillsim understands"):
        DrillStore(db)


def test_entries_survive_closing_and_reopening(store: DrillStore, db: Path, new_drill) -> None:
    drill = new_drill(store)
    a = store.append(
        drill.id, "advance", 65.0, "Alice", {"to": 65.0}, expected_version=0, new_clock=65.0
    )
    n = store.append(drill.id, "note", 65.0, "Bob", {"text": "agents report CRM hangs"})
    d = store.append(
        drill.id,
        "decision",
        65.0,
        "Alice",
        {"action": "declare_level", "level": 2},
        result={"accepted": True, "reason": "accepted"},
        expected_version=1,
    )
    assert (a.seq, n.seq, d.seq) == (1, 2, 3)
    assert (a.version, n.version, d.version) == (1, None, 2)  # the note leaves the version alone
    again = DrillStore(db).get(drill.id)
    assert again.entries == (a, n, d)
    assert (again.clock, again.version) == (65.0, 2)
    assert again.entries[2].result == {"accepted": True, "reason": "accepted"}
    assert DrillStore(db).list_drills()[0].entries == 3


def test_second_writer_on_the_same_version_is_told_and_nothing_is_written(
    store: DrillStore,
    new_drill,
) -> None:
    drill = new_drill(store)
    store.append(drill.id, "note", 0.0, "Carol", {"text": "start"})
    store.append(
        drill.id, "advance", 75.0, "Alice", {"to": 75.0}, expected_version=0, new_clock=75.0
    )
    before = store.get(drill.id)
    with pytest.raises(Conflict) as caught:
        store.append(
            drill.id, "advance", 90.0, "Bob", {"to": 90.0}, expected_version=0, new_clock=90.0
        )
    message = str(caught.value)
    assert message.startswith("the clock was moved to T+1h15m by Alice (entry 2) since you looked")
    assert "the board now shows the new state" in message
    assert "Nothing of yours was saved" in message
    assert (caught.value.expected, caught.value.actual) == (0, 1)
    assert [e.seq for e in caught.value.changes] == [2]
    assert store.get(drill.id) == before


def test_a_conflict_names_every_change(store: DrillStore, new_drill) -> None:
    drill = new_drill(store)
    store.append(
        drill.id, "advance", 80.0, "Alice", {"to": 80.0}, expected_version=0, new_clock=80.0
    )
    store.append(
        drill.id,
        "decision",
        80.0,
        "Alice",
        {"action": "activate_backup", "target": "crm_standby"},
        result={"accepted": False, "reason": "no event is open"},
        expected_version=1,
    )
    with pytest.raises(Conflict) as caught:
        store.append(drill.id, "end", 80.0, "Bob", {"text": ""}, expected_version=0)
    message = str(caught.value)
    assert message.startswith(
        "the clock was moved to T+1h20m by Alice (entry 1); then Alice decided activate_backup crm_standby"
    )
    assert "(refused: no event is open) (entry 2)" in message


def test_notes_never_conflict(store: DrillStore, new_drill) -> None:
    drill = new_drill(store)
    store.append(
        drill.id, "advance", 30.0, "Alice", {"to": 30.0}, expected_version=0, new_clock=30.0
    )
    entry = store.append(
        drill.id, "note", 30.0, "Bob", {"text": "written on an old board"}, expected_version=None
    )
    assert entry.seq == 2
    assert store.get(drill.id).version == 1


def test_an_end_entry_ends_the_drill(store: DrillStore, new_drill) -> None:
    drill = new_drill(store)
    store.append(drill.id, "end", 0.0, "Alice", {"text": "called off"}, expected_version=0)
    ended = store.get(drill.id)
    assert ended.status == "ended"
    with pytest.raises(DrillEnded, match="has ended"):
        store.append(
            drill.id, "advance", 10.0, "Alice", {"to": 10.0}, expected_version=1, new_clock=10.0
        )
    store.append(drill.id, "note", 0.0, "Bob", {"text": "debrief at 3"})  # notes still welcome
    assert len(store.get(drill.id).entries) == 2


def race(
    store: DrillStore, drill_id: str, version: int, times: tuple[float, float]
) -> list[object]:
    """Alice and Bob append an advance at once, both on ``version``; what each got back."""
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def write(author: str, to: float) -> None:
        barrier.wait()
        try:
            outcomes.append(
                store.append(
                    drill_id,
                    "advance",
                    to,
                    author,
                    {"to": to},
                    expected_version=version,
                    new_clock=to,
                )
            )
        except Conflict as exc:
            outcomes.append(exc)

    threads = [
        threading.Thread(target=write, args=(who, to))
        for who, to in zip(("Alice", "Bob"), times, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


def test_two_threads_on_the_same_version_exactly_one_wins(store: DrillStore, new_drill) -> None:
    drill = new_drill(store)
    for round_ in range(5):
        version = store.get(drill.id).version
        outcomes = race(store, drill.id, version, (10.0 * round_ + 5, 10.0 * round_ + 6))
        conflicts = [o for o in outcomes if isinstance(o, Conflict)]
        assert len(outcomes) == 2
        assert len(conflicts) == 1
        winner = next(o for o in outcomes if not isinstance(o, Conflict))
        after = store.get(drill.id)
        assert after.version == version + 1
        assert after.entries[-1] == winner
        assert len(after.entries) == round_ + 1
        assert f"by {winner.author} (entry {winner.seq})" in str(conflicts[0])


def test_unknown_drill_is_named(store: DrillStore) -> None:
    with pytest.raises(UnknownDrill) as caught:
        store.get("drill-0042")
    assert str(caught.value) == (
        "no drill 'drill-0042' in the drill database (was it created in another database file?)"
    )
    with pytest.raises(UnknownDrill, match="drill-0042"):
        store.append("drill-0042", "note", 0.0, "Alice", {"text": "hello"})


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "a drill needs a name"),
        ({"name": "   "}, "a drill needs a name"),
        ({"mode": "rehearsal"}, "unknown mode 'rehearsal': a drill is 'tabletop'"),
        ({"seed": -1}, "the seed must be a whole number from 0"),
        ({"seed": 1.5}, "the seed must be a whole number from 0"),
        ({"seed": True}, "the seed must be a whole number from 0"),
        ({"seed": "3"}, "the seed must be a whole number from 0"),
        ({"speed": 0}, "the live speed must be a positive number"),
        (
            {"participants": [{"name": "Alice"}, {"name": " ", "role": "commander"}]},
            "participant 2 needs a name",
        ),
        ({"participants": [{"role": "commander"}]}, "participant 1 needs a name"),
        ({"participants": [{"name": "Alice", "rank": 3}]}, "participant 1: unknown field"),
        ({"plan_name": ""}, "a drill needs the plan's name"),
    ],
)
def test_bad_drill_inputs_are_refused_with_a_clear_message(
    store: DrillStore, changes, message, new_drill
) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        new_drill(store, **changes)
    assert store.list_drills() == []


def test_a_plan_that_does_not_load_is_refused_before_it_is_stored(
    store: DrillStore, new_drill
) -> None:
    with pytest.raises(ModelFileError) as caught:
        new_drill(
            store, plan_text=PLAN_TEXT.replace("standby: crm_standby", "standby: crm_standbyy")
        )
    assert "crm_standbyy" in str(caught.value)
    assert store.list_drills() == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "rumour"}, "unknown entry kind 'rumour'"),
        ({"author": ""}, "every log entry needs an author"),
        ({"sim_time": -1.0}, "simulated time must be a number of minutes"),
        ({"payload": {"x": float("nan")}}, "cannot be stored as JSON"),
        ({"new_clock": float("inf")}, "the new clock must be a number of minutes"),
    ],
)
def test_bad_entries_are_refused(store: DrillStore, kwargs, message, new_drill) -> None:
    drill = new_drill(store)
    args = {
        "drill_id": drill.id,
        "kind": "note",
        "sim_time": 0.0,
        "author": "Alice",
        "payload": {"text": "x"},
    }
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        store.append(**args)
    assert store.get(drill.id).entries == ()
