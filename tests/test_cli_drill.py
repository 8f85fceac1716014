"""``drillsim drill ...``: a whole drill from the command line, over the console's database."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from drills.paths import DB_ENV
from drills.store import DrillStore
from drillsim.cli import main

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "drills.sqlite"
    monkeypatch.setenv(DB_ENV, str(path))
    return path


def drill(capsys, *args):
    """Run ``drillsim drill ARGS``; the exit status, stdout and stderr."""
    code = main(["drill", *args])
    out, err = capsys.readouterr()
    return code, out, err


def new(capsys, *extra, name="Monday drill"):
    code, out, err = drill(capsys, "new", "--name", name, "--seed", "1", *extra)
    assert code == 0, err
    return out.strip()


def test_a_whole_tabletop_drill(db, tmp_path, capsys):
    drill_id = new(capsys, "--participant", "Li Wei, duty_manager", "--as", "alice")
    assert drill_id == "drill-0001"
    record = DrillStore(db).get(drill_id)
    assert record.plan_name == "default_centre" and "roles:" in record.plan_text
    assert record.scenario_name == "crm_outage_monday_peak" and record.scenario_text
    assert [(p.name, p.role) for p in record.participants] == [("Li Wei", "duty_manager")]
    code, out, err = drill(capsys, "show", drill_id)
    assert "participants: Li Wei (Duty manager)" in out

    code, out, err = drill(capsys, "advance", drill_id, "--next-inject", "--as", "alice")
    assert code == 0, err
    assert out.startswith("Clock moved to 1h05m")

    code, out, err = drill(
        capsys,
        "decide",
        drill_id,
        "activate_backup",
        "--target",
        "crm_standby",
        "--by",
        "Li Wei",
        "--why",
        "repair time unknown",
        "--as",
        "alice",
    )
    assert code == 0, err
    assert "Decision taken and saved" in out

    code, out, err = drill(capsys, "note", drill_id, "duty manager hesitated", "--by", "Zhang Min")
    assert code == 0, err
    assert out.strip() == "Note saved at 1h05m."

    code, out, err = drill(
        capsys, "decide", drill_id, "switch_to_notice", "--target", "counter", "--by", "Li Wei"
    )
    assert code == 2
    assert "decision refused (saved in the log)" in err and "switch_to_notice" in err

    code, out, err = drill(capsys, "show", drill_id)
    assert code == 0, err
    assert "status under way; clock 1h05m" in out
    assert "Channels:" in out and "Phone hotline" in out
    assert "CRM not responding" in out  # the inject delivered at 1h05m
    assert "decided by Li Wei; entered by alice" in out
    assert "REFUSED" in out and "switch_to_notice counter" in out
    assert "duty manager hesitated  (entered by Zhang Min)" in out

    code, out, err = drill(capsys, "show", drill_id, "--json")
    board = json.loads(out)
    assert board["drill"]["clock"] == 65 and board["drill"]["version"] == 3
    decisions = [e for e in board["log"] if e["kind"] == "decision"]
    assert [d["result"]["accepted"] for d in decisions] == [True, False]
    assert decisions[0]["payload"]["by"] == "Li Wei" and decisions[0]["author"] == "alice"

    code, out, err = drill(capsys, "end", drill_id, "--summary", "backup worked")
    assert code == 0, err
    assert "ended at 1h05m" in out
    code, out, err = drill(capsys, "advance", drill_id, "--by", "15m")
    assert code == 2
    assert "has ended" in err and "Traceback" not in err
    code, out, err = drill(capsys, "note", drill_id, "notes stay open")
    assert code == 0, err

    for fmt in ("csv", "json"):
        out_dir = tmp_path / fmt
        code, out, err = drill(capsys, "export", drill_id, "--format", fmt, "--out", str(out_dir))
        assert code == 0, err
        files = {Path(line).name: Path(line) for line in out.splitlines()}
        tables = ("log", "notes", "observations", "ratings", "findings", "items")
        assert set(files) == {f"{drill_id}-{table}.{fmt}" for table in tables}
        log = files[f"{drill_id}-log.{fmt}"]
        assert log.parent == out_dir
        if fmt == "csv":
            with log.open(newline="", encoding="utf-8") as fh:
                rows = list(csv.DictReader(fh))
        else:
            rows = json.loads(log.read_text(encoding="utf-8"))
        kinds = [row["kind"] for row in rows]
        assert kinds.count("decision") == 2 and "end" in kinds and kinds[0] == "advance"
        assert {row["author"] for row in rows} >= {"alice", "Zhang Min"}


def test_live_drill_start_pause_resume(db, capsys):
    drill_id = new(capsys, "--live", "--speed", "60")
    record = DrillStore(db).get(drill_id)
    assert record.mode == "live" and record.live_state == "not_started"
    code, out, err = drill(capsys, "show", drill_id)
    assert "live clock not started" in out
    code, out, err = drill(capsys, "pause", drill_id)
    assert code == 2 and "has not started" in err
    for step, state in (("start", "running"), ("pause", "paused"), ("resume", "running")):
        code, out, err = drill(capsys, step, drill_id, "--json")
        assert code == 0, err
        assert json.loads(out)["id"] == drill_id
        assert DrillStore(db).get(drill_id).live_state == state
    kinds = [e.kind for e in DrillStore(db).get(drill_id).entries]
    assert kinds == ["start", "pause", "resume"]
    code, out, err = drill(capsys, "resume", drill_id)
    assert code == 2 and "not paused" in err


def test_pause_on_a_tabletop_drill_is_refused(db, capsys):
    drill_id = new(capsys)
    code, out, err = drill(capsys, "pause", drill_id)
    assert code == 2 and "tabletop" in err


def test_a_stale_expected_version_is_refused_like_a_second_tab(db, capsys):
    drill_id = new(capsys)
    code, out, err = drill(capsys, "advance", drill_id, "--by", "15m", "--expected-version", "0")
    assert code == 0, err
    for args in (
        ("advance", drill_id, "--to", "2h"),
        ("decide", drill_id, "close", "--by", "Li Wei"),
        ("end", drill_id),
        ("note", drill_id, "late note"),
        ("archive", drill_id),
        ("inject", drill_id, "--skip", "2"),
    ):
        code, out, err = drill(capsys, *args, "--expected-version", "0")
        assert code == 2, args
        assert "since you looked" in err and "Nothing of yours was saved" in err, err
    record = DrillStore(db).get(drill_id)
    assert record.clock == 15 and [e.kind for e in record.entries] == ["advance"]
    code, out, err = drill(capsys, "advance", drill_id, "--to", "2h", "--expected-version", "1")
    assert code == 0, err


def test_injects_listed_delivered_skipped_and_added(db, capsys):
    drill_id = new(capsys)
    code, out, err = drill(capsys, "inject", drill_id, "--list", "--json")
    rows = json.loads(out)
    assert [r["status"] for r in rows] == ["coming"] * len(rows)
    assert drill(capsys, "inject", drill_id, "--deliver", "1")[0] == 0
    assert drill(capsys, "inject", drill_id, "--skip", "2")[0] == 0
    code, out, err = drill(
        capsys,
        "inject",
        drill_id,
        "--add",
        "--title",
        "Press call",
        "--message",
        "A reporter asks about the outage",
        "--to",
        "communications_lead",
    )
    assert code == 0, err
    code, out, err = drill(capsys, "inject", drill_id, "--list")
    assert "#1" in out and "[delivered early]" in out and "[skipped]" in out
    code, out, err = drill(capsys, "show", drill_id)
    assert "Press call: A reporter asks about the outage (to Communications lead)" in out
    code, out, err = drill(
        capsys, "inject", drill_id, "--add", "--title", "T", "--message", "M", "--to", "comander"
    )
    assert code == 2 and "commander" in err
    code, out, err = drill(capsys, "inject", drill_id, "--deliver", "99")
    assert code == 2 and "no inject 99" in err


def test_bad_input_exits_two_with_a_message(db, capsys):
    code, out, err = drill(capsys, "show", "drill-9999")
    assert code == 2 and "no drill 'drill-9999'" in err
    drill_id = new(capsys)
    code, out, err = drill(capsys, "advance", drill_id, "--by", "fifteen")
    assert code == 2 and "--by: 'fifteen' is not a duration" in err
    with pytest.raises(SystemExit) as exc:
        main(["drill", "decide", drill_id, "launch_rockets", "--by", "Li Wei"])
    assert exc.value.code == 2
    assert "invalid choice: 'launch_rockets'" in capsys.readouterr().err
    code, out, err = drill(capsys, "new", "--name", "Typo", "--participant", "Li Wei, duty_manger")
    assert code == 2 and "did you mean 'duty_manager'" in err
    code, out, err = drill(capsys, "new", "--name", "Bad", "--plan", "no_such_plan")
    assert code == 2 and "Traceback" not in err
    assert "Traceback" not in out + err


def test_archive_hides_from_list_and_restore_shows(db, capsys):
    first = new(capsys, name="First")
    second = new(capsys, name="Second")
    assert drill(capsys, "archive", first)[0] == 0
    code, out, err = drill(capsys, "list")
    assert second in out and first not in out
    code, out, err = drill(capsys, "list", "--all")
    assert first in out and "(archived)" in out
    assert drill(capsys, "restore", first)[0] == 0
    code, out, err = drill(capsys, "list", "--json")
    assert {d["id"] for d in json.loads(out)} == {first, second}


def test_a_drill_from_the_command_line_continues_in_the_console(db, capsys):
    from streamlit.testing.v1 import AppTest

    drill_id = new(capsys, name="Shared drill")
    assert drill(capsys, "advance", drill_id, "--by", "30m")[0] == 0
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["drill"] = drill_id
    at.run()
    assert not at.exception
    assert at.subheader[0].value.startswith("Shared drill:")
    at.button(key="advance").click().run()
    assert not at.exception
    assert "Clock moved to" in at.success[0].value
    code, out, err = drill(capsys, "show", drill_id, "--json")
    board = json.loads(out)
    assert board["drill"]["clock"] == 45
    assert [e["kind"] for e in board["log"]] == ["advance", "advance"]
    code, out, err = drill(capsys, "show", drill_id)
    assert "clock 45m" in out
