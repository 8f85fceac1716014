"""Compare page: staffing and plan variants on common random numbers, with a progress bar.

Thin: parsing, running and the chart come from ``sim.analysis.variants``,
``sim.analysis.compare`` and ``reports.compare_figure``.
"""

from __future__ import annotations

import streamlit as st

from dashboard import services
from dashboard.compare_interval_view import LENGTHS, interval_table, short_intervals
from dashboard.signin import require_role
from i18n import _, ngettext
from plans.loader import load_plan_text
from plans.model import Plan
from reports.compare_figure import compare_chart
from reports.compare_table import csv_text, kpi_table, target_table
from scenarios import check_against_plan
from scenarios.loader import load_scenario_text
from scenarios.model import Scenario
from sim.analysis.compare import Comparison, compare_prepared, prepare_variants
from sim.analysis.compare_intervals import IntervalRow, erlang_requirement, interval_comparison
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
    cols = st.columns(2)
    by_interval = cols[0].checkbox(
        _("Also by interval and channel"),
        key="cmp_by_interval",
        help=_("Each variant's service level per interval and live channel, on the same seeds."),
    )
    length = cols[1].selectbox(
        _("Interval"), list(LENGTHS), index=1, key="cmp_interval", disabled=not by_interval
    )
    if st.button(_("Run the comparison"), key="cmp_run", type="primary"):
        st.session_state.pop(RESULT, None)
        st.session_state.pop(INTERVALS, None)
        interval = LENGTHS[length] if by_interval else None
        run(
            plans, scenarios, plan_name, scenario_name, vary, int(replications), int(seed), interval
        )
    if RESULT in st.session_state:
        show(*st.session_state[RESULT])
    if INTERVALS in st.session_state:
        show_intervals(st.session_state[INTERVALS])


RESULT = "cmp_result"
"""Session key of the last comparison: (comparison, plan, scenario, the chart's x-axis key)."""
INTERVALS = "cmp_interval_rows"
"""Session key of the last comparison's rows by interval (when asked for)."""


def run(
    plans: dict[str, str],
    scenarios: dict[str, str],
    plan_name: str,
    scenario_name: str,
    vary: str,
    replications: int,
    seed: int,
    interval: float | None = None,
) -> None:
    """Run the comparison the widgets describe; keep it in the session, or say what is wrong.

    ``interval`` (minutes): also keep each variant's figures by interval and channel.
    """
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
        prepared = prepare_variants(plan, scenario, combinations(varies))
        result = compare_prepared(
            plan,
            scenario,
            prepared,
            replications,
            seed,
            workers=1,
            progress=progress,
            interval=interval,
        )
    except (VaryError, ValueError) as exc:
        st.error(str(exc))
        return
    bar.progress(1.0, text=_("Done"))
    st.session_state[RESULT] = (result, plan, scenario, varies[0][0])
    if interval is not None:
        try:
            rows = interval_comparison(result, prepared, erlang_requirement)
        except ValueError as exc:  # no Erlang table for this run (e.g. more than a week)
            st.warning(_("No requirement by interval: {reason}").format(reason=exc))
            rows = interval_comparison(result, prepared, None)
        st.session_state[INTERVALS] = rows


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


def show_intervals(rows: list[IntervalRow]) -> None:
    """Each variant's service level per interval and channel, side by side, and its CSV."""
    st.subheader(_("By interval and channel"))
    st.caption(
        _(
            "Service level (answered within the plan's threshold) of the contacts arriving "
            "in each interval, mean over the paired replications with its 95% interval; "
            "agents at work trained on the channel (one trained on two counts on both)."
        )
    )
    short = short_intervals(rows)
    if short:
        st.warning(
            ngettext(
                "Short of the requirement in some variant: {n} interval(s) and channel(s).",
                "Short of the requirement in some variant: {n} interval(s) and channel(s).",
                short,
            ).format(n=short)
        )
    st.dataframe(interval_table(rows), hide_index=True, key="cmp_intervals")


main()
