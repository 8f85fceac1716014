"""Drill page: the facilitator's console. Thin: every action is a call into
``drills.session``, which stores it before this page says it was done."""

from __future__ import annotations

import contextlib
import time
from typing import Any

import streamlit as st

from dashboard import drill_actions as actions
from dashboard import drill_control as control
from dashboard import services, signin, state
from dashboard.drill_board import clock_text, drill_log, injects_delivered, status_board
from dashboard.drill_create import create_form
from dashboard.signin import require_role
from dashboard.widgets import show_flash, shown
from drills import session
from drills.board import choice_label, decision_choices, targets_for
from drills.errors import Conflict
from drills.records import DrillRecord
from i18n import _, local_text
from plans.loader import load_plan_text
from plans.model import STEP_NAMES, Plan
from plans.names import name_of, plan_name
from plans.safe_text import markdown_literal
from plans.types import human_minutes

STEPS = (5, 15, 60)
LIVE_REFRESH_SECONDS = 5
LIVE_MIN_STEP = 0.5  # simulated minutes the live clock must gain before it is moved (and stored)


def clock_controls(record: DrillRecord, follow: bool = True) -> None:
    """Advance by a step or to the next inject; in a running live drill, follow the wall
    clock."""
    clock = record.clock
    cols = st.columns([2, 1, 1, 1])
    step = cols[0].radio(
        _("Step"),
        STEPS,
        index=1,
        horizontal=True,
        format_func=shown(STEPS, human_minutes),
        key="clock_step",
    )
    cols[1].button(
        _("Advance {step}").format(step=human_minutes(step)),
        key="advance",
        type="primary",
        disabled=record.status != "open",
        on_click=actions.advance,
        args=(record.id, None, record.version),
    )
    upcoming = session.next_inject_time(record)
    cols[2].button(
        _("To next inject"),
        key="next_inject",
        disabled=upcoming is None or record.status != "open",
        on_click=actions.advance,
        args=(record.id, upcoming or clock, record.version),
    )
    if record.mode == "live" and record.status == "open" and follow:
        live_clock(record.id)


def live_clock(drill_id: str) -> None:
    """In a live drill the clock follows wall time (at the drill's speed), checked every few
    seconds."""

    @st.fragment(run_every=LIVE_REFRESH_SECONDS)
    def follow() -> None:
        record = services.store().get(drill_id)
        target = session.live_target_time(record, actions.wall_now())
        st.caption(
            _("Live drill: the clock follows wall time x{speed:g}; it reads {clock}.").format(
                speed=record.speed, clock=human_minutes(record.clock)
            )
        )
        last = float(st.session_state.get("live_last_move", 0.0))
        if (
            target - record.clock >= LIVE_MIN_STEP
            and time.monotonic() - last >= LIVE_REFRESH_SECONDS
        ):
            st.session_state["live_last_move"] = (
                time.monotonic()
            )  # at most one move per refresh period
            # A Conflict: another browser moved the clock to the same wall time (same intent,
            # nothing lost).
            # the live clock follows wall time for whoever watches: it acts for no role
            # (role=None, a trusted caller), whatever the watching tab's role
            with contextlib.suppress(Conflict):
                author = "live clock"  # not for people: the author id stored in the log
                session.advance(
                    services.store(), drill_id, target, author, record.version, role=None
                )
            st.rerun(scope="app")

    follow()


def decision_panel(record: DrillRecord, board: dict[str, Any], plan: Plan) -> None:
    """Decisions from the plan's vocabulary, the plan's own for the open event first."""
    choices = decision_choices(plan, board)
    choice = st.selectbox(
        _("Decision"),
        choices,
        format_func=shown(choices, lambda c: choice_label(c)),
        key="decision_choice",
    )
    if choice[0] == "declare_level":
        levels = {d.level: local_text(d.name, fallback=str(d.level)) for d in plan.levels}
        st.radio(
            _("Level"),
            [1, 2, 3],
            horizontal=True,
            format_func=lambda n: f"{n} - {levels[n]}" if n in levels else str(n),
            key="decision_level",
        )
    elif choice[1] is None and choice[0] != "close":
        targets = targets_for(plan, choice[0])
        st.selectbox(
            _("Target"),
            targets,
            format_func=shown(targets, lambda i: name_of(plan, i)),
            key="decision_target",
        )
    names = [p.name for p in record.participants] or [actions.author()]
    st.selectbox(_("Decided by"), names, key="decision_by")
    st.text_input(_("Rationale"), key="decision_rationale")
    st.button(
        _("Take decision"),
        key="decide",
        type="primary",
        disabled=record.status != "open",
        on_click=actions.decide,
        args=(record.id, record.version),
    )


