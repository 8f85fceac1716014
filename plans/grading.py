"""Event classes and the three levels they are graded at (SOURCE.md 7.1, 7.2 step 2).

Why a module of its own: classification and grading are the first decision of every
response; the simulation grades an event against these criteria and the level then
says who leads and how fast, so the grading rules are read apart from the rest of
the plan.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from plans.base import StrictModel
from plans.types import Duration, Id, LocalName, Probability, RoleRef

EventKind = Literal[
    "system_failure",
    "complaint_surge",
    "disaster",
    "security_incident",
    "staff_shortage",
    "custom",
]
Level = Literal[1, 2, 3]


class EventClass(StrictModel):
    """A class of sudden event the plan covers (7.1: comprehensive)."""

    id: Id
    """Id used by flows and scenarios."""
    name: LocalName
    """Readable name."""
    kind: EventKind
    """One of the manual's classes, or 'custom' for a user-defined one."""
    description: str = ""
    """What counts as this class of event."""


class ImpactScope(StrictModel):
    """How widely an event hits the centre; any threshold reached counts."""

    capacity_lost_share: Probability | None = None
    """Share of answering capacity lost, at or above which this criterion is met."""
    channels_down: Annotated[int, Field(ge=1)] | None = None
    """Number of channels fully down, at or above which this criterion is met."""
    sites_lost: Annotated[int, Field(ge=1)] | None = None
    """Number of sites lost, at or above which this criterion is met."""


class Severity(StrictModel):
    """How bad an event is; any threshold reached counts."""

    expected_outage: Duration | None = None
    """Expected outage duration, at or above which this criterion is met."""
    data_at_risk: bool | None = None
    """Met when customer or business data is at risk."""
    security_breach: bool | None = None
    """Met when a security breach is confirmed or suspected."""


class Urgency(StrictModel):
    """How fast harm grows; any threshold reached counts."""

    queue_length: Annotated[int, Field(ge=1)] | None = None
    """Contacts waiting, at or above which this criterion is met."""
    abandonment_rate: Probability | None = None
    """Share of contacts abandoning, at or above which this criterion is met."""
    urgent_waiting: Annotated[int, Field(ge=1)] | None = None
    """Urgent requests waiting (customer safety, loss of property)."""


class GradingCriteria(StrictModel):
    """Grading by impact scope, severity and urgency (7.1, 7.2 step 2).

    A level applies when any stated threshold is reached; the most severe level
    that applies wins (level 1 is the most severe).
    """

    impact_scope: ImpactScope = ImpactScope()
    """Thresholds on how widely the event hits."""
    severity: Severity = Severity()
    """Thresholds on how bad the event is."""
    urgency: Urgency = Urgency()
    """Thresholds on how fast harm grows."""
    description: str = ""
    """The criteria in the plan's own words."""


class LevelResponse(StrictModel):
    """What a level requires: who leads, who is activated, how fast."""

    lead: RoleRef
    """Role that leads the response at this level."""
    team: tuple[RoleRef, ...] = ()
    """Roles activated at this level; they must act at the same time."""
    respond_within: Duration
    """Time from grading until the response team must be in action."""
    description: str = ""
    """The response in the plan's own words."""


class LevelDef(StrictModel):
    """One of the three event levels (7.2 step 2)."""

    level: Level
    """1 (major: highest response at once), 2, or 3 (general: routine response)."""
    name: LocalName
    """Readable name, e.g. 'Major'."""
    criteria: GradingCriteria
    """When an event is graded at this level."""
    response: LevelResponse
    """What this level requires."""
