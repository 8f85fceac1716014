"""Verifying an improvement item: only a later drill's (or run's) results may close it.

Why a module of its own: verification is the one way an item becomes 'verified'
(ANCHORS.md section 1: "a later exercise then validates each completed corrective
action"), and it is a job of its own: it reads evidence
(:func:`~drills.evidence.load_evidence`), checks the evidence is later than the item
and finished, and lets :func:`~drills.evidence.judge` decide, before it writes
anything. The lifecycle by hand (:func:`drills.items.set_status`) refuses
'verified'; :mod:`~drills.items` re-exports :func:`verify` beside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from drills import validation as check
from drills.access import Role, require
from drills.errors import DrillError
from drills.evidence import Evidence, drill_number, judge, load_evidence
from drills.item_records import Item, get_item, load_item, record_change
from drills.schema import connect, write
from i18n import _
from plans.model import Plan


class VerificationRefused(DrillError, ValueError):
    """The evidence does not show the problem gone; the item keeps its status."""

    def __init__(self, item_id: int, reason: str) -> None:
        """Refuse item ``item_id`` for ``reason``."""
        self.item_id = item_id
        self.reason = reason
        super().__init__(
            _("item {item} not verified: {reason}").format(item=item_id, reason=reason)
        )


def _later(item: Item, evidence: Evidence) -> str | None:
    """Why the evidence is not later than the item (None: it is)."""
    if evidence.source == item.drill_id:
        return _(
            "{source} is the drill the item was found in; only a later drill can show it fixed"
        ).format(source=evidence.source)
    number = drill_number(evidence.source) if evidence.kind == "drill" else None
    if number is not None:
        if number <= item.drills_before:
            return _(
                "{source} was created before item {item} was recorded; "
                "only a drill created after it can show the corrective action worked"
            ).format(source=evidence.source, item=item.id)
        return None
    held = check.parse_wall(evidence.held)
    if held.tzinfo is None:  # a journal written without a zone: its times are UTC
        held = held.replace(tzinfo=dt.UTC)
    if held <= check.parse_wall(item.created_wall):
        return _(
            "{source} ran at {held}, before item {item} was recorded "
            "({created}); only a later run can show the corrective action worked"
        ).format(
            source=evidence.source, held=evidence.held, item=item.id, created=item.created_wall
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
    role: Role | None = None,
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
    require(role, "items")  # the acting console role, checked by the core
    who = check.author(by)
    item = get_item(db_path, item_id)
    if item.plan_id != plan.meta.id:
        raise ValueError(
            _("item {item} belongs to plan '{plan}', not '{other}'").format(
                item=item_id, plan=item.plan_id, other=plan.meta.id
            )
        )
    if item.status != "done":
        raise VerificationRefused(
            item_id,
            _("it is '{status}'; only a done item can be verified (mark it done first)").format(
                status=item.status
            ),
        )
    shown = results if results is not None else load_evidence(db_path, evidence)
    if (
        results is not None
        and isinstance(evidence, str)
        and shown.kind == "drill"
        and shown.source != evidence
    ):
        raise ValueError(
            _("the results given are of {source}, not of {evidence}").format(
                source=shown.source, evidence=evidence
            )
        )
    if shown.plan_id != item.plan_id:
        raise VerificationRefused(
            item_id,
            _("{source} was held on plan '{plan}', not '{other}'").format(
                source=shown.source, plan=shown.plan_id, other=item.plan_id
            ),
        )
    reason = _later(item, shown) or (None if shown.final else shown.final_reason)
    ok, why = (False, reason) if reason else judge(item.node_kind, item.node_id, plan, shown)
    if not ok:
        raise VerificationRefused(item_id, why)
    wall = check.now_iso()
    with connect(db_path) as conn, write(conn):
        current = load_item(conn, item_id)
        if current.status != "done":  # changed while the evidence was read
            raise VerificationRefused(
                item_id,
                _("it became '{status}' meanwhile; look again").format(status=current.status),
            )
        conn.execute(
            "UPDATE items SET status = 'verified', verified_by = ? WHERE id = ?",
            (shown.source, item_id),
        )
        record_change(
            conn,
            item_id,
            "done",
            "verified",
            who,
            wall,
            _("verified by {source}: {why}").format(source=shown.source, why=why),
        )
        return load_item(conn, item_id)
