"""The after-action report's input records: the drill, its runs and the evaluators' texts.

Why a module of its own: the records (the capabilities, the P/S/M/U ratings,
findings, improvement rows and :class:`AarInput` itself) are shared by three parties
that otherwise need nothing of each other: the console and the CLI that fill them in
(:mod:`reports.source`, the Evaluate page, through :mod:`~reports.aar_input`), the
drafting of findings (:mod:`~reports.aar_drafts`) and the report builder
(:mod:`~reports.aar`). They import nothing of those parties, so each may import them
without a cycle. Each record checks its closed vocabularies when built, so a report
never shows a capability or rating it cannot name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from i18n import N_, _
from plans.model import Plan
from scenarios.model import Scenario
from sim.engine.records import RunRecords

CAPABILITIES: dict[str, str] = {
    "discover_report": N_("Discovery and report"),
    "assess_grade": N_("Assessment and grading"),
    "activate": N_("Activation"),
    "handle_coordinate": N_("Handling and coordination"),
    "track_feedback": N_("Tracking and feedback"),
    "review_improve": N_("Summary and improvement"),
    "resource_guarantee": N_("Resource guarantee"),
}
"""Capability id -> readable name: the six steps of SOURCE 7.2, then 7.4's resources."""
RATINGS: dict[str, str] = {
    "P": N_("Performed without challenges"),
    "S": N_("Performed with some challenges"),
    "M": N_("Performed with major challenges"),
    "U": N_("Unable to be performed"),
}
ELEMENTS: dict[str, str] = {
    "planning": N_("Planning"),
    "organisation": N_("Organisation"),
    "equipment": N_("Equipment"),
    "training": N_("Training"),
    "exercise": N_("Exercise"),
}
"""HSEEP's capability elements (POETE)."""
RUNS: dict[str, str] = {
    "room": N_("Room"),
    "plan": N_("Plan's own policy"),
    "none": N_("No action"),
}
"""The debrief's runs, in the order the results show them."""
MODES: dict[str, str] = {"tabletop": N_("tabletop"), "live": N_("live")}
"""A drill's mode as the report names it."""
STATUSES: dict[str, str] = {
    "open": N_("open"),
    "in_progress": N_("in progress"),
    "done": N_("done"),
    "verified": N_("verified"),
}
"""An improvement item's status as the report names it (others are shown as stored)."""
DRAFT_AUTHOR = "drillsim"


def _one_of(what: str, value: object, allowed: Sequence[str] | dict[str, str]) -> None:
    if value not in allowed:
        raise ValueError(
            _("{what} {value!r} is not one of {allowed}").format(
                what=what, value=value, allowed=", ".join(allowed)
            )
        )


@dataclass(frozen=True, slots=True)
class Rating:
    """An evaluator's P/S/M/U rating of one capability, with the evidence for it."""

    capability: str
    rating: Literal["P", "S", "M", "U"]
    evidence: str = ""
    evaluator: str = ""
    """Who wrote the rating."""
    changed_by: str = ""
    """Who changed it last ('' : nobody recorded, e.g. a hand-made input)."""
    written_wall: str = ""
    """ISO time it was written ('' when not known)."""
    changed_wall: str = ""
    """ISO time of its last change."""

    def __post_init__(self) -> None:
        _one_of(_("capability"), self.capability, CAPABILITIES)
        _one_of(_("rating"), self.rating, RATINGS)


@dataclass(frozen=True, slots=True)
class FindingText:
    """A strength or an area for improvement, as the report prints it."""

    kind: Literal["strength", "area"]
    capability: str
    observed: str
    reference: str = ""
    """The plan step, target or procedure that applies."""
    analysis: str = ""
    """What happened, the root cause, the effect."""
    draft: bool = True
    """True until the after-action meeting agrees it."""
    author: str = DRAFT_AUTHOR
    """Who wrote it; :data:`DRAFT_AUTHOR` for a draft drillsim made that nobody accepted yet."""
    recommendations: str = ""
    """What the evaluators recommend (HSEEP's Recommendations)."""
    changed_by: str = ""
    """Who changed it last ('' : not recorded)."""
    written_wall: str = ""
    """ISO time it was written ('' when not known)."""
    changed_wall: str = ""
    provenance: str = ""
    """'drillsim' when drillsim drafted it and a person accepted it."""

    @property
    def pending(self) -> bool:
        """A draft of drillsim's that no person has accepted yet."""
        return self.author == DRAFT_AUTHOR

    def __post_init__(self) -> None:
        _one_of(_("finding kind"), self.kind, ("strength", "area"))
        _one_of(_("capability"), self.capability, CAPABILITIES)


@dataclass(frozen=True, slots=True)
class ImprovementRow:
    """One corrective action of the improvement plan."""

    issue: str
    corrective_action: str
    element: Literal["planning", "organisation", "equipment", "training", "exercise"]
    owner_role: str
    start: dt.date | None = None
    due: dt.date | None = None
    status: str = "open"
    node: str = ""
    """Plan id the action is about (a role, system, step...), shown beside the issue."""
    capability: str | None = None
    """The capability it improves (:data:`CAPABILITIES`), if given."""
    poc: str = ""
    """The point of contact, as a person reads it (a plan person's name, or a name)."""

    def __post_init__(self) -> None:
        _one_of(_("capability element"), self.element, ELEMENTS)
        if self.capability is not None:
            _one_of(_("capability"), self.capability, CAPABILITIES)


@dataclass(frozen=True, slots=True)
class SummaryText:
    """The executive summary, with who wrote it and who changed it last."""

    text: str
    written_by: str = ""
    written_wall: str = ""
    changed_by: str = ""
    changed_wall: str = ""


@dataclass(frozen=True, kw_only=True)
class AarInput:
    """Everything a report says: the drill, its runs, the evaluators' texts, the items."""

    title: str
    generated_at: dt.datetime
    plan: Plan
    scenario: Scenario
    seed: int | None
    drill_name: str | None = None
    drill_id: str | None = None
    drill_date: dt.date | None = None
    mode: str | None = None
    participants: Sequence[tuple[str, str]] = ()
    """(name, plan role) of everyone in the room."""
    entries: Sequence[dict[str, Any]] = ()
    """The drill's log as :meth:`drills.records.Entry.to_dict` gives it."""
    room: RunRecords | None = None
    runs: dict[str, RunRecords] = field(default_factory=dict)
    """'room', 'plan', 'none' (:func:`drills.debrief.compare_policies`) or empty."""
    until: float | None = None
    """Simulated minutes the drill reached (None: the runs went to the horizon)."""
    ratings: Sequence[Rating] = ()
    findings: Sequence[FindingText] = ()
    items: Sequence[ImprovementRow] = ()
    summary: SummaryText | None = None
    """The evaluators' executive summary, first in the report."""
    monte_carlo: dict[str, Any] | None = None
    """A run journal's 'kpis' and 'targets' (and 'objectives', 'replications', 'policy')."""
    today: dt.date


def report_runs(aar: AarInput) -> dict[str, RunRecords]:
    """The runs a report compares, in :data:`RUNS` order; the room's run alone if no other."""
    runs = {name: aar.runs[name] for name in RUNS if name in aar.runs}
    if not runs and aar.room is not None:
        runs["room"] = aar.room
    return runs
