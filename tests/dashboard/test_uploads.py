"""Uploads in the console: every bad file gets a message naming the file and the reason."""

from __future__ import annotations

from pathlib import Path

from drills.uploads import read_upload

ROOT = Path(__file__).resolve().parents[2]
PLAN = (ROOT / "plans" / "examples" / "default_centre.yaml").read_bytes()
SCENARIO = (ROOT / "scenarios" / "library" / "crm_outage_monday_peak.yaml").read_bytes()


def test_valid_uploads():
    assert read_upload("p.yaml", PLAN, "plan").ok
    assert read_upload("s.yaml", SCENARIO, "scenario").ok


def test_plan_given_where_a_scenario_is_expected():
    result = read_upload("p.yaml", PLAN, "scenario")
    assert not result.ok
    assert result.problems == (
        "p.yaml: this is a plan, not a scenario (it has 'flows' and 'levels'); "
        "upload it on the Plans page",
    )
    assert "a scenario, not a plan" in read_upload("s.yaml", SCENARIO, "plan").problems[0]


def test_too_large_binary_empty_and_broken_yaml():
    assert (
        "the limit is 1,000"
        in read_upload("big.yaml", b"a: 1\n" * 300, "plan", max_bytes=1000).problems[0]
    )
    assert read_upload("x.yaml", b"\x00\x01\x02", "plan").problems == (
        "x.yaml: is a binary file, not YAML text",
    )
    assert read_upload("e.yaml", b"   \n", "plan").problems == ("e.yaml: file is empty",)
    broken = read_upload("b.yaml", b"meta: [\n", "scenario").problems[0]
    assert broken.startswith("b.yaml:") and "YAML syntax error" in broken


def test_invalid_plan_lists_each_problem_with_its_path():
    bad = PLAN.replace(b"holder: zhao_lei", b"holder: zhao_lie")
    result = read_upload("p.yaml", bad, "plan")
    assert not result.ok
    assert any(
        ".holder: unknown person 'zhao_lie' (did you mean 'zhao_lei'?)" in p
        for p in result.problems
    )
