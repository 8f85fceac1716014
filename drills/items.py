"""The improvement plan: HSEEP's IP rows, kept beside the drills, and their validation.

Why in the drill database: an item is found in a drill and closed by a later one;
keeping both in one file lets the later drill's own results, not somebody's word,
decide that a corrective action worked (ANCHORS.md section 1: "a later exercise then
validates each completed corrective action").

An item names the part of the plan it is about (``node_kind`` and ``node_id``):

* ``role``: a role id ('duty_manager');
* ``step``: an event class and a step ('system_failure.activate');
* ``target``: a target check of :func:`sim.analysis.targets.plan_targets` ('rto', 'rpo',
  'service_level', 'availability', 'step.activate', 'tickets.urgent.respond');
* ``system``, ``site``, ``resource``: an id of the plan's systems, sites or resources.

Lifecycle: open -> in_progress -> done -> verified, and done -> in_progress when the
fix turns out unfinished. Only :func:`verify` makes an item verified, and only on the
evidence of a drill created after the item was recorded (or a run journal started
after it) whose results show the problem gone; :func:`~drills.evidence.judge`
says what each kind of item needs. Every status change is kept with who and when.

This module records items and moves them along the lifecycle by hand; the records
themselves are :mod:`~drills.item_records`, verification is
:mod:`~drills.item_verification` and re-test proposals are :mod:`~drills.retest`.
All are re-exported here, so the improvement plan is imported from one place.
"""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path
from typing import TypeVar

import yaml

from drills import validation as check
from drills.access import Role, require
from drills.errors import UnknownDrill
from drills.evaluations import CAPABILITIES
from drills.item_records import (
    ELEMENTS,
    NODE_KINDS,
    STATUSES,
    TRANSITIONS,
    Element,
    Item,
    NodeKind,
    Status,
    StatusChange,
    all_items,
    get_item,
    load_item,
    node_kind_word,
    record_change,
)
from drills.item_verification import VerificationRefused, verify
from drills.retest import coverage, fitting_scenarios, propose_retest
from drills.schema import connect, write
from i18n import N_, _, local_text
from plans.model import STEP_NAMES, Plan
from sim.analysis.targets import plan_targets

__all__ = [
    "ELEMENTS",
    "NODE_KINDS",
    "STATUSES",
    "TRANSITIONS",
    "Element",
    "Item",
    "NodeKind",
    "Status",
    "StatusChange",
    "VerificationRefused",
    "add_item",
    "all_items",
    "check_node",
    "coverage",
    "fitting_scenarios",
    "get_item",
    "node_ids",
    "open_items",
    "overdue",
    "poc_name",
    "propose_retest",
    "set_status",
    "verify",
]

_T = TypeVar("_T", bound=str)


# --- checks ------------------------------------------------------------------------------


def _choice(value: object, choices: tuple[_T, ...], what: str) -> _T:
    for choice in choices:
        if value == choice:
            return choice
    raise ValueError(
        _("unknown {what} {value!r}: one of {choices}").format(
            what=_(what), value=value, choices=", ".join(choices)
        )
    )


DATE_ERRORS = {
    "start": N_("the start date must be a date such as 2026-06-30, not {value!r}"),
    "due": N_("the due date must be a date such as 2026-06-30, not {value!r}"),
}


