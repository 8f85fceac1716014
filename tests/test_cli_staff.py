"""``drillsim staff`` through a local sub-parser: the table, the answer, refusals with exit 2."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
import yaml

from drillsim import staff
from sim.analysis.staffing import Level, StaffingResult
from sim.analysis.staffing_targets import TargetEvidence, parse_target, wilson_bounds

QUEUE = {
    "meta": {"id": "mmcm_staff_cli", "name": "M/M/c+M for drillsim staff"},
    "start": "2026-03-02T00:00:00",
    "horizon": "12h",
    "warm_up": "1h",
    "demand": {
        "rate_per_hour": 288,
        "channels": {"phone": 1.0},
        "request_types": {"consultation": 1.0},
        "classes": {"ordinary": 1.0},
    },
    "handle_time": {"default": {"dist": "exponential", "mean": "5m"}},
    "patience": {"default": {"dist": "exponential", "mean": "3m"}},
    "staffing": [{"site": "main_centre", "agents": 20, "skills": ["phone"]}],
}
FAST = ["--workers", "1", "--backend", "serial", "--seed", "3"]


def cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="drillsim")
    staff.add_parser(parser.add_subparsers())
    args = parser.parse_args(argv)
    return args.handler(args)


@pytest.fixture
def queue_file(tmp_path) -> Path:
    path = tmp_path / "queue.yaml"
    path.write_text(yaml.safe_dump(QUEUE, sort_keys=False))
    return path


def test_staff_prints_start_levels_and_answer_and_writes_json(queue_file, tmp_path, capsys):
    out = tmp_path / "staff.json"
    code = cli(
        [
            "staff",
            "default_centre",
            str(queue_file),
            "--target",
            "service_level>=0.8",
            "--target",
            "abandonment<=10%",
            "--confidence",
            "0.5",
            "-n",
            "20",
            *FAST,
            "--json",
            str(out),
        ]
    )
    assert code == 0
    text = capsys.readouterr().out
    assert "Erlang A start: 26 agent(s)" in text
    assert (
        "service_level>=0.8" in text and "abandonment<=0.1" in text and "P(met) [low, high]" in text
    )
    assert "Answer:" in text and "simulation runs" in text
    doc = json.loads(out.read_text())
    assert doc["plan"] == "default_centre" and doc["scenario"] == "mmcm_staff_cli"
    assert doc["found"] and doc["erlang_a_start"] == 26 and doc["confidence"] == 0.5
    assert doc["runs"] == sum(lv["runs"] for lv in doc["levels"]) <= 20 * len(doc["levels"])
    answer = next(lv for lv in doc["levels"] if lv["agents"] == doc["agents"])
    assert answer["supported"] and all(t["lower"] >= 0.5 for t in answer["targets"])
    assert f"Answer: {doc['agents']} agents" in text


def test_staff_says_when_no_level_supports_the_claim(queue_file, capsys):
    code = cli(
        [
            "staff",
            "default_centre",
            str(queue_file),
            "--target",
            "service_level>=0.99",
            "-n",
            "25",
            "--max-agents",
            "24",
            *FAST,
        ]
    )
    assert code == staff.EXIT_NOT_FOUND
    text = capsys.readouterr().out
    assert "No level up to 24 agents supports the claim" in text and "Answer:" not in text


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        ([], "give at least one --target"),
        (["--target", "service_level=0.8"], "--target target 'service_level=0.8': give a KPI"),
        (["--target", "asa<=30", "--target", "wait<=1m"], "2 bad targets"),
        (
            ["--target", "asa<=30s", "--confidence", "1.5"],
            "--confidence must lie strictly between 0 and 1",
        ),
        (
            ["--target", "asa<=30s", "--confidence", "0"],
            "--confidence must lie strictly between 0 and 1",
        ),
        (["--target", "asa<=30s", "--confidence", "0.9", "-n", "10"], "use at least 25"),
    ],
)
def test_staff_bad_input_exits_two(queue_file, capsys, extra, needle):
    assert cli(["staff", "default_centre", str(queue_file), *extra, *FAST]) == 2
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err


def test_staff_bad_files_exit_two(tmp_path, capsys):
    assert (
        cli(["staff", "default_centre", str(tmp_path / "nope.yaml"), "--target", "asa<=30s", *FAST])
        == 2
    )
    assert "file not found" in capsys.readouterr().err
    assert (
        cli(
            [
                "staff",
                "default_centre",
                "mmcm_overloaded",
                "--target",
                "asa<=30s",
                "--json",
                str(tmp_path / "missing" / "x.json"),
                *FAST,
            ]
        )
        == 2
    )
    assert "does not exist" in capsys.readouterr().err


def test_staff_default_replications_suit_the_confidence():
    assert staff.check_confidence(0.9, None) == 40
    assert staff.check_confidence(0.95, None) >= 52
    assert staff.check_confidence(0.5, 3) == 3


def _result(found: bool, resolved: bool, spent: bool) -> StaffingResult:
    target = parse_target("service_level>=0.8")
    lo, hi = wilson_bounds(20, 20)
    ok = Level(30, (TargetEvidence(target, 20, 20, lo, hi, 0.9),), lo >= 0.5)
    return StaffingResult(
        found, 30 if found else None, resolved, spent, 30, (target,), 0.5, 20, 1, 60, (ok,)
    )


def test_staff_answer_says_when_the_level_budget_ran_out():
    text = staff.render_answer(_result(found=True, resolved=False, spent=True))
    assert text.startswith("Answer: 30 agents") and "fewer may do" in text
    text = staff.render_answer(_result(found=False, resolved=False, spent=True))
    assert "budget of 1 level ran out before 60 was tried" in text and "Answer" not in text
    text = staff.render_answer(_result(found=True, resolved=True, spent=False))
    assert "fewer may do" not in text and "20 simulation runs (1 level x 20 replications)" in text


def test_reserves_option_checks_its_input(capsys):
    assert cli(["staff", "--target", "service_level>=0.8", "--reserves", "-1"]) == 2
    assert "--reserves must be from 0 to 20" in capsys.readouterr().err


def test_reserves_need_a_reserve_pool(tmp_path, capsys):
    plan = Path(__file__).parent / "data" / "plans" / "tiny.yaml"  # no reserve pool
    scenario = tmp_path / "tiny_day.yaml"
    scenario.write_text(
        "meta: {id: tiny_day, name: Tiny day}\n"
        "start: 2026-03-02T09:00:00\nhorizon: 6h\n"
        "demand: {rate_per_hour: 60, channels: {phone: 0.7, counter: 0.3}}\n"
    )
    assert (
        cli(
            ["staff", str(plan), str(scenario), "--target", "service_level>=0.8", "--reserves", "1"]
        )
        == 2
    )
    assert "plan 'tiny' has no reserve staff pool to resize" in capsys.readouterr().err
