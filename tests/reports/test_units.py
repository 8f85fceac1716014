"""One unit style where a person reads: durations as 4h00m, never divmod of a negative
number; a report made from a journal keeps the per-replication KPIs its count intervals
are drawn from."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pytest

from i18n import language
from plans.types import human_minutes
from reports.aar import build_report
from reports.aar_input import aar_input_from_journal
from reports.aar_markdown import to_markdown
from sim.analysis.journal import build_journal
from sim.analysis.montecarlo import run_monte_carlo
from sim.analysis.stats import count_ci95

NOW = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (0, "0m"),
        (45, "45m"),
        (59.6, "1h00m"),
        (112, "1h52m"),
        (240, "4h00m"),
        (-5, "-5m"),
        (-112, "-1h52m"),  # divmod(-112, 60) is (-2, 8): '-2h08m' would lie
        (-60, "-1h00m"),
        (-0.4, "0m"),
        (float("inf"), "never"),
    ],
)
def test_human_minutes(minutes, text):
    assert human_minutes(minutes) == text


def test_human_minutes_negative_in_chinese():
    with language("zh-CN"):
        assert human_minutes(-112) == "-1小时52分"
        assert human_minutes(-5) == "-5分钟"


@pytest.fixture
def journal(tiny_plan, tiny_crm):
    plan, scenario = tiny_plan, tiny_crm()
    result = run_monte_carlo(plan, scenario, 12, 7)
    return build_journal(
        plan,
        scenario,
        result,
        seed=7,
        plan_file="tiny.yaml",
        scenario_file="tiny_crm.yaml",
        started=NOW,
        ended=NOW,
        workers=1,
    )


def test_a_report_from_a_journal_draws_count_intervals_from_its_replications(journal):
    aar = aar_input_from_journal(journal, NOW, NOW.date())
    assert aar.monte_carlo is not None
    assert aar.monte_carlo["replication_kpis"] == journal["replication_kpis"]
    text = to_markdown(build_report(aar))
    values = np.array([r["max_queue"] for r in journal["replication_kpis"]], dtype=float)
    low, high = count_ci95(values)
    row = next(line for line in text.splitlines() if line.startswith("| Longest queue |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[2:4] == [f"{round(low, 1):g}", f"{round(high, 1):g}"], row
    assert "-" not in cells[2:4]


OBJECTIVES = [
    {"id": "rto_fast", "metric": "rto", "op": "<=", "threshold": 30},
    {"id": "sl_ok", "metric": "service_level", "op": ">=", "threshold": 0.6},
]


def test_a_report_writes_targets_and_objectives_in_one_unit_style(tiny_plan, tiny_crm):
    """The objectives paragraph and the Monte Carlo P(met) table: percentages and
    durations, KPIs by name, never the journal's 'rto <= 30' or '>= 0.8'."""
    scenario = tiny_crm(objectives=OBJECTIVES)
    result = run_monte_carlo(tiny_plan, scenario, 6, 7)
    journal = build_journal(
        tiny_plan,
        scenario,
        result,
        seed=7,
        plan_file="tiny.yaml",
        scenario_file="tiny_crm.yaml",
        started=NOW,
        ended=NOW,
        workers=1,
    )
    text = to_markdown(build_report(aar_input_from_journal(journal, NOW, NOW.date())))
    share = tiny_plan.targets.service_level.share
    # the HSEEP table names each objective in the results' words
    assert (
        "| rto_fast: RTO achieved <= 30m |" in text and "| sl_ok: Service level >= 60.0% |" in text
    )
    assert f"| target: service level >= {share * 100:g}% (answered within 30s) |" in text
    assert "| objective rto_fast: RTO achieved <= 30m |" in text
    assert "| objective sl_ok: Service level >= 60.0% |" in text
    assert "rto <= 30" not in text and ">= 0.6" not in text and f">= {share:g} " not in text
    assert not [line for line in text.splitlines() if re.search(r"\d min\b", line)]
