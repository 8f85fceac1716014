"""Queue figures, per-class KPIs and interval rows against known answers.

Method as in test_known_answers.py: R independent replications of a stationary
one-channel queue, warm-up dropped; a figure's mean over the replications must lie
within 4 standard errors (measured from the replications) of the closed form, plus a
small allowance (1% of the value, 0.005 on shares) for the bias a finite run leaves.
Fixed seeds make every test deterministic.

* Per-class waits of an M/M/c with two classes served non-preemptively by priority
  (same service rate): Cobham (1954), W_k = W0 / ((1 - s_{k-1})(1 - s_k)) with
  W0 = C(c, A) / (c mu) and s_k the load of classes 1..k over c. P(wait) is Erlang C
  for every class (PASTA: an arrival of any class finds all agents busy alike).
* ``mean_queue`` and ``mean_wait_all``: Erlang C's Lq = C A / (c - A) and
  Wq = C / (c mu - lambda); with exponential patience, Erlang A's E[W] and
  E[Q] = lambda E[W] (:func:`sim.queueing.erlang_a`, which returns both).
* Intervals of a stationary queue: each interval's mean agrees with the whole-run
  figure, and the interval counts add up to the whole run's exactly.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from sim.analysis.intervals import interval_rows
from sim.analysis.journal import build_journal
from sim.analysis.montecarlo import run_monte_carlo
from sim.engine.class_metrics import measures
from sim.engine.interval_metrics import interval_key, interval_starts
from sim.engine.rng import replication_seeds
from sim.engine.simulation import simulate
from sim.queueing import erlang_a, erlang_c

REPLICATIONS = 8
MEAN_SERVICE = 5.0


def replicate(plan, scenario, seed, replications=REPLICATIONS):
    """Each replication's queue figures and per-class KPIs, as arrays over replications."""
    rows = [
        measures(simulate(plan, scenario, s), plan) for s in replication_seeds(seed, replications)
    ]
    return {key: np.array([r.get(key, math.nan) for r in rows]) for key in rows[0]}


def assert_close(values, expected, name, share=False):
    mean = values.mean()
    se = values.std(ddof=1) / math.sqrt(len(values))
    tolerance = 4 * se + (0.005 if share else 0.01 * abs(expected))
    assert abs(mean - expected) <= tolerance, (
        f"{name}: simulated {mean:.4f} vs theory {expected:.4f} (tol {tolerance:.4f})"
    )


def cobham_waits(agents, load, shares, mean_service):
    """Mean wait in queue of each priority class, highest first (Cobham 1954)."""
    w0 = erlang_c(agents, load) * mean_service / agents  # C(c, A) / (c mu)
    waits, before = [], 0.0
    for share in shares:
        upto = before + share * load / agents
        waits.append(w0 / ((1 - before) * (1 - upto)))
        before = upto
    return waits


@pytest.mark.parametrize(
    ("agents", "rate_per_hour", "urgent", "horizon"),
    [
        (10, 96, 0.3, "40d"),  # A = 8 on 10 agents
        (20, 216, 0.5, "16d"),  # A = 18 on 20 agents: ordinary contacts wait ten times longer
    ],
)
def test_priority_classes_match_cobham(
    default_plan, queue_scenario, agents, rate_per_hour, urgent, horizon
):
    def edit(d):
        d["demand"]["rate_per_hour"] = rate_per_hour
        d["demand"]["classes"] = {"urgent": urgent, "ordinary": 1 - urgent}
        d["staffing"][0]["agents"] = agents

    load = rate_per_hour / 60 * MEAN_SERVICE
    got = replicate(default_plan, queue_scenario(edit, horizon=horizon), seed=31)
    w_urgent, w_ordinary = cobham_waits(agents, load, (urgent, 1 - urgent), MEAN_SERVICE)
    assert_close(got["class.urgent.asa"], w_urgent, "urgent mean wait (min)")
    assert_close(got["class.ordinary.asa"], w_ordinary, "ordinary mean wait (min)")
    for cls in ("urgent", "ordinary"):
        assert_close(got[f"class.{cls}.p_wait"], erlang_c(agents, load), f"{cls} P(wait)", True)
        # one live channel: the class's figures on it are the class's figures
        assert np.array_equal(got[f"class.{cls}.channel.phone.asa"], got[f"class.{cls}.asa"])
    assert "class.complex.asa" not in got  # a class with no contact is left out
    # the two classes together are one FIFO-blind M/M/c: Erlang C's queue and wait
    c = erlang_c(agents, load)
    assert_close(got["mean_queue"], c * load / (agents - load), "Lq")
    assert_close(got["mean_wait_all"], c * MEAN_SERVICE / (agents - load), "Wq (min)")


