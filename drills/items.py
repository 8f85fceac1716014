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
"""

from __future__ import annotations

import datetime as dt
import difflib
import sqlite3
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml

from drills import validation as check
from drills.errors import DrillError, UnknownDrill
from drills.evaluations import CAPABILITIES
from drills.evidence import Evidence, backups_of, drill_number, judge, load_evidence, protected_by
from drills.schema import connect, read, write
from plans.issues import ModelFileError
from plans.model import STEP_NAMES, Plan
from scenarios import bundled_scenarios, check_against_plan, load_scenario
from scenarios.model import Scenario
from sim.analysis.targets import plan_targets

_T = TypeVar("_T", bound=str)

Element = Literal["planning", "organisation", "equipment", "training", "exercise"]
ELEMENTS: tuple[Element, ...] = ("planning", "organisation", "equipment", "training", "exercise")
"""HSEEP's capability elements (POETE)."""

Status = Literal["open", "in_progress", "done", "verified"]
STATUSES: tuple[Status, ...] = ("open", "in_progress", "done", "verified")
TRANSITIONS: dict[str, frozenset[str]] = {
    "open": frozenset({"in_progress"}),
    "in_progress": frozenset({"done"}),
    "done": frozenset({"in_progress"}),
    "verified": frozenset(),
}
"""Changes :func:`set_status` makes; 'done' -> 'verified' is :func:`verify`'s alone."""

NodeKind = Literal["role", "resource", "step", "target", "system", "site"]
NODE_KINDS: tuple[NodeKind, ...] = ("role", "resource", "step", "target", "system", "site")


class VerificationRefused(DrillError, ValueError):
    """The evidence does not show the problem gone; the item keeps its status."""

    def __init__(self, item_id: int, reason: str) -> None:
        """Refuse item ``item_id`` for ``reason``."""
        self.item_id = item_id
        self.reason = reason
        super().__init__(f"item {item_id} not verified: {reason}")


@dataclass(frozen=True, slots=True)
class StatusChange:
    """One change of an item's status."""

    status_from: Status | None
    """None when the item was recorded."""
    status_to: Status
    who: str
    wall_time: str
    """ISO UTC time of the change."""
    note: str = ""
    """Why; for a verification, the evidence and what it showed."""


@dataclass(frozen=True, slots=True)
class Item:
    """One row of the improvement plan."""

    id: int
    plan_id: str
    drill_id: str | None
    """The drill it was found in, if any."""
    capability: str | None
    """Its capability (:data:`~drills.evaluations.CAPABILITIES`), if given."""
    issue: str
    """The issue or area for improvement."""
    corrective_action: str
    element: Element
    owner_role: str
    """The plan role responsible for the corrective action."""
    start: dt.date
    due: dt.date
    status: Status
    node_kind: NodeKind
    node_id: str
    created_wall: str
    created_by: str
    drills_before: int
    """Drills created in the database before this item: only a later one is evidence."""
    verified_by: str | None
    """The drill id or journal that verified it."""
    history: tuple[StatusChange, ...]

    def is_overdue(self, today: dt.date) -> bool:
        """Past its due date and not done or verified."""
        return self.due < today and self.status in ("open", "in_progress")

    def to_dict(self, today: dt.date | None = None) -> dict[str, Any]:
        """Plain, JSON-ready form; with ``today``, an ``overdue`` flag too."""
        out = asdict(self)
        del out["drills_before"]  # bookkeeping for verify(), not part of the IP row
        out.update(start=self.start.isoformat(), due=self.due.isoformat())
        out["history"] = [asdict(h) for h in self.history]
        if today is not None:
            out["overdue"] = self.is_overdue(today)
        return out


# --- checks -------------------------------------------------------------------------------


def _choice(value: object, choices: tuple[_T, ...], what: str) -> _T:
    for choice in choices:
        if value == choice:
            return choice
    raise ValueError(f"unknown {what} {value!r}: one of {', '.join(choices)}")


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
    raise ValueError(f"the {what} date must be a date such as 2026-06-30, not {value!r}")


def _text(value: object, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"an improvement item needs {what}")
    return value.strip()


