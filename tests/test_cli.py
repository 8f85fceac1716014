"""The drillsim command as a user runs it: exit codes, messages, JSON, schema."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from drillsim.cli import main

DATA = Path(__file__).parent / "data" / "plans"
TINY = DATA / "tiny.yaml"


def run_cli(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_valid_plan_exits_zero_even_with_findings(capsys):
    code, out, _ = run_cli(capsys, "check", str(TINY), "--today", "2026-11-29")
    assert code == 0
    assert "plan 'tiny'" in out
    assert "ERRORS (2)" in out and "WARNINGS" in out and "NOTES" in out
    assert out.index("ERRORS") < out.index("WARNINGS") < out.index("NOTES")
    assert "ACTIVATION PATHS" in out


def test_check_strict_exits_one_on_error_findings(capsys):
    code, _, _ = run_cli(capsys, "check", str(TINY), "--strict", "--today", "2026-11-29")
    assert code == 1


def test_check_invalid_plan_exits_two_with_located_messages(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(TINY.read_text().replace("holder: bob", "holder: rob"))
    code, out, err = run_cli(capsys, "check", str(bad))
    assert code == 2
    assert f"{bad}:40: roles[1].holder: unknown person 'rob' (did you mean 'bob'?)" in out
    assert "Traceback" not in out + err


def test_check_json_output(capsys):
    code, out, _ = run_cli(capsys, "check", str(TINY), "--json", "--today", "2026-11-29")
    assert code == 0
    doc = json.loads(out)
    assert doc["valid"] is True and doc["plan"]["id"] == "tiny"
    assert doc["summary"] == {"error": 2, "warning": 2, "info": 1}
    assert {f["code"] for f in doc["findings"]} >= {"spof.node"}
    assert doc["activation_paths"][0]["planned_minutes"] == 65


def test_check_json_for_invalid_file(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("meta: {id: X}\n")
    code, out, _ = run_cli(capsys, "check", str(bad), "--json")
    assert code == 2
    doc = json.loads(out)
    assert doc["valid"] is False
    by_path = {i["path"]: i for i in doc["issues"]}
    assert by_path["meta.id"]["line"] == 1
    assert "is not a valid id" in by_path["meta.id"]["message"]
    assert by_path["roles"]["message"] == "missing required field 'roles'"


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: None, "file not found"),
        (lambda p: p.write_text(""), "file is empty"),
        (lambda p: p.write_bytes(b"\x00\x01binary"), "binary file"),
    ],
)
def test_check_unreadable_inputs(tmp_path, capsys, make, reason):
    target = tmp_path / "plan.yaml"
    make(target)
    code, out, _ = run_cli(capsys, "check", str(target))
    assert code == 2
    assert reason in out


def test_bad_argument_exits_two(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["check", "--today", "yesterday"])
    assert exc.value.code == 2
    assert "'yesterday' is not a date" in capsys.readouterr().err


def test_schema_plan_is_json_schema(capsys):
    code, out, _ = run_cli(capsys, "schema", "plan")
    assert code == 0
    schema = json.loads(out)
    assert schema["type"] == "object"
    assert {"meta", "roles", "flows", "targets"} <= set(schema["properties"])
    assert schema["$defs"]["Step"]["properties"]["limit"]["type"] == "string"


def test_console_script_runs_default_plan():
    """The installed entry point, as README's first command runs it."""
    exe = Path(sys.executable).with_name("drillsim")
    result = subprocess.run([str(exe), "check"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "default_centre" in result.stdout