def test_queue_figures_match_erlang_a(default_plan, queue_scenario):
    agents, rate_per_hour, patience = 20, 288, 3.0  # A = 24 on 20 agents: 1 in 6 hang up

    def edit(d):
        d["demand"]["rate_per_hour"] = rate_per_hour
        d["staffing"][0]["agents"] = agents

    scenario = queue_scenario(
        edit, horizon="8d", patience={"default": {"dist": "exponential", "mean": "3m"}}
    )
    theory = erlang_a(agents, rate_per_hour / 60, MEAN_SERVICE, patience)
    got = replicate(default_plan, scenario, seed=37)
    assert_close(got["mean_wait_all"], theory.mean_wait, "E[W] of all (min)")
    assert_close(got["mean_queue"], theory.mean_queue, "E[Q]")
    assert np.array_equal(got["channel.phone.mean_queue"], got["mean_queue"])


def test_interval_means_match_the_whole_run(default_plan, queue_scenario):
    def edit(d):
        d["demand"]["rate_per_hour"] = 108  # A = 9 on 10 agents, patient customers
        d["patience"] = {"default": {"dist": "exponential", "mean": "10m"}}

    scenario = queue_scenario(edit, horizon="2d")
    result = run_monte_carlo(default_plan, scenario, 8, seed=41, interval=120.0)
    starts = interval_starts(scenario.horizon, 120.0)
    assert len(starts) == 24
    after = [i for i, s in enumerate(starts) if s >= scenario.warm_up]
    assert len(after) == 23  # the first interval is the 2-hour warm-up
    # counts add up exactly: the intervals after the warm-up are the whole run's window
    offered = sum(result.interval_values(interval_key(i, "phone", "offered")) for i in after)
    assert np.array_equal(offered, result.values("offered"))
    rows = {(r["start"], r["channel"]): r for r in interval_rows(default_plan, scenario, result)}
    assert len(rows) == 24 * len(default_plan.channels)
    for figure in ("service_level", "asa", "abandonment", "occupancy"):
        whole = result.kpis[figure].mean
        for i in after:
            moment = (scenario.start + dt.timedelta(minutes=starts[i])).isoformat()
            cell = rows[(moment, "phone")][figure]
            lo, hi = cell["ci95"]
            # within the interval's 95% CI, widened to 4 SE (23 intervals x 4 figures tested)
            half = (hi - lo) / 2 * 4 / 2.36
            assert abs(cell["mean"] - whole) <= half + 0.005, (figure, moment, cell, whole)
    chat = rows[(scenario.start.isoformat(), "chat")]
    assert chat["offered"]["mean"] == 0 and chat["service_level"]["mean"] is None


def test_every_kpi_is_kept_per_replication(default_plan, queue_scenario):
    scenario = queue_scenario(patience={"default": {"dist": "exponential", "mean": "3m"}})
    result = run_monte_carlo(default_plan, scenario, 3, seed=5)
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    journal = build_journal(
        default_plan,
        scenario,
        result,
        seed=5,
        plan_file="p",
        scenario_file="s",
        started=now,
        ended=now,
        workers=1,
    )
    assert "intervals" not in journal  # only when asked for
    for row in journal["replication_kpis"]:
        assert set(row) == {"seed", *journal["kpis"]}
    assert [r["p_wait"] for r in journal["replication_kpis"]] == list(result.values("p_wait"))
    assert {"mean_queue", "mean_wait_all", "class.ordinary.service_level"} <= set(journal["kpis"])
