"""The fit report and the back-test chart, read the way a planner reads them.

Why check numbers and not only that the report renders: a report whose tables did not
match the fit would mislead the planner who trusts it; the tests find the fit's own
figures in the text and count the embedded figures.
"""

from __future__ import annotations

import base64
import re

import numpy as np
import pytest
from matplotlib.figure import Figure

from history.backtest import run_backtest
from history.fit import HistoryFit, fit_history
from history.scenario_out import scenario_yaml
from history.synthetic import SyntheticSpec, generate, to_intervals
from i18n import set_language
from plans.loader import default_plan_path, load_plan
from plans.model import Plan
from reports.history_report import backtest_figure, render_fit_report
from scenarios.loader import load_scenario_text

SPEC = SyntheticSpec(days=7)


@pytest.fixture(scope="module")
def default_plan() -> Plan:
    return load_plan(default_plan_path())


@pytest.fixture(scope="module")
def fit(default_plan: Plan) -> HistoryFit:
    return fit_history(generate(SPEC), default_plan)


def test_markdown_report_holds_the_fit_figures(fit: HistoryFit) -> None:
    text = render_fit_report(fit, "md")
    for heading in ("## Source", "## Arrivals", "## Handle time", "## Patience", "## Redials"):
        assert heading in text
    assert fit.provenance.sha256 in text
    phone = fit.patience["phone"]
    mins, secs = divmod(round(phone.exp_mean_s), 60)
    assert f"| phone | {phone.events:,} | {phone.censored:,} |" in text
    assert f"{mins}m{secs:02d}s" in text  # the censored mean, as a person reads it
    assert "data:image/png" not in text


def test_html_report_embeds_the_three_figures(fit: HistoryFit) -> None:
    text = render_fit_report(fit, "html")
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', text)
    assert len(images) == 3  # arrival profile, handle-time histogram, Kaplan-Meier
    assert all(base64.b64decode(i)[:8] == b"\x89PNG\r\n\x1a\n" for i in images)
    assert "<table>" in text and "Kaplan-Meier" in text


def test_interval_records_report_has_no_histogram_or_curve(default_plan: Plan) -> None:
    fit = fit_history(to_intervals(generate(SPEC), SPEC), default_plan)
    text = render_fit_report(fit, "html")
    assert text.count("data:image/png;base64,") == 1  # only the arrival profile
    assert "ASA / P(Ab)" in text and "an assumption" in text


def test_report_in_chinese(fit: HistoryFit) -> None:
    set_language("zh-CN")
    try:
        text = render_fit_report(fit, "md")
    finally:
        set_language("en")
    assert "## 来源" in text and "## 耐心" in text


def test_backtest_figure_draws_observed_and_simulated(fit: HistoryFit, default_plan: Plan) -> None:
    scenario = load_scenario_text(scenario_yaml(fit, default_plan, scenario_id="fitted"))
    bt = run_backtest(
        generate(SPEC), scenario, default_plan, agents_from_file=False, seed=3, replications=1
    )
    fig = backtest_figure(bt)
    assert isinstance(fig, Figure)
    axes = fig.get_axes()
    assert len(axes) == 2  # phone and chat
    lines = axes[1].get_lines()
    observed = [r.observed["service_level"] for r in bt.rows if r.channel == "phone"]
    np.testing.assert_allclose(lines[0].get_ydata(), observed)
