"""The evaluation of a drill: the evaluators' ratings and findings.

Why in the drill database: ratings and findings belong to one drill and outlive the
console session; keeping them beside the drill's log means one file holds the drill,
what the evaluators made of it, and (see :mod:`~drills.items`) what was
decided to fix.

* **Ratings** (P/S/M/U, ANCHORS.md section 1) are given per capability: the six steps
  of the response flow (:data:`plans.model.STEP_NAMES`) and 'resource_guarantee'. A
  later rating by the same evaluator for the same capability replaces the earlier one;
  the earlier one is kept, so :func:`rating_history` shows how a view changed.
* **Findings** are strengths and areas for improvement. An area needs a reference
  (the plan, procedure or standard that applies) and an analysis (what happened, root
  cause, effect) before it can leave draft, as the After-Action Meeting expects.

What a finished drill (or a run journal) shows, used to verify improvement items, is
:mod:`~drills.evidence`; it reads the ratings given here.

Every call opens one short connection; a write runs in ``BEGIN IMMEDIATE`` and is
committed before the call returns.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from drills import validation as check
from drills.errors import UnknownDrill
from drills.schema import connect, read, write
from i18n import N_, _
from plans.model import STEP_NAMES

CAPABILITIES: tuple[str, ...] = (*STEP_NAMES, "resource_guarantee")
"""What is rated: the six response steps, then resource guarantee (people, money,
materials, information, backup systems)."""

Rating = Literal["P", "S", "M", "U"]
RATINGS: dict[str, str] = {
    "P": N_("performed without challenges"),
    "S": N_("performed with some challenges"),
    "M": N_("performed with major challenges"),
    "U": N_("unable to be performed"),
}
"""HSEEP's ratings and what each means (msgids: shown with ``_()``)."""

FindingKind = Literal["strength", "area"]
FINDING_KINDS: dict[str, str] = {"strength": N_("strength"), "area": N_("area for improvement")}


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
    wall_time: str
    """ISO UTC time it was given."""
    current: bool
    """False once the same evaluator rated the same capability again."""


@dataclass(frozen=True, slots=True)
class DrillFinding:
    """A strength or an area for improvement found in a drill."""

    id: int
    drill_id: str
    kind: FindingKind
    capability: str
    observed: str
    """What was seen."""
    reference: str
    """The plan, policy, procedure or standard that applies (areas)."""
    analysis: str
    """What happened, the root cause and its effect (areas)."""
    author: str
    draft: bool
    """Drafts may be incomplete; a final area has a reference and an analysis."""
    created_wall: str
    updated_wall: str


# --- checks -------------------------------------------------------------------------------


def check_capability(value: object) -> str:
    """One of :data:`CAPABILITIES`, or ValueError."""
    if isinstance(value, str) and value in CAPABILITIES:
        return value
    raise ValueError(
        _("unknown capability {value!r}: one of {choices}").format(
            value=value, choices=", ".join(CAPABILITIES)
        )
    )


def check_rating(value: object) -> Rating:
    """'P', 'S', 'M' or 'U', or ValueError."""
    for r in ("P", "S", "M", "U"):
        if value == r:
            return r
    meanings = "; ".join(f"{k}: {_(v)}" for k, v in RATINGS.items())
    raise ValueError(
        _("rating {value!r} is not one of P, S, M, U ({meanings})").format(
            value=value, meanings=meanings
        )
    )


