"""Evaluate page, second part: strengths and areas for improvement.

Evaluators add, edit and delete findings with HSEEP's four fields (Observation,
Reference, Analysis, Recommendations); a deleted finding is kept, listed apart with
who deleted it, and can be restored. drillsim's drafts are offered to accept (as
they are or edited: the finding is then the evaluator's, drafted by drillsim) or to
discard (kept, so the draft does not come back).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from dashboard import services, state
from dashboard.evaluate_actions import act, db, field, me, need_name, stamp
from dashboard.widgets import shown
from drills import evaluations
from drills.findings import DrillFinding
from i18n import N_, _, ngettext
from reports.aar_records import CAPABILITIES, FindingText
from reports.source import aar_for_drill, pending_drafts

KINDS = {"strength": N_("Strength"), "area": N_("Area for improvement")}
DRAFTS = "evaluate_drafts"
"""Session key: the drafts of one drill version in one language, (drill, version, lang) -> list."""


def _kind_and_capability(prefix: str, kind: str, capability: str, disabled: bool) -> None:
    cols = st.columns(2)
    cols[0].selectbox(
        _("Kind"),
        list(KINDS),
        index=list(KINDS).index(kind),
        format_func=shown(KINDS, lambda k: _(KINDS[k])),
        key=f"{prefix}_kind",
        disabled=disabled,
    )
    cols[1].selectbox(
        _("Capability"),
        list(CAPABILITIES),
        index=list(CAPABILITIES).index(capability),
        format_func=shown(CAPABILITIES, lambda c: _(CAPABILITIES[c])),
        key=f"{prefix}_cap",
        disabled=disabled,
    )


def _four_fields(prefix: str, values: tuple[str, str, str, str], disabled: bool) -> None:
    observed, reference, analysis, recommendations = values
    st.text_area(_("Observation"), observed, key=f"{prefix}_obs", disabled=disabled)
    st.text_input(_("Reference"), reference, key=f"{prefix}_ref", disabled=disabled)
    st.text_area(_("Analysis"), analysis, key=f"{prefix}_ana", disabled=disabled)
    st.text_area(_("Recommendations"), recommendations, key=f"{prefix}_rec", disabled=disabled)


def _texts(prefix: str) -> dict[str, Any]:
    return {
        "kind": field(f"{prefix}_kind", "strength"),
        "capability": field(f"{prefix}_cap", CAPABILITIES_FIRST),
        "observed": field(f"{prefix}_obs"),
        "reference": field(f"{prefix}_ref"),
        "analysis": field(f"{prefix}_ana"),
        "recommendations": field(f"{prefix}_rec"),
        "draft": not bool(st.session_state.get(f"{prefix}_final")),
    }


CAPABILITIES_FIRST = next(iter(CAPABILITIES))


# --- callbacks ----------------------------------------------------------------------------


def _add(drill_id: str) -> None:
    t = _texts("new_finding")
    done = act(
        evaluations.add_finding,
        db(),
        drill_id,
        t["kind"],
        t["capability"],
        t["observed"],
        t["reference"],
        t["analysis"],
        me() or "",
        draft=t["draft"],
        recommendations=t["recommendations"],
        ok=N_("Finding added."),
    )
    if done:
        for part in ("obs", "ref", "ana", "rec"):
            st.session_state[f"new_finding_{part}"] = ""


def _save(finding_id: int) -> None:
    act(
        evaluations.update_finding,
        db(),
        finding_id,
        **_texts(f"f{finding_id}"),
        by=me() or "",
        ok=N_("Finding saved."),
    )


def _delete(finding_id: int) -> None:
    if not st.session_state.get(f"f{finding_id}_sure"):
        state.begin_run()
        state.flash("error", _("Tick 'I mean to delete this finding' first."))
        return
    act(evaluations.delete_finding, db(), finding_id, me() or "", ok=N_("Finding deleted."))


def _restore(finding_id: int) -> None:
    act(evaluations.restore_finding, db(), finding_id, me() or "", ok=N_("Finding restored."))


def _accept(drill_id: str, key: str) -> None:
    t = _texts(f"d{key}")
    act(
        evaluations.accept_draft,
        db(),
        drill_id,
        key,
        t["kind"],
        t["capability"],
        t["observed"],
        t["reference"],
        t["analysis"],
        me() or "",
        recommendations=t["recommendations"],
        draft=t["draft"],
        ok=N_("Draft accepted as your finding."),
    )


def _discard(drill_id: str, key: str) -> None:
    act(evaluations.discard_draft, db(), drill_id, key, me() or "", ok=N_("Draft discarded."))


# --- the part -------------------------------------------------------------------------------


def _drafts(drill_id: str, version: int) -> list[tuple[str, FindingText]]:
    """drillsim's drafts for this drill, worked out once per drill version and language."""
    lang = state.use_language()
    cache: dict[tuple[str, int, str], Any] = state.get(DRAFTS) or {}
    key = (drill_id, version, lang)
    if key not in cache:
        aar = aar_for_drill(
            services.store().path, drill_id, dt.datetime.now(dt.UTC), dt.date.today()
        )
        cache = {key: aar}
        state.put(DRAFTS, cache)
    return pending_drafts(services.store().path, drill_id, cache[key])


