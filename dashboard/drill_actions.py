"""The Drill page's words and actions: labels of modes and steps, and the callbacks its
buttons run. Thin: every action is a call into ``drills.session``, which stores it
before the page says it was done."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any, cast

import streamlit as st

from dashboard import services, state
from dashboard.signin import role_name
from drills import session
from drills.board import choice_label
from drills.errors import Conflict, DrillError
from i18n import N_, _
from plans import ModelFileError
from plans.types import human_minutes
from sim.response.decisions import Decision, DecisionKind

MODE_NAMES = {"tabletop": N_("tabletop"), "live": N_("live")}
STEP_LABELS = {
    "discover_report": N_("Discovery and report"),
    "assess_grade": N_("Assessment and grading"),
    "activate": N_("Activation"),
    "handle_coordinate": N_("Handling and coordination"),
    "track_feedback": N_("Tracking and feedback"),
    "review_improve": N_("Summary and improvement"),
}
"""The six response steps (7.2) as the manual names them."""
REFUSALS = {
    "advance": N_("The {role} role may not advance in a drill."),
    "decide": N_("The {role} role may not decide in a drill."),
    "note": N_("The {role} role may not note in a drill."),
    "observe": N_("The {role} role may not observe in a drill."),
    "create": N_("The {role} role may not create or archive drills."),
}


def mode_name(mode: str) -> str:
    """'tabletop' / 'live' in the language in use."""
    return _(MODE_NAMES[mode]) if mode in MODE_NAMES else mode


def step_label(step: str) -> str:
    """A response step's name in the language in use."""
    return _(STEP_LABELS[step]) if step in STEP_LABELS else step


def refused(action: str) -> bool:
    """Re-check the role at the moment of the click (the page hides what a role may not do).

    The core checks it once more: every write below passes ``role=state.acting_role()``.
    """
    state.begin_run()  # a callback runs before the page sets the language
    if state.may(action):
        return False
    state.flash("error", _(REFUSALS[action]).format(role=role_name(state.current_role())))
    return True


def _run(action: Any, *args: Any, ok: str) -> None:
    """Call the core as this tab's role; report what the user must know; never a traceback."""
    try:
        action(*args, role=state.acting_role())
    except Conflict as exc:
        state.flash("warning", str(exc))
    except (DrillError, ValueError, ModelFileError) as exc:
        state.flash("error", str(exc))
    except (sqlite3.Error, OSError) as exc:  # the disk or the database failed
        state.flash("error", not_saved(exc))
    else:
        state.flash("success", ok)


def not_saved(exc: BaseException) -> str:
    """What a person reads when the drill database could not take an entry."""
    return _(
        "Not saved: the drill database could not be written ({reason}). What you typed is "
        "kept on the page; try again, or tell the facilitator."
    ).format(reason=exc)


def advance(drill_id: str, to_time: float | None, version: int) -> None:
    """Advance to ``to_time``, or by the step chosen now when it is None.

    Callbacks read widget values from the session at click time: arguments bound at
    the last render would miss a value changed just before the click.
    """
    if refused("advance"):
        return
    if to_time is None:
        record = services.store().get(drill_id)
        to_time = record.clock + float(st.session_state.get("clock_step", 15))
    _run(
        session.advance,
        services.store(),
        drill_id,
        to_time,
        author(),
        version,
        ok=_("Clock moved to {time}.").format(time=human_minutes(to_time)),
    )


def decide(drill_id: str, version: int) -> None:
    if refused("decide"):
        return
    ss = st.session_state
    choice = ss.get("decision_choice") or ("close", None)
    level = ss.get("decision_level") if choice[0] == "declare_level" else None
    target = choice[1] or (
        ss.get("decision_target") if choice[0] not in {"declare_level", "close"} else None
    )
    by, rationale = str(ss.get("decision_by") or author()), str(ss.get("decision_rationale") or "")
    # Why the cast: the choices offered are the plan's actions and the commands, and
    # Decision validates the action against DecisionKind (a ValueError, caught below).
    action = cast(DecisionKind, choice[0])
    decision = Decision(action=action, target=target, level=level, by=by, rationale=rationale)
    try:
        verdict, _entry = session.decide(
            services.store(),
            drill_id,
            decision,
            author(),
            rationale,
            version,
            role=state.acting_role(),
        )
    except Conflict as exc:
        state.flash("warning", str(exc))
        return
    except (DrillError, ValueError) as exc:
        state.flash("error", str(exc))
        return
    except (sqlite3.Error, OSError) as exc:  # the disk failed: say so, keep the rationale
        state.flash("error", not_saved(exc))
        return
    if verdict.accepted:
        st.session_state["decision_rationale"] = ""
        state.flash(
            "success",
            _("Decision taken and saved: {decision}.").format(
                decision=choice_label(choice, target, level)
            ),
        )
    else:
        state.flash(
            "error",
            _("Decision refused (saved in the log): {reason}").format(reason=verdict.reason),
        )


