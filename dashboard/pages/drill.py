"""Drill page: the facilitator's console. Thin: every action is a call into
``drills.session``, which stores it before this page says it was done."""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from typing import Any, cast

import streamlit as st

from dashboard import services, state
from dashboard.signin import require_role
from dashboard.widgets import show_flash
from drills import session
from drills.board import (
    channel_rows,
    choice_label,
    decision_choices,
    incident_rows,
    log_rows,
    parse_participants,
    reached_rows,
    system_rows,
    targets_for,
)
from drills.errors import Conflict, DrillError
from drills.records import DrillRecord
from plans import ModelFileError
from plans.loader import DEFAULT_PLAN, load_plan_text
from plans.model import STEP_NAMES
from plans.types import human_minutes
from scenarios.loader import DEFAULT_SCENARIO
from sim.response.decisions import Decision, DecisionKind

STEPS = (5, 15, 60)
LIVE_REFRESH_SECONDS = 5
LIVE_MIN_STEP = 0.5
"""Simulated minutes the live clock must have gained before it is moved (and stored)."""


def _refused(action: str) -> bool:
    """Re-check the role at the moment of the click (the page hides what a role may not do)."""
    if state.may(action):
        return False
    state.flash("error", f"The {state.current_role()} role may not {action} in a drill.")
    return True


def _run(action: Any, *args: Any, ok: str) -> None:
    """Call the core; report what the user must know; never a traceback."""
    try:
        action(*args)
    except Conflict as exc:
        state.flash("warning", str(exc))
    except (DrillError, ValueError, ModelFileError) as exc:
        state.flash("error", str(exc))
    else:
        state.flash("success", ok)


def _advance(drill_id: str, to_time: float | None, version: int) -> None:
    """Advance to ``to_time``, or by the step chosen now when it is None.

    Callbacks read widget values from the session at click time: arguments bound at
    the last render would miss a value changed just before the click.
    """
    if _refused("advance"):
        return
    if to_time is None:
        record = services.store().get(drill_id)
        to_time = record.clock + float(st.session_state.get("clock_step", 15))
    _run(
        session.advance,
        services.store(),
        drill_id,
        to_time,
        _author(),
        version,
        ok=f"Clock moved to {human_minutes(to_time)}.",
    )


def _decide(drill_id: str, version: int) -> None:
    if _refused("decide"):
        return
    ss = st.session_state
    choice = ss.get("decision_choice") or ("close", None)
    level = ss.get("decision_level") if choice[0] == "declare_level" else None
    target = choice[1] or (
        ss.get("decision_target") if choice[0] not in {"declare_level", "close"} else None
    )
    by, rationale = str(ss.get("decision_by") or _author()), str(ss.get("decision_rationale") or "")
    # Why the cast: the choices offered are the plan's actions and the commands, and
    # Decision validates the action against DecisionKind (a ValueError, caught below).
    action = cast(DecisionKind, choice[0])
    decision = Decision(action=action, target=target, level=level, by=by, rationale=rationale)
    try:
        verdict, _ = session.decide(
            services.store(), drill_id, decision, _author(), rationale, version
        )
    except Conflict as exc:
        state.flash("warning", str(exc))
        return
    except (DrillError, ValueError) as exc:
        state.flash("error", str(exc))
        return
    if verdict.accepted:
        st.session_state["decision_rationale"] = ""
        state.flash("success", f"Decision taken and saved: {choice_label(choice, target, level)}.")
    else:
        state.flash("error", f"Decision refused (saved in the log): {verdict.reason}")


def _note(drill_id: str, sim_time: float) -> None:
    if _refused("note"):
        return
    text = st.session_state.get("note_text", "")
    try:
        session.add_note(services.store(), drill_id, text, _author(), sim_time)
    except (DrillError, ValueError) as exc:
        state.flash("error", str(exc))
        return
    st.session_state["note_text"] = ""
    state.flash("success", "Note saved.")


def _observe(drill_id: str, sim_time: float) -> None:
    if _refused("observe"):
        return
    step = str(st.session_state.get("observe_step"))
    _run(
        session.add_observation,
        services.store(),
        drill_id,
        step,
        _author(),
        sim_time,
        ok=f"Recorded: step '{step}' done now.",
    )


