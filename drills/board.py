"""What the drill page shows, as plain data: table rows, decision choices, labels.

Why outside the page: the page stays a thin script, and these choices (which
decisions to offer first, how a step reads on the board) are tested without a browser.
"""

from __future__ import annotations

from typing import Any

from drills.records import Participant
from plans.checks import ACTION_TARGETS
from plans.model import STEP_NAMES, Plan
from plans.types import human_minutes

Choice = tuple[str, str | None]
"""(action, target): a target of None means the user picks it."""
COMMAND_CHOICES: tuple[Choice, ...] = (("declare_level", None), ("escalate", None), ("close", None))
OTHER_ACTIONS = tuple(a for a in ACTION_TARGETS if a != "escalate")
"""The plan's action vocabulary (escalation is offered among the command acts)."""
WORDS = {
    "activate_backup": "Activate backup",
    "call_in_reserves": "Call in reserves",
    "redeploy_staff": "Redeploy staff",
    "notify_customers": "Notify customers",
    "switch_to_callback": "Switch to callbacks",
    "switch_to_notice": "Switch to a notice",
    "isolate_systems": "Isolate system",
    "declare_level": "Declare a level",
    "escalate": "Escalate to a role",
    "close": "Close the event",
}


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


def choice_label(choice: Choice, target: str | None = None, level: int | None = None) -> str:
    """'Activate backup: crm_standby', 'Declare a level: 2', 'Isolate system: (choose)'."""
    action, fixed = choice
    what = fixed or target or (str(level) if level else None)
    return (
        f"{WORDS[action]}: {what}"
        if what
        else WORDS[action]
        + ("" if action in {a for a, _ in COMMAND_CHOICES} else " (choose a target)")
    )


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
        name, _, role = (part.strip() for part in line.partition(","))
        if not name:
            problems.append(f"participants line {n}: a participant needs a name before the comma")
            continue
        people.append(Participant(name, role))
    return people, problems


def channel_rows(board: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per channel: up, mode, waiting, agents against plan."""
    return [
        {
            "channel": c["id"],
            "status": "up"
            if c["up"] and c["working"]
            else "short of agents"
            if c["up"]
            else "DOWN",
            "mode": c["mode"],
            "waiting": c["waiting"],
            "agents": f"{c['agents']} / {c['planned_agents']}",
        }
        for c in board["channels"]
    ]


def system_rows(board: dict[str, Any]) -> list[dict[str, Any]]:
    """Systems and sites that are down, then every backup with its state."""
    rows = [{"what": s["id"], "state": "DOWN"} for s in board["systems"] if not s["working"]]
    rows += [{"what": s["id"], "state": "site DOWN"} for s in board["sites"] if not s["working"]]
    rows += [{"what": b, "state": f"backup {st}"} for b, st in board["backups"].items()]
    return rows


def reached_rows(board: dict[str, Any]) -> list[dict[str, Any]]:
    """Roles called, when, and who answered."""
    return [
        {
            "role": role,
            "called at": human_minutes(r["notified"]),
            "reached": human_minutes(r["reached"]) if r["reached"] is not None else "not yet",
            "by": r["person"] or "",
            "via": r["via"] if r["via"] != role else "",
        }
        for role, r in board.get("reached", {}).items()
    ]


def incident_rows(board: dict[str, Any]) -> list[dict[str, Any]]:
    """Each incident's steps: started, done, limit, late."""
    rows = []
    for incident in board.get("incidents", []):
        for name in STEP_NAMES:
            step = incident["steps"].get(name)
            if step is None or step["started"] is None:
                continue
            rows.append(
                {
                    "event": f"{incident['event_class']} (level {incident['level'] or '?'})",
                    "step": name,
                    "owner": step["owner"],
                    "started": human_minutes(step["started"]),
                    "done": human_minutes(step["done"]) if step["done"] is not None else "open",
                    "limit": human_minutes(step["limit"]),
                    "late": "LATE" if step["late"] else "",
                }
            )
    return rows


def log_rows(board: dict[str, Any]) -> list[dict[str, Any]]:
    """The drill's log, newest first, one readable line each."""
    rows = []
    for e in reversed(board.get("log", [])):
        payload = e["payload"]
        if e["kind"] == "decision":
            what = (
                f"{payload.get('action')} {payload.get('target') or payload.get('level') or ''}"
            ).strip()
            verdict = e["result"] or {}
            what += (
                " - taken"
                if verdict.get("accepted")
                else f" - REFUSED: {verdict.get('reason', '')}"
            )
            if payload.get("rationale"):
                what += f" (why: {payload['rationale']})"
        elif e["kind"] == "advance":
            what = f"clock to {human_minutes(float(payload.get('to', e['sim_time'])))}"
        else:
            what = str(payload.get("text") or payload.get("step") or "")
        rows.append(
            {
                "#": e["seq"],
                "sim time": human_minutes(e["sim_time"]),
                "wall time": e["wall_time"][:19],
                "who": e["author"],
                "kind": e["kind"],
                "entry": what,
            }
        )
    return rows
