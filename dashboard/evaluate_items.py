"""Evaluate page, third part: the drill's improvement items (HSEEP's IP matrix) and the
form to add one, with its capability and point of contact (a person of the plan or a
name typed in)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard.evaluate_actions import act, db, field, me, need_name
from dashboard.widgets import shown, status_name
from drills import items
from i18n import N_, _, local_text
from plans.loader import load_plan_text
from plans.model import Plan
from plans.names import name_of
from reports.aar_input import CAPABILITIES, ELEMENTS

NODE_KINDS = {
    "step": N_("step"),
    "role": N_("role"),
    "target": N_("target"),
    "system": N_("system"),
    "site": N_("site"),
    "resource": N_("resource"),
}
NO_CAPABILITY = ""
TYPED = "\u2026typed"  # not for people: the option id of 'a name typed in'


def _poc() -> str:
    chosen = field("item_poc_person")
    return field("item_poc_name").strip() if chosen in ("", TYPED) else chosen


def _add_item(drill_id: str, plan_text: str, plan_name: str) -> None:
    ss = st.session_state
    plan = load_plan_text(plan_text, plan_name)
    act(
        items.add_item,
        db(),
        plan,
        need="items",
        issue=ss.get("item_issue", ""),
        corrective_action=ss.get("item_action", ""),
        element=ss["item_element"],
        owner_role=ss["item_owner"],
        start=ss["item_start"],
        due=ss["item_due"],
        node_kind=ss["item_node_kind"],
        node_id=ss.get("item_node_id", ""),
        author=me() or "",
        drill_id=drill_id,
        capability=ss.get("item_capability") or None,
        poc=_poc(),
        ok=N_("Improvement item saved."),
    )


def _person_label(plan: Plan, person_id: str) -> str:
    if person_id == "":
        return _("(none)")
    if person_id == TYPED:
        return _("another person (type the name)")
    person = plan.person(person_id)
    return local_text(person.name, fallback=person.id)


def items_part(drill_id: str, plan_text: str, plan_name: str, may_add: bool) -> None:
    """The drill's items and, for those who may, the form to add one."""
    st.subheader(_("Improvement plan"))
    plan = load_plan_text(plan_text, plan_name)
    rows = [i for i in items.all_items(db(), plan.meta.id) if i.drill_id == drill_id]
    st.dataframe(
        [
            {
                _("capability"): _(CAPABILITIES[i.capability]) if i.capability else "-",
                _("issue"): i.issue,
                _("corrective action"): i.corrective_action,
                _("element"): _(ELEMENTS[i.element]) if i.element in ELEMENTS else i.element,
                _("owner"): name_of(plan, i.owner_role),
                _("point of contact"): items.poc_name(plan, i.poc) or "-",
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
    if not may_add or not need_name():
        return
    with st.expander(_("Add an improvement item")):
        caps = [NO_CAPABILITY, *CAPABILITIES]
        st.selectbox(
            _("Capability"),
            caps,
            format_func=shown(caps, lambda c: _(CAPABILITIES[c]) if c else _("(none)")),
            key="item_capability",
        )
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
        people = ["", *[p.id for p in plan.people], TYPED]
        st.selectbox(
            _("Point of contact"),
            people,
            format_func=shown(people, lambda p: _person_label(plan, p)),
            key="item_poc_person",
        )
        if st.session_state.get("item_poc_person") == TYPED:
            st.text_input(_("Point of contact's name"), key="item_poc_name")
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
            args=(drill_id, plan_text, plan_name),
        )