def _author() -> str:
    return str(st.session_state.get("author") or "facilitator")


def _index(options: dict[str, str], name: str) -> int:
    return list(options).index(name) if name in options else 0


def create_form() -> None:
    """The form that creates a drill."""
    plans, scenarios = services.plan_texts(), services.scenario_texts()
    with st.form("create_drill"):
        name = st.text_input("Drill name", key="new_name")
        plan = st.selectbox("Plan", list(plans), index=_index(plans, DEFAULT_PLAN), key="new_plan")
        scenario = st.selectbox(
            "Scenario",
            list(scenarios),
            index=_index(scenarios, DEFAULT_SCENARIO),
            key="new_scenario",
        )
        seed = st.number_input("Seed", min_value=0, value=1, step=1, key="new_seed")
        mode = st.radio("Mode", ["tabletop", "live"], horizontal=True, key="new_mode")
        speed = st.number_input(
            "Live clock speed (x real time)", min_value=0.1, value=1.0, key="new_speed"
        )
        people = st.text_area(
            "Participants, one per line: name, role",
            key="new_participants",
            placeholder="Li Wei, duty_manager\nZhang Min, commander",
        )
        submitted = st.form_submit_button("Create drill")
    if not submitted:
        return
    participants, problems = parse_participants(people)
    if problems:
        st.error("; ".join(problems))
        return
    try:
        record = services.store().create_drill(
            name=name.strip(),
            plan_name=plan,
            plan_text=plans[plan],
            scenario_name=scenario,
            scenario_text=scenarios[scenario],
            seed=int(seed),
            mode=mode,
            speed=float(speed),
            participants=participants,
        )
    except ModelFileError as exc:
        st.error("The plan and scenario cannot run together:\n" + "\n".join(exc.lines()))
        return
    except (DrillError, ValueError) as exc:
        st.error(str(exc))
        return
    state.show_drill(record.id)
    st.session_state["drill_pick"] = record.id  # the picker below is drawn after this form
    state.flash("success", f"Drill '{record.name}' created ({record.id}).")
    st.rerun()


def clock_controls(record: DrillRecord, board: dict[str, Any]) -> None:
    """Advance by a step or to the next inject; in live mode, follow the wall clock."""
    clock = record.clock
    cols = st.columns([2, 1, 1, 1])
    step = cols[0].radio(
        "Step", STEPS, index=1, horizontal=True, format_func=lambda m: f"{m} min", key="clock_step"
    )
    cols[1].button(
        f"Advance {step} min",
        key="advance",
        type="primary",
        disabled=record.status != "open",
        on_click=_advance,
        args=(record.id, None, record.version),
    )
    upcoming = session.next_inject_time(record)
    cols[2].button(
        "To next inject",
        key="next_inject",
        disabled=upcoming is None or record.status != "open",
        on_click=_advance,
        args=(record.id, upcoming or clock, record.version),
    )
    if record.mode == "live" and record.status == "open":
        live_clock(record.id)