def _one_of(value: str, known: list[str], what: str) -> str:
    if value in known:
        return value
    close = difflib.get_close_matches(value, known, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    listed = ", ".join(known) if len(known) <= 12 else ", ".join(known[:12]) + ", ..."
    raise ValueError(f"unknown {what} '{value}'{hint}: one of {listed}")


def node_ids(plan: Plan, kind: str) -> list[str]:
    """The ids an item of this node kind may name in the plan."""
    node_kind = _choice(kind, NODE_KINDS, "node kind")
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
    node_kind = _choice(kind, NODE_KINDS, "node kind")
    if not isinstance(node_id, str) or not node_id.strip():
        raise ValueError(f"an improvement item about a {node_kind} needs the {node_kind}'s id")
    what = {
        "step": "step (write it event_class.step, e.g. 'system_failure.activate')",
        "target": "target",
    }.get(node_kind, node_kind)
    known = node_ids(plan, node_kind)
    return node_kind, _one_of(node_id.strip(), known, f"{what} in plan '{plan.meta.id}'")


# --- the database -------------------------------------------------------------------------


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
) -> Item:
    """Record an improvement item (status 'open') for the plan; returns it.

    ``drill_id`` is the drill it was found in (it must be a drill of this plan);
    ``owner_role`` a role of the plan; ``due`` on or after ``start``.
    """
    fields = (
        _text(issue, "the issue (the area for improvement)"),
        _text(corrective_action, "a corrective action"),
        _choice(element, ELEMENTS, "capability element (POETE)"),
        _one_of(
            str(owner_role).strip(),
            [r.id for r in plan.roles],
            f"owner role in plan '{plan.meta.id}'",
        ),
    )
    begin, end = _date(start, "start"), _date(due, "due")
    if end < begin:
        raise ValueError(f"the due date {end} is before the start date {begin}")
    kind, node = check_node(plan, node_kind, node_id)
    cap = None if capability in (None, "") else _choice(capability, CAPABILITIES, "capability")
    who = check.author(author)
    wall = check.now_iso()
    with connect(db_path) as conn, write(conn):
        if drill_id is not None:
            row = conn.execute("SELECT plan_text FROM drills WHERE id = ?", (drill_id,)).fetchone()
            if row is None:
                raise UnknownDrill(drill_id)
            found_plan = _plan_id_of(row["plan_text"])
            if found_plan != plan.meta.id:
                raise ValueError(
                    f"drill '{drill_id}' was held on plan '{found_plan}', not '{plan.meta.id}'"
                )
        counter = conn.execute("SELECT value FROM counters WHERE name = 'drills'").fetchone()
        cur = conn.execute(
            """INSERT INTO items (plan_id, drill_id, capability, issue, corrective_action, element,
                                  owner_role, start, due, status, node_kind, node_id,
                                  created_wall, created_by, drills_before)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?)""",
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
            ),
        )
        item_id = int(cur.lastrowid or 0)
        _log(conn, item_id, None, "open", who, wall, "recorded")
        return _load(conn, item_id)


