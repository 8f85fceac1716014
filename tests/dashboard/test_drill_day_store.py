"""The drill day's store: one click one drill, role typos, archive, uploads, export, layout 3."""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from drills import evaluations as ev
from drills import session
from drills.export import TABLES, export_drill
from drills.programme import open_drills
from drills.schema import ENTRIES_3, MIGRATIONS, SCHEMA_VERSION
from drills.schema import TABLES as LAYOUT_1
from drills.store import DrillStore
from drills.uploads_store import save_upload, uploaded

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "drills.sqlite"


@pytest.fixture
def store(db: Path) -> DrillStore:
    return DrillStore(db)


def test_the_same_request_id_makes_one_drill(store: DrillStore, new_drill) -> None:
    first = new_drill(store, request_id="click-1")
    again = new_drill(store, request_id="click-1", name="double click")
    other = new_drill(store, request_id="click-2")
    assert again == first
    assert other.id != first.id
    assert [s.id for s in store.list_drills()] == [other.id, first.id]
    assert new_drill(store).id != new_drill(store).id  # no request id: a new drill each time


def test_a_participant_role_typo_names_the_closest_role(store: DrillStore, new_drill) -> None:
    people = [{"name": "Li Wei", "role": "duty_manger"}]
    with pytest.raises(ValueError) as caught:
        new_drill(store, participants=people)
    assert str(caught.value) == (
        "participant 'Li Wei': unknown role 'duty_manger' (did you mean 'duty_manager'?)"
    )
    with pytest.raises(ValueError, match="unknown role 'zzz' \\(the plan's roles: commander"):
        new_drill(store, participants=[{"name": "Li Wei", "role": "zzz"}])
    assert store.list_drills() == []
    ok = new_drill(store, participants=[{"name": "Li Wei", "role": ""}])
    assert ok.participants[0].role == ""


def test_archive_hides_keeps_and_restores(store: DrillStore, db: Path, new_drill) -> None:
    kept = new_drill(store)
    other = new_drill(store)
    archived = store.archive(kept.id, "Fay")
    assert archived.archived and archived.entries == kept.entries
    assert [s.id for s in store.list_drills()] == [other.id]
    listed = store.list_drills(include_archived=True)
    assert [(s.id, s.archived) for s in listed] == [(other.id, False), (kept.id, True)]
    plan_id = "default_centre"
    assert [d.id for d in open_drills(db, plan_id)] == [other.id]
    assert store.get(kept.id).name == kept.name  # kept whole
    restored = store.restore(kept.id, "Gus")
    assert not restored.archived
    assert [s.id for s in store.list_drills()] == [other.id, kept.id]
    with sqlite3.connect(db) as conn:
        history = conn.execute("SELECT archived, who FROM archive_history ORDER BY id").fetchall()
    assert history == [(1, "Fay"), (0, "Gus")]


def test_open_drills_leave_out_ended_ones_and_other_plans(
    store: DrillStore, db: Path, new_drill
) -> None:
    ended = new_drill(store)
    session.end_drill(store, ended.id, "Fay", ended.version)
    running = new_drill(store, mode="live")
    assert [d.id for d in open_drills(db, "default_centre")] == [running.id]
    assert open_drills(db, "another_plan") == []
    assert open_drills(db.parent / "none.sqlite", "default_centre") == []


