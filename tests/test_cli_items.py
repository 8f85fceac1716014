"""``drillsim items`` and ``drillsim programme`` as a user runs them: output, JSON, exit codes.

The commands are registered on a fresh parser here, as ``drillsim.cli`` registers
them, so these tests do not depend on how the CLI is wired.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import sqlite3
from pathlib import Path

import pytest

from drills import items as it
from drills import session
from drills.paths import DB_ENV
from drills.store import DrillStore
from drillsim import items as items_command
from drillsim import programme as programme_command
from plans import default_plan_path, load_plan
from plans.loader import bundled_plans

ROOT = Path(__file__).resolve().parents[1]
PLAN_TEXT = (ROOT / "plans" / "examples" / "default_centre.yaml").read_text()
SCENARIO_TEXT = (ROOT / "scenarios" / "library" / "crm_outage_monday_peak.yaml").read_text()
RED = "\033[31m"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="drillsim")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    items_command.add_parser(sub)
    programme_command.add_parser(sub)
    return p


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    args = parser().parse_args(list(argv))
    code = args.handler(args)
    out, err = capsys.readouterr()
    return code, out, err


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(scope="module")
def plan():
    return load_plan(default_plan_path())


@pytest.fixture
def db(tmp_path, plan) -> Path:
    """A drill (ended, 2026-03-01); three items: overdue, due later, done and past due."""
    path = tmp_path / "drills.sqlite"
    store = DrillStore(path)
    drill = store.create_drill(
        "CRM outage", "default_centre", PLAN_TEXT, "crm_outage_monday_peak", SCENARIO_TEXT
    )
    session.end_drill(store, drill.id, "Alice", drill.version)
    with sqlite3.connect(path) as conn:  # held on 1 March 2026
        conn.execute("UPDATE drills SET created_wall = '2026-03-01T09:00:00.000+00:00'")
    common = {
        "element": "training",
        "owner_role": "duty_manager",
        "start": "2026-01-01",
        "author": "Eve",
        "drill_id": drill.id,
    }
    it.add_item(
        path,
        plan,
        issue="activation never started",
        corrective_action="declare a level within 15 min",
        due="2026-05-01",
        node_kind="step",
        node_id="system_failure.activate",
        **common,
    )
    it.add_item(
        path,
        plan,
        issue="security lead slow to answer",
        corrective_action="second pager",
        due="2026-09-01",
        node_kind="role",
        node_id="security_lead",
        **common,
    )
    done = it.add_item(
        path,
        plan,
        issue="standby CRM not activated",
        corrective_action="runbook step",
        due="2026-04-01",
        node_kind="system",
        node_id="crm",
        **common,
    )
    it.set_status(path, done.id, "in_progress", "Owen")
    it.set_status(path, done.id, "done", "Owen")
    return path


# --- items --------------------------------------------------------------------------------


def test_items_lists_open_items_overdue_first_and_marked(capsys, db):
    code, out, err = run_cli(capsys, "items", "--db", str(db), "--today", "2026-06-01")
    assert code == 0 and err == ""
    assert out.startswith(f"3 open improvement items in {db} (as of 2026-06-01), 1 overdue:")
    lines = out.splitlines()
    assert lines[1].startswith(
        "  #1 OVERDUE due 2026-05-01  [open]  plan default_centre  step system_failure.activate"
    )
    assert "#3 due 2026-04-01  [done, awaiting a later drill]" in out  # done: not overdue
    assert "re-test with: crm_outage_monday_peak" in out
    assert "re-test with: ransomware_data_platform" in out
    assert RED not in out  # not a terminal


def test_items_overdue_only(capsys, db):
    code, out, _ = run_cli(capsys, "items", "--overdue", "--db", str(db), "--today", "2026-06-01")
    assert code == 0
    assert "1 overdue improvement items" in out and "#1 OVERDUE" in out and "#2" not in out
    code, out, _ = run_cli(capsys, "items", "--overdue", "--db", str(db), "--today", "2026-04-01")
    assert code == 0 and out.startswith("No overdue improvement items")


def test_items_json(capsys, db):
    code, out, _ = run_cli(
        capsys,
        "items",
        "--json",
        "--plan",
        "default_centre",
        "--db",
        str(db),
        "--today",
        "2026-06-01",
    )
    assert code == 0
    doc = json.loads(out)
    assert doc["plan"] == "default_centre" and doc["today"] == "2026-06-01"
    assert [(i["id"], i["overdue"], i["status"]) for i in doc["items"]] == [
        (1, True, "open"),
        (3, False, "done"),
        (2, False, "open"),
    ]
    assert doc["items"][0]["retest"] == "crm_outage_monday_peak"
    assert doc["items"][1]["history"][-1]["status_to"] == "done"


def test_items_marks_overdue_in_red_on_a_terminal(capsys, db, monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr("sys.stdout", terminal)
    args = parser().parse_args(["items", "--db", str(db), "--today", "2026-06-01"])
    assert args.handler(args) == 0
    assert f"{RED}OVERDUE\033[0m" in terminal.getvalue()


def test_items_default_database_is_drillsim_db(capsys, db, monkeypatch):
    monkeypatch.setenv(DB_ENV, str(db))
    code, out, _ = run_cli(capsys, "items", "--today", "2026-06-01")
    assert code == 0 and f"in {db}" in out


def test_items_with_no_database_yet(capsys, tmp_path):
    missing = tmp_path / "none.sqlite"
    code, out, _ = run_cli(capsys, "items", "--db", str(missing))
    assert code == 0 and out.startswith("No open improvement items")
    assert not missing.exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["items", "--plan", "nowhere_centre"],
            "drillsim: unknown plan 'nowhere_centre': give a plan file or a "
            f"bundled plan ({', '.join(bundled_plans())})",
        ),
        (["programme", "nowhere_centre"], "drillsim: unknown plan 'nowhere_centre'"),
    ],
)
def test_an_unknown_plan_exits_two(capsys, db, argv, message):
    code, out, err = run_cli(capsys, *argv, "--db", str(db))
    assert code == 2 and out == ""
    assert err.startswith(message)
    assert "plans drilled in" in err and "default_centre" in err


@pytest.mark.parametrize("command", ["items", "programme"])
def test_a_bad_date_exits_two(capsys, command):
    with pytest.raises(SystemExit) as exc:
        parser().parse_args([command, "--today", "2026-13-01"])
    assert exc.value.code == 2
    assert "'2026-13-01' is not a date in the form YYYY-MM-DD" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["items", "programme"])
def test_a_folder_or_a_foreign_file_as_database_exits_two(capsys, tmp_path, command):
    code, _, err = run_cli(capsys, command, "--db", str(tmp_path))
    assert code == 2 and "is a folder" in err
    junk = tmp_path / "notes.sqlite"
    junk.write_text("not a database, just notes\n" * 100)
    code, _, err = run_cli(capsys, command, "--db", str(junk))
    assert code == 2 and "cannot read the drill database" in err and "Traceback" not in err


def test_a_newer_database_exits_two(capsys, db):
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE schema_version SET version = 99")
    code, _, err = run_cli(capsys, "items", "--db", str(db))
    assert code == 2 and "newer than this drillsim understands" in err


# --- programme ----------------------------------------------------------------------------


def test_programme_text(capsys, db):
    code, out, err = run_cli(
        capsys, "programme", "default_centre", "--db", str(db), "--today", "2026-06-01"
    )
    assert code == 0 and err == ""
    assert "Plan 'default_centre': Customer Service Centre emergency plan (as of 2026-06-01)" in out
    assert (
        "  Drills held: 1" in out
        and "drill-0001  CRM outage  [tabletop]  crm_outage_monday_peak (system_failure)" in out
    )
    assert "  Last full drill: 2026-05-20 (the plan's record)" in out
    assert "  Next full drill due: 2027-05-20\n" in out
    assert "OVERDUE" not in out
    assert (
        "event classes: complaint_surge (never), disaster (never), "
        "security_incident (never), staff_shortage (never)" in out
    )
    assert "2026-03-01  drill-0001" in out
    # the oldest gap is complaint_surge; of its scenarios, the one with a CRM outage re-tests #3
    assert (
        "Suggested next drill: surge_and_outage: event class 'complaint_surge' "
        "has not been drilled in the "
        "last 3 years (never drilled); it also re-tests 1 open improvement item (#3)"
    ) in out


@pytest.mark.parametrize(("today", "overdue"), [("2027-05-20", False), ("2027-05-21", True)])
def test_programme_overdue_on_day_366(capsys, db, today, overdue):
    code, out, _ = run_cli(capsys, "programme", "default_centre", "--db", str(db), "--today", today)
    assert code == 0
    assert ("Next full drill due: 2027-05-20  OVERDUE" in out) is overdue
    assert RED not in out


def test_programme_overdue_in_red_on_a_terminal(db, monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr("sys.stdout", terminal)
    args = parser().parse_args(
        ["programme", "default_centre", "--db", str(db), "--today", "2027-06-01"]
    )
    assert args.handler(args) == 0
    assert f"Next full drill due: 2027-05-20  {RED}OVERDUE\033[0m" in terminal.getvalue()


def test_programme_json(capsys, db):
    code, out, _ = run_cli(
        capsys, "programme", "default_centre", "--json", "--db", str(db), "--today", "2027-06-01"
    )
    assert code == 0
    doc = json.loads(out)
    assert doc["plan_id"] == "default_centre" and doc["overdue"] is True
    assert doc["next_full_due"] == "2027-05-20" and doc["window_start"] == "2024-06-01"
    assert doc["drills"][0]["id"] == "drill-0001"
    assert doc["suggestion"] == "surge_and_outage"


def test_programme_without_plan_shows_every_plan_drilled(capsys, db):
    code, out, _ = run_cli(capsys, "programme", "--json", "--db", str(db), "--today", "2026-06-01")
    assert code == 0
    assert [p["plan_id"] for p in json.loads(out)] == ["default_centre"]


def test_programme_without_plan_or_drills_shows_the_default_plan(capsys, tmp_path):
    code, out, _ = run_cli(
        capsys, "programme", "--db", str(tmp_path / "none.sqlite"), "--today", "2026-06-01"
    )
    assert code == 0 and "Plan 'default_centre'" in out and "Drills held: 0" in out


def test_programme_of_a_plan_file(capsys, tmp_path):
    plan_file = tmp_path / "mine.yaml"
    plan_file.write_text(
        PLAN_TEXT.replace("last_full_drill: 2026-05-20", "last_full_drill: 2024-01-01")
    )
    code, out, _ = run_cli(
        capsys,
        "programme",
        str(plan_file),
        "--db",
        str(tmp_path / "none.sqlite"),
        "--today",
        dt.date(2026, 6, 1).isoformat(),
    )
    assert code == 0 and "Next full drill due: 2024-12-31  OVERDUE" in out


def test_programme_of_an_invalid_plan_file_exits_two(capsys, tmp_path):
    plan_file = tmp_path / "bad.yaml"
    plan_file.write_text(PLAN_TEXT.replace("holder: chen_hua", "holder: nobody"))
    code, _, err = run_cli(
        capsys, "programme", str(plan_file), "--db", str(tmp_path / "none.sqlite")
    )
    assert code == 2 and "invalid plan" in err and "unknown person 'nobody'" in err
