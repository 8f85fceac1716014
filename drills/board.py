"""What the drill page shows, as plain data: table rows, decision choices, labels.

Why outside the page: the page stays a thin script, and these choices (which
decisions to offer first, how a step reads on the board) are tested without a browser.
Rows name the plan's roles, people, channels, systems and sites by their names in
the language in use (from the board's ``names``), the id kept beside where a
decision needs it; their keys are the column headings, in the language in use.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from drills.access import ROLE_NAMES
from drills.records import Participant
from i18n import N_, _, format_datetime
from plans.checks import ACTION_TARGETS
from plans.model import STEP_NAMES, Plan
from plans.types import human_minutes
from sim.labels import level_label, step_label

Choice = tuple[str, str | None]
"""(action, target): a target of None means the user picks it."""
COMMAND_CHOICES: tuple[Choice, ...] = (("declare_level", None), ("escalate", None), ("close", None))
OTHER_ACTIONS = tuple(a for a in ACTION_TARGETS if a != "escalate")
"""The plan's action vocabulary (escalation is offered among the command acts)."""
WORDS = {
    "activate_backup": N_("Activate backup"),
    "call_in_reserves": N_("Call in reserves"),
    "redeploy_staff": N_("Redeploy staff"),
    "notify_customers": N_("Notify customers"),
    "switch_to_callback": N_("Switch to callbacks"),
    "switch_to_notice": N_("Switch to a notice"),
    "isolate_systems": N_("Isolate system"),
    "declare_level": N_("Declare a level"),
    "escalate": N_("Escalate to a role"),
    "close": N_("Close the event"),
}
"""Each decision as the room reads it (msgids: shown with ``_()``)."""
BACKUP_STATES = {
    "idle": N_("backup idle"),
    "activating": N_("backup activating"),
    "active": N_("backup active"),
}
CHANNEL_MODES = {"normal": N_("normal"), "callback": N_("callback"), "notice": N_("notice")}


def open_event_class(board: dict[str, Any]) -> str | None:
    """The event class of the most recent detected, open incident."""
    open_ones = [
        i for i in board.get("incidents", []) if i["detected"] is not None and i["closed"] is None
    ]
    return open_ones[-1]["event_class"] if open_ones else None


def decision_choices(plan: Plan, board: dict[str, Any]) -> list[Choice]:
    """The plan's own actions for the open event first, then command acts, then any action."""
    cls = open_event_class(board)
    flow = plan.flow_for(cls) if cls else None
    planned: list[Choice] = []
    if flow is not None:
        planned = list(dict.fromkeys((a.action, a.target) for s in flow.steps for a in s.actions))
    return [*planned, *COMMAND_CHOICES, *((a, None) for a in OTHER_ACTIONS)]


def choice_label(
    choice: Choice,
    target: str | None = None,
    level: int | None = None,
    names: Mapping[str, str] | None = None,
) -> str:
    """'Activate backup: crm_standby', 'Declare a level: 2', 'Isolate system (choose a target)'.

    With ``names`` (a board's ``names``), the target reads by its name and id:
    'Activate backup: CRM standby (crm_standby)'.
    """
    action, fixed = choice
    word = _(WORDS[action]) if action in WORDS else action
    chosen = fixed or target
    if chosen and names and names.get(chosen, chosen) != chosen:
        return _("{action}: {name} ({id})").format(action=word, name=names[chosen], id=chosen)
    what = chosen or (str(level) if level else None)
    if what:
        return _("{action}: {target}").format(action=word, target=what)
    if action in {a for a, _t in COMMAND_CHOICES}:
        return word
    return _("{action} (choose a target)").format(action=word)


def targets_for(plan: Plan, action: str) -> list[str]:
    """Ids an action may be aimed at, of the kinds it takes."""
    if action == "escalate":
        return [r.id for r in plan.roles]
    ids = plan.ids_by_kind()
    return sorted(i for kind in ACTION_TARGETS.get(action, ()) for i in ids[kind])


def parse_participants(text: str) -> tuple[list[Participant], list[str]]:
    """'name, role' per line into participants, with a message per bad line."""
    people: list[Participant] = []
    problems: list[str] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, _comma, role = (part.strip() for part in line.partition(","))
        if not name:
            problems.append(
                _("participants line {n}: a participant needs a name before the comma").format(n=n)
            )
            continue
        people.append(Participant(name, role))
    return people, problems


def _name(board: Mapping[str, Any], ident: str | None) -> str:
    if not ident:
        return ""
    return str(board.get("names", {}).get(ident, ident))


