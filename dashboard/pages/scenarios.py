"""Scenarios page: pick or upload a scenario; see its timeline, injects and objectives."""

from __future__ import annotations

import streamlit as st

from dashboard import services
from dashboard.signin import require_role
from dashboard.widgets import upload_box
from plans.loader import load_plan_text
from plans.types import human_minutes
from reports.figures import scenario_timeline
from scenarios import check_against_plan
from scenarios.loader import load_scenario_text


def main() -> None:
    """Render the page."""
    require_role()
    st.title("Scenarios")
    upload_box("scenario")
    texts = services.scenario_texts()
    name = st.selectbox("Scenario", list(texts), key="scenario_pick")
    if name is None:
        return
    scenario = load_scenario_text(texts[name], name)
    st.markdown(f"**{scenario.meta.name}**  \n{scenario.meta.description}")
    st.caption(f"Starts {scenario.start:%a %Y-%m-%d %H:%M}, runs {human_minutes(scenario.horizon)}")
    plans = services.plan_texts()
    plan_name = st.selectbox(
        "Check against plan",
        list(plans),
        key="scenario_plan",
        index=list(plans).index(scenario.meta.plan) if scenario.meta.plan in plans else 0,
    )
    issues = check_against_plan(load_plan_text(plans[plan_name], plan_name), scenario)
    if issues:
        st.error(
            f"Does not fit plan '{plan_name}': " + "; ".join(f"{i.path}: {i.msg}" for i in issues)
        )
    else:
        st.success(f"Fits plan '{plan_name}'.")
    st.pyplot(scenario_timeline(scenario), clear_figure=False)
    st.subheader("Events")
    st.dataframe(
        [
            {"id": e.id, "kind": e.kind, "starts": human_minutes(e.start), "note": e.note}
            for e in scenario.events
        ],
        hide_index=True,
    )
    st.subheader("Injects")
    st.dataframe(
        [
            {
                "at": human_minutes(i.at),
                "title": i.title,
                "to": ", ".join(i.to) or "everybody",
                "message": i.message,
                "expected action": i.expected_action,
            }
            for i in scenario.injects
        ],
        hide_index=True,
    )
    st.subheader("Objectives")
    st.dataframe(
        [
            {
                "id": o.id,
                "metric": o.metric,
                "op": o.op,
                "threshold": o.threshold,
                "during": o.during or "",
                "channel": o.channel or "",
            }
            for o in scenario.objectives
        ],
        hide_index=True,
    )


main()
