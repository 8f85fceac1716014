"""The engine against queueing theory: Erlang C for M/M/c, Erlang A for M/M/c+M.

Method: R independent replications of a stationary one-channel queue (constant rate,
exponential handle time and patience, fixed agents), warm-up dropped. Each figure's
mean over replications must lie within 4 standard errors of the closed form, plus
0.005 for the bias a finite run and warm-up leave. The standard error is measured from
the replications themselves, so the tolerance follows the number of contacts
simulated: 300,000-400,000 per configuration here, giving standard errors of about
0.002-0.005 on shares (a 10% error in the abandonment share is caught). With fixed seeds the test is deterministic; 4 SE would fail a correct engine
with chance below 0.5% (t with 7 degrees of freedom) if the seeds were redrawn.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.engine.metrics import queue_kpis, wait_times, window_mask
from sim.engine.rng import replication_seeds
from sim.engine.simulation import simulate
from sim.queueing import erlang_a, erlang_c, mmc_mean_wait, mmc_service_level

REPLICATIONS = 8
THRESHOLD = 0.5  # 30 s, the plan's service-level threshold


def replicate(plan, scenario, seed):
    rows = []
    for s in replication_seeds(seed, REPLICATIONS):
        rec = simulate(plan, scenario, s)
        mask = window_mask(rec)
        k = queue_kpis(rec, mask, THRESHOLD)
        settled = mask & np.isin(rec.status, [3, 4])
        k["mean_wait_all"] = float(wait_times(rec)[settled].mean())
        rows.append(k)
    return {key: np.array([r[key] for r in rows]) for key in rows[0]}


def assert_close(values, expected, name):
    mean = values.mean()
    se = values.std(ddof=1) / math.sqrt(len(values))
    tolerance = 4 * se + 0.005
    assert abs(mean - expected) <= tolerance, (
        f"{name}: simulated {mean:.4f} vs theory {expected:.4f} (tol {tolerance:.4f})"
    )


@pytest.mark.parametrize(
    ("agents", "rate_per_hour", "horizon"),
    [
        (10, 96, "20d"),  # a = 8 Erlangs, utilisation 0.80
        (50, 540, "4d"),  # a = 45 Erlangs, utilisation 0.90
    ],
)
def test_mmc_matches_erlang_c(default_plan, queue_scenario, agents, rate_per_hour, horizon):
    def edit(d):
        d["demand"]["rate_per_hour"] = rate_per_hour
        d["staffing"][0]["agents"] = agents

    scenario = queue_scenario(edit, horizon=horizon)
    load = rate_per_hour / 60 * 5.0
    got = replicate(default_plan, scenario, seed=11)
    assert got["offered"].sum() > 300_000
    assert_close(got["p_wait"], erlang_c(agents, load), "P(wait)")
    assert_close(
        got["service_level"], mmc_service_level(agents, load, 5.0, THRESHOLD), "service level"
    )
    assert_close(got["asa"], mmc_mean_wait(agents, load, 5.0), "ASA (minutes)")
    assert got["abandoned"].sum() == 0


@pytest.mark.parametrize(
    ("agents", "rate_per_hour", "patience", "horizon"),
    [
        (20, 288, 3.0, "6d"),  # a = 24 Erlangs on 20 agents: overloaded, ~1 in 6 hang up
        (10, 108, 10.0, "15d"),  # a = 9 on 10 agents, patient customers
    ],
)
def test_mmcm_matches_erlang_a(
    default_plan, queue_scenario, agents, rate_per_hour, patience, horizon
):
    def edit(d):
        d["demand"]["rate_per_hour"] = rate_per_hour
        d["staffing"][0]["agents"] = agents

    scenario = queue_scenario(
        edit,
        horizon=horizon,
        patience={"default": {"dist": "exponential", "mean": f"{patience:g}m"}},
    )
    theory = erlang_a(agents, rate_per_hour / 60, 5.0, patience, THRESHOLD)
    got = replicate(default_plan, scenario, seed=23)
    assert got["offered"].sum() > 300_000
    assert_close(got["abandonment"], theory.p_abandon, "abandonment")
    assert_close(got["service_level"], theory.p_served_within, "service level")
    assert_close(got["p_wait"], theory.p_wait, "P(wait)")
    assert_close(got["mean_wait_all"], theory.mean_wait, "mean wait of all (minutes)")
    if rate_per_hour / 60 * 5.0 > agents:
        assert theory.p_abandon > 0.1  # overloaded: abandonment frequent enough to measure
