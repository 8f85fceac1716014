"""Same seed, same numbers: across runs and whatever the number of worker processes."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np

from sim.analysis.journal import build_journal, without_wall_clock
from sim.analysis.montecarlo import run_monte_carlo
from sim.engine.rng import STREAM_NAMES, make_streams, replication_seeds
from sim.engine.simulation import simulate


def _journal(plan, scenario, workers):
    result = run_monte_carlo(plan, scenario, 6, seed=77, workers=workers)
    now = dt.datetime.now(dt.UTC)
    return build_journal(
        plan,
        scenario,
        result,
        seed=77,
        plan_file="p",
        scenario_file="s",
        started=now,
        ended=now,
        workers=workers,
    )


def test_journal_identical_with_one_or_two_workers(default_plan, queue_scenario):
    scenario = queue_scenario(patience={"default": {"dist": "exponential", "mean": "3m"}})
    one = _journal(default_plan, scenario, 1)
    two = _journal(default_plan, scenario, 2)
    assert one["meta"]["workers"] == 1 and two["meta"]["workers"] == 2
    assert json.dumps(without_wall_clock(one), sort_keys=True) == json.dumps(
        without_wall_clock(two), sort_keys=True
    )
    assert one["kpis"]["service_level"]["n"] == 6
    assert set(one) >= {
        "plan",
        "scenario",
        "seed",
        "seeds",
        "versions",
        "kpis",
        "targets",
        "replication_kpis",
    }


def test_same_seed_same_records_different_seed_different(default_plan, queue_scenario):
    scenario = queue_scenario()
    a, b, c = (simulate(default_plan, scenario, s) for s in (5, 5, 6))
    for field in ("arrival", "start", "end", "status"):
        assert np.array_equal(getattr(a, field), getattr(b, field), equal_nan=True)
    assert not np.array_equal(a.arrival, c.arrival)


def test_streams_are_independent_and_stable():
    s1, s2 = make_streams(1), make_streams(1)
    draws = {name: s1[name].random(3).tolist() for name in STREAM_NAMES}
    assert draws == {name: s2[name].random(3).tolist() for name in STREAM_NAMES}
    assert len({tuple(v) for v in draws.values()}) == len(STREAM_NAMES)


def test_replication_seeds_fixed_by_the_run_seed():
    assert replication_seeds(42, 5) == replication_seeds(42, 5)
    assert (
        replication_seeds(42, 3) == replication_seeds(42, 5)[:3]
    )  # more replications extend, never reshuffle
    assert len(set(replication_seeds(42, 100))) == 100
