"""What people did with drillsim's drafted findings: accepted (as their own) or discarded.

Why a record of decisions rather than stored drafts: drillsim drafts its findings
from the drill each time (:mod:`reports.aar_drafts`, in the reader's language), and
each draft has a key that does not depend on the language. A person accepts a draft
(it becomes that person's finding, drafted by drillsim: ``provenance``), perhaps
after editing it, or discards it; either decision is kept by the draft's key, so the
draft is not offered again.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from drills import validation as check
from drills.access import Role, require
from drills.evaluation_checks import DRAFTED_BY_DRILLSIM, drill_exists, who
from drills.findings import checked_fields, insert_finding, log_change
from drills.schema import connect, read, write
from i18n import N_, _


@dataclass(frozen=True, slots=True)
class DraftDecision:
    """What a person did with one of drillsim's drafts."""

    draft_key: str
    decision: Literal["accepted", "discarded"]
    who: str
    wall_time: str
    finding_id: int | None
    """The finding an accepted draft became."""


def _undecided(conn: sqlite3.Connection, drill_id: str, key: str) -> str:
    if not isinstance(key, str) or not key.strip():
        raise ValueError(_("a draft needs its key"))
    found = conn.execute(
        "SELECT decision, who FROM draft_decisions WHERE drill_id = ? AND draft_key = ?",
        (drill_id, key.strip()),
    ).fetchone()
    if found is not None:
        message = (
            _("this draft was already accepted by {who}")
            if found["decision"] == "accepted"
            else _("this draft was already discarded by {who}")
        )
        raise ValueError(message.format(who=found["who"]))
    return key.strip()


def accept_draft(
    db_path: str | Path,
    drill_id: str,
    draft_key: str,
    kind: str,
    capability: str,
    observed: str,
    reference: str,
    analysis: str,
    by: str,
    recommendations: str = "",
    draft: bool = True,
    *,
    role: Role | None = None,
) -> int:
    """Store one of drillsim's drafts as ``by``'s finding (drafted by drillsim); its id.

    The texts are the draft's, or what the person made of them: an edited draft
    accepted is theirs all the same. The draft's key is kept, so it is not offered
    again.
    """
    require(role, "rate")  # the acting console role, checked by the core
    fields = checked_fields(kind, capability, observed, reference, analysis, recommendations, draft)
    person = who(by, N_("finding"))
    wall = check.now_iso()
    with connect(db_path) as conn, write(conn):
        drill_exists(conn, drill_id)
        key = _undecided(conn, drill_id, draft_key)
        new_id = insert_finding(
            conn, drill_id, fields, person, bool(draft), wall, DRAFTED_BY_DRILLSIM, key
        )
        conn.execute(
            "INSERT INTO draft_decisions (drill_id, draft_key, decision, who, wall_time, "
            "finding_id) VALUES (?, ?, 'accepted', ?, ?, ?)",
            (drill_id, key, person, wall, new_id),
        )
        log_change(conn, new_id, "accepted", person, wall)
        return new_id


def discard_draft(
    db_path: str | Path, drill_id: str, draft_key: str, by: str, *, role: Role | None = None
) -> DraftDecision:
    """Record that ``by`` discarded one of drillsim's drafts, so it does not come back."""
    require(role, "rate")  # the acting console role, checked by the core
    person = who(by, N_("discard"))
    wall = check.now_iso()
    with connect(db_path) as conn, write(conn):
        drill_exists(conn, drill_id)
        key = _undecided(conn, drill_id, draft_key)
        conn.execute(
            "INSERT INTO draft_decisions (drill_id, draft_key, decision, who, wall_time) "
            "VALUES (?, ?, 'discarded', ?, ?)",
            (drill_id, key, person, wall),
        )
    return DraftDecision(key, "discarded", person, wall, None)


def draft_decisions(db_path: str | Path, drill_id: str) -> dict[str, DraftDecision]:
    """Draft key -> what was done with that draft of the drill."""
    with connect(db_path) as conn, read(conn):
        drill_exists(conn, drill_id)
        rows = conn.execute(
            "SELECT * FROM draft_decisions WHERE drill_id = ? ORDER BY wall_time", (drill_id,)
        ).fetchall()
    return {
        r["draft_key"]: DraftDecision(
            r["draft_key"], r["decision"], r["who"], r["wall_time"], r["finding_id"]
        )
        for r in rows
    }
