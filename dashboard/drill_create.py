"""The Drill page's form that creates a drill.

Why a request id: pressing Enter twice (or a double click on a slow connection)
submits the form twice; both submissions carry the same id, kept in the tab's
session until a drill is created, and the store returns the first drill for it
instead of creating a second.
"""

from __future__ import annotations

import sqlite3
import uuid

import streamlit as st

from dashboard import drill_actions as actions
from dashboard import services, state
from dashboard.widgets import shown
from drills.board import parse_participants
from drills.errors import DrillError
from i18n import _, current_language
from plans import ModelFileError
from plans.loader import DEFAULT_PLAN
from plans.safe_text import markdown_literal
from scenarios.loader import DEFAULT_SCENARIO

REQUEST_ID = "create_request_id"
"""The session key of the form's request id (a new one after each drill created)."""
USED_ID = "create_request_used"
"""The request id a drill was created with (the next form drawn gets a new one)."""


def _index(options: dict[str, str], name: str) -> int:
    return list(options).index(name) if name in options else 0


def _edition(names: dict[str, str], name: str) -> str:
    """The bundled Chinese edition of ``name`` when the console speaks Chinese."""
    zh = f"{name}_zh"
    return zh if current_language() == "zh-CN" and zh in names else name


def request_id(submitted: bool) -> str:
    """This form's request id: the same until a drill was created with it and the form
    was drawn again (a second submission of the same form keeps it)."""
    rid = st.session_state.get(REQUEST_ID)
    if not rid or (not submitted and st.session_state.get(USED_ID) == rid):
        rid = uuid.uuid4().hex
        st.session_state[REQUEST_ID] = rid
    return str(rid)


def create_form() -> None:
    """The form that creates a drill (offering the Chinese editions first in Chinese)."""
    plans, scenarios = services.plan_texts(), services.scenario_texts()
    with st.form("create_drill"):
        name = st.text_input(_("Drill name"), key="new_name")
        plan = st.selectbox(
            _("Plan"),
            list(plans),
            index=_index(plans, _edition(plans, DEFAULT_PLAN)),
            key="new_plan",
        )
        scenario = st.selectbox(
            _("Scenario"),
            list(scenarios),
            index=_index(scenarios, _edition(scenarios, DEFAULT_SCENARIO)),
            key="new_scenario",
        )
        seed = st.number_input(_("Seed"), min_value=0, value=1, step=1, key="new_seed")
        mode = st.radio(
            _("Mode"),
            list(actions.MODE_NAMES),
            format_func=shown(actions.MODE_NAMES, actions.mode_name),
            horizontal=True,
            key="new_mode",
        )
        speed = st.number_input(
            _("Live clock speed (x real time)"), min_value=0.1, value=1.0, key="new_speed"
        )
        people = st.text_area(
            _("Participants, one per line: name, role"),
            key="new_participants",
            placeholder=_("Li Wei, duty_manager\nZhang Min, commander"),
        )
        submitted = st.form_submit_button(_("Create drill"))
    rid = request_id(submitted)
    if not submitted:
        return
    participants, problems = parse_participants(people)
    if problems:
        st.error("; ".join(problems))
        return
    store = services.store()
    known = {d.id for d in store.list_drills(include_archived=True)}
    try:
        record = store.create_drill(
            name=name.strip(),
            plan_name=plan,
            plan_text=plans[plan],
            scenario_name=scenario,
            scenario_text=scenarios[scenario],
            seed=int(seed),
            mode=mode,
            speed=float(speed),
            participants=participants,
            request_id=rid,
            role=state.acting_role(),
        )
    except ModelFileError as exc:
        st.error(_("The plan and scenario cannot run together:") + "\n" + "\n".join(exc.lines()))
        return
    except (DrillError, ValueError) as exc:
        st.error(str(exc))
        return
    except (sqlite3.Error, OSError) as exc:  # the disk failed: the form keeps what was typed
        st.error(actions.not_saved(exc))
        return
    st.session_state[USED_ID] = rid  # the next form drawn gets a request id of its own
    state.show_drill(record.id)
    st.session_state["drill_pick"] = record.id  # the picker below is drawn after this form
    if record.id in known:
        message = _("Drill '{name}' was already created ({id}): it is shown, not created again.")
        state.flash("info", message.format(name=markdown_literal(record.name), id=record.id))
    else:
        message = _("Drill '{name}' created ({id}).")
        state.flash("success", message.format(name=markdown_literal(record.name), id=record.id))
    st.rerun()
