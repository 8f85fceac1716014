"""The evaluation of a drill: the evaluators' ratings, findings and executive summary.

Why in the drill database: ratings and findings belong to one drill and outlive the
console session; keeping them beside the drill's log means one file holds the drill,
what the evaluators made of it, and (see :mod:`~drills.items`) what was
decided to fix.

* **Ratings** (P/S/M/U, ANCHORS.md section 1) are given per capability: the six steps
  of the response flow (:data:`plans.model.STEP_NAMES`) and 'resource_guarantee'. A
  later rating by the same evaluator for the same capability replaces the earlier one;
  the earlier one is kept, so :func:`rating_history` shows how a view changed. Another
  person may change a rating (``changed_by``): it stays the evaluator's rating, and
  the report says who wrote it and who changed it last.
* **Findings** (:mod:`~drills.findings`, re-exported here) are strengths and areas for
  improvement, added, changed, deleted (kept, out of the report) and restored by the
  evaluators, or accepted from drillsim's drafts.
* The **executive summary** is :mod:`~drills.summary` (re-exported here).

What a finished drill (or a run journal) shows, used to verify improvement items, is
:mod:`~drills.evidence`; it reads the ratings given here.

Every call opens one short connection; a write runs in ``BEGIN IMMEDIATE`` and is
committed before the call returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from drills import validation as check
from drills.access import Role, require
from drills.draft_decisions import DraftDecision, accept_draft, discard_draft, draft_decisions
from drills.evaluation_checks import (
    CAPABILITIES,
    DRAFTED_BY_DRILLSIM,
    FINDING_KINDS,
    RATINGS,
    FindingKind,
    Rating,
    check_capability,
    check_rating,
    drill_exists,
    text,
    who,
)
from drills.findings import (
    DrillFinding,
    add_finding,
    delete_finding,
    finding_history,
    findings,
    restore_finding,
    update_finding,
)
from drills.schema import connect, read, write
from drills.summary import Summary, set_summary, summary
from i18n import N_, _

__all__ = [
    "CAPABILITIES",
    "DRAFTED_BY_DRILLSIM",
    "FINDING_KINDS",
    "RATINGS",
    "CapabilityRating",
    "DraftDecision",
    "DrillFinding",
    "FindingKind",
    "Rating",
    "Summary",
    "accept_draft",
    "add_finding",
    "check_capability",
    "check_rating",
    "delete_finding",
    "discard_draft",
    "draft_decisions",
    "finding_history",
    "findings",
    "rate",
    "rating_history",
    "ratings",
    "restore_finding",
    "set_summary",
    "summary",
    "update_finding",
]


@dataclass(frozen=True, slots=True)
class CapabilityRating:
    """One evaluator's rating of one capability in one drill."""

    id: int
    drill_id: str
    capability: str
    rating: Rating
    evidence: str
    """What the evaluator saw that earns the rating."""
    evaluator: str
    """Who wrote the rating (the evaluator whose view it is)."""
    wall_time: str
    """ISO UTC time this version was given."""
    current: bool
    """False once the same evaluator's rating of the same capability was given again."""
    changed_by: str = ""
    """Who gave this version: the evaluator, or another person who changed it."""
    first_wall: str = ""
    """ISO UTC time the evaluator first rated the capability (the rating was written)."""


def rate(
    db_path: str | Path,
    drill_id: str,
    capability: str,
    rating: str,
    evidence: str,
    evaluator: str,
    changed_by: str | None = None,
    *,
    role: Role | None = None,
) -> CapabilityRating:
    """Rate a capability in a drill, replacing this evaluator's earlier rating of it (kept).

    ``changed_by`` is the person changing ``evaluator``'s rating, when it is not the
    evaluator (default: the evaluator). Raises ValueError for an unknown capability, a
    rating other than P/S/M/U, or an M or U without evidence (a major challenge or a
    failure must say what was seen); :class:`~drills.errors.UnknownDrill` for a drill
    not in the database.
    """
    require(role, "rate")  # the acting console role, checked by the core
    cap = check_capability(capability)
    letter = check_rating(rating)
    said = text(evidence, N_("the evidence"))
    if letter in ("M", "U") and not said:
        raise ValueError(
            _(
                "a rating of {letter} ({meaning}) needs evidence: say what was seen that earns it"
            ).format(letter=letter, meaning=_(RATINGS[letter]))
        )
    author = who(evaluator, N_("rating"))
    changer = author if changed_by is None else who(changed_by, N_("rating"))
    wall = check.now_iso()
    with connect(db_path) as conn, write(conn):
        drill_exists(conn, drill_id)
        first = conn.execute(
            "SELECT min(wall_time) FROM ratings WHERE drill_id = ? AND capability = ? "
            "AND evaluator = ?",
            (drill_id, cap, author),
        ).fetchone()[0]
        cur = conn.execute(
            """INSERT INTO ratings (drill_id, capability, rating, evidence, evaluator, wall_time,
                                    changed_by)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (drill_id, cap, letter, said, author, wall, changer),
        )
        new_id = int(cur.lastrowid or 0)
    return CapabilityRating(
        new_id, drill_id, cap, letter, said, author, wall, True, changer, first or wall
    )


def rating_history(db_path: str | Path, drill_id: str) -> list[CapabilityRating]:
    """Every rating given in the drill, replaced ones included, oldest first."""
    with connect(db_path) as conn, read(conn):
        drill_exists(conn, drill_id)
        rows = conn.execute(
            """SELECT r.*, r.id = (SELECT max(id) FROM ratings x
                                   WHERE x.drill_id = r.drill_id AND x.capability = r.capability
                                   AND x.evaluator = r.evaluator) AS current,
                      (SELECT min(wall_time) FROM ratings x
                       WHERE x.drill_id = r.drill_id AND x.capability = r.capability
                       AND x.evaluator = r.evaluator) AS first_wall
               FROM ratings r WHERE r.drill_id = ? ORDER BY r.id""",
            (drill_id,),
        ).fetchall()
    return [
        CapabilityRating(
            int(r["id"]),
            r["drill_id"],
            r["capability"],
            r["rating"],
            r["evidence"],
            r["evaluator"],
            r["wall_time"],
            bool(r["current"]),
            r["changed_by"] or r["evaluator"],
            r["first_wall"],
        )
        for r in rows
    ]


def ratings(db_path: str | Path, drill_id: str) -> list[CapabilityRating]:
    """The ratings in force: each evaluator's latest for each capability.

    Ordered by capability (the flow's order, then resource guarantee), then evaluator.
    """
    order = {c: i for i, c in enumerate(CAPABILITIES)}
    current = [r for r in rating_history(db_path, drill_id) if r.current]
    return sorted(current, key=lambda r: (order.get(r.capability, len(order)), r.evaluator, r.id))
