"""Back-test of the synthetic history against its own fitted scenario.

Why these tolerances: the synthetic centre (history.synthetic) is an independent FCFS
queue, and the fitted scenario runs in drillsim's engine, so the two agree only as far
as the fit and the engine are right. Over one week (about 21,000 phone and 7,000 chat
contacts) and 4 replications a day, the settled-weighted service-level bias measured
on five generator seeds (1-5) was -0.013 to -0.001 on the phone and +0.008 to +0.032 on
chat (chat's queue is small, 10 agents, so its days vary more); the test allows 0.04,
a little beyond the largest seen, and abandonment 0.015 (largest seen 0.010). A wrong
patience, handle time or demand fit moves the service level by far more: the test with
five fewer phone agents shows a drop of more than 0.1.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from history.backtest import Backtest, _layers, run_backtest
from history.fit import fit_history
from history.records import ContactHistory
from history.scenario_out import scenario_yaml
from history.synthetic import SyntheticSpec, generate, to_intervals
from plans.loader import default_plan_path, load_plan
from plans.model import Plan
from scenarios.loader import load_scenario_text
from scenarios.model import Scenario, StaffGroup

SPEC = SyntheticSpec(days=7)


@pytest.fixture(scope="module")
def default_plan() -> Plan:
    return load_plan(default_plan_path())


@pytest.fixture(scope="module")
def history() -> ContactHistory:
    return generate(SPEC)


def _roster(less_phone: int = 0) -> tuple[StaffGroup, ...]:
    """The synthetic centre's own staffing: the roster its scenario should be run with."""
    return tuple(
        StaffGroup(
            site="main_centre",
            agents=c.agents - (less_phone if c.channel == "phone" else 0),
            skills=(c.channel,),
        )
        for c in SPEC.channels
    )


@pytest.fixture(scope="module")
def scenario(history: ContactHistory, default_plan: Plan) -> Scenario:
    fitted = load_scenario_text(
        scenario_yaml(fit_history(history, default_plan), default_plan, scenario_id="fitted")
    )
    return fitted.model_copy(update={"staffing": _roster()})


@pytest.fixture(scope="module")
def backtest(history: ContactHistory, scenario: Scenario, default_plan: Plan) -> Backtest:
    return run_backtest(
        history, scenario, default_plan, agents_from_file=False, seed=7, replications=4
    )


def test_service_level_bias_within_tolerance(backtest: Backtest) -> None:
    for channel in ("phone", "chat"):
        sl = backtest.figure(channel, "service_level")
        ab = backtest.figure(channel, "abandonment")
        assert sl is not None and ab is not None
        assert sl.intervals > 200
        assert abs(sl.bias) <= 0.04, channel
        assert abs(ab.bias) <= 0.015, channel
        assert sl.mae >= abs(sl.bias)  # mean absolute error bounds the bias


def test_rows_cover_every_day_and_interval(backtest: Backtest) -> None:
    assert len(backtest.days) == 7
    assert len(backtest.rows) == 7 * 48 * 2
    assert backtest.rows[0].start == "2026-03-02T00:00+08:00"


def test_fewer_agents_simulate_a_worse_service(
    history: ContactHistory, scenario: Scenario, default_plan: Plan
) -> None:
    thin = scenario.model_copy(update={"staffing": _roster(less_phone=5)})
    bt = run_backtest(history, thin, default_plan, agents_from_file=False, seed=7, replications=2)
    sl = bt.figure("phone", "service_level")
    assert sl is not None and sl.bias < -0.1


def test_csv_has_a_line_per_channel_and_interval(backtest: Backtest, tmp_path: Path) -> None:
    path = tmp_path / "bt.csv"
    backtest.to_csv(path)
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(backtest.rows)
    assert {"service_level_observed", "service_level_simulated", "asa_simulated"} <= set(rows[0])
    peak = next(
        r for r in rows if r["start"] == "2026-03-02T10:00+08:00" and r["channel"] == "phone"
    )
    assert 0 <= float(peak["service_level_observed"]) <= 1


def test_recorded_agents_from_interval_records(default_plan: Plan, history: ContactHistory) -> None:
    intervals = to_intervals(history, SPEC)
    fitted = load_scenario_text(
        scenario_yaml(fit_history(intervals, default_plan), default_plan, scenario_id="iv")
    )  # no staffing: the plan's, unless the file's agents are used
    bt = run_backtest(
        intervals, fitted, default_plan, agents_from_file=True, seed=7, replications=2
    )
    assert bt.agents_from_file
    assert {r.agents for r in bt.rows if r.channel == "phone"} == {30.0}
    sl = bt.figure("phone", "service_level")
    assert sl is not None and abs(sl.bias) <= 0.04


def test_agents_from_file_without_agents_says_so(
    history: ContactHistory, scenario: Scenario, default_plan: Plan
) -> None:
    bt = run_backtest(
        history, scenario, default_plan, agents_from_file=True, seed=7, replications=1
    )
    assert not bt.agents_from_file
    assert any("no agents" in n for n in bt.notes)


def test_staffing_layers_rebuild_the_curve() -> None:
    curve = np.array([0, 2, 5, 5, 3, 3, 6, 0, 1])
    layers = _layers(curve)
    rebuilt = np.zeros_like(curve)
    for (first, end), n in layers.items():
        rebuilt[first:end] += n
    assert rebuilt.tolist() == curve.tolist()
