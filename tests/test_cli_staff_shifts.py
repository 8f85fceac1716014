"""``drillsim staff --by-interval --shifts``: the cover printed, written and checked by simulation."""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

import numpy as np
import pytest

from drillsim.cli import main
from drillsim.staff_options import add_shift_arguments as add_arguments
from drillsim.staff_shifts import COVER_COLUMNS, SHIFTS_COLUMNS, run_shifts
from plans import default_plan_path, load_plan
from scenarios import default_scenario_path, load_scenario

CHANNELS = ["phone", "chat", "counter", "app", "web"]
STARTS = [i * 30.0 for i in range(16)]


def _args(*argv: str) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="drillsim staff")
    add_arguments(p)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--seed", type=int, default=7)
    return p.parse_args(["--shifts", *argv])


@pytest.fixture(scope="module")
def inputs():
    return load_plan(default_plan_path()), load_scenario(default_scenario_path())


def _need(phone: int = 20) -> np.ndarray:
    r = np.array([[phone, 6, 22, 3, 3]] * 16)
    r[14:] = [10, 4, 15, 2, 2]  # after 15:00 the late shift alone
    return r


def test_cover_is_printed_written_and_checked(inputs, tmp_path, capsys):
    plan, scenario = inputs
    status = run_shifts(
        _args("--check-replications", "2"),
        plan,
        scenario,
        _need(),
        CHANNELS,
        STARTS,
        30.0,
        tmp_path,
    )
    out = capsys.readouterr().out
    assert status == 0
    assert "Shift cover (integer program, optimal):" in out
    assert "today's roster has 93" in out  # early 53 + late 40 work during 08:00-16:00
    assert "Today's roster falls short in 14 of 16 intervals." in out  # 54 needed, 53 at work
    assert "shift_cover" in out and "By 30m interval and channel" in out
    with (tmp_path / "shifts.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == SHIFTS_COLUMNS and len(rows) == 16
    assert [int(r["required_agents"]) for r in rows] == [54] * 14 + [33] * 2
    assert all(int(r["cover_agents"]) >= int(r["required_agents"]) for r in rows)
    assert [int(r["roster_short"]) for r in rows] == [1] * 14 + [0] * 2
    with (tmp_path / "shift_cover.csv").open() as fh:
        cover = list(csv.DictReader(fh))
    assert tuple(cover[0]) == COVER_COLUMNS
    assert {r["shift"] for r in cover} == {"early", "late"}
    # the fewest agents: the early shift's 54 cover 08:00-15:00, the late shift's 33 the rest
    assert sum(int(r["agents"]) for r in cover) == 54 + 33


def test_dearer_shift_moves_no_agent_it_need_not(inputs, tmp_path, capsys):
    plan, scenario = inputs
    args = _args("--check-replications", "0", "--shift-cost", "late=2")
    assert run_shifts(args, plan, scenario, _need(), CHANNELS, STARTS, 30.0, tmp_path) == 0
    with (tmp_path / "shift_cover.csv").open() as fh:
        cover = list(csv.DictReader(fh))
    assert sum(int(r["agents"]) for r in cover if r["shift"] == "late") == 33
    assert "checking the cover by simulation" not in capsys.readouterr().err


def test_bad_shift_cost_exits_2(inputs, tmp_path, capsys):
    plan, scenario = inputs
    args = _args("--shift-cost", "lunch=2")
    assert run_shifts(args, plan, scenario, _need(), CHANNELS, STARTS, 30.0, tmp_path) == 2
    assert (
        "--shift-cost lunch=2: write SHIFT=COST with a shift of the plan" in capsys.readouterr().err
    )


def test_interval_no_shift_covers_exits_2_with_the_interval(inputs, tmp_path, capsys):
    plan, scenario = inputs
    late_only = plan.model_copy(update={"shifts": tuple(s for s in plan.shifts if s.id != "early")})
    args = _args("--check-replications", "0")
    assert run_shifts(args, late_only, scenario, _need(), CHANNELS, STARTS, 30.0, tmp_path) == 2
    err = capsys.readouterr().err
    assert "no shift cover exists" in err
    assert "interval at 08:00 needs 20 agent(s) on 'phone'" in err
    assert not (tmp_path / "shifts.csv").exists()


# --- the way a planner runs it: drillsim staff --shifts ---------------------------------

STATIONARY = str(
    Path(__file__).resolve().parent / "data" / "scenarios" / "interval_stationary.yaml"
)


def test_staff_shifts_on_the_stationary_day_takes_each_shifts_peak(tmp_path, capsys):
    """A day of one stationary queue from Monday 08:00 and the plan's early (07-15), late
    (15-23) and night (23-07) shifts, which never overlap: the fewest agents are, on each
    shift, the largest requirement of the intervals it works in (2-hour intervals, so
    14:00-16:00 and 22:00-24:00 and 06:00-08:00 are each shared by two shifts)."""
    code = main(
        [
            "staff",
            "default_centre",
            STATIONARY,
            "--shifts",
            "--by-interval",
            "2h",
            "-n",
            "6",
            "--interval-rule",
            "mean",
            "--check-replications",
            "2",
            "--out-dir",
            str(tmp_path),
            "--workers",
            "1",
            "--backend",
            "serial",
            "--seed",
            "3",
        ]
    )
    out = capsys.readouterr().out
    assert code in (0, 1), out
    with (tmp_path / "requirements.csv").open() as fh:
        need = {r["interval_start"][11:16]: int(r["required_agents"]) for r in csv.DictReader(fh)}
    with (tmp_path / "shift_cover.csv").open() as fh:
        cover = {r["shift"]: int(r["agents"]) for r in csv.DictReader(fh)}
    touches = {
        "early": ["08:00", "10:00", "12:00", "14:00", "06:00"],
        "late": ["14:00", "16:00", "18:00", "20:00", "22:00"],
        "night": ["22:00", "00:00", "02:00", "04:00", "06:00"],
    }
    assert cover == {shift: max(need[t] for t in times) for shift, times in touches.items()}
    assert "Shift cover (integer program, optimal)" in out and "shift_cover" in out
    doc = json.loads((tmp_path / "shift_cover.json").read_text())
    assert doc["agents"] == sum(cover.values())
    assert doc["runs"] == 2 * 2  # the roster and the cover, 2 replications each
    assert {v["name"] for v in doc["check"]["variants"]} == {"baseline", "shift_cover"}


def test_shifts_alone_implies_30_minute_intervals(tmp_path):
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    parser.add_argument("--by-interval", type=float, default=None)
    assert parser.parse_args(["--shifts"]).by_interval == 30.0
    assert parser.parse_args(["--by-interval", "15", "--shifts"]).by_interval == 15.0
    assert parser.parse_args(["--shifts", "--by-interval", "60"]).by_interval == 60.0
    assert parser.parse_args([]).shifts is False


def test_a_negative_or_huge_check_is_refused_before_any_work(capsys):
    """`--check-replications -5` used to be taken as no check at all, silently."""
    from drillsim.cli import main

    for bad in ("-5", "1000001"):
        try:
            status = main(["staff", "--shifts", "--check-replications", bad])
        except SystemExit as exc:  # argparse refuses it
            status = exc.code
        assert status == 2
        assert f"must be from 0 to 100000, got {int(bad)}" in capsys.readouterr().err
