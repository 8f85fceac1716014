"""Drill page: the facilitator's console. Thin: every action is a call into
``drills.session``, which stores it before this page says it was done."""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from typing import Any

import streamlit as st

from dashboard import drill_actions as actions
from dashboard import services, state
from dashboard.signin import require_role
from dashboard.widgets import show_flash, shown
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
from i18n import _, current_language, format_datetime, format_percent, local_text
from plans import ModelFileError
from plans.loader import DEFAULT_PLAN, load_plan_text
from plans.model import STEP_NAMES, Plan
from plans.names import name_of, plan_name
from plans.types import human_minutes
from scenarios.loader import DEFAULT_SCENARIO

STEPS = (5, 15, 60)
LIVE_REFRESH_SECONDS = 5
LIVE_MIN_STEP = 0.5  # simulated minutes the live clock must gain before it is moved (and stored)


def _clock(value: Any) -> str:
    """The board's wall clock ('2026-03-02T08:15') as the language in use writes it."""
    try:
        return format_datetime(dt.datetime.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def _index(options: dict[str, str], name: str) -> int:
    return list(options).index(name) if name in options else 0


def _edition(names: dict[str, str], name: str) -> str:
    """The bundled Chinese edition of ``name`` when the console speaks Chinese."""
    zh = f"{name}_zh"
    return zh if current_language() == "zh-CN" and zh in names else name


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
        st.error(_("The plan and scenario cannot run together:") + "\n" + "\n".join(exc.lines()))
        return
    except (DrillError, ValueError) as exc:
        st.error(str(exc))
        return
    state.show_drill(record.id)
    st.session_state["drill_pick"] = record.id  # the picker below is drawn after this form
    state.flash(
        "success", _("Drill '{name}' created ({id}).").format(name=record.name, id=record.id)
    )
    st.rerun()


def clock_controls(record: DrillRecord, board: dict[str, Any]) -> None:
    """Advance by a step or to the next inject; in live mode, follow the wall clock."""
    clock = record.clock
    cols = st.columns([2, 1, 1, 1])
    step = cols[0].radio(
        _("Step"),
        STEPS,
        index=1,
        horizontal=True,
        format_func=shown(STEPS, lambda m: _("{n} min").format(n=m)),
        key="clock_step",
    )
    cols[1].button(
        _("Advance {step} min").format(step=step),
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
            with contextlib.suppress(Conflict):
                author = "live clock"  # not for people: the author id stored in the log
                session.advance(services.store(), drill_id, target, author, record.version)
            st.rerun(scope="app")

    follow()


def status_board(board: dict[str, Any]) -> None:
    """Channels, systems and backups, queues and KPIs so far, who has been reached."""
    k = board.get("kpis", {})
    cols = st.columns(5)
    sl = k.get("service_level")
    cols[0].metric(_("Service level so far"), "-" if sl is None else format_percent(sl, 0))
    cols[1].metric(_("Waiting now"), sum(c["waiting"] for c in board["channels"]))
    cols[2].metric(_("Ticket backlog"), int(k.get("backlog") or 0))
    cols[3].metric(_("Tickets past a limit"), int(k.get("tickets_late") or 0))
    cols[4].metric(_("Agents at work"), board["agents_at_work"])
    left, right = st.columns(2)
    left.markdown("**" + _("Channels") + "**")
    left.dataframe(channel_rows(board), hide_index=True, key="board_channels")
    right.markdown("**" + _("Systems and backups") + "**")
    right.dataframe(system_rows(board), hide_index=True, key="board_systems")
    left.markdown("**" + _("People reached") + "**")
    left.dataframe(reached_rows(board), hide_index=True, key="board_reached")
    right.markdown("**" + _("Response steps") + "**")
    right.dataframe(incident_rows(board), hide_index=True, key="board_steps")


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


def main() -> None:
    """Render the page."""
    require_role()
    st.title(_("Drill console"))
    st.sidebar.text_input(_("Your name"), value=state.current_role() or "", key="author")
    show_flash()
    store = services.store()
    drills = store.list_drills()
    ids = [d.id for d in drills]
    label = _("{name} ({id}, {mode})")
    labels = {
        d.id: label.format(name=d.name, id=d.id, mode=actions.mode_name(d.mode)) for d in drills
    }
    current = state.current_drill()
    if state.may("create"):
        with st.expander(_("New drill"), expanded=not drills):
            create_form()
    if not drills:
        st.info(
            _("Create a drill to start: the bundled default plan and scenario are ready to use.")
            if state.may("create")
            else _("No drill yet: the facilitator creates one.")
        )
        return
    picked = st.selectbox(
        _("Drill"),
        ids,
        index=ids.index(current) if current in ids else 0,
        format_func=labels.__getitem__,
        key="drill_pick",
    )
    state.show_drill(picked)
    record = store.get(picked)
    board = session.board(record)
    plan = load_plan_text(record.plan_text, record.plan_name)
    st.subheader(
        _("{name}: {clock} (T+{elapsed} of {horizon})").format(
            name=record.name,
            clock=_clock(board["clock"]),
            elapsed=human_minutes(record.clock),
            horizon=human_minutes(board["horizon"]),
        )
    )
    st.caption(
        _(
            "Plan {plan}, scenario {scenario}, seed {seed}, {mode} drill, "
            "{count} participant(s); board version {version}"
        ).format(
            plan=plan_name(plan) or record.plan_name,
            scenario=record.scenario_name,
            seed=record.seed,
            mode=actions.mode_name(record.mode),
            count=len(record.participants),
            version=record.version,
        )
    )
    if state.may("advance"):
        clock_controls(record, board)
    for inject in reversed(board["injects"]):
        head = f"**{human_minutes(inject['at'])} - {local_text(inject['title'])}**"
        text = f"{head}  \n{local_text(inject['message'])}"
        if inject["to"]:
            who = _(", ").join(name_of(plan, r) for r in inject["to"])
            text += "  \n_" + _("To: {who}").format(who=who) + "_"
        st.info(text)
    status_board(board)
    st.divider()
    left, right = st.columns(2)
    if state.may("decide"):
        with left:
            st.subheader(_("Decide"))
            decision_panel(record, board, plan)
    if state.may("note"):
        with right:
            st.subheader(_("Notes"))
            notes_panel(record)
    st.subheader(_("Log"))
    st.dataframe(log_rows(board), hide_index=True, key="drill_log")


main()
