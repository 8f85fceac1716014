"""Evaluate page, first part: the executive summary, HSEEP's table of objectives,
capabilities and ratings (unrated capabilities flagged), and the rating form."""

from __future__ import annotations

import streamlit as st

from dashboard.evaluate_actions import act, db, field, me, need_name, stamp
from dashboard.widgets import shown
from drills import evaluations
from i18n import N_, _
from reports.aar_evaluation import NOT_RATED, objective_text
from reports.aar_input import CAPABILITIES, RATINGS
from scenarios.model import Scenario
from scenarios.objective_capabilities import objective_capabilities


def _save_summary(drill_id: str) -> None:
    act(
        evaluations.set_summary,
        db(),
        drill_id,
        field(f"summary_text_{drill_id}"),
        me() or "",
        ok=N_("Executive summary saved."),
    )


def summary_part(drill_id: str, editable: bool) -> None:
    """The executive summary: shown, and edited by evaluators."""
    st.subheader(_("Executive summary"))
    current = evaluations.summary(db(), drill_id)
    if current is not None:
        st.caption(
            _("Written by {first}; last changed by {last}.").format(
                first=stamp(current.written_by, current.written_wall),
                last=stamp(current.changed_by, current.changed_wall),
            )
        )
    if editable and need_name():
        st.text_area(
            _("Executive summary (first in the report)"),
            current.text if current else "",
            key=f"summary_text_{drill_id}",
        )
        st.button(
            _("Save the summary"), key="save_summary", on_click=_save_summary, args=(drill_id,)
        )
    elif current is not None:
        st.markdown(current.text)
    else:
        st.caption(_("No executive summary written yet."))


def hseep_part(scenario: Scenario, current: list[evaluations.CapabilityRating]) -> None:
    """Each scenario objective, the capabilities it tests and their ratings; unrated flagged."""
    st.subheader(_("Objectives, capabilities and ratings"))
    rows = []
    for o in scenario.objectives:
        for cap in objective_capabilities(o):
            mine = [r for r in current if r.capability == cap]
            rows += [
                {
                    _("objective"): objective_text(o),
                    _("capability"): _(CAPABILITIES[cap]),
                    _("rating"): r.rating,
                    _("written by"): r.evaluator,
                }
                for r in mine
            ]
            if not mine:
                rows.append(
                    {
                        _("objective"): objective_text(o),
                        _("capability"): _(CAPABILITIES[cap]),
                        _("rating"): _(NOT_RATED),
                        _("written by"): "-",
                    }
                )
    if rows:
        st.dataframe(rows, hide_index=True, key="hseep_table")
    else:
        st.caption(_("The scenario sets no objectives of its own."))
    rated = {r.capability for r in current}
    missing = [c for c in CAPABILITIES if c not in rated]
    if missing:
        st.warning(
            _("Not rated yet: {capabilities}.").format(
                capabilities=_(", ").join(_(CAPABILITIES[c]) for c in missing)
            ),
            icon="⚠️",
        )


def _rate(drill_id: str) -> None:
    ss = st.session_state
    mine = me() or ""
    whose = str(ss.get("rate_whose") or mine)
    act(
        evaluations.rate,
        db(),
        drill_id,
        ss["rate_capability"],
        ss["rate_value"],
        ss.get("rate_evidence", ""),
        whose,
        changed_by=mine,
        ok=N_("Rating saved."),
    )


def ratings_part(drill_id: str, editable: bool) -> list[evaluations.CapabilityRating]:
    """The ratings in force with who wrote and who changed each; the form to rate."""
    st.subheader(_("Capability ratings"))
    meaning = _("**{rating}**: {meaning}.")
    st.caption(" ".join(meaning.format(rating=k, meaning=_(v)) for k, v in RATINGS.items()))
    current = evaluations.ratings(db(), drill_id)
    st.dataframe(
        [
            {
                _("capability"): _(CAPABILITIES[r.capability]),
                _("rating"): r.rating,
                _("written by"): stamp(r.evaluator, r.first_wall),
                _("last changed by"): stamp(r.changed_by, r.wall_time),
                _("evidence"): r.evidence,
            }
            for r in current
        ],
        hide_index=True,
        key="ratings_table",
    )
    if not editable or not need_name():
        return current
    cols = st.columns([2, 1])
    cap = cols[0].selectbox(
        _("Capability"),
        list(CAPABILITIES),
        format_func=shown(CAPABILITIES, lambda c: _(CAPABILITIES[c])),
        key="rate_capability",
    )
    cols[1].radio(_("Rating"), list(RATINGS), horizontal=True, key="rate_value")
    others = sorted({r.evaluator for r in current if r.capability == cap} - {me()})
    if others:
        mine = me() or ""
        options = [mine, *others]
        labels: dict[str, str] = {
            mine: _("my own rating"),
            **{o: _("{name}'s rating").format(name=o) for o in others},
        }
        st.selectbox(
            _("Whose rating"),
            options,
            format_func=shown(options, lambda o: labels.get(o, o)),
            key="rate_whose",
        )
    else:
        st.session_state.pop("rate_whose", None)
    st.text_area(_("Evidence"), key="rate_evidence")
    st.button(_("Save rating"), key="save_rating", on_click=_rate, args=(drill_id,))
    return current
