"""What an improvement item is, and how one is stored and read back.

Why a module of its own: the item records (:class:`Item` and its history of
:class:`StatusChange`), their closed vocabularies and the rows they are read from
are what every job on the improvement plan shares: recording and moving items along
their lifecycle (:mod:`~drills.items`), verifying them on a later drill's evidence
(:mod:`~drills.item_verification`) and proposing the scenario that re-tests them
(:mod:`~drills.retest`). Those jobs import this module and not each other, so the
imports run one way; :mod:`~drills.items` re-exports it all for callers.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from drills.schema import connect, read
from i18n import N_, _

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
"""Changes :func:`~drills.items.set_status` makes; 'done' -> 'verified' is
:func:`~drills.item_verification.verify`'s alone."""

NodeKind = Literal["role", "resource", "step", "target", "system", "site"]
NODE_KINDS: tuple[NodeKind, ...] = ("role", "resource", "step", "target", "system", "site")
NODE_KIND_WORDS: dict[str, str] = {
    "role": N_("role"),
    "resource": N_("resource"),
    "step": N_("step"),
    "target": N_("target"),
    "system": N_("system"),
    "site": N_("site"),
}
"""Each node kind as a word in a sentence."""


def node_kind_word(kind: str) -> str:
    """A node kind in the language in use ('system' / '系统')."""
    return _(NODE_KIND_WORDS[kind]) if kind in NODE_KIND_WORDS else kind


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
    poc: str = ""
    """The point of contact: a person id of the plan, or a name typed in ('' if none)."""

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


def record_change(
    conn: sqlite3.Connection,
    item_id: int,
    old: str | None,
    new: str,
    who: str,
    wall: str,
    note: str,
) -> None:
    """Append a status change to the item's history (inside the caller's write)."""
    seq = conn.execute(
        "SELECT coalesce(max(seq), 0) + 1 FROM item_history WHERE item_id = ?", (item_id,)
    ).fetchone()[0]
    conn.execute(
        """INSERT INTO item_history (item_id, seq, status_from, status_to, who, wall_time, note)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        (item_id, seq, old, new, who, wall, note),
    )


def load_item(conn: sqlite3.Connection, item_id: int) -> Item:
    """One item with its history, read on an open connection; LookupError if absent."""
    row = conn.execute("SELECT * FROM items WHERE id = ?", (item_id,)).fetchone()
    if row is None:
        raise LookupError(
            _("no improvement item {item} in the drill database").format(item=item_id)
        )
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
        poc=row["poc"],
    )


def get_item(db_path: str | Path, item_id: int) -> Item:
    """One item with its history; LookupError if absent."""
    if not Path(db_path).exists():
        raise LookupError(
            _("no improvement item {item}: there is no drill database at {path}").format(
                item=item_id, path=db_path
            )
        )
    with connect(db_path) as conn, read(conn):
        return load_item(conn, item_id)


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
