"""Strengths and areas for improvement: the evaluators' own, and drillsim's drafts they accept.

Why kept this way: a finding is what a person wrote about the drill, and it goes to
management in the after-action report, so

* every finding says who wrote it and who changed it last, with times;
* HSEEP's four fields: Observation (``observed``), Reference, Analysis and
  Recommendations; an area needs a reference and an analysis before it leaves draft,
  as the After-Action Meeting expects;
* deleting is deliberate but loses nothing: the row stays with who deleted it and
  when, out of the report and the page, and :func:`restore_finding` brings it back;
  every version of every finding is kept in ``finding_history``;
* drillsim's own drafts (:mod:`reports.aar_drafts`) are not stored until a person
  accepts one (:mod:`~drills.draft_decisions`).

Every call opens one short connection; a write runs in ``BEGIN IMMEDIATE``.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from drills import validation as check
from drills.access import Role, require
from drills.evaluation_checks import (
    DRAFTED_BY_DRILLSIM,
    FINDING_KINDS,
    FindingKind,
    check_capability,
    drill_exists,
    finding_kind,
    text,
    who,
)
from drills.schema import connect, read, write
from i18n import N_, _

Action = Literal["written", "accepted", "changed", "deleted", "restored"]


@dataclass(frozen=True, slots=True)
class DrillFinding:
    """A strength or an area for improvement found in a drill."""

    id: int
    drill_id: str
    kind: FindingKind
    capability: str
    observed: str
    """What was seen (HSEEP's Observation)."""
    reference: str
    """The plan, policy, procedure or standard that applies (areas)."""
    analysis: str
    """What happened, the root cause and its effect (areas)."""
    author: str
    """Who wrote it (for an accepted draft: who accepted it)."""
    draft: bool
    """Drafts may be incomplete; a final area has a reference and an analysis."""
    created_wall: str
    updated_wall: str
    recommendations: str = ""
    """What the evaluators recommend doing about it (HSEEP's Recommendations)."""
    updated_by: str = ""
    """Who changed it last (the author until someone changes it)."""
    provenance: str = ""
    """'drillsim' when drillsim drafted it and a person accepted it; '' when a person wrote it."""
    draft_key: str | None = None
    """The key of drillsim's draft it was accepted from."""
    deleted_by: str | None = None
    """Who deleted it (None: not deleted); a deleted finding is out of the report."""
    deleted_wall: str | None = None

    @property
    def deleted(self) -> bool:
        """Deleted (kept in the file, left out of the page and the report)."""
        return self.deleted_by is not None


@dataclass(frozen=True, slots=True)
class FindingVersion:
    """One change of a finding, with the finding as it was after it."""

    seq: int
    action: Action
    who: str
    wall_time: str
    fields: dict[str, object]


def _complete(kind: FindingKind, observed: str, reference: str, analysis: str, draft: bool) -> None:
    if not observed:
        raise ValueError(_("a {kind} needs what was observed").format(kind=_(FINDING_KINDS[kind])))
    if kind == "area" and not draft:
        missing = [
            _(name)
            for name, given in ((N_("reference"), reference), (N_("analysis"), analysis))
            if not given
        ]
        if missing:
            raise ValueError(
                _(
                    "an area for improvement needs its {missing} before it leaves draft "
                    "(reference: the plan, procedure or standard that applies; "
                    "analysis: what happened, "
                    "root cause, effect)"
                ).format(missing=_(" and ").join(missing))
            )


def _finding(row: sqlite3.Row) -> DrillFinding:
    return DrillFinding(
        id=int(row["id"]),
        drill_id=row["drill_id"],
        kind=row["kind"],
        capability=row["capability"],
        observed=row["observed"],
        reference=row["reference"],
        analysis=row["analysis"],
        author=row["author"],
        draft=bool(row["draft"]),
        created_wall=row["created_wall"],
        updated_wall=row["updated_wall"],
        recommendations=row["recommendations"],
        updated_by=row["updated_by"] or row["author"],
        provenance=row["provenance"],
        draft_key=row["draft_key"],
        deleted_by=row["deleted_by"],
        deleted_wall=row["deleted_wall"],
    )


def _load(conn: sqlite3.Connection, finding_id: int) -> DrillFinding:
    row = conn.execute("SELECT * FROM findings WHERE id = ?", (finding_id,)).fetchone()
    if row is None:
        raise LookupError(
            _("no finding {finding} in the drill database").format(finding=finding_id)
        )
    return _finding(row)


def log_change(
    conn: sqlite3.Connection, finding_id: int, action: Action, by: str, wall: str
) -> None:
    """Keep the finding as it is now in its history (inside the caller's write)."""
    seq = conn.execute(
        "SELECT coalesce(max(seq), 0) + 1 FROM finding_history WHERE finding_id = ?",
        (finding_id,),
    ).fetchone()[0]
    snapshot = asdict(_load(conn, finding_id))
    conn.execute(
        "INSERT INTO finding_history (finding_id, seq, action, who, wall_time, fields) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (finding_id, seq, action, by, wall, json.dumps(snapshot, ensure_ascii=False)),
    )


def insert_finding(
    conn: sqlite3.Connection,
    drill_id: str,
    fields: tuple[FindingKind, str, str, str, str, str],
    author: str,
    draft: bool,
    wall: str,
    provenance: str = "",
    draft_key: str | None = None,
) -> int:
    drill_exists(conn, drill_id)
    cur = conn.execute(
        """INSERT INTO findings (drill_id, kind, capability, observed, reference, analysis,
                                 recommendations, author, draft, created_wall, updated_wall,
                                 updated_by, provenance, draft_key)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (drill_id, *fields, author, int(draft), wall, wall, author, provenance, draft_key),
    )
    return int(cur.lastrowid or 0)


def checked_fields(
    kind: object,
    capability: object,
    observed: object,
    reference: object,
    analysis: object,
    recommendations: object,
    draft: bool,
) -> tuple[FindingKind, str, str, str, str, str]:
    k = finding_kind(kind)
    out = (
        k,
        check_capability(capability),
        text(observed, N_("observed")),
        text(reference, N_("the reference")),
        text(analysis, N_("the analysis")),
        text(recommendations, N_("the recommendations")),
    )
    _complete(k, out[2], out[3], out[4], draft)
    return out


def add_finding(
    db_path: str | Path,
    drill_id: str,
    kind: str,
    capability: str,
    observed: str,
    reference: str,
    analysis: str,
    author: str,
    draft: bool = True,
    recommendations: str = "",
    *,
    role: Role | None = None,
) -> int:
    """Record a strength or an area for improvement a person wrote; returns its id.

    A finding starts as a draft unless ``draft`` is False; a final area needs a
    reference and an analysis.
    """
    require(role, "rate")  # the acting console role, checked by the core
    fields = checked_fields(kind, capability, observed, reference, analysis, recommendations, draft)
    by = who(author, N_("finding"))
    wall = check.now_iso()
    with connect(db_path) as conn, write(conn):
        new_id = insert_finding(conn, drill_id, fields, by, bool(draft), wall)
        log_change(conn, new_id, "written", by, wall)
        return new_id


def update_finding(
    db_path: str | Path,
    finding_id: int,
    *,
    kind: str | None = None,
    capability: str | None = None,
    observed: str | None = None,
    reference: str | None = None,
    analysis: str | None = None,
    recommendations: str | None = None,
    draft: bool | None = None,
    by: str | None = None,
    role: Role | None = None,
) -> DrillFinding:
    """Change a finding's fields (those given); ``draft=False`` makes it final.

    ``by`` is who changes it (left out: the last changer, for callers without a
    person). The finding as a whole is checked again, so an area cannot be made
    final, or stay final, without its reference and analysis. A draft drillsim wrote
    into the database before layout 4 becomes the changer's, drafted by drillsim.
    A deleted finding is refused: restore it first.
    """
    require(role, "rate")  # the acting console role, checked by the core
    with connect(db_path) as conn, write(conn):
        old = _load(conn, finding_id)
        if old.deleted:
            raise ValueError(
                _("finding {finding} was deleted by {who}: restore it before changing it").format(
                    finding=finding_id, who=old.deleted_by
                )
            )
        is_draft = bool(draft) if draft is not None else old.draft
        fields = checked_fields(
            kind if kind is not None else old.kind,
            capability if capability is not None else old.capability,
            observed if observed is not None else old.observed,
            reference if reference is not None else old.reference,
            analysis if analysis is not None else old.analysis,
            recommendations if recommendations is not None else old.recommendations,
            is_draft,
        )
        changer = old.updated_by if by is None else who(by, N_("finding"))
        author, provenance = old.author, old.provenance
        if author == DRAFTED_BY_DRILLSIM and changer != DRAFTED_BY_DRILLSIM:
            author, provenance = changer, DRAFTED_BY_DRILLSIM
        wall = check.now_iso()
        conn.execute(
            """UPDATE findings SET kind = ?, capability = ?, observed = ?, reference = ?,
                                   analysis = ?, recommendations = ?, draft = ?,
                                   updated_wall = ?, updated_by = ?, author = ?, provenance = ?
               WHERE id = ?""",
            (*fields, int(is_draft), wall, changer, author, provenance, finding_id),
        )
        log_change(conn, finding_id, "changed", changer, wall)
        return _load(conn, finding_id)


def delete_finding(
    db_path: str | Path, finding_id: int, by: str, *, role: Role | None = None
) -> DrillFinding:
    """Delete a finding: it stays in the file with who deleted it and when, out of the report."""
    require(role, "rate")  # the acting console role, checked by the core
    person = who(by, N_("deletion"))
    wall = check.now_iso()
    with connect(db_path) as conn, write(conn):
        old = _load(conn, finding_id)
        if old.deleted:
            raise ValueError(
                _("finding {finding} was already deleted by {who}").format(
                    finding=finding_id, who=old.deleted_by
                )
            )
        conn.execute(
            "UPDATE findings SET deleted_by = ?, deleted_wall = ? WHERE id = ?",
            (person, wall, finding_id),
        )
        log_change(conn, finding_id, "deleted", person, wall)
        return _load(conn, finding_id)


def restore_finding(
    db_path: str | Path, finding_id: int, by: str, *, role: Role | None = None
) -> DrillFinding:
    """Bring a deleted finding back (undo of :func:`delete_finding`)."""
    require(role, "rate")  # the acting console role, checked by the core
    person = who(by, N_("restore"))
    wall = check.now_iso()
    with connect(db_path) as conn, write(conn):
        old = _load(conn, finding_id)
        if not old.deleted:
            raise ValueError(_("finding {finding} is not deleted").format(finding=finding_id))
        conn.execute(
            "UPDATE findings SET deleted_by = NULL, deleted_wall = NULL WHERE id = ?",
            (finding_id,),
        )
        log_change(conn, finding_id, "restored", person, wall)
        return _load(conn, finding_id)


def findings(
    db_path: str | Path, drill_id: str, include_deleted: bool = False
) -> list[DrillFinding]:
    """The drill's findings, oldest first; deleted ones only with ``include_deleted``."""
    with connect(db_path) as conn, read(conn):
        drill_exists(conn, drill_id)
        rows = conn.execute(
            "SELECT * FROM findings WHERE drill_id = ? ORDER BY id", (drill_id,)
        ).fetchall()
    found = [_finding(r) for r in rows]
    return found if include_deleted else [f for f in found if not f.deleted]


def finding_history(db_path: str | Path, finding_id: int) -> list[FindingVersion]:
    """Every version of a finding, oldest first: what it said after each change."""
    with connect(db_path) as conn, read(conn):
        _load(conn, finding_id)
        rows = conn.execute(
            "SELECT * FROM finding_history WHERE finding_id = ? ORDER BY seq", (finding_id,)
        ).fetchall()
    return [
        FindingVersion(
            int(r["seq"]), r["action"], r["who"], r["wall_time"], json.loads(r["fields"])
        )
        for r in rows
    ]
