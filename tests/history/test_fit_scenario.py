"""The fitted scenario is one drillsim accepts and runs, with its provenance in the header.

Why through ``drillsim.cli.main``: that is how a planner uses the file (``drillsim check``
then ``drillsim run``); loading it in the test alone would miss what the commands add
(plan compatibility, the run itself).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drillsim.cli import main
from history.fit import HistoryFit, fit_history
from history.scenario_out import scenario_yaml
from history.synthetic import SyntheticSpec, generate, to_intervals
from plans.loader import default_plan_path, load_plan
from plans.model import Plan
from scenarios.loader import load_scenario_text

SPEC = SyntheticSpec(days=14)


@pytest.fixture(scope="module")
def default_plan() -> Plan:
    return load_plan(default_plan_path())


@pytest.fixture(scope="module")
def fit(default_plan: Plan) -> HistoryFit:
    return fit_history(generate(SPEC), default_plan)


def test_header_carries_the_provenance_and_fit_statistics(fit: HistoryFit, default_plan: Plan) -> None:
    text = scenario_yaml(fit, default_plan, scenario_id="fitted")
    header = [line for line in text.splitlines() if line.startswith("#")]
    joined = "\n".join(header)
    assert f"# sha256: {fit.provenance.sha256}" in header
    assert f"# Source: {fit.provenance.path}" in header
    assert "# Period: 2026-03-02 00:" in joined and "to 2026-03-15 23:" in joined
    assert f"{fit.provenance.rows_read} read, {fit.provenance.rows_used} used, 0 dropped" in joined
    assert "holidays left out: 2026-03-18" not in joined  # 14 days end before it
    assert "Dispersion phone: index" in joined and "KS" in joined
    assert "Patience phone:" in joined and "abandoned waits alone would say" in joined


def test_scenario_reproduces_the_fitted_figures(fit: HistoryFit, default_plan: Plan) -> None:
    scenario = load_scenario_text(scenario_yaml(fit, default_plan, scenario_id="fitted"))
    assert scenario.demand.hourly is not None
    assert scenario.demand.hourly[10] == pytest.approx(fit.arrivals.hourly[10], abs=0.01)
    assert scenario.demand.channels["phone"] == pytest.approx(fit.arrivals.shares["phone"], abs=1e-3)
    phone = scenario.handle_time.pick("phone", "complaint")
    assert phone.dist == "lognormal"
    assert phone.mean == pytest.approx(
        next(h for h in fit.handling if (h.channel, h.request_type) == ("phone", "complaint")).mean_s
        / 60,
        abs=0.01,
    )
    assert scenario.patience is not None
    assert scenario.patience.pick("phone", "consultation").mean == pytest.approx(
        fit.patience["phone"].exp_mean_s / 60, abs=0.01
    )
    rule = scenario.behaviour.redials.rule("phone")
    assert fit.redials is not None
    assert rule.probability == pytest.approx(fit.redials.channels["phone"].share, abs=1e-4)
    assert set(scenario.behaviour.channel_profile) == {"phone", "chat"}


@pytest.mark.parametrize("kind", ["contacts", "intervals"])
def test_drillsim_check_accepts_and_run_runs_the_scenario(
    kind: str, default_plan: Plan, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    h = generate(SPEC)
    history = h if kind == "contacts" else to_intervals(h, SPEC)
    path = tmp_path / "fitted.yaml"
    path.write_text(
        scenario_yaml(fit_history(history, default_plan), default_plan, scenario_id="fitted"),
        encoding="utf-8",
    )
    assert main(["check", "--plan", "default_centre", str(path)]) == 0
    journal = tmp_path / "run.json"
    code = main(
        ["run", "default_centre", str(path), "-n", "2", "--workers", "1", "--json", str(journal)]
    )
    assert code == 0
    kpis = json.loads(journal.read_text())["kpis"]
    assert kpis["offered"]["mean"] > 1000  # a Monday of the fitted demand, thousands of calls
