"""Layout 5: the acting role is a column of the log, not a key of the payload (issue 18, s. 4).

A layout-4 file kept the console role in each entry's payload; opening it with this
drillsim migrates it in place: every row kept, the role moved to ``entries.role``.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from drills import session
from drills.schema import ENTRIES_3, MIGRATIONS, SCHEMA_VERSION, TABLES
from drills.store import DrillStore
from drillsim.cli import main


def layout_4_file(path: Path, source: DrillStore) -> None:
    """A drill database exactly as layout 4 left it, holding ``source``'s drills and log,
    with the roles in the payloads as layout 4 wrote them."""
    with sqlite3.connect(path) as conn:
        for statement in TABLES:
            conn.execute(statement)
        for version in (2, 3, 4):
            for statement in MIGRATIONS[version]:
                conn.execute(statement)
        conn.execute("INSERT INTO schema_version (version) VALUES (4)")
        columns = [r[1] for r in conn.execute("PRAGMA table_info(drills)")]
        conn.execute("ATTACH DATABASE ? AS src", (str(source.path),))
        names = ", ".join(columns)
        conn.execute(f"INSERT INTO drills ({names}) SELECT {names} FROM src.drills")
        for row in conn.execute("SELECT * FROM src.entries ORDER BY seq").fetchall():
            *fields, role = row
            payload = json.loads(fields[6])
            if role is not None:
                payload["role"] = role
            fields[6] = json.dumps(payload)
            conn.execute("INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", fields)
        conn.commit()
        conn.execute("DETACH DATABASE src")


def test_a_layout_4_file_keeps_its_rows_and_its_roles_move_to_the_column(tmp_path, new_drill):
    assert "'inject'" in ENTRIES_3 and SCHEMA_VERSION == 5
    source = DrillStore(tmp_path / "source.sqlite")
    drill = new_drill(source)
    drill = session.advance(source, drill.id, 30.0, "Alice", drill.version, role="facilitator")
    session.add_note(source, drill.id, "queue building", "Olga", role="observer")
    session.add_note(source, drill.id, "from the terminal", "ops", role=None)
    old = tmp_path / "old.sqlite"
    layout_4_file(old, source)
    with sqlite3.connect(old) as conn:
        assert "role" not in {r[1] for r in conn.execute("PRAGMA table_info(entries)")}
        before = conn.execute("SELECT seq, kind, author, wall_time FROM entries").fetchall()

    record = DrillStore(old).get(drill.id)  # opening migrates

    with sqlite3.connect(old) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [(5,)]
        assert conn.execute("SELECT seq, kind, author, wall_time FROM entries").fetchall() == before
        roles = conn.execute("SELECT seq, role FROM entries ORDER BY seq").fetchall()
    assert roles == [(1, "facilitator"), (2, "observer"), (3, None)]
    assert [e.role for e in record.entries] == ["facilitator", "observer", None]
    assert all("role" not in e.payload for e in record.entries)  # out of the payload
    assert record.entries[1].payload == {"text": "queue building"} and record.clock == 30.0
    assert session.board(record)["time"] == 30.0  # the drill replays as before

    DrillStore(old)  # opened again: nothing moves twice
    assert [e.role for e in DrillStore(old).get(drill.id).entries] == [
        "facilitator",
        "observer",
        None,
    ]


def test_the_drill_log_shows_the_role_beside_the_author(tmp_path, new_drill, capsys):
    store = DrillStore(tmp_path / "d.sqlite")
    drill = new_drill(store)
    session.add_note(store, drill.id, "queue building", "Olga", role="observer")
    session.add_note(store, drill.id, "from the terminal", "ops", role=None)
    board = session.board(store.get(drill.id))
    from drills.board import log_rows

    who = [row["who"] for row in log_rows(board)]
    assert who == ["ops", "Olga (observer)"]  # newest first; the command line has no role
    assert main(["drill", "show", drill.id, "--db", str(store.path)]) == 0
    shown = capsys.readouterr().out
    assert "Olga (observer)" in shown


def test_the_report_timeline_shows_the_role_beside_the_author(tmp_path, new_drill):
    import datetime as dt

    from reports.aar import build_report
    from reports.aar_markdown import to_markdown
    from reports.source import aar_for_drill

    store = DrillStore(tmp_path / "d.sqlite")
    drill = new_drill(store)
    session.add_note(store, drill.id, "queue building", "Olga", role="observer")
    session.add_note(store, drill.id, "from the terminal", "ops", role=None)
    at = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
    md = to_markdown(build_report(aar_for_drill(store.path, drill.id, at, at.date())))
    [olga] = [line for line in md.splitlines() if "queue building" in line]
    [ops] = [line for line in md.splitlines() if "from the terminal" in line]
    assert "Olga (observer)" in olga
    assert "ops" in ops and "ops (" not in ops  # the command line: the author alone
