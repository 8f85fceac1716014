"""Scenarios page: pick or upload a scenario; see its timeline, injects and objectives;
or fit one from the centre's own history (:mod:`dashboard.history_upload`)."""

from __future__ import annotations

import streamlit as st

from dashboard import history_upload, services
from dashboard.signin import require_role
from dashboard.widgets import upload_box
from drills.kpis import format_value, spec_for
from i18n import _, format_datetime, format_weekday, local_text
from plans.loader import load_plan_text
from plans.safe_text import markdown_literal
from plans.types import human_minutes
from reports.check_texts import objective_text
from reports.figures import scenario_timeline
from scenarios import check_against_plan
from scenarios.loader import load_scenario_text


def main() -> None:
    """Render the page."""
    require_role()
    st.title(_("Scenarios"))
    upload_box("scenario")
    texts = services.scenario_texts()
    name = st.selectbox(_("Scenario"), list(texts), key="scenario_pick")
    if name is None:
        history_upload.section(services.plan_texts())
        return
    scenario = load_scenario_text(texts[name], name)
    meta = scenario.meta
    title = local_text(meta.name, fallback=meta.id)
    st.markdown(
        f"**{markdown_literal(title)}**  \n{markdown_literal(local_text(meta.description))}"
    )
    st.caption(
        _("Starts {start}, runs {horizon}").format(
            start=f"{format_weekday(scenario.start)} {format_datetime(scenario.start)}",
            horizon=human_minutes(scenario.horizon),
        )
    )
    plans = services.plan_texts()
    plan_name = st.selectbox(
        _("Check against plan"),
        list(plans),
        key="scenario_plan",
        index=list(plans).index(scenario.meta.plan) if scenario.meta.plan in plans else 0,
    )
    issues = check_against_plan(load_plan_text(plans[plan_name], plan_name), scenario)
    if issues:
        problems = _("; ").join(f"{i.path}: {i.msg}" for i in issues)
        st.error(
            _("Does not fit plan '{plan}': {problems}").format(plan=plan_name, problems=problems)
        )
    else:
        st.success(_("Fits plan '{plan}'.").format(plan=plan_name))
    st.pyplot(scenario_timeline(scenario), clear_figure=False)
    st.subheader(_("Events"))
    st.dataframe(
        [
            {
                _("id"): e.id,
                _("kind"): e.kind,
                _("starts"): human_minutes(e.start),
                _("note"): local_text(e.note),
            }
            for e in scenario.events
        ],
        hide_index=True,
    )
    st.subheader(_("Injects"))
    st.dataframe(
        [
            {
                _("at"): human_minutes(i.at),
                _("title"): local_text(i.title),
                _("to"): _(", ").join(i.to) or _("everybody"),
                _("message"): local_text(i.message),
                _("expected action"): local_text(i.expected_action),
            }
            for i in scenario.injects
        ],
        hide_index=True,
    )
    st.subheader(_("Objectives"))
    st.dataframe(
        [
            {
                _("id"): o.id,
                _("metric"): _(spec_for(o.metric).label),
                _("op"): o.op,
                _("threshold"): format_value(o.metric, o.threshold),
                _("objective"): objective_text(o),
                _("during"): o.during or "",
                _("channel"): o.channel or "",
            }
            for o in scenario.objectives
        ],
        hide_index=True,
    )
    st.divider()
    history_upload.section(plans)


main()