def test_uploads_are_kept_for_a_new_process(db: Path) -> None:
    save_upload(db, "plan", "mine.yaml", "first")
    save_upload(db, "plan", "mine.yaml", "second")  # the same name replaces
    save_upload(db, "scenario", "s.yaml", "scenario text")
    child = textwrap.dedent(
        f"""
        import json
        from drills.uploads_store import uploaded
        print(json.dumps([uploaded({str(db)!r}, "plan"), uploaded({str(db)!r}, "scenario")]))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", child], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert json.loads(out.stdout) == [{"mine.yaml": "second"}, {"s.yaml": "scenario text"}]
    assert uploaded(db, "plan") == {"mine.yaml": "second"}
    with pytest.raises(ValueError, match="unknown upload kind"):
        save_upload(db, "drill", "x", "y")


def _played(store: DrillStore, db: Path, new_drill) -> str:
    drill = session.advance(store, new_drill(store).id, 70.0, "Alice", 0)
    session.add_note(store, drill.id, "phones ringing, 中文 too", "Olga")
    session.add_observation(store, drill.id, "discover_report", "Eve")
    ev.rate(db, drill.id, "activate", "S", "slow call tree", "Eve")
    ev.add_finding(db, drill.id, "strength", "activate", "quick", "", "", "Eve", draft=False)
    return drill.id


def test_export_csv_reads_back(store: DrillStore, db: Path, new_drill, tmp_path: Path) -> None:
    drill_id = _played(store, db, new_drill)
    paths = export_drill(db, drill_id, "csv", tmp_path / "out")
    assert [p.name for p in paths] == [f"{drill_id}-{t}.csv" for t in TABLES]
    read = {
        t: list(csv.DictReader(p.open(encoding="utf-8")))
        for t, p in zip(TABLES, paths, strict=True)
    }
    assert [r["kind"] for r in read["log"]] == ["advance", "note", "observation"]
    assert json.loads(read["log"][0]["payload"]) == {"to": 70.0}
    assert read["notes"][0]["text"] == "phones ringing, 中文 too"
    assert read["observations"][0]["step"] == "discover_report"
    assert (read["ratings"][0]["capability"], read["ratings"][0]["rating"]) == ("activate", "S")
    assert read["findings"][0]["observed"] == "quick"
    assert read["items"] == []
    header = paths[-1].read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("id,plan_id,drill_id")  # an empty table still has its header
    assert not list((tmp_path / "out").glob(".*"))  # no temporary file left behind


def test_export_json_reads_back(store: DrillStore, db: Path, new_drill, tmp_path: Path) -> None:
    drill_id = _played(store, db, new_drill)
    paths = export_drill(db, drill_id, "json", tmp_path)
    read = {
        t: json.loads(p.read_text(encoding="utf-8")) for t, p in zip(TABLES, paths, strict=True)
    }
    assert read["log"][0]["payload"] == {"to": 70.0}
    assert read["notes"] == [
        {
            "seq": 2,
            "sim_time": 70.0,
            "wall_time": read["log"][1]["wall_time"],
            "author": "Olga",
            "text": "phones ringing, 中文 too",
        }
    ]
    assert read["ratings"][0]["evaluator"] == "Eve"
    assert read["items"] == []
    with pytest.raises(ValueError, match="unknown export format"):
        export_drill(db, drill_id, "xml", tmp_path)


def test_a_layout_2_file_is_migrated_to_layout_3(db: Path, new_drill) -> None:
    with sqlite3.connect(db) as conn:  # a file exactly as drillsim with layout 2 left it
        for statement in (*LAYOUT_1, *MIGRATIONS[2]):
            conn.execute(statement)
        conn.execute("INSERT INTO schema_version (version) VALUES (2)")
    assert "'inject'" in ENTRIES_3
    old = DrillStore(db.parent / "old-source.sqlite")
    drill = session.advance(old, new_drill(old).id, 70.0, "Alice", 0)
    session.add_note(old, drill.id, "kept", "Olga")
    columns = (
        "id, name, created_wall, plan_name, plan_text, scenario_name, scenario_text, seed, mode,"
        " speed, live_started_wall, live_started_clock, participants, clock, version, status"
    )
    with sqlite3.connect(db) as conn:
        conn.execute("ATTACH DATABASE ? AS src", (str(old.path),))
        conn.execute(f"INSERT INTO drills SELECT {columns} FROM src.drills")
        conn.execute(
            "INSERT INTO entries SELECT drill_id, seq, kind, sim_time, wall_time, author, "
            "payload, result, version FROM src.entries"  # layout 2's columns
        )
        conn.commit()
        conn.execute("DETACH DATABASE src")
    store = DrillStore(db)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
    record = store.get(drill.id)
    assert [e.kind for e in record.entries] == ["advance", "note"]
    assert not record.archived and store.list_drills()[0].archived is False
    record = session.deliver_inject(store, drill.id, 2, "Fay", record.version)  # new kinds fit
    assert record.entries[-1].kind == "inject"
    assert session.board(record)["time"] == 70.0
    save_upload(db, "plan", "p.yaml", "text")
    assert uploaded(db, "plan") == {"p.yaml": "text"}
