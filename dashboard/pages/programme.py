"""Programme page: each plan's drills held, the next full drill due, untested gaps,
the scenario to drill next, and the open improvement items. Read-only for reviewers."""

from __future__ import annotations

import datetime as dt
from typing import cast

import streamlit as st

from dashboard import services, state
from dashboard.signin import require_role
from dashboard.widgets import show_flash
from drills import items
from drills.errors import DrillError
from drills.programme import programme
from plans.loader import load_plan_text


def _verify(item_id: int, plan_text: str, plan_name: str) -> None:
    # Why the cast: the "Verify" button is only shown beside the "verify_with_" selectbox,
    # whose options are drill ids (str), so its value is one of them when the button fires.
    evidence = cast(str, st.session_state.get(f"verify_with_{item_id}"))
    try:
        items.verify(
            str(services.store().path),
            item_id,
            evidence,
            load_plan_text(plan_text, plan_name),
            by=str(st.session_state.get("author") or state.current_role()),
        )
    except (DrillError, ValueError) as exc:
        state.flash("error", str(exc))
    else:
        state.flash("success", f"Item {item_id} verified by {evidence}.")


def _status(item_id: int) -> None:
    try:
        items.set_status(
            str(services.store().path),
            item_id,
            st.session_state[f"status_{item_id}"],
            str(st.session_state.get("author") or state.current_role()),
        )
    except (DrillError, ValueError) as exc:
        state.flash("error", str(exc))


def main() -> None:
    """Render the page."""
    require_role()
    st.title("Drill programme and improvement items")
    show_flash()
    texts = services.plan_texts()
    name = st.selectbox("Plan", list(texts), key="programme_plan")
    plan = load_plan_text(texts[name], name)
    today = dt.date.today()
    db = services.store().path
    prog = programme(db, plan, today)
    due = prog.next_full_due.isoformat() if prog.next_full_due else "now (no full drill on record)"
    if prog.overdue:
        st.error(
            f"Full drill OVERDUE: it was due {due}. "
            "The manual asks for one at least yearly (7.1, 7.3)."
        )
    else:
        st.success(f"Next full drill due {due} (last: {prog.last_full_drill or 'never'}).")
    st.dataframe([d.to_dict() for d in prog.drills], hide_index=True, key="held")
    left, right = st.columns(2)
    left.markdown(f"**Event classes not drilled since {prog.window_start}**")
    left.dataframe([g.to_dict() for g in prog.untested_classes], hide_index=True, key="gap_classes")
    right.markdown(f"**Capabilities not rated since {prog.window_start}**")
    right.dataframe(
        [g.to_dict() for g in prog.untested_capabilities], hide_index=True, key="gap_caps"
    )
    if prog.suggestion:
        st.info(f"Drill next: **{prog.suggestion}** - {prog.reason}")
    st.subheader("Improvement items")
    all_items = items.all_items(db, plan.meta.id)
    st.dataframe(
        [
            {
                **{k: v for k, v in i.to_dict(today).items() if k not in {"history"}},
                "re-test with": items.propose_retest(plan, i) or "",
            }
            for i in all_items
        ],
        hide_index=True,
        key="all_items",
    )
    if not state.may("items"):
        return
    drills = [d.id for d in services.store().list_drills()]
    for i in all_items:
        if i.status == "verified":
            continue
        with st.expander(f"Item {i.id}: {i.issue} ({i.status})"):
            allowed = [s for s in ("open", "in_progress", "done") if s != i.status]
            st.selectbox("New status", allowed, key=f"status_{i.id}")
            st.button("Change status", key=f"change_{i.id}", on_click=_status, args=(i.id,))
            if i.status == "done" and drills:
                st.selectbox("Verify with a later drill", drills, key=f"verify_with_{i.id}")
                st.button(
                    "Verify", key=f"verify_{i.id}", on_click=_verify, args=(i.id, texts[name], name)
                )


main()
