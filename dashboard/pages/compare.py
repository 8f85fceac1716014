"""Compare page: staffing and plan variants on common random numbers, with a progress bar.

Thin: parsing, running and the chart come from ``sim.analysis.variants``,
``sim.analysis.compare`` and ``reports.compare_figure``.
"""

from __future__ import annotations

import streamlit as st

from dashboard import services
from dashboard.signin import require_role
from i18n import _
from plans.loader import load_plan_text
from plans.model import Plan
from reports.compare_figure import compare_chart
from reports.compare_table import csv_text, kpi_table, target_table
from scenarios import check_against_plan
from scenarios.loader import load_scenario_text
from scenarios.model import Scenario
from sim.analysis.compare import Comparison, compare
from sim.analysis.variant_changes import VaryError
from sim.analysis.variants import KEYS, combinations, parse_vary


def main() -> None:
    """Render the page."""
    require_role()
    st.title(_("Compare variants"))
    st.caption(
        _(
            "Each variant runs on the same replication seeds (common random numbers), "
            "so the differences from the first variant are paired and low-noise."
        )
    )
    plans, scenarios = services.plan_texts(), services.scenario_texts()
    cols = st.columns(2)
    plan_name = cols[0].selectbox(
        _("Plan"),
        list(plans),
        index=list(plans).index("default_centre") if "default_centre" in plans else 0,
        key="cmp_plan",
    )
    default_sc = "crm_outage_monday_peak"
    scenario_name = cols[1].selectbox(
        _("Scenario"),
        list(scenarios),
        index=list(scenarios).index(default_sc) if default_sc in scenarios else 0,
        key="cmp_scenario",
    )
    vary = st.text_area(
        _("Vary (one KEY=V1,V2,... per line)"),
        "agents=110,126,140",
        key="cmp_vary",
        help=_("Keys: {keys}").format(keys=_("; ").join(f"{k.name} ({_(k.help)})" for k in KEYS)),
    )
    cols = st.columns(2)
    replications = cols[0].number_input(
        _("Replications per variant"), min_value=2, max_value=2000, value=30, key="cmp_n"
    )
    seed = cols[1].number_input(_("Seed"), min_value=0, value=20260301, key="cmp_seed")
    if st.button(_("Run the comparison"), key="cmp_run", type="primary"):
        st.session_state.pop(RESULT, None)
        run(plans, scenarios, plan_name, scenario_name, vary, int(replications), int(seed))
    if RESULT in st.session_state:
        show(*st.session_state[RESULT])


RESULT = "cmp_result"
"""Session key of the last comparison: (comparison, plan, scenario, the chart's x-axis key)."""


def run(
    plans: dict[str, str],
    scenarios: dict[str, str],
    plan_name: str,
    scenario_name: str,
    vary: str,
    replications: int,
    seed: int,
) -> None:
    """Run the comparison the widgets describe; keep it in the session, or say what is wrong."""
    try:
        varies = [parse_vary(line.strip()) for line in vary.splitlines() if line.strip()]
    except VaryError as exc:
        st.error(str(exc))
        return
    if not varies:
        st.error(_("Give at least one KEY=V1,V2 line to vary."))
        return
    plan = load_plan_text(plans[plan_name], plan_name)
    scenario = load_scenario_text(scenarios[scenario_name], scenario_name)
    issues = check_against_plan(plan, scenario)
    if issues:
        problems = _("; ").join(f"{i.path}: {i.msg}" for i in issues)
        st.error(_("The scenario does not fit the plan: {problems}").format(problems=problems))
        return
    bar = st.progress(0.0, text=_("Running..."))

    def progress(done: int, total: int) -> None:
        bar.progress(
            done / total, text=_("{done} of {total} replications").format(done=done, total=total)
        )

    try:
        result = compare(
            plan,
            scenario,
            combinations(varies),
            replications,
            seed,
            workers=1,
            progress=progress,
        )
    except (VaryError, ValueError) as exc:
        st.error(str(exc))
        return
    bar.progress(1.0, text=_("Done"))
    st.session_state[RESULT] = (result, plan, scenario, varies[0][0])


def show(result: Comparison, plan: Plan, scenario: Scenario, key: str | None) -> None:
    """The chart, the KPI table, the P(met) table and the CSV of both."""
    st.pyplot(compare_chart(result, key), clear_figure=False)
    st.subheader(_("KPIs per variant"))
    st.caption(
        _(
            "Mean over the replications with its 95% interval (a count's never below 0), "
            "and the paired difference from the baseline, {baseline}."
        ).format(baseline=result.baseline.name)
    )
    st.dataframe(kpi_table(result), hide_index=True, key="cmp_table")
    st.subheader(_("Probability of meeting each target"))
    st.caption(_("Share of replications that met it, with its 95% Wilson interval."))
    st.dataframe(target_table(result, plan, scenario), hide_index=True, key="cmp_targets")
    st.download_button(
        _("Download the tables (CSV)"),
        csv_text(result, plan, scenario).encode("utf-8-sig"),
        file_name=f"compare-{result.plan_id}-{result.scenario_id}.csv",
        mime="text/csv",
        key="cmp_csv",
    )


main()
