"""``drillsim compare``: bad input exits 2 with a clear message; a run writes three files."""

from __future__ import annotations

import argparse
import csv
import json

import pytest

from drillsim import compare as compare_command
from sim.analysis.compare import CSV_COLUMNS, MAIN_KPIS

QUEUE_YAML = """\
meta: {id: small_queue, name: Small stationary queue}
start: 2026-03-02T00:00:00
horizon: 4h
warm_up: 30m
demand:
  rate_per_hour: 96
  channels: {phone: 1.0}
  request_types: {consultation: 1.0}
  classes: {ordinary: 1.0}
handle_time:
  default: {dist: exponential, mean: 5m}
patience:
  default: {dist: exponential, mean: 3m}
staffing:
  - {site: main_centre, agents: 8, skills: [phone]}
"""


def drillsim_compare(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="drillsim")
    compare_command.add_parser(parser.add_subparsers())
    args = parser.parse_args(["compare", *argv])
    return int(args.handler(args))


@pytest.fixture
def scenario_file(tmp_path):
    path = tmp_path / "queue.yaml"
    path.write_text(QUEUE_YAML)
    return path


@pytest.mark.parametrize(
    ("vary", "message"),
    [
        ("agents=10,x", "drillsim: --vary agents=10,x: 'x' is not a whole number"),
        (
            "agnts=10,20",
            "drillsim: --vary agnts=10,20: unknown key 'agnts' (did you mean 'agents'?); keys: agents,",
        ),
        ("reserve.call_in=45", "drillsim: --vary reserve.call_in=45: '45' is not a duration"),
        (
            "agents.nowhere=3",
            "drillsim: agents.nowhere=3: 'nowhere' is neither a site nor a shift of plan 'default_centre'",
        ),
        ("surge=2", "drillsim: surge=2: scenario 'small_queue' has no complaint_surge event"),
    ],
)
def test_bad_vary_exits_2_with_the_reason(vary, message, scenario_file, tmp_path, capsys):
    status = drillsim_compare(
        "default_centre", str(scenario_file), "--vary", vary, "--out-dir", str(tmp_path)
    )
    assert status == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "compare.csv").exists()


def test_nothing_to_compare_exits_2(scenario_file, capsys):
    assert drillsim_compare("default_centre", str(scenario_file)) == 2
    assert "nothing to compare: give --vary KEY=V1,V2" in capsys.readouterr().err


def test_bad_variants_file_exits_2_with_file_and_line(scenario_file, tmp_path, capsys):
    bad = tmp_path / "variants.yaml"
    bad.write_text("variants:\n  - name: base\n    set: {agents: ten}\n")
    assert drillsim_compare("default_centre", str(scenario_file), "--variants", str(bad)) == 2
    err = capsys.readouterr().err
    assert "invalid variants file, 1 problem(s) to fix:" in err
    assert f"{bad}:3: variants[0].set.agents: 'ten' is not a whole number" in err


def test_vary_and_variants_together_exit_2(scenario_file, tmp_path, capsys):
    good = tmp_path / "variants.yaml"
    good.write_text("variants:\n  - {name: base, set: {agents: 8}}\n")
    assert (
        drillsim_compare(
            "default_centre", str(scenario_file), "--vary", "agents=8", "--variants", str(good)
        )
        == 2
    )
    assert "give --vary or --variants, not both" in capsys.readouterr().err


def test_compare_prints_the_table_and_writes_three_files(scenario_file, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    status = drillsim_compare(
        "default_centre",
        str(scenario_file),
        "--vary",
        "agents=8,10",
        "--vary",
        "response_time=1,0.5",
        "--replications",
        "3",
        "--seed",
        "7",
        "--workers",
        "1",
        "--backend",
        "serial",
        "--out-dir",
        str(out),
    )
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert "4 variant(s) x 3 replications on the same seeds (seed 7)" in captured.out
    assert "baseline: agents=8, response_time=1" in captured.out
    assert "vs baseline (paired)" in captured.out and "(baseline)" in captured.out
    assert "P(target or objective met)" in captured.out
    assert "  service level >= 80% (answered within 30s)" in captured.out  # a share in percent
    assert " min" not in captured.out  # durations as 1h05m, differences as +5m
    assert "12/12 replications" in captured.err
    assert sorted(p.name for p in out.iterdir()) == ["compare.csv", "compare.json", "compare.png"]
    with (out / "compare.csv").open() as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        assert tuple(reader.fieldnames or ()) == CSV_COLUMNS
    assert len(rows) == 4 * len(MAIN_KPIS)
    assert {(r["variant"], r["kpi"]) for r in rows} == {
        (v, k)
        for v in (
            "agents=8, response_time=1",
            "agents=8, response_time=0.5",
            "agents=10, response_time=1",
            "agents=10, response_time=0.5",
        )
        for k in MAIN_KPIS
    }
    data = json.loads((out / "compare.json").read_text())
    assert data["seed"] == 7 and data["replications"] == 3 and len(data["variants"]) == 4
    assert data["variants"][0]["difference_from_baseline"]["service_level"] == {
        "mean": 0.0,
        "ci95": [0.0, 0.0],
        "n": 3,
    }
    assert (out / "compare.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_compare_from_a_variants_file(scenario_file, tmp_path, capsys):
    variants = tmp_path / "variants.yaml"
    variants.write_text(
        "variants:\n  - {name: base, set: {agents: 8}}\n  - {name: more, set: {agents: 10, reserve.size: 30}}\n"
    )
    status = drillsim_compare(
        "default_centre",
        str(scenario_file),
        "--variants",
        str(variants),
        "--replications",
        "2",
        "--backend",
        "serial",
        "--out-dir",
        str(tmp_path),
    )
    assert status == 0, capsys.readouterr().err
    data = json.loads((tmp_path / "compare.json").read_text())
    assert [v["name"] for v in data["variants"]] == ["base", "more"]
    assert data["variants"][1]["settings"] == {"agents": "10", "reserve.size": "30"}