def channel_rows(board: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per channel: its name, up, mode, waiting, agents against plan, its id."""
    rows = []
    for c in board["channels"]:
        if c["up"] and c["working"]:
            status = _("up")
        elif c["up"]:
            status = _("short of agents")
        else:
            status = _("DOWN")
        rows.append(
            {
                _("channel"): _name(board, c["id"]),
                _("status"): status,
                _("mode"): _(CHANNEL_MODES[c["mode"]]) if c["mode"] in CHANNEL_MODES else c["mode"],
                _("waiting"): c["waiting"],
                _("agents"): f"{c['agents']} / {c['planned_agents']}",
                _("id"): c["id"],
            }
        )
    return rows


def system_rows(board: dict[str, Any]) -> list[dict[str, Any]]:
    """Systems and sites that are down, then every backup with its state (names, then ids)."""
    what, state, ident = _("what"), _("state"), _("id")
    rows = [
        {what: _name(board, s["id"]), state: _("DOWN"), ident: s["id"]}
        for s in board["systems"]
        if not s["working"]
    ]
    rows += [
        {what: _name(board, s["id"]), state: _("site DOWN"), ident: s["id"]}
        for s in board["sites"]
        if not s["working"]
    ]
    rows += [
        {
            what: _name(board, b),
            state: _(BACKUP_STATES[st])
            if st in BACKUP_STATES
            else _("backup {state}").format(state=st),
            ident: b,
        }
        for b, st in board["backups"].items()
    ]
    return rows


def reached_rows(board: dict[str, Any]) -> list[dict[str, Any]]:
    """Roles called, when, and who answered, by name."""
    return [
        {
            _("role"): _name(board, role),
            _("called at"): human_minutes(r["notified"]),
            _("reached"): human_minutes(r["reached"]) if r["reached"] is not None else _("not yet"),
            _("by"): _name(board, r["person"]),
            _("via"): _name(board, r["via"]) if r["via"] != role else "",
        }
        for role, r in board.get("reached", {}).items()
    ]


def incident_rows(board: dict[str, Any]) -> list[dict[str, Any]]:
    """Each incident's steps: started, done, limit, late."""
    rows = []
    for incident in board.get("incidents", []):
        level = level_label(incident["level"]) if incident["level"] else _("level ?")
        event = _("{event_class} ({level})").format(
            event_class=_name(board, incident["event_class"]), level=level
        )
        for name in STEP_NAMES:
            step = incident["steps"].get(name)
            if step is None or step["started"] is None:
                continue
            rows.append(
                {
                    _("event"): event,
                    _("step"): step_label(name),
                    _("owner"): _name(board, step["owner"]),
                    _("started"): human_minutes(step["started"]),
                    _("done"): human_minutes(step["done"])
                    if step["done"] is not None
                    else _("open"),
                    _("limit"): human_minutes(step["limit"]),
                    _("late"): _("LATE") if step["late"] else "",
                }
            )
    return rows


def _wall(text: str, timezone: str | None) -> str:
    """A stored UTC wall time in the plan's zone, as the language in use writes it."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return text[:19]
    if timezone is None or moment.tzinfo is None:
        return text[:19]
    return format_datetime(moment, tz=timezone)


def _entry_text(e: dict[str, Any]) -> str:
    payload = e["payload"]
    if e["kind"] == "decision":
        what = (
            f"{payload.get('action')} {payload.get('target') or payload.get('level') or ''}"
        ).strip()
        verdict = e["result"] or {}
        if verdict.get("accepted"):
            text = _("{what} - taken").format(what=what)
        else:
            reason = e.get("reason") or verdict.get("reason", "")
            text = _("{what} - REFUSED: {reason}").format(what=what, reason=reason)
        if payload.get("rationale"):
            text = _("{entry} (why: {rationale})").format(
                entry=text, rationale=payload["rationale"]
            )
        return text
    if e["kind"] == "advance":
        return _("clock to {time}").format(
            time=human_minutes(float(payload.get("to", e["sim_time"])))
        )
    if e["kind"] in ("start", "resume"):
        return _("live clock running from {time}").format(
            time=human_minutes(float(payload.get("clock", e["sim_time"])))
        )
    if e["kind"] == "pause":
        return _("live clock paused at {time}").format(
            time=human_minutes(float(payload.get("to", e["sim_time"])))
        )
    if e["kind"] == "inject":
        return _inject_text(payload)
    return str(payload.get("text") or payload.get("step") or "")


def _inject_text(payload: Mapping[str, Any]) -> str:
    action = payload.get("action")
    if action == "adhoc":
        return _("ad-hoc inject: {title}: {message}").format(
            title=payload.get("title", ""), message=payload.get("message", "")
        )
    number = int(payload.get("index", 0)) + 1  # people count injects from 1
    if action == "skip":
        return _("inject {index} skipped").format(index=number)
    return _("inject {index} delivered now").format(index=number)


ENTRY_KINDS = {
    "advance": N_("advance"),
    "decision": N_("decision"),
    "note": N_("note"),
    "observation": N_("observation"),
    "end": N_("end"),
    "start": N_("start"),
    "pause": N_("pause"),
    "resume": N_("resume"),
    "inject": N_("inject"),
}


def log_rows(board: dict[str, Any]) -> list[dict[str, Any]]:
    """The drill's log, newest first, one readable line each.

    Wall times are shown in the plan's time zone (the board's ``timezone``), named
    in the column heading.
    """
    timezone = board.get("timezone")
    wall = _("wall time ({timezone})").format(timezone=timezone) if timezone else _("wall time")
    rows = []
    for e in reversed(board.get("log", [])):
        rows.append(
            {
                "#": e["seq"],
                _("sim time"): human_minutes(e["sim_time"]),
                wall: _wall(e["wall_time"], timezone),
                _("who"): entered_by(e),
                _("kind"): _(ENTRY_KINDS[e["kind"]]) if e["kind"] in ENTRY_KINDS else e["kind"],
                _("entry"): _entry_text(e),
            }
        )
    return rows


def entered_by(entry: Mapping[str, Any]) -> str:
    """Who made a log entry, with the console role it was made for: 'Olga (observer)'.

    Why both: the author is the name typed, which anyone may type; the role is the one
    the console signed in and the core checked. An entry from the command line (a
    trusted caller) has no role and shows its author alone.
    """
    author, role = str(entry.get("author", "")), entry.get("role")
    if not role:
        return author
    shown = _(ROLE_NAMES[role]) if role in ROLE_NAMES else str(role)
    if author in (role, shown):  # a person who gave no name is recorded under the role
        return author
    return _("{author} ({role})").format(author=author, role=shown)