def note(drill_id: str, sim_time: float) -> None:
    if refused("note"):
        return
    text = st.session_state.get("note_text", "")
    try:
        session.add_note(
            services.store(), drill_id, text, author(), sim_time, role=state.acting_role()
        )
    except (DrillError, ValueError) as exc:
        state.flash("error", str(exc))
        return
    except (sqlite3.Error, OSError) as exc:  # the disk or the database failed: keep the text
        state.flash("error", not_saved(exc))
        return
    st.session_state["note_text"] = ""
    state.flash("success", _("Note saved."))


def observe(drill_id: str, sim_time: float) -> None:
    if refused("observe"):
        return
    step = str(st.session_state.get("observe_step"))
    _run(
        session.add_observation,
        services.store(),
        drill_id,
        step,
        author(),
        sim_time,
        ok=_("Recorded: step '{step}' done now.").format(step=step),
    )


def author() -> str:
    # who acts: the name typed on the page, else the signed-in person, else the signed-in
    # role (never a role the person does not hold: an observer's note is not a facilitator's)
    return str(
        st.session_state.get("author")
        or st.session_state.get("person_name")
        or st.session_state.get("role")
        or "facilitator"
    )


# --- drill-day control: the live clock, injects, the end, the archive ---------------------


def wall_now() -> dt.datetime:
    """The wall clock the live drill follows (a seam: tests give it a clock they control)."""
    return dt.datetime.now(dt.UTC)


def _facilitator(action: str = "advance") -> bool:
    """Whether this tab may run the drill (the facilitator); a refusal is flashed."""
    return not refused(action)


CLOCK_DONE = {
    "start": N_("Live clock started."),
    "pause": N_("Drill paused: the clock stands still until you resume."),
    "resume": N_("Drill resumed: the clock follows wall time again."),
}
"""What the room reads once the Start, Pause or Resume button's entry is saved."""


def clock(drill_id: str, action: session.ClockAction, version: int) -> None:
    """Start, pause or resume a live drill's clock now (the three buttons' one callback)."""
    if not _facilitator():
        return
    _run(
        session.live_clock,
        services.store(),
        drill_id,
        action,
        version,
        author(),
        wall_now(),
        ok=_(CLOCK_DONE[action]),
    )


def deliver(drill_id: str, index: int, title: str, version: int) -> None:
    """Deliver a scenario inject now, before its time."""
    if not _facilitator():
        return
    _run(
        session.deliver_inject,
        services.store(),
        drill_id,
        index,
        author(),
        version,
        ok=_("Inject '{title}' delivered now.").format(title=title),
    )


def skip(drill_id: str, index: int, title: str, version: int) -> None:
    """Skip a scenario inject: players will not see it when its time comes."""
    if not _facilitator():
        return
    _run(
        session.skip_inject,
        services.store(),
        drill_id,
        index,
        author(),
        version,
        ok=_("Inject '{title}' skipped.").format(title=title),
    )


def adhoc(drill_id: str, version: int) -> None:
    """Send the ad-hoc inject typed in the form, at the current clock."""
    if not _facilitator():
        return
    ss = st.session_state
    title = str(ss.get("adhoc_title") or "").strip()
    message = str(ss.get("adhoc_message") or "").strip()
    to = [str(r) for r in ss.get("adhoc_to") or []]
    if not title:
        state.flash("error", _("An ad-hoc inject needs a title."))
        return
    try:
        session.add_inject(
            services.store(),
            drill_id,
            title,
            message,
            to,
            author(),
            version,
            role=state.acting_role(),
        )
    except Conflict as exc:
        state.flash("warning", str(exc))
        return
    except (DrillError, ValueError) as exc:
        state.flash("error", str(exc))
        return
    except (sqlite3.Error, OSError) as exc:  # the disk failed: say so, keep what was typed
        state.flash("error", not_saved(exc))
        return
    for key in ("adhoc_title", "adhoc_message"):
        ss[key] = ""
    ss["adhoc_to"] = []
    state.flash("success", _("Ad-hoc inject '{title}' sent.").format(title=title))


def end(drill_id: str, version: int) -> None:
    """End the drill with the closing summary typed, once the facilitator has confirmed."""
    if not _facilitator():
        return
    ss = st.session_state
    if not ss.get("end_confirm"):
        state.flash("warning", _("Tick 'I confirm' first: ending a drill cannot be undone."))
        return
    summary = str(ss.get("end_summary") or "")
    _run(
        lambda role: session.end_drill(
            services.store(), drill_id, author(), version, summary=summary, role=role
        ),
        ok=_("Drill ended: it is read-only now. Evaluate it and write its report."),
    )


def archive(drill_id: str) -> None:
    """Hide a drill from the pickers (it stays in the database and can be restored)."""
    if not _facilitator("create"):
        return
    _run(
        services.store().archive,
        drill_id,
        author(),
        ok=_("Drill {id} archived: it is hidden from the lists.").format(id=drill_id),
    )


def restore(drill_id: str) -> None:
    """Bring an archived drill back into the pickers."""
    if not _facilitator("create"):
        return
    _run(
        services.store().restore,
        drill_id,
        author(),
        ok=_("Drill {id} restored.").format(id=drill_id),
    )