def _text(value: object, what: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(_("{what} must be text, not {value!r}").format(what=_(what), value=value))
    return value.strip()


def _who(value: object, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(_("every {what} needs a name: who gives it?").format(what=_(what)))
    return value.strip()


def _finding_kind(value: object) -> FindingKind:
    for k in ("strength", "area"):
        if value == k:
            return k
    raise ValueError(
        _("unknown finding kind {value!r}: 'strength' or 'area' (area for improvement)").format(
            value=value
        )
    )


def _drill_exists(conn: sqlite3.Connection, drill_id: str) -> None:
    if conn.execute("SELECT 1 FROM drills WHERE id = ?", (drill_id,)).fetchone() is None:
        raise UnknownDrill(drill_id)


# --- ratings ------------------------------------------------------------------------------


def rate(
    db_path: str | Path, drill_id: str, capability: str, rating: str, evidence: str, evaluator: str
) -> CapabilityRating:
    """Rate a capability in a drill, replacing this evaluator's earlier rating of it (kept).

    Raises ValueError for an unknown capability, a rating other than P/S/M/U, or an M
    or U without evidence (a major challenge or a failure must say what was seen);
    :class:`~drills.errors.UnknownDrill` for a drill not in the database.
    """
    cap = check_capability(capability)
    letter = check_rating(rating)
    text = _text(evidence, N_("the evidence"))
    if letter in ("M", "U") and not text:
        raise ValueError(
            _(
                "a rating of {letter} ({meaning}) needs evidence: say what was seen that earns it"
            ).format(letter=letter, meaning=_(RATINGS[letter]))
        )
    who = _who(evaluator, N_("rating"))
    wall = check.now_iso()
    with connect(db_path) as conn, write(conn):
        _drill_exists(conn, drill_id)
        cur = conn.execute(
            """INSERT INTO ratings (drill_id, capability, rating, evidence, evaluator, wall_time)
               VALUES (?, ?, ?, ?, ?, ?)""",
            (drill_id, cap, letter, text, who, wall),
        )
        new_id = int(cur.lastrowid or 0)
    return CapabilityRating(new_id, drill_id, cap, letter, text, who, wall, True)


def rating_history(db_path: str | Path, drill_id: str) -> list[CapabilityRating]:
    """Every rating given in the drill, replaced ones included, oldest first."""
    with connect(db_path) as conn, read(conn):
        _drill_exists(conn, drill_id)
        rows = conn.execute(
            """SELECT r.*, r.id = (SELECT max(id) FROM ratings x
                                   WHERE x.drill_id = r.drill_id AND x.capability = r.capability
                                   AND x.evaluator = r.evaluator) AS current
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


# --- findings -----------------------------------------------------------------------------


def _complete(kind: FindingKind, observed: str, reference: str, analysis: str, draft: bool) -> None:
    if not observed:
        raise ValueError(_("a {kind} needs what was observed").format(kind=_(FINDING_KINDS[kind])))
    if kind == "area" and not draft:
        missing = [
            _(name)
            for name, text in ((N_("reference"), reference), (N_("analysis"), analysis))
            if not text
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
) -> int:
    """Record a strength or an area for improvement; returns its id.

    A finding starts as a draft unless ``draft`` is False; a final area needs a
    reference and an analysis.
    """
    k = _finding_kind(kind)
    cap = check_capability(capability)
    obs, ref, why = (
        _text(observed, N_("observed")),
        _text(reference, N_("the reference")),
        _text(analysis, N_("the analysis")),
    )
    who = _who(author, N_("finding"))
    _complete(k, obs, ref, why, bool(draft))
    wall = check.now_iso()
    with connect(db_path) as conn, write(conn):
        _drill_exists(conn, drill_id)
        cur = conn.execute(
            """INSERT INTO findings (drill_id, kind, capability, observed, reference, analysis,
                                     author, draft,
                                     created_wall, updated_wall)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (drill_id, k, cap, obs, ref, why, who, int(bool(draft)), wall, wall),
        )
        return int(cur.lastrowid or 0)


def update_finding(
    db_path: str | Path,
    finding_id: int,
    *,
    kind: str | None = None,
    capability: str | None = None,
    observed: str | None = None,
    reference: str | None = None,
    analysis: str | None = None,
    draft: bool | None = None,
) -> DrillFinding:
    """Change a finding's fields (those given); ``draft=False`` makes it final.

    The finding as a whole is checked again, so an area cannot be made final, or
    stay final, without its reference and analysis.
    """
    with connect(db_path) as conn, write(conn):
        row = conn.execute("SELECT * FROM findings WHERE id = ?", (finding_id,)).fetchone()
        if row is None:
            raise LookupError(
                _("no finding {finding} in the drill database").format(finding=finding_id)
            )
        k = _finding_kind(kind) if kind is not None else row["kind"]
        cap = check_capability(capability) if capability is not None else row["capability"]
        obs = _text(observed, N_("observed")) if observed is not None else row["observed"]
        ref = _text(reference, N_("the reference")) if reference is not None else row["reference"]
        why = _text(analysis, N_("the analysis")) if analysis is not None else row["analysis"]
        is_draft = bool(draft) if draft is not None else bool(row["draft"])
        _complete(k, obs, ref, why, is_draft)
        wall = check.now_iso()
        conn.execute(
            """UPDATE findings SET kind = ?, capability = ?, observed = ?, reference = ?,
                                   analysis = ?,
                                   draft = ?, updated_wall = ? WHERE id = ?""",
            (k, cap, obs, ref, why, int(is_draft), wall, finding_id),
        )
        row = conn.execute("SELECT * FROM findings WHERE id = ?", (finding_id,)).fetchone()
    return _finding(row)


def findings(db_path: str | Path, drill_id: str) -> list[DrillFinding]:
    """The drill's findings, oldest first."""
    with connect(db_path) as conn, read(conn):
        _drill_exists(conn, drill_id)
        rows = conn.execute(
            "SELECT * FROM findings WHERE drill_id = ? ORDER BY id", (drill_id,)
        ).fetchall()
    return [_finding(r) for r in rows]


def _finding(row: sqlite3.Row) -> DrillFinding:
    return DrillFinding(
        int(row["id"]),
        row["drill_id"],
        row["kind"],
        row["capability"],
        row["observed"],
        row["reference"],
        row["analysis"],
        row["author"],
        bool(row["draft"]),
        row["created_wall"],
        row["updated_wall"],
    )
