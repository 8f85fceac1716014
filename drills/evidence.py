"""What a later drill or run journal shows about a plan node, to verify improvement items.

An improvement item (:mod:`~drills.items`) names a node of the plan: a step
of an event class, a role, a target, a system, a site or a resource. It is verified only
by a later drill or run whose results show the problem there gone. :class:`Evidence` is
what one finished drill measured (:func:`evidence_from_drill`: replayed to its clock and
read the way its debrief reads it) or what one run journal summarises over its
replications (:func:`evidence_from_journal`); :func:`judge` decides from it, node by
node, whether the problem is gone, and says how in a sentence for the item's history.

Why apart from :mod:`~drills.evaluations`: ratings and findings are records
evaluators write into the drill database; evidence is computed, from a replay or a
journal file, and stored nowhere. It reads the ratings in force (the review step shows
only through them) and writes nothing, so the dependency runs one way, evidence to
evaluations, and neither module has to know how the other's job is done.

Why judging apart from gathering: the record and how a drill or journal is read
live in :mod:`~drills.evidence_sources` (re-exported here, so callers import evidence
from this one module); this module holds what an item's node needs of it.
"""

from __future__ import annotations

from drills.adherence import step_words
from drills.evidence_sources import (
    EPS,
    Evidence,
    Outcome,
    drill_number,
    evidence_from_drill,
    evidence_from_journal,
    load_evidence,
)
from drills.item_records import node_kind_word
from i18n import _
from plans.model import Plan

__all__ = [
    "EPS",
    "Evidence",
    "Outcome",
    "backups_of",
    "drill_number",
    "evidence_from_drill",
    "evidence_from_journal",
    "judge",
    "load_evidence",
    "protected_by",
]


def protected_by(plan: Plan, backup: str) -> set[str]:
    """What a backup stands in for: systems, sites and resources it is the backup of."""
    return (
        {s.id for s in plan.systems if s.standby == backup}
        | {s.id for s in plan.sites if s.backup_site == backup}
        | {r.id for r in plan.resources if r.backup == backup}
    )


def backups_of(plan: Plan, node_kind: str, node_id: str) -> set[str]:
    """The backup standing in for a system (its standby), a site or a resource."""
    found: list[str | None] = []
    if node_kind == "system":
        found = [s.standby for s in plan.systems if s.id == node_id]
    elif node_kind == "site":
        found = [s.backup_site for s in plan.sites if s.id == node_id]
    elif node_kind == "resource":
        found = [r.backup for r in plan.resources if r.id == node_id]
    return {b for b in found if b}


def judge(node_kind: str, node_id: str, plan: Plan, evidence: Evidence) -> Outcome:
    """Whether the evidence shows the problem at a node gone, and how.

    * step 'class.step': that step done within its limit in every incident of the
      class (the review falls after a run: a later drill rating 'review_improve' P
      or S shows it instead);
    * role: the role was reached;
    * target: the target measured and met;
    * system, site, resource: the run involved it (it failed, was acted on, a
      finding names it, or it is a backup that was needed), no adherence finding
      names it (or, when it failed, its backup), and every backup needed was
      activated: its own backup when it failed, itself when it is the backup of
      something that failed.
    """
    src = evidence.source
    if node_kind == "step":
        cls, _dot, step = node_id.partition(".")
        words = step_words(step)
        if cls not in evidence.event_classes:
            return False, _(
                "{source} had no {cls} incident, so it cannot show {step} done in time"
            ).format(source=src, cls=cls, step=words)
        if step == "review_improve":
            return _review(src, evidence.ratings.get(step, ()))
        none = _("{source} shows no time for {step} of {cls}").format(
            source=src, step=words, cls=cls
        )
        return evidence.steps.get(node_id, (False, none))
    if node_kind == "role":
        never = _("{source} never called {role}, so it cannot show the role reached").format(
            source=src, role=node_id
        )
        return evidence.roles.get(node_id, (False, never))
    if node_kind == "target":
        outcome = evidence.targets.get(node_id)
        if outcome is None:
            return (
                False,
                _(
                    "{source} measured nothing for the target '{target}' "
                    "(nothing it needs happened)"
                ).format(source=src, target=node_id),
            )
        return outcome
    return _judge_node(node_kind, node_id, plan, evidence)


def _review(src: str, given: tuple[str, ...]) -> Outcome:
    if given and all(r in ("P", "S") for r in given):
        return True, _("in {source}, the evaluators rated review and improvement {ratings}").format(
            source=src, ratings="/".join(given)
        )
    return False, _(
        "the review falls after the run; {source} shows it only through evaluators' ratings of "
        "review_improve, all P or S (has: {ratings})"
    ).format(source=src, ratings=", ".join(given) or _("none"))


def _judge_node(node_kind: str, node_id: str, plan: Plan, evidence: Evidence) -> Outcome:
    src = evidence.source
    failed = node_id in evidence.failed
    # A backup is needed when what it stands in for failed: the node's own backup when
    # the node failed, the node itself when it is the backup of something that failed.
    needed = sorted(backups_of(plan, node_kind, node_id)) if failed else []
    if protected_by(plan, node_id) & evidence.failed:
        needed.append(node_id)
    if evidence.findings is None and not needed:
        return False, _(
            "{source} is a run journal: it keeps no adherence findings and needed no backup "
            "of {node}; verify this item with a drill"
        ).format(source=src, node=node_id)
    against = [f for f in evidence.findings or () if f.get("target") in {node_id, *needed}]
    if evidence.findings is not None and not (
        failed or node_id in evidence.acted_on or against or needed
    ):
        return False, _(
            "{kind} {node} was not involved in {source}: it did not fail, was not "
            "needed as a backup, nothing acted on it and no finding names it"
        ).format(kind=node_kind_word(node_kind), node=node_id, source=src)
    if against:
        return False, _("in {source}: {findings}").format(
            source=src, findings="; ".join(f["message"] for f in against)
        )
    missing = [b for b in needed if b not in evidence.activated]
    if missing:
        return False, "; ".join(
            _("in {source}, {backup} was needed ({failed} failed) but never activated").format(
                source=src,
                backup=b,
                failed=", ".join(sorted(protected_by(plan, b) & evidence.failed)),
            )
            for b in missing
        )
    backups = ", ".join(needed)
    if evidence.findings is None:
        return True, _("in {source}, {backups} activated when needed in every replication").format(
            source=src, backups=backups
        )
    fields = {"kind": node_kind_word(node_kind), "node": node_id, "source": src}
    if needed:
        return True, _(
            "no adherence finding against {kind} {node} in {source}; "
            "{backups} activated when needed"
        ).format(backups=backups, **fields)
    return True, _("no adherence finding against {kind} {node} in {source}").format(**fields)