def _log(
    conn: sqlite3.Connection,
    item_id: int,
    old: str | None,
    new: str,
    who: str,
    wall: str,
    note: str,
) -> None:
    seq = conn.execute(
        "SELECT coalesce(max(seq), 0) + 1 FROM item_history WHERE item_id = ?", (item_id,)
    ).fetchone()[0]
    conn.execute(
        """INSERT INTO item_history (item_id, seq, status_from, status_to, who, wall_time, note)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        (item_id, seq, old, new, who, wall, note),
    )


def _load(conn: sqlite3.Connection, item_id: int) -> Item:
    row = conn.execute("SELECT * FROM items WHERE id = ?", (item_id,)).fetchone()
    if row is None:
        raise LookupError(f"no improvement item {item_id} in the drill database")
    history = conn.execute(
        "SELECT * FROM item_history WHERE item_id = ? ORDER BY seq", (item_id,)
    ).fetchall()
    return _item(row, history)


def _item(row: sqlite3.Row, history: list[sqlite3.Row]) -> Item:
    return Item(
        id=int(row["id"]),
        plan_id=row["plan_id"],
        drill_id=row["drill_id"],
        capability=row["capability"],
        issue=row["issue"],
        corrective_action=row["corrective_action"],
        element=row["element"],
        owner_role=row["owner_role"],
        start=dt.date.fromisoformat(row["start"]),
        due=dt.date.fromisoformat(row["due"]),
        status=row["status"],
        node_kind=row["node_kind"],
        node_id=row["node_id"],
        created_wall=row["created_wall"],
        created_by=row["created_by"],
        drills_before=int(row["drills_before"]),
        verified_by=row["verified_by"],
        history=tuple(
            StatusChange(h["status_from"], h["status_to"], h["who"], h["wall_time"], h["note"])
            for h in history
        ),
    )


def get_item(db_path: str | Path, item_id: int) -> Item:
    """One item with its history; LookupError if absent."""
    if not Path(db_path).exists():
        raise LookupError(f"no improvement item {item_id}: there is no drill database at {db_path}")
    with connect(db_path) as conn, read(conn):
        return _load(conn, item_id)


def all_items(db_path: str | Path, plan_id: str | None = None) -> list[Item]:
    """Every item (of one plan, if given), in the order recorded.

    A database file that does not exist yet holds no items (and is not created).
    """
    if not Path(db_path).exists():
        return []
    with connect(db_path) as conn, read(conn):
        if plan_id is None:
            rows = conn.execute("SELECT * FROM items ORDER BY id").fetchall()
        else:
            rows = conn.execute(
                "SELECT * FROM items WHERE plan_id = ? ORDER BY id", (plan_id,)
            ).fetchall()
        history: dict[int, list[sqlite3.Row]] = {}
        for h in conn.execute("SELECT * FROM item_history ORDER BY item_id, seq"):
            history.setdefault(int(h["item_id"]), []).append(h)
    return [_item(r, history.get(int(r["id"]), [])) for r in rows]


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


def set_status(db_path: str | Path, item_id: int, status: str, by: str, note: str = "") -> Item:
    """Move an item along its lifecycle (open -> in_progress -> done; done -> in_progress).

    'verified' is refused here: only :func:`verify` with a later drill's evidence
    makes an item verified. Every other change not in :data:`TRANSITIONS` is refused
    with the changes allowed from the item's status.
    """
    new = _choice(status, STATUSES, "status")
    who = check.author(by)
    if new == "verified":
        raise ValueError(
            f"item {item_id} cannot be set to 'verified' by hand: verify it with a later drill "
            "(or run journal) whose results show the problem gone"
        )
    wall = check.now_iso()
    with connect(db_path) as conn, write(conn):
        item = _load(conn, item_id)
        allowed = TRANSITIONS[item.status]
        if new not in allowed:
            options = " or ".join(f"'{s}'" for s in sorted(allowed)) or "nothing (it is final)"
            if item.status == "done":
                options += ", or 'verified' through a later drill"
            raise ValueError(
                f"item {item_id} is '{item.status}': it can move to {options}, not to '{new}'"
            )
        conn.execute("UPDATE items SET status = ? WHERE id = ?", (new, item_id))
        _log(conn, item_id, item.status, new, who, wall, note.strip())
        return _load(conn, item_id)


# --- verification -------------------------------------------------------------------------


def _later(item: Item, evidence: Evidence) -> str | None:
    """Why the evidence is not later than the item (None: it is)."""
    if evidence.source == item.drill_id:
        return (
            f"{evidence.source} is the drill the item was found in; "
            "only a later drill can show it fixed"
        )
    number = drill_number(evidence.source) if evidence.kind == "drill" else None
    if number is not None:
        if number <= item.drills_before:
            return (
                f"{evidence.source} was created before item {item.id} was recorded; "
                "only a drill created after it can show the corrective action worked"
            )
        return None
    held = check.parse_wall(evidence.held)
    if held.tzinfo is None:  # a journal written without a zone: its times are UTC
        held = held.replace(tzinfo=dt.UTC)
    if held <= check.parse_wall(item.created_wall):
        return (
            f"{evidence.source} ran at {evidence.held}, before item {item.id} was recorded "
            f"({item.created_wall}); only a later run can show the corrective action worked"
        )
    return None


def verify(
    db_path: str | Path,
    item_id: int,
    evidence: str | Path | Mapping[str, Any],
    plan: Plan,
    results: Evidence | None = None,
    *,
    by: str = "drillsim",
) -> Item:
    """Mark a done item verified on the evidence of a later drill or run journal.

    ``evidence`` is a drill id in this database, or a run journal (its path, or its
    parsed JSON); ``results`` is what that evidence shows, as
    :func:`~drills.evidence.load_evidence` builds it (built here when left
    out). Refused with :class:`VerificationRefused`, the item staying as it was, when
    the item is not done, the evidence is of another plan, not later than the item,
    not finished, or does not show the problem gone (see
    :func:`~drills.evidence.judge`).
    """
    who = check.author(by)
    item = get_item(db_path, item_id)
    if item.plan_id != plan.meta.id:
        raise ValueError(f"item {item_id} belongs to plan '{item.plan_id}', not '{plan.meta.id}'")
    if item.status != "done":
        raise VerificationRefused(
            item_id, f"it is '{item.status}'; only a done item can be verified (mark it done first)"
        )
    shown = results if results is not None else load_evidence(db_path, evidence)
    if (
        results is not None
        and isinstance(evidence, str)
        and shown.kind == "drill"
        and shown.source != evidence
    ):
        raise ValueError(f"the results given are of {shown.source}, not of {evidence}")
    if shown.plan_id != item.plan_id:
        raise VerificationRefused(
            item_id, f"{shown.source} was held on plan '{shown.plan_id}', not '{item.plan_id}'"
        )
    reason = _later(item, shown) or (None if shown.final else shown.final_reason)
    ok, why = (False, reason) if reason else judge(item.node_kind, item.node_id, plan, shown)
    if not ok:
        raise VerificationRefused(item_id, why)
    wall = check.now_iso()
    with connect(db_path) as conn, write(conn):
        current = _load(conn, item_id)
        if current.status != "done":  # changed while the evidence was read
            raise VerificationRefused(
                item_id, f"it became '{current.status}' meanwhile; look again"
            )
        conn.execute(
            "UPDATE items SET status = 'verified', verified_by = ? WHERE id = ?",
            (shown.source, item_id),
        )
        _log(conn, item_id, "done", "verified", who, wall, f"verified by {shown.source}: {why}")
        return _load(conn, item_id)


# --- which scenario re-tests an item ------------------------------------------------------


def fitting_scenarios(plan: Plan) -> dict[str, Scenario]:
    """The bundled scenarios that load and fit the plan, by name (sorted)."""
    out: dict[str, Scenario] = {}
    for name, path in sorted(bundled_scenarios().items()):
        try:
            scenario = load_scenario(path)
        except ModelFileError:  # a broken bundled file proposes nothing
            continue
        if not check_against_plan(plan, scenario):
            out[name] = scenario
    return out


def _failing(scenario: Scenario) -> set[str]:
    """Systems, sites and channels the scenario's events take down."""
    out: set[str] = set()
    for event in scenario.events:
        for attr in ("target", "site", "system"):
            value = getattr(event, attr, None)
            if isinstance(value, str):
                out.add(value)
        out.update(getattr(event, "systems", ()) or ())
    return out


def _flow_names(plan: Plan, event_class: str | None) -> tuple[set[str], set[str], set[str]]:
    """A class's flow: the step owners, the roles its actions name, what its actions target."""
    flow = plan.flow_for(event_class) if event_class else None
    owners: set[str] = set()
    named: set[str] = set()
    targets: set[str] = set()
    for step in flow.steps if flow is not None else ():
        owners.add(step.owner)
        for action in step.actions:
            targets.add(action.target)
            named.update(
                r
                for r in (action.owner, action.target if action.action == "escalate" else None)
                if r
            )
    return owners, named, targets


def coverage(plan: Plan, scenario: Scenario, node_kind: str, node_id: str) -> int:
    """How directly a scenario re-tests a node: 2 directly, 1 through its flow, 0 not at all.

    * step 'class.step': 2 when the scenario's event class is that class;
    * target: 'rto' 2 with an outage, disaster or security incident; 'rpo' 2 with a
      data loss, or a disaster on a site that runs a system holding data; 'step.X' 2
      with an event class that has a flow; any other target 1 with any event;
    * role: 2 when an inject is addressed to it or it owns a step of the event class's
      flow (the run calls it), 1 when one of the flow's actions names it;
    * system, site: 2 when an event takes it down (or, for a backup, what it stands
      in for), 1 when the flow acts on it or on its backup;
    * resource: 2 when the flow acts on it or on its backup.
    """
    cls = scenario.meta.event_class
    owners, named, acted = _flow_names(plan, cls)
    if node_kind == "step":
        return 2 if cls is not None and node_id.split(".", 1)[0] == cls else 0
    if node_kind == "target":
        kinds = {e.kind for e in scenario.events}
        if node_id == "rto":
            return 2 if kinds & {"outage", "disaster", "security_incident"} else 0
        if node_id == "rpo":
            data_sites = {s.site for s in plan.systems if s.holds_data and s.site}
            lost = {getattr(e, "site", None) for e in scenario.events if e.kind == "disaster"}
            return 2 if "data_loss" in kinds or lost & data_sites else 0
        if node_id.startswith("step."):
            return 2 if cls is not None and plan.flow_for(cls) is not None else 0
        return 1 if scenario.events else 0
    if node_kind == "role":
        if node_id in owners or any(node_id in inject.to for inject in scenario.injects):
            return 2
        return 1 if node_id in named else 0
    related = {node_id} | backups_of(plan, node_kind, node_id)
    if node_kind in ("system", "site"):
        failing = _failing(scenario)
        if node_id in failing or protected_by(plan, node_id) & failing:
            return 2
        return 1 if related & acted else 0
    return 2 if related & acted else 0


def propose_retest(
    plan: Plan, item: Item, scenarios: Mapping[str, Scenario] | None = None
) -> str | None:
    """The bundled scenario that best re-tests the item's node; None when none fits the plan.

    The scenario that covers the node most directly (:func:`coverage`) wins; ties go
    to the first name in alphabetical order. ``scenarios`` defaults to
    :func:`fitting_scenarios` (pass it in when proposing for many items).
    """
    pool = fitting_scenarios(plan) if scenarios is None else scenarios
    scored = [(-coverage(plan, s, item.node_kind, item.node_id), name) for name, s in pool.items()]
    best = min((x for x in scored if x[0] < 0), default=None)
    return None if best is None else best[1]
