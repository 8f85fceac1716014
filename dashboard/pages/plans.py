"""Plans page: pick or upload a plan; see its problems, readiness findings and graph."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import services
from dashboard.signin import require_role
from dashboard.widgets import upload_box
from plans.activation import activation_paths
from plans.analysis import readiness_findings
from plans.loader import load_plan_text
from plans.types import human_minutes
from reports.figures import plan_graph

SEVERITY_BOX = {"error": st.error, "warning": st.warning, "info": st.info}


def main() -> None:
    """Render the page."""
    require_role()
    st.title("Plans")
    upload_box("plan")
    texts = services.plan_texts()
    name = st.selectbox("Plan", list(texts), key="plan_pick")
    if name is None:
        return
    plan = load_plan_text(texts[name], name)
    st.caption(
        f"{plan.meta.name} - version {plan.meta.version}, owner {plan.meta.owner}, "
        f"approved {plan.meta.approved}, last full drill {plan.meta.last_full_drill or 'never'}"
    )
    findings = readiness_findings(plan, dt.date.today())
    counts = {sev: sum(f.severity == sev for f in findings) for sev in SEVERITY_BOX}
    cols = st.columns(3)
    for col, (sev, label) in zip(
        cols, (("error", "Errors"), ("warning", "Warnings"), ("info", "Notes")), strict=True
    ):
        col.metric(label, counts[sev])
    for finding in findings:
        SEVERITY_BOX[finding.severity](
            f"{finding.message}  \n`{finding.code}` - {', '.join(finding.ids)}"
        )
    st.subheader("Discovery until each backup is active")
    st.dataframe(
        [
            {
                "event class": p.event_class,
                "level": p.level,
                "backup": p.backup,
                "best": human_minutes(p.best),
                "planned": human_minutes(p.planned),
                "one failed attempt": human_minutes(p.with_retry),
                "slowest at": p.worst_moment,
            }
            for p in activation_paths(plan)
        ],
        hide_index=True,
    )
    st.subheader("Roles and resources")
    st.pyplot(plan_graph(plan), clear_figure=False)


main()
