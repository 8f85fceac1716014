"""Evaluate page: capability ratings (P/S/M/U), findings and improvement items of a drill,
and its after-action report to download. Thin: storage and drafting live in the core."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import streamlit as st

from dashboard import services, state
from dashboard.signin import require_role
from dashboard.widgets import pick_drill, report_download, show_flash
from drills import evaluations, items
from drills.errors import DrillError
from plans.loader import load_plan_text
from reports.aar_drafts import draft_findings
from reports.aar_input import CAPABILITIES, ELEMENTS, RATINGS
from reports.source import aar_for_drill


def _db() -> str:
    return str(services.store().path)


def _act(fn: Callable[..., object], *args: Any, ok: str, **kwargs: Any) -> None:
    try:
        fn(*args, **kwargs)
    except (DrillError, ValueError) as exc:
        state.flash("error", str(exc))
    else:
        state.flash("success", ok)


def _rate(drill_id: str) -> None:
    ss = st.session_state
    _act(
        evaluations.rate,
        _db(),
        drill_id,
        ss["rate_capability"],
        ss["rate_value"],
        ss.get("rate_evidence", ""),
        str(ss.get("author") or state.current_role()),
        ok="Rating saved.",
    )


def _prefill(drill_id: str) -> None:
    aar = aar_for_drill(services.store().path, drill_id, dt.datetime.now(dt.UTC), dt.date.today())
    drafts = draft_findings(aar)
    for f in drafts:
        evaluations.add_finding(
            _db(),
            drill_id,
            f.kind,
            f.capability,
            f.observed,
            f.reference,
            f.analysis,
            "drillsim",
            draft=True,
        )
    state.flash("success", f"{len(drafts)} draft finding(s) added for the evaluators to edit.")


def _save_finding(finding_id: int) -> None:
    ss = st.session_state
    _act(
        evaluations.update_finding,
        _db(),
        finding_id,
        observed=ss[f"obs_{finding_id}"],
        reference=ss[f"ref_{finding_id}"],
        analysis=ss[f"ana_{finding_id}"],
        draft=not ss[f"final_{finding_id}"],
        ok="Finding saved.",
    )


def _add_item(drill_id: str, plan_text: str, plan_name: str) -> None:
    ss = st.session_state
    plan = load_plan_text(plan_text, plan_name)
    _act(
        items.add_item,
        _db(),
        plan,
        issue=ss.get("item_issue", ""),
        corrective_action=ss.get("item_action", ""),
        element=ss["item_element"],
        owner_role=ss["item_owner"],
        start=ss["item_start"],
        due=ss["item_due"],
        node_kind=ss["item_node_kind"],
        node_id=ss.get("item_node_id", ""),
        author=str(ss.get("author") or state.current_role()),
        drill_id=drill_id,
        ok="Improvement item saved.",
    )


def main() -> None:
    """Render the page."""
    require_role()
    st.title("Evaluate")
    show_flash()
    picked = pick_drill("evaluate_pick")
    if picked is None:
        return
    record = services.store().get(picked)
    editable = state.may("rate")

    st.subheader("Capability ratings")
    st.caption(" ".join(f"**{k}**: {v}." for k, v in RATINGS.items()))
    current_ratings = evaluations.ratings(_db(), picked)
    st.dataframe(
        [
            {
                "capability": CAPABILITIES[r.capability],
                "rating": r.rating,
                "evaluator": r.evaluator,
                "evidence": r.evidence,
            }
            for r in current_ratings
        ],
        hide_index=True,
        key="ratings_table",
    )
    if editable:
        cols = st.columns([2, 1])
        cols[0].selectbox(
            "Capability",
            list(CAPABILITIES),
            format_func=CAPABILITIES.__getitem__,
            key="rate_capability",
        )
        cols[1].radio("Rating", list(RATINGS), horizontal=True, key="rate_value")
        st.text_area("Evidence", key="rate_evidence")
        st.button("Save rating", key="save_rating", on_click=_rate, args=(picked,))

    st.subheader("Strengths and areas for improvement")
    found = evaluations.findings(_db(), picked)
    if editable and not found:
        st.button(
            "Pre-fill the findings drillsim can detect (drafts)",
            key="prefill",
            on_click=_prefill,
            args=(picked,),
        )
    for f in found:
        kind = "Strength" if f.kind == "strength" else "Area for improvement"
        label = f"{kind} - {CAPABILITIES[f.capability]}"
        with st.expander(label + (" (draft)" if f.draft else "")):
            st.text_area("Observed", f.observed, key=f"obs_{f.id}", disabled=not editable)
            st.text_input("Reference", f.reference, key=f"ref_{f.id}", disabled=not editable)
            st.text_area("Analysis", f.analysis, key=f"ana_{f.id}", disabled=not editable)
            st.checkbox(
                "Final (agreed)", value=not f.draft, key=f"final_{f.id}", disabled=not editable
            )
            if editable:
                st.button("Save", key=f"save_{f.id}", on_click=_save_finding, args=(f.id,))

    st.subheader("Improvement plan")
    plan = load_plan_text(record.plan_text, record.plan_name)
    rows = [i for i in items.all_items(_db(), plan.meta.id) if i.drill_id == picked]
    st.dataframe(
        [
            {
                "issue": i.issue,
                "corrective action": i.corrective_action,
                "element": i.element,
                "owner": i.owner_role,
                "start": i.start,
                "due": i.due,
                "status": i.status,
                "concerns": f"{i.node_kind} {i.node_id}",
            }
            for i in rows
        ],
        hide_index=True,
        key="items_table",
    )
    if state.may("items"):
        with st.expander("Add an improvement item"):
            st.text_input("Issue", key="item_issue")
            st.text_input("Corrective action", key="item_action")
            st.selectbox("Capability element", list(ELEMENTS), key="item_element")
            st.selectbox("Owner role", [r.id for r in plan.roles], key="item_owner")
            st.date_input("Start", dt.date.today(), key="item_start")
            st.date_input("Due", dt.date.today() + dt.timedelta(days=90), key="item_due")
            st.selectbox(
                "Concerns a",
                ["step", "role", "target", "system", "site", "resource"],
                key="item_node_kind",
            )
            st.text_input(
                "Which (e.g. system_failure.activate, commander, rto, crm)", key="item_node_id"
            )
            st.button(
                "Add item",
                key="add_item",
                on_click=_add_item,
                args=(picked, record.plan_text, record.plan_name),
            )

    report_download(picked)


main()
