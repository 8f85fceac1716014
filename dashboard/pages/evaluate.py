"""Evaluate page: capability ratings (P/S/M/U), findings and improvement items of a drill,
and its after-action report to download. Thin: storage and drafting live in the core."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from typing import Any

import streamlit as st

from dashboard import services, state
from dashboard.signin import require_role
from dashboard.widgets import pick_drill, report_download, show_flash, shown, status_name
from drills import evaluations, items
from drills.errors import DrillError
from drills.export import TABLES, export_drill
from i18n import N_, _, ngettext
from plans.loader import load_plan_text
from plans.names import name_of
from reports.aar_drafts import draft_findings
from reports.aar_input import CAPABILITIES, ELEMENTS, RATINGS
from reports.source import aar_for_drill

NODE_KINDS = {
    "step": N_("step"),
    "role": N_("role"),
    "target": N_("target"),
    "system": N_("system"),
    "site": N_("site"),
    "resource": N_("resource"),
}

EXPORTS = {
    "log": N_("Log (CSV)"),
    "notes": N_("Notes (CSV)"),
    "observations": N_("Observations (CSV)"),
    "ratings": N_("Ratings (CSV)"),
    "findings": N_("Findings (CSV)"),
    "items": N_("Improvement items (CSV)"),
}
"""Button label of each export file (as ``drillsim drill export`` writes them)."""


def _db() -> str:
    return str(services.store().path)


def _act(fn: Callable[..., object], *args: Any, ok: str, **kwargs: Any) -> None:
    state.use_language()  # a callback runs before the page sets the language
    try:
        fn(*args, **kwargs)
    except (DrillError, ValueError) as exc:
        state.flash("error", str(exc))
    else:
        state.flash("success", _(ok))


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
        ok=N_("Rating saved."),
    )


def _prefill(drill_id: str) -> None:
    state.use_language()
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
    n = len(drafts)
    added = ngettext(
        "{n} draft finding(s) added for the evaluators to edit.",
        "{n} draft finding(s) added for the evaluators to edit.",
        n,
    )
    state.flash("success", added.format(n=n))


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
        ok=N_("Finding saved."),
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
        ok=N_("Improvement item saved."),
    )


def main() -> None:
    """Render the page."""
    require_role()
    st.title(_("Evaluate"))
    show_flash()
    picked = pick_drill("evaluate_pick")
    if picked is None:
        return
    record = services.store().get(picked)
    editable = state.may("rate")

    st.subheader(_("Capability ratings"))
    meaning = _("**{rating}**: {meaning}.")
    st.caption(" ".join(meaning.format(rating=k, meaning=_(v)) for k, v in RATINGS.items()))
    current_ratings = evaluations.ratings(_db(), picked)
    st.dataframe(
        [
            {
                _("capability"): _(CAPABILITIES[r.capability]),
                _("rating"): r.rating,
                _("evaluator"): r.evaluator,
                _("evidence"): r.evidence,
            }
            for r in current_ratings
        ],
        hide_index=True,
        key="ratings_table",
    )
    if editable:
        cols = st.columns([2, 1])
        cols[0].selectbox(
            _("Capability"),
            list(CAPABILITIES),
            format_func=shown(CAPABILITIES, lambda c: _(CAPABILITIES[c])),
            key="rate_capability",
        )
        cols[1].radio(_("Rating"), list(RATINGS), horizontal=True, key="rate_value")
        st.text_area(_("Evidence"), key="rate_evidence")
        st.button(_("Save rating"), key="save_rating", on_click=_rate, args=(picked,))

    st.subheader(_("Strengths and areas for improvement"))
    found = evaluations.findings(_db(), picked)
    if editable and not found:
        st.button(
            _("Pre-fill the findings drillsim can detect (drafts)"),
            key="prefill",
            on_click=_prefill,
            args=(picked,),
        )
    for f in found:
        kind = _("Strength") if f.kind == "strength" else _("Area for improvement")
        label = f"{kind} - {_(CAPABILITIES[f.capability])}"
        with st.expander(label + (" " + _("(draft)") if f.draft else "")):
            st.text_area(_("Observed"), f.observed, key=f"obs_{f.id}", disabled=not editable)
            st.text_input(_("Reference"), f.reference, key=f"ref_{f.id}", disabled=not editable)
            st.text_area(_("Analysis"), f.analysis, key=f"ana_{f.id}", disabled=not editable)
            st.checkbox(
                _("Final (agreed)"), value=not f.draft, key=f"final_{f.id}", disabled=not editable
            )
            if editable:
                st.button(_("Save"), key=f"save_{f.id}", on_click=_save_finding, args=(f.id,))

    st.subheader(_("Improvement plan"))
    plan = load_plan_text(record.plan_text, record.plan_name)
    rows = [i for i in items.all_items(_db(), plan.meta.id) if i.drill_id == picked]
    st.dataframe(
        [
            {
                _("issue"): i.issue,
                _("corrective action"): i.corrective_action,
                _("element"): _(ELEMENTS[i.element]) if i.element in ELEMENTS else i.element,
                _("owner"): name_of(plan, i.owner_role),
                _("start"): i.start,
                _("due"): i.due,
                _("status"): status_name(i.status),
                _("concerns"): f"{_(NODE_KINDS.get(i.node_kind, i.node_kind))} {i.node_id}",
            }
            for i in rows
        ],
        hide_index=True,
        key="items_table",
    )
    if state.may("items"):
        with st.expander(_("Add an improvement item")):
            st.text_input(_("Issue"), key="item_issue")
            st.text_input(_("Corrective action"), key="item_action")
            st.selectbox(
                _("Capability element"),
                list(ELEMENTS),
                format_func=shown(ELEMENTS, lambda e: _(ELEMENTS[e])),
                key="item_element",
            )
            st.selectbox(
                _("Owner role"),
                [r.id for r in plan.roles],
                format_func=shown([r.id for r in plan.roles], lambda r: name_of(plan, r)),
                key="item_owner",
            )
            st.date_input(_("Start"), dt.date.today(), key="item_start")
            st.date_input(_("Due"), dt.date.today() + dt.timedelta(days=90), key="item_due")
            st.selectbox(
                _("Concerns a"),
                list(NODE_KINDS),
                format_func=shown(NODE_KINDS, lambda k: _(NODE_KINDS[k])),
                key="item_node_kind",
            )
            st.text_input(
                _("Which (e.g. system_failure.activate, commander, rto, crm)"), key="item_node_id"
            )
            st.button(
                _("Add item"),
                key="add_item",
                on_click=_add_item,
                args=(picked, record.plan_text, record.plan_name),
            )

    csv_downloads(picked, record.version)
    report_download(picked)


def csv_downloads(drill_id: str, version: int) -> None:
    """The drill's records as CSV files, one button each (the files of ``drill export``)."""
    st.subheader(_("Records as CSV"))
    with tempfile.TemporaryDirectory(prefix="drillsim-export-") as folder:
        files = export_drill(_db(), drill_id, "csv", folder)
        data = {table: path.read_bytes() for table, path in zip(TABLES, files, strict=True)}
    cols = st.columns(3)
    for i, table in enumerate(TABLES):
        cols[i % 3].download_button(
            _(EXPORTS[table]),
            data[table],
            file_name=f"{drill_id}-{table}.csv",
            mime="text/csv",
            key=f"csv_{table}_{drill_id}_{version}",
        )


main()
