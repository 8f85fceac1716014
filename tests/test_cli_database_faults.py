"""A damaged or missing drill database is a message and exit 2, never a traceback or a
new file (issue 18, sections 2 and 3).

Reproduced first: ``report --db`` on a non-database ended in 'internal error' (exit 3);
``items`` and ``report`` silently turned a 0-byte database into a new, empty one.
"""

from __future__ import annotations

import os
import shutil

import pytest

from drills.store import DrillStore
from drillsim.cli import main

READ_ONLY = [
    ["report", "drill-0001"],
    ["items"],
    ["programme"],
    ["drill", "list"],
]


def _damaged(tmp_path, kind):
    db = tmp_path / "drills.sqlite"
    if kind == "not sqlite":
        db.write_bytes(b"this is a text file, not a database\n" * 10)
    elif kind == "empty":
        db.write_bytes(b"")
    elif kind == "truncated":
        good = tmp_path / "good.sqlite"
        DrillStore(good)  # a real database, then cut short after its header page
        data = good.read_bytes()
        db.write_bytes(data[: len(data) // 3 + 100])
    elif kind == "folder":
        db.mkdir()
    return db


@pytest.mark.parametrize("kind", ["not sqlite", "empty", "truncated", "folder"])
@pytest.mark.parametrize("command", READ_ONLY, ids=lambda c: " ".join(c))
def test_a_damaged_database_is_exit_2_with_a_message(tmp_path, capsys, kind, command):
    db = _damaged(tmp_path, kind)
    before = db.read_bytes() if db.is_file() else None
    status = main([*command, "--db", str(db)])
    out, err = capsys.readouterr()
    assert status == 2, (out, err)
    assert str(db) in err and "Traceback" not in err and "internal error" not in err
    if before is not None:
        assert db.read_bytes() == before  # never re-initialised or repaired behind the user


@pytest.mark.parametrize("command", READ_ONLY[:3], ids=lambda c: " ".join(c))
def test_read_only_commands_create_no_database_or_folder(tmp_path, capsys, command):
    db = tmp_path / "new" / "drills.sqlite"
    (tmp_path / "new").mkdir()
    status = main([*command, "--db", str(db)])
    capsys.readouterr()
    assert status == (2 if command[0] == "report" else 0)
    assert not db.exists() and os.listdir(tmp_path / "new") == []
    shutil.rmtree(tmp_path / "new")
    main([*command, "--db", str(db)])
    assert not (tmp_path / "new").exists()


def test_report_refuses_an_output_path_before_building_the_report(tmp_path, capsys):
    status = main(
        ["report", "drill-0001", "--db", str(tmp_path / "x.sqlite"), "--out", "/proc/x.md"]
    )
    err = capsys.readouterr().err
    assert status == 2 and "/proc/x.md" in err
