"""A run that cannot finish is refused before it starts, with its estimate (issue 18, s. 1).

Reproduced first: a scenario of 90,000 arrivals an hour over 20 days passed ``check``
and ``run`` then ate the machine's memory; ``--replications`` in the millions started.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from drillsim.cli import main
from plans.loader import DEFAULT_PLAN, bundled_plans, load_plan
from scenarios.loader import DEFAULT_SCENARIO, bundled_scenarios, load_scenario
from sim.analysis.budget import RunEstimate, cap_workers, expected_contacts, too_big
from sim.engine.simulation import Simulation

DATA = Path(__file__).parent / "data"


def test_the_estimate_matches_the_contacts_a_run_simulates():
    plan = load_plan(bundled_plans()[DEFAULT_PLAN])
    scenario = load_scenario(bundled_scenarios()[DEFAULT_SCENARIO])
    # arrivals (first attempts): redials and switches add to them, within the estimate's
    # rounded-up cost per contact (1 KiB against 543 bytes measured)
    runs = [Simulation(plan, scenario, seed).run() for seed in range(5)]
    simulated = [int((r.attempt == 0).sum()) if r.attempt is not None else len(r) for r in runs]
    mean = sum(simulated) / len(simulated)
    assert abs(expected_contacts(scenario) - mean) / mean < 0.05  # Poisson noise is ~2% here


def test_a_huge_scenario_is_refused_at_once_with_its_estimate(tmp_path, capsys):
    big = tmp_path / "big.yaml"
    tiny = (DATA / "scenarios" / "tiny_crm.yaml").read_text()
    big.write_text(tiny.replace("rate_per_hour: 60", "rate_per_hour: 90000").replace("6h", "20d"))
    out = tmp_path / "j.json"
    clock = time.perf_counter()
    status = main(
        ["run", str(DATA / "plans" / "tiny.yaml"), str(big), "-n", "10", "--json", str(out)]
    )
    took = time.perf_counter() - clock
    err = capsys.readouterr().err
    assert status == 2 and "43,200,000 contacts a replication" in err and "--force" in err
    assert "GiB of memory" in err and not out.exists()
    assert took < 30  # refused before any simulation (a run of it would take hours)


def test_millions_of_replications_are_refused_even_with_force(capsys):
    assert main(["run", "-n", "1000000", "--force"]) == 2
    assert "at most 100,000 replications" in capsys.readouterr().err


def test_more_workers_than_cores_or_replications_are_capped_and_said(capsys):
    assert main(["run", "-n", "2", "--workers", "64", "--backend", "serial"]) == 0
    err = capsys.readouterr().err
    assert "64 workers asked" in err and "on 2 worker(s)" in err


@pytest.mark.parametrize(
    ("workers", "replications", "expected"), [(64, 2, 2), (1, 100, 1), (64, 1000, None)]
)
def test_cap_workers(workers, replications, expected):
    import os

    assert cap_workers(workers, replications) == (
        expected if expected is not None else min(64, os.cpu_count() or 1)
    )


def test_limits_named():
    small = RunEstimate(3000, 100, 2)
    assert too_big(small, 8 * 2**30) == []
    assert too_big(RunEstimate(3000, 200_000, 2), None) == ["replications"]
    assert too_big(RunEstimate(40e6, 10, 2), 8 * 2**30) == ["memory"]  # 76 GiB, 33 min
    assert too_big(RunEstimate(1e6, 10_000, 1), 8 * 2**30) == ["time"]  # 1 GiB, 28 h


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["compare", "--vary", "agents=" + "1" + "0" * 33, "-n", "2"], "at most 100000"),
        (
            ["compare", "--vary", "reserve.size=" + ",".join(str(i) for i in range(2500))],
            "at most 200",
        ),
        (["staff", "--target", "service_level>=0.8", "--reserves", "1000000"], "from 0 to 20"),
    ],
    ids=["1e33 agents", "2,500 variants", "a million reserve options"],
)
def test_what_cannot_finish_is_refused_at_once(tmp_path, capsys, args, message):
    clock = time.perf_counter()
    status = main([*args, "--out-dir", str(tmp_path)] if args[0] == "compare" else args)
    err = capsys.readouterr().err
    assert status == 2 and message in err and "Traceback" not in err
    assert time.perf_counter() - clock < 30 and not list(tmp_path.iterdir())