def notes_panel(record: DrillRecord) -> None:
    """Observer notes at the current simulated time; live step observations."""
    st.text_area(
        _("Observer note"),
        key="note_text",
        placeholder=_("What you saw, at this moment of the drill"),
    )
    st.button(
        _("Save note"), key="save_note", on_click=actions.note, args=(record.id, record.clock)
    )
    if record.mode == "live" and state.may("observe"):
        st.selectbox(
            _("Step really done now"),
            STEP_NAMES,
            format_func=shown(STEP_NAMES, actions.step_label),
            key="observe_step",
        )
        st.button(
            _("Record step done"),
            key="observe",
            on_click=actions.observe,
            args=(record.id, record.clock),
        )


def drill_header(record: DrillRecord, board: dict[str, Any], plan: Plan) -> None:
    """The drill's name, clock (in the plan's zone) and settings."""
    st.subheader(
        _("{name}: {clock} (T+{elapsed} of {horizon})").format(
            name=markdown_literal(record.name),
            clock=clock_text(board),
            elapsed=human_minutes(record.clock),
            horizon=human_minutes(board["horizon"]),
        )
    )
    st.caption(
        _(
            "Plan {plan}, scenario {scenario}, seed {seed}, {mode} drill, "
            "{count} participant(s); board version {version}"
        ).format(
            plan=markdown_literal(plan_name(plan) or record.plan_name),
            scenario=markdown_literal(record.scenario_name),
            seed=record.seed,
            mode=actions.mode_name(record.mode),
            count=len(record.participants),
            version=record.version,
        )
    )


def pick(current: str | None) -> str | None:
    """The drill picker (archived drills left out); None when there is none to show."""
    drills = services.store().list_drills()
    if not drills:
        st.info(
            _("Create a drill to start: the bundled default plan and scenario are ready to use.")
            if state.may("create")
            else _("No drill yet: the facilitator creates one.")
        )
        return None
    ids = [d.id for d in drills]
    label = _("{name} ({id}, {mode})")
    labels = {
        d.id: label.format(name=d.name, id=d.id, mode=actions.mode_name(d.mode)) for d in drills
    }
    if st.session_state.get("drill_pick") not in ids:
        st.session_state.pop("drill_pick", None)  # archived meanwhile: show another
    picked = st.selectbox(
        _("Drill"),
        ids,
        index=ids.index(current) if current in ids else 0,
        format_func=labels.__getitem__,
        key="drill_pick",
    )
    state.show_drill(picked)
    return str(picked)


def main() -> None:
    """Render the page."""
    require_role()
    st.title(_("Drill console"))
    st.sidebar.text_input(
        _("Your name"), value=signin.person_name() or state.current_role() or "", key="author"
    )
    show_flash()
    store = services.store()
    current = state.current_drill()
    if state.may("create"):
        with st.expander(_("New drill"), expanded=not store.list_drills()):
            create_form()
    picked = pick(current)
    if picked is None:
        if state.may("create"):
            control.restore_only()
        return
    record = store.get(picked)
    board = session.board(record)
    plan = load_plan_text(record.plan_text, record.plan_name)
    drill_header(record, board, plan)
    running = record.status == "open"
    facilitator = state.may("advance")
    if not running:
        control.ended_notice(record)
    if facilitator:
        control.coming_panel(record, board, plan)
    if facilitator and running:
        if record.mode == "live" and control.live_controls(record) != "running":
            clock_controls(record, follow=False)
        else:
            clock_controls(record)
    injects_delivered(record, board, plan)
    status_board(record, board, plan)
    st.divider()
    deciding = state.may("decide") and running
    left, right = st.columns(2) if deciding else (st.container(), st.container())
    if deciding:
        with left:
            st.subheader(_("Decide"))
            decision_panel(record, board, plan)
    if state.may("note"):
        with right if deciding else left:
            st.subheader(_("Notes"))
            notes_panel(record)
    st.subheader(_("Log"))
    st.dataframe(drill_log(record, board), hide_index=True, key="drill_log")
    if facilitator and running:
        control.end_panel(record)
    if state.may("create"):
        control.archive_panel(record)


main()
