"""``drillsim compare --by-interval``: per interval and channel, each variant side by side."""

from __future__ import annotations

import csv

import pytest

from drillsim.cli import main
from plans import default_plan_path, load_plan
from scenarios import load_scenario
from sim.analysis.compare_intervals import CSV_COLUMNS, erlang_requirement

QUEUE_YAML = """\
meta: {id: small_queue, name: Small stationary queue}
start: 2026-03-02T08:00:00
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


@pytest.fixture
def scenario_file(tmp_path):
    path = tmp_path / "queue.yaml"
    path.write_text(QUEUE_YAML)
    return path


def _compare(scenario_file, out, *extra: str) -> int:
    return main(
        [
            "compare",
            "default_centre",
            str(scenario_file),
            "--vary",
            "agents=8,11",
            "--replications",
            "3",
            "--seed",
            "7",
            "--backend",
            "serial",
            "--workers",
            "1",
            "--out-dir",
            str(out),
            *extra,
        ]
    )


def test_by_interval_prints_each_interval_and_writes_the_csv(scenario_file, tmp_path, capsys):
    status = _compare(scenario_file, tmp_path, "--by-interval", "1h")
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert "By 1h00m interval and channel: service level (answered within 30s)" in captured.out
    assert "#1  agents=8" in captured.out and "#2  agents=11" in captured.out
    for clock in ("08:00", "09:00", "10:00", "11:00"):
        assert f"    {clock}" in captured.out
    with (tmp_path / "compare_intervals.csv").open() as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        assert tuple(reader.fieldnames or ()) == CSV_COLUMNS
    # 4 one-hour intervals x 2 variants of the one channel customers use
    assert {r["channel"] for r in rows} == {"phone"}
    phone = rows
    assert len(phone) == 4 * 2
    assert [r["interval_start"] for r in phone[::2]] == [
        f"2026-03-02T{h:02d}:00:00" for h in (8, 9, 10, 11)
    ]
    assert {r["agents_at_work"] for r in phone if r["variant"] == "agents=8"} == {"8"}
    assert {r["agents_at_work"] for r in phone if r["variant"] == "agents=11"} == {"11"}
    for r in phone:
        low, high = float(r["service_level_ci95_low"]), float(r["service_level_ci95_high"])
        assert 0.0 <= low <= float(r["service_level_mean"]) <= high <= 1.0
        assert r["n"] == "3"
    # more agents on the same customers: the day's intervals answered no worse on average
    mean = {
        v: sum(float(r["service_level_mean"]) for r in phone if r["variant"] == v) / 4
        for v in ("agents=8", "agents=11")
    }
    assert mean["agents=11"] > mean["agents=8"]
    # the requirement is the Erlang A table's; one channel, one skill: short = required - at work
    need, channels, _starts = erlang_requirement(
        load_plan(default_plan_path()), load_scenario(scenario_file), 60.0
    )
    for r in phone:
        i = int(r["interval_start"][11:13]) - 8
        assert int(r["required_agents"]) == need[i, channels.index("phone")]
        assert int(r["gap_agents"]) == max(0, int(r["required_agents"]) - int(r["agents_at_work"]))
    assert any(int(r["gap_agents"]) > 0 for r in phone if r["variant"] == "agents=8")
    assert "agents at work / required, agents short (-n)" in captured.out


def test_by_interval_defaults_to_30_minutes(scenario_file, tmp_path, capsys):
    assert _compare(scenario_file, tmp_path, "--by-interval") == 0
    out = capsys.readouterr().out
    assert "By 30m interval and channel" in out and "    11:30" in out


def test_without_by_interval_nothing_changes(scenario_file, tmp_path, capsys):
    assert _compare(scenario_file, tmp_path) == 0
    assert "interval and channel" not in capsys.readouterr().out
    assert not (tmp_path / "compare_intervals.csv").exists()


def test_bad_interval_exits_2_with_the_reason(scenario_file, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        _compare(scenario_file, tmp_path, "--by-interval", "0m")
    assert exit_info.value.code == 2
    assert "an interval must be longer than zero, got '0m'" in capsys.readouterr().err