def _date(value: object, what: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(_(DATE_ERRORS[what]).format(value=value))


def _text(value: object, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(_("an improvement item needs {what}").format(what=_(what)))
    return value.strip()


def _one_of(value: str, known: list[str], what: str) -> str:
    if value in known:
        return value
    close = difflib.get_close_matches(value, known, n=1)
    listed = ", ".join(known) if len(known) <= 12 else ", ".join(known[:12]) + ", ..."
    if close:
        raise ValueError(
            _("unknown {what} '{value}' (did you mean '{close}'?): one of {listed}").format(
                what=what, value=value, close=close[0], listed=listed
            )
        )
    raise ValueError(
        _("unknown {what} '{value}': one of {listed}").format(what=what, value=value, listed=listed)
    )


def node_ids(plan: Plan, kind: str) -> list[str]:
    """The ids an item of this node kind may name in the plan."""
    node_kind = _choice(kind, NODE_KINDS, N_("node kind"))
    if node_kind == "step":
        return [f"{f.event_class}.{s}" for f in plan.flows for s in STEP_NAMES]
    if node_kind == "target":
        return [c.name for c in plan_targets(plan)]
    if node_kind == "role":
        return [r.id for r in plan.roles]
    if node_kind == "resource":
        return [r.id for r in plan.resources]
    if node_kind == "system":
        return [s.id for s in plan.systems]
    return [s.id for s in plan.sites]


def check_node(plan: Plan, kind: str, node_id: object) -> tuple[NodeKind, str]:
    """The node kind and id, checked against the plan (ValueError naming the known ids)."""
    node_kind = _choice(kind, NODE_KINDS, N_("node kind"))
    if not isinstance(node_id, str) or not node_id.strip():
        raise ValueError(
            _("an improvement item about a {kind} needs the {kind}'s id").format(
                kind=node_kind_word(node_kind)
            )
        )
    what = (
        _("step (write it event_class.step, e.g. 'system_failure.activate')")
        if node_kind == "step"
        else node_kind_word(node_kind)
    )
    known = node_ids(plan, node_kind)
    return node_kind, _one_of(
        node_id.strip(),
        known,
        _("{what} in plan '{plan}'").format(what=what, plan=plan.meta.id),
    )


# --- the database ------------------------------------------------------------------------


def _plan_id_of(plan_text: str) -> str | None:
    try:
        data = yaml.safe_load(plan_text)
        return str(data["meta"]["id"])
    except (yaml.YAMLError, KeyError, TypeError):
        return None


def add_item(
    db_path: str | Path,
    plan: Plan,
    *,
    issue: str,
    corrective_action: str,
    element: str,
    owner_role: str,
    start: dt.date | str,
    due: dt.date | str,
    node_kind: str,
    node_id: str,
    author: str,
    drill_id: str | None = None,
    capability: str | None = None,
    poc: str = "",
    role: Role | None = None,
) -> Item:
    """Record an improvement item (status 'open') for the plan; returns it.

    ``drill_id`` is the drill it was found in (it must be a drill of this plan);
    ``owner_role`` a role of the plan; ``due`` on or after ``start``; ``poc`` the point
    of contact: a person id of the plan (:func:`poc_name` shows their name) or any
    name typed in.
    """
    require(role, "items")  # the acting console role, checked by the core
    fields = (
        _text(issue, N_("the issue (the area for improvement)")),
        _text(corrective_action, N_("a corrective action")),
        _choice(element, ELEMENTS, N_("capability element (POETE)")),
        _one_of(
            str(owner_role).strip(),
            [r.id for r in plan.roles],
            _("owner role in plan '{plan}'").format(plan=plan.meta.id),
        ),
    )
    begin, end = _date(start, "start"), _date(due, "due")
    if end < begin:
        raise ValueError(
            _("the due date {due} is before the start date {start}").format(due=end, start=begin)
        )
    kind, node = check_node(plan, node_kind, node_id)
    cap = None if capability in (None, "") else _choice(capability, CAPABILITIES, N_("capability"))
    who = check.author(author)
    contact = "" if poc is None else str(poc).strip()
    wall = check.now_iso()
    with connect(db_path) as conn, write(conn):
        if drill_id is not None:
            row = conn.execute("SELECT plan_text FROM drills WHERE id = ?", (drill_id,)).fetchone()
            if row is None:
                raise UnknownDrill(drill_id)
            found_plan = _plan_id_of(row["plan_text"])
            if found_plan != plan.meta.id:
                raise ValueError(
                    _("drill '{drill}' was held on plan '{plan}', not '{other}'").format(
                        drill=drill_id, plan=found_plan, other=plan.meta.id
                    )
                )
        counter = conn.execute("SELECT value FROM counters WHERE name = 'drills'").fetchone()
        cur = conn.execute(
            """INSERT INTO items (plan_id, drill_id, capability, issue, corrective_action, element,
                                  owner_role, start, due, status, node_kind, node_id,
                                  created_wall, created_by, drills_before, poc)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?)""",
            (
                plan.meta.id,
                drill_id,
                cap,
                *fields,
                begin.isoformat(),
                end.isoformat(),
                kind,
                node,
                wall,
                who,
                int(counter[0]) if counter else 0,
                contact,
            ),
        )
        item_id = int(cur.lastrowid or 0)
        record_change(conn, item_id, None, "open", who, wall, "recorded")
        return load_item(conn, item_id)


def poc_name(plan: Plan | None, poc: str) -> str:
    """A point of contact as a person reads it: a plan person's name (and contact), or as typed."""
    if plan is not None and poc in {p.id for p in plan.people}:
        person = plan.person(poc)
        name = local_text(person.name, fallback=person.id)
        return (
            _("{name} ({contact})").format(name=name, contact=person.contact)
            if person.contact
            else name
        )
    return poc


def open_items(
    db_path: str | Path, plan_id: str | None = None, today: dt.date | None = None
) -> list[Item]:
    """Items not yet verified (open, in progress, or done and awaiting a later drill).

    Overdue ones first (:meth:`Item.is_overdue` on ``today``, default today), then by
    due date, then in the order recorded.
    """
    day = today or dt.date.today()
    pending = [i for i in all_items(db_path, plan_id) if i.status != "verified"]
    return sorted(pending, key=lambda i: (not i.is_overdue(day), i.due, i.id))


def overdue(
    db_path: str | Path, plan_id: str | None = None, today: dt.date | None = None
) -> list[Item]:
    """Items due before ``today`` (default today) and not done or verified, oldest due first."""
    day = today or dt.date.today()
    return [i for i in open_items(db_path, plan_id, day) if i.is_overdue(day)]


def set_status(
    db_path: str | Path,
    item_id: int,
    status: str,
    by: str,
    note: str = "",
    *,
    role: Role | None = None,
) -> Item:
    """Move an item along its lifecycle (open -> in_progress -> done; done -> in_progress).

    'verified' is refused here: only :func:`verify` with a later drill's evidence
    makes an item verified. Every other change not in :data:`TRANSITIONS` is refused
    with the changes allowed from the item's status.
    """
    require(role, "items")  # the acting console role, checked by the core
    new = _choice(status, STATUSES, N_("status"))
    who = check.author(by)
    if new == "verified":
        raise ValueError(
            _(
                "item {item} cannot be set to 'verified' by hand: verify it with a later drill "
                "(or run journal) whose results show the problem gone"
            ).format(item=item_id)
        )
    wall = check.now_iso()
    with connect(db_path) as conn, write(conn):
        item = load_item(conn, item_id)
        allowed = TRANSITIONS[item.status]
        if new not in allowed:
            options = _(" or ").join(f"'{s}'" for s in sorted(allowed)) or _(
                "nothing (it is final)"
            )
            if item.status == "done":
                options = _("{options}, or 'verified' through a later drill").format(
                    options=options
                )
            raise ValueError(
                _("item {item} is '{status}': it can move to {options}, not to '{new}'").format(
                    item=item_id, status=item.status, options=options, new=new
                )
            )
        conn.execute("UPDATE items SET status = ? WHERE id = ?", (new, item_id))
        record_change(conn, item_id, item.status, new, who, wall, note.strip())
        return load_item(conn, item_id)