def live_clock(drill_id: str) -> None:
    """In a live drill the clock follows wall time (at the drill's speed), checked every few
    seconds."""

    @st.fragment(run_every=LIVE_REFRESH_SECONDS)
    def follow() -> None:
        record = services.store().get(drill_id)
        target = session.live_target_time(record, dt.datetime.now(dt.UTC))
        st.caption(
            f"Live drill: the clock follows wall time x{record.speed:g}; "
            f"it reads {human_minutes(record.clock)}."
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
            with contextlib.suppress(Conflict):
                session.advance(services.store(), drill_id, target, "live clock", record.version)
            st.rerun(scope="app")

    follow()


def status_board(board: dict[str, Any]) -> None:
    """Channels, systems and backups, queues and KPIs so far, who has been reached."""
    k = board.get("kpis", {})
    cols = st.columns(5)
    sl = k.get("service_level")
    cols[0].metric("Service level so far", "-" if sl is None else f"{sl:.0%}")
    cols[1].metric("Waiting now", sum(c["waiting"] for c in board["channels"]))
    cols[2].metric("Ticket backlog", int(k.get("backlog") or 0))
    cols[3].metric("Tickets past a limit", int(k.get("tickets_late") or 0))
    cols[4].metric("Agents at work", board["agents_at_work"])
    left, right = st.columns(2)
    left.markdown("**Channels**")
    left.dataframe(channel_rows(board), hide_index=True, key="board_channels")
    right.markdown("**Systems and backups**")
    right.dataframe(system_rows(board), hide_index=True, key="board_systems")
    left.markdown("**People reached**")
    left.dataframe(reached_rows(board), hide_index=True, key="board_reached")
    right.markdown("**Response steps**")
    right.dataframe(incident_rows(board), hide_index=True, key="board_steps")


def decision_panel(record: DrillRecord, board: dict[str, Any]) -> None:
    """Decisions from the plan's vocabulary, the plan's own for the open event first."""
    plan = load_plan_text(record.plan_text, record.plan_name)
    choices = decision_choices(plan, board)
    choice = st.selectbox(
        "Decision", choices, format_func=lambda c: choice_label(c), key="decision_choice"
    )
    if choice[0] == "declare_level":
        st.radio("Level", [1, 2, 3], horizontal=True, key="decision_level")
    elif choice[1] is None and choice[0] != "close":
        st.selectbox("Target", targets_for(plan, choice[0]), key="decision_target")
    names = [p.name for p in record.participants] or [_author()]
    st.selectbox("Decided by", names, key="decision_by")
    st.text_input("Rationale", key="decision_rationale")
    st.button(
        "Take decision",
        key="decide",
        type="primary",
        disabled=record.status != "open",
        on_click=_decide,
        args=(record.id, record.version),
    )


def notes_panel(record: DrillRecord) -> None:
    """Observer notes at the current simulated time; live step observations."""
    st.text_area(
        "Observer note", key="note_text", placeholder="What you saw, at this moment of the drill"
    )
    st.button("Save note", key="save_note", on_click=_note, args=(record.id, record.clock))
    if record.mode == "live" and state.may("observe"):
        st.selectbox("Step really done now", STEP_NAMES, key="observe_step")
        st.button(
            "Record step done", key="observe", on_click=_observe, args=(record.id, record.clock)
        )


def main() -> None:
    """Render the page."""
    require_role()
    st.title("Drill console")
    st.sidebar.text_input("Your name", value=state.current_role() or "", key="author")
    show_flash()
    store = services.store()
    drills = store.list_drills()
    ids = [d.id for d in drills]
    labels = {d.id: f"{d.name} ({d.id}, {d.mode})" for d in drills}
    current = state.current_drill()
    if state.may("create"):
        with st.expander("New drill", expanded=not drills):
            create_form()
    if not drills:
        st.info(
            "Create a drill to start: the bundled default plan and scenario are ready to use."
            if state.may("create")
            else "No drill yet: the facilitator creates one."
        )
        return
    picked = st.selectbox(
        "Drill",
        ids,
        index=ids.index(current) if current in ids else 0,
        format_func=labels.__getitem__,
        key="drill_pick",
    )
    state.show_drill(picked)
    record = store.get(picked)
    board = session.board(record)
    st.subheader(
        f"{record.name}: {board['clock']} "
        f"(T+{human_minutes(record.clock)} of {human_minutes(board['horizon'])})"
    )
    st.caption(
        f"Plan {record.plan_name}, scenario {record.scenario_name}, seed {record.seed}, "
        f"{record.mode} drill, "
        f"{len(record.participants)} participant(s); board version {record.version}"
    )
    if state.may("advance"):
        clock_controls(record, board)
    for inject in reversed(board["injects"]):
        st.info(
            f"**{human_minutes(inject['at'])} - {inject['title']}**  \n{inject['message']}"
            + (f"  \n_To: {', '.join(inject['to'])}_" if inject["to"] else "")
        )
    status_board(board)
    st.divider()
    left, right = st.columns(2)
    if state.may("decide"):
        with left:
            st.subheader("Decide")
            decision_panel(record, board)
    if state.may("note"):
        with right:
            st.subheader("Notes")
            notes_panel(record)
    st.subheader("Log")
    st.dataframe(log_rows(board), hide_index=True, key="drill_log")


main()
