"""Plans page: pick or upload a plan; see its problems, readiness findings and graph."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import services
from dashboard.signin import require_role
from dashboard.widgets import upload_box
from i18n import N_, _
from plans.activation import activation_paths
from plans.analysis import readiness_findings
from plans.loader import load_plan_text
from plans.names import display_names, plan_name
from plans.safe_text import markdown_literal
from plans.types import human_minutes
from reports.figures import plan_graph

SEVERITY_BOX = {"error": st.error, "warning": st.warning, "info": st.info}
SEVERITY_NAMES = (("error", N_("Errors")), ("warning", N_("Warnings")), ("info", N_("Notes")))


def main() -> None:
    """Render the page."""
    require_role()
    st.title(_("Plans"))
    upload_box("plan")
    texts = services.plan_texts()
    name = st.selectbox(_("Plan"), list(texts), key="plan_pick")
    if name is None:
        return
    plan = load_plan_text(texts[name], name)
    names = display_names(plan)
    meta = plan.meta
    st.caption(
        _(
            "{name} - version {version}, owner {owner}, approved {approved}, last full drill {last}"
        ).format(
            name=markdown_literal(plan_name(plan)),
            version=markdown_literal(meta.version),
            owner=markdown_literal(names.get(meta.owner, meta.owner)),
            approved=meta.approved,
            last=meta.last_full_drill or _("never"),
        )
    )
    findings = readiness_findings(plan, dt.date.today())
    counts = {sev: sum(f.severity == sev for f in findings) for sev in SEVERITY_BOX}
    cols = st.columns(3)
    for col, (sev, label) in zip(cols, SEVERITY_NAMES, strict=True):
        col.metric(_(label), counts[sev])
    for finding in findings:
        SEVERITY_BOX[finding.severity](
            f"{finding.message}  \n`{finding.code}` - {', '.join(finding.ids)}"
        )
    st.subheader(_("Discovery until each backup is active"))
    st.dataframe(
        [
            {
                _("event class"): names.get(p.event_class, p.event_class),
                _("level"): p.level,
                _("backup"): names.get(p.backup, p.backup),
                _("best"): human_minutes(p.best),
                _("planned"): human_minutes(p.planned),
                _("one failed attempt"): human_minutes(p.with_retry),
                _("slowest at"): p.worst_moment,
            }
            for p in activation_paths(plan)
        ],
        hide_index=True,
    )
    st.subheader(_("Roles and resources"))
    st.pyplot(plan_graph(plan), clear_figure=False)


main()
