"""Programme page: each plan's drills held, the next full drill due, untested gaps,
the scenario to drill next, and the open improvement items. Read-only for reviewers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import streamlit as st

from dashboard import programme_actions, services, state
from dashboard.signin import require_role
from dashboard.widgets import show_flash, shown, status_name
from drills import items
from drills.programme import open_drills, programme
from i18n import N_, _, ngettext
from plans.loader import load_plan_text
from plans.names import display_names
from plans.safe_text import markdown_literal

COLUMNS = {
    "id": N_("id"),
    "name": N_("name"),
    "date": N_("date"),
    "mode": N_("mode"),
    "status": N_("status"),
    "scenario": N_("scenario"),
    "event_class": N_("event class"),
    "rated": N_("rated"),
    "last_tested": N_("last tested"),
    "plan_id": N_("plan"),
    "drill_id": N_("drill"),
    "capability": N_("capability"),
    "issue": N_("issue"),
    "corrective_action": N_("corrective action"),
    "element": N_("element"),
    "owner_role": N_("owner"),
    "start": N_("start"),
    "due": N_("due"),
    "node_kind": N_("concerns a"),
    "node_id": N_("which"),
    "created_wall": N_("recorded at"),
    "created_by": N_("recorded by"),
    "verified_by": N_("verified by"),
    "overdue": N_("overdue"),
    "re-test with": N_("re-test with"),
}  # the tables' columns as a person reads them (the data keeps its keys)


def _columns() -> dict[str, str]:
    return {key: _(label) for key, label in COLUMNS.items()}


def open_list(db: Path, plan_id: str) -> None:
    """The plan's drills not ended: they do not count as held; a link to each."""
    running = open_drills(db, plan_id)
    if not running:
        return
    n = len(running)
    st.warning(
        ngettext(
            "{n} drill is not ended: it does not count as held (not in the gaps, "
            "not as the last full drill) until it is ended on the Drill page.",
            "{n} drills are not ended: they do not count as held (not in the gaps, "
            "not as the last full drill) until they are ended on the Drill page.",
            n,
        ).format(n=n)
    )
    for d in running:
        st.page_link(
            "pages/drill.py",
            label=_("{name} ({id}, not ended: does not count): open it on the Drill page").format(
                name=markdown_literal(d.name), id=d.id
            ),
            icon=":material/timer:",
            query_params={"drill": d.id},
        )


def main() -> None:
    """Render the page."""
    require_role()
    st.title(_("Drill programme and improvement items"))
    show_flash()
    texts = services.plan_texts()
    name = st.selectbox(_("Plan"), list(texts), key="programme_plan")
    plan = load_plan_text(texts[name], name)
    names = display_names(plan)
    columns = _columns()
    today = dt.date.today()
    db = services.store().path
    prog = programme(db, plan, today)
    due = (
        prog.next_full_due.isoformat() if prog.next_full_due else _("now (no full drill on record)")
    )
    if prog.overdue:
        st.error(
            _(
                "Full drill OVERDUE: it was due {due}. "
                "The manual asks for one at least yearly (7.1, 7.3)."
            ).format(due=due)
        )
    else:
        st.success(
            _("Next full drill due {due} (last: {last}).").format(
                due=due, last=prog.last_full_drill or _("never")
            )
        )
    held = [{**d.to_dict(), "status": status_name(d.status)} for d in prog.drills]
    st.dataframe(held, hide_index=True, key="held", column_config=columns)
    open_list(db, plan.meta.id)
    left, right = st.columns(2)
    since = prog.window_start
    left.markdown("**" + _("Event classes not drilled since {date}").format(date=since) + "**")
    left.dataframe(
        [{**g.to_dict(), "name": names.get(g.name, g.name)} for g in prog.untested_classes],
        hide_index=True,
        key="gap_classes",
        column_config=columns,
    )
    right.markdown("**" + _("Capabilities not rated since {date}").format(date=since) + "**")
    right.dataframe(
        [g.to_dict() for g in prog.untested_capabilities],
        hide_index=True,
        key="gap_caps",
        column_config=columns,
    )
    if prog.suggestion:
        st.info(
            _("Drill next: **{scenario}** - {reason}").format(
                scenario=prog.suggestion, reason=prog.reason
            )
        )
    st.subheader(_("Improvement items"))
    all_items = items.all_items(db, plan.meta.id)
    st.dataframe(
        [
            {
                **{k: v for k, v in i.to_dict(today).items() if k not in {"history"}},
                "status": status_name(i.status),
                "owner_role": names.get(i.owner_role, i.owner_role),
                "re-test with": items.propose_retest(plan, i) or "",
            }
            for i in all_items
        ],
        hide_index=True,
        key="all_items",
        column_config=columns,
    )
    if not state.may("items"):
        return
    drills = [d.id for d in services.store().list_drills()]
    for i in all_items:
        if i.status == "verified":
            continue
        heading = _("Item {id}: {issue} ({status})").format(
            id=i.id, issue=i.issue, status=status_name(i.status)
        )
        with st.expander(heading):
            allowed = [s for s in ("open", "in_progress", "done") if s != i.status]
            st.selectbox(
                _("New status"),
                allowed,
                format_func=shown(allowed, status_name),
                key=f"status_{i.id}",
            )
            st.button(
                _("Change status"),
                key=f"change_{i.id}",
                on_click=programme_actions.status,
                args=(i.id,),
            )
            if i.status == "done" and drills:
                st.selectbox(_("Verify with a later drill"), drills, key=f"verify_with_{i.id}")
                st.button(
                    _("Verify"),
                    key=f"verify_{i.id}",
                    on_click=programme_actions.verify,
                    args=(i.id, texts[name], name),
                )


main()