def _finding(f: DrillFinding, editable: bool) -> None:
    kind = _(KINDS[f.kind])
    label = f"{kind} - {_(CAPABILITIES[f.capability])}"
    with st.expander(label + (" " + _("(draft)") if f.draft else "")):
        who = _("Written by {first}; last changed by {last}.").format(
            first=stamp(f.author, f.created_wall), last=stamp(f.updated_by, f.updated_wall)
        )
        if f.provenance == evaluations.DRAFTED_BY_DRILLSIM:
            who += " " + _("Drafted by drillsim.")
        st.caption(who)
        prefix = f"f{f.id}"
        _kind_and_capability(prefix, f.kind, f.capability, not editable)
        values = (f.observed, f.reference, f.analysis, f.recommendations)
        _four_fields(prefix, values, not editable)
        st.checkbox(
            _("Final (agreed)"), value=not f.draft, key=f"{prefix}_final", disabled=not editable
        )
        if editable:
            st.button(_("Save"), key=f"save_{f.id}", on_click=_save, args=(f.id,))
            st.checkbox(_("I mean to delete this finding"), key=f"{prefix}_sure")
            st.button(_("Delete"), key=f"delete_{f.id}", on_click=_delete, args=(f.id,))


def findings_part(drill_id: str, version: int, editable: bool) -> None:
    """The findings, the deleted ones apart, the form to add one, and drillsim's drafts."""
    st.subheader(_("Strengths and areas for improvement"))
    every = evaluations.findings(db(), drill_id, include_deleted=True)
    can_write = editable and need_name()
    live = [f for f in every if not f.deleted]
    if not live:
        st.caption(_("No strengths or areas for improvement recorded yet."))
    for f in live:
        _finding(f, can_write)
    if can_write:
        with st.expander(_("Add a finding")):
            _kind_and_capability("new_finding", "strength", CAPABILITIES_FIRST, False)
            _four_fields("new_finding", ("", "", "", ""), False)
            st.checkbox(_("Final (agreed)"), key="new_finding_final")
            st.button(_("Add finding"), key="add_finding", on_click=_add, args=(drill_id,))
    gone = [f for f in every if f.deleted]
    if gone:
        with st.expander(
            ngettext("{n} deleted finding", "{n} deleted findings", len(gone)).format(n=len(gone))
        ):
            for f in gone:
                st.markdown(
                    _("**{kind}** - {capability}: {observed}").format(
                        kind=_(KINDS[f.kind]),
                        capability=_(CAPABILITIES[f.capability]),
                        observed=f.observed,
                    )
                )
                st.caption(
                    _("Deleted by {who}.").format(
                        who=stamp(f.deleted_by or "", f.deleted_wall or "")
                    )
                )
                if can_write:
                    st.button(_("Restore"), key=f"restore_{f.id}", on_click=_restore, args=(f.id,))
    drafts_part(drill_id, version, can_write)


def drafts_part(drill_id: str, version: int, can_write: bool) -> None:
    """drillsim's drafts nobody accepted or discarded: accept (perhaps edited) or discard."""
    drafts = _drafts(drill_id, version)
    st.markdown("#### " + _("Drafts drillsim detects"))
    if not drafts:
        st.caption(_("No drafts left to review."))
        return
    st.caption(
        ngettext(
            "{n} draft to accept, edit or discard; the report shows it as drillsim's draft "
            "until you do.",
            "{n} drafts to accept, edit or discard; the report shows them as drillsim's drafts "
            "until you do.",
            len(drafts),
        ).format(n=len(drafts))
    )
    for key, d in drafts:
        label = _("Draft: {kind} - {capability}").format(
            kind=_(KINDS[d.kind]), capability=_(CAPABILITIES[d.capability])
        )
        with st.expander(label):
            prefix = f"d{key}"
            _kind_and_capability(prefix, d.kind, d.capability, not can_write)
            _four_fields(prefix, (d.observed, d.reference, d.analysis, ""), not can_write)
            if can_write:
                st.checkbox(_("Final (agreed)"), key=f"{prefix}_final")
                cols = st.columns(2)
                cols[0].button(
                    _("Accept"), key=f"accept_{key}", on_click=_accept, args=(drill_id, key)
                )
                cols[1].button(
                    _("Discard"), key=f"discard_{key}", on_click=_discard, args=(drill_id, key)
                )
