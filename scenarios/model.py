"""A scenario: what happens to the centre, when, and what it is judged on.

Why a file of its own beside the plan: the same plan is drilled against many
scenarios, and the same scenario is run against plan variants. A scenario names
the plan's channels, systems and sites by id; :mod:`scenarios.compat` checks those
against a given plan.

Times inside a scenario are offsets from its ``start`` ("1h30m" after the start),
so a scenario can be moved to another day by changing one line.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from i18n import _
from plans.base import StrictModel
from plans.checks import raise_consistency
from plans.issues import Issue
from plans.refs import reference_issues
from plans.service import StaffGroup as PlanStaffGroup
from plans.types import (
    ChannelRef,
    Duration,
    Headcount,
    Id,
    LocalName,
    Probability,
    Ref,
    ShiftRef,
    SiteRef,
    SystemRef,
)
from scenarios.behaviour import Behaviour
from scenarios.bounds import bound_issues
from scenarios.distributions import Distribution, Exponential, Lognormal
from scenarios.objectives import Inject, Objective
from scenarios.tickets import TicketLife
from scenarios.workforce import Workforce

RequestType = Literal["complaint", "consultation", "repair", "business"]
TicketClass = Literal["urgent", "ordinary", "complex"]
REQUEST_TYPES: tuple[RequestType, ...] = ("complaint", "consultation", "repair", "business")
TICKET_CLASSES: tuple[TicketClass, ...] = ("urgent", "ordinary", "complex")
OutageTargetRef = Annotated[str, Ref(("systems", "sites", "channels"))]
SHARE_TOLERANCE = 0.001


def _check_shares(shares: dict[str, float]) -> None:
    total = sum(shares.values())
    if shares and abs(total - 1.0) > SHARE_TOLERANCE:
        raise ValueError(
            _("the shares add up to {total:.3f}; they must add up to 1").format(total=total)
        )


class Meta(StrictModel):
    """What the scenario is and which plan it was written for."""

    id: Id
    """Short id, e.g. 'crm_outage_monday'."""
    name: LocalName
    """Title shown to drill players."""
    description: str = ""
    """The scenario in two or three sentences, with its impacts."""
    plan: Id | None = None
    """Bundled plan it was written for, if any."""
    event_class: Id | None = None
    """The plan's event class this scenario exercises, if any."""
    tags: tuple[str, ...] = ()
    """Free labels, e.g. 'known-answer'."""


class Demand(StrictModel):
    """How many requests arrive, on which channels, of which types and classes."""

    rate_per_hour: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    """Constant arrival rate, requests per hour (leave out to give ``hourly``)."""
    hourly: tuple[Annotated[float, Field(ge=0, allow_inf_nan=False)], ...] | None = Field(
        default=None, min_length=24, max_length=24
    )
    """Arrival rate for each hour of the day, 00:00 first, requests per hour."""
    day_factors: dict[
        Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        Annotated[float, Field(ge=0, allow_inf_nan=False)],
    ] = {}
    """Multiplier for some days of the week, e.g. {sat: 0.6, sun: 0.5}; others are 1."""
    channels: dict[ChannelRef, Probability] = {}
    """Share of requests per channel; left out: the plan's channel shares."""
    request_types: dict[RequestType, Probability] = {
        "complaint": 0.15,
        "consultation": 0.5,
        "repair": 0.2,
        "business": 0.15,
    }
    """Share of each request type (2.1.2)."""
    classes: dict[TicketClass, Probability] = {"urgent": 0.05, "ordinary": 0.85, "complex": 0.1}
    """Share of each class (2.1.3)."""

    @field_validator("channels", "request_types", "classes")
    @classmethod
    def _shares_add_up(cls, shares: dict[str, float]) -> dict[str, float]:
        _check_shares(shares)
        return shares

    @model_validator(mode="after")
    def _one_rate(self) -> Demand:
        if (self.rate_per_hour is None) == (self.hourly is None):
            raise ValueError(
                _("give either rate_per_hour or hourly (24 values), not both and not neither")
            )
        return self


class TimeOverride(StrictModel):
    """A distribution for some channel and/or request type."""

    channel: ChannelRef | None = None
    """Channel it applies to; left out: every channel."""
    type: RequestType | None = None
    """Request type it applies to; left out: every type."""
    time: Distribution
    """The distribution."""


class TimeModel(StrictModel):
    """A default distribution and more specific ones (channel and type beat channel beat type)."""

    default: Distribution
    """Used where no override matches."""
    overrides: tuple[TimeOverride, ...] = ()
    """More specific distributions."""

    @model_validator(mode="after")
    def _no_twins(self) -> TimeModel:
        keys = [(o.channel, o.type) for o in self.overrides]
        for i, key in enumerate(keys):
            where, (channel, kind) = f"overrides[{i}]", key
            if key in keys[:i] and (channel or kind):
                if channel and kind:
                    msg = _(
                        "{where} repeats an earlier override for channel '{channel}' "
                        "and type '{type}'"
                    )
                elif channel:
                    msg = _("{where} repeats an earlier override for channel '{channel}'")
                else:
                    msg = _("{where} repeats an earlier override for type '{type}'")
                raise ValueError(msg.format(where=where, channel=channel, type=kind))
            if key == (None, None):
                msg = _("{where} names neither channel nor type; change 'default' instead")
                raise ValueError(msg.format(where=where))
        return self

    def pick(self, channel: str, request_type: str) -> Distribution:
        """The most specific distribution for a channel and request type."""
        best = self.default
        best_rank = -1
        for o in self.overrides:
            if o.channel not in (None, channel) or o.type not in (None, request_type):
                continue
            rank = (o.channel is not None) * 2 + (o.type is not None)
            if rank > best_rank:
                best, best_rank = o.time, rank
        return best


class StaffGroup(StrictModel):
    """Agents of one site with the same skills; ``shift`` left out means always on duty."""

    site: SiteRef
    """Where they work."""
    shift: ShiftRef | None = None
    """The plan's shift they work; left out: on duty for the whole run."""
    agents: Headcount
    """How many."""
    skills: tuple[ChannelRef, ...] = Field(min_length=1)
    """Channels they serve."""

    @classmethod
    def from_plan(cls, group: PlanStaffGroup) -> StaffGroup:
        """The same group as the plan states it."""
        return cls(site=group.site, shift=group.shift, agents=group.agents, skills=group.skills)


class _Event(StrictModel):
    id: Id
    """Id, used by objectives ('during' this event) and reports."""
    event_class: Annotated[str, Ref(("event_classes",))] | None = None
    """The plan's event class the response treats it as; left out: the class of the
    matching kind (outage and data loss: system_failure, disaster, security_incident,
    complaint_surge, staff_absence: staff_shortage)."""
    start: Duration
    """When it begins, after the scenario start."""
    note: str = ""
    """What the players are told it is, in the scenario author's words."""


class Outage(_Event):
    """A system, site or channel fails."""

    kind: Literal["outage"]
    target: OutageTargetRef
    """The failed system, site or channel."""
    duration: Distribution
    """How long until it is repaired."""
    share: Probability = 1.0
    """Share of the target's capacity lost (1: full outage; less: partial)."""


class ComplaintSurge(_Event):
    """Demand multiplies, e.g. after a billing error."""

    kind: Literal["complaint_surge"]
    duration: Duration
    """How long the surge lasts at its peak (after the ramp)."""
    multiplier: Annotated[float, Field(ge=1.0, allow_inf_nan=False)]
    """Peak demand as a multiple of normal demand for the affected types."""
    request_types: tuple[RequestType, ...] = ("complaint",)
    """Request types that surge."""
    channels: tuple[ChannelRef, ...] = ()
    """Channels that surge; left out: all."""
    ramp: Duration = 0.0
    """Time to rise from normal to peak demand (and to fall back)."""


class Disaster(_Event):
    """A site is lost (typhoon, flood, fire)."""

    kind: Literal["disaster"]
    site: SiteRef
    """The site lost."""
    duration: Distribution
    """How long until the site is usable again."""
    staff_unavailable: Probability = 1.0
    """Share of the site's staff who cannot work at all at first."""
    remote_after: Duration | None = None
    """Delay before staff able to work from elsewhere start doing so; left out: never."""
    remote_share: Probability = 0.0
    """Share of the site's staff who work from elsewhere after ``remote_after``."""


class SecurityIncident(_Event):
    """An attack: systems are isolated and data may be at risk."""

    kind: Literal["security_incident"]
    systems: tuple[SystemRef, ...] = Field(min_length=1)
    """Systems affected (and isolated while the incident lasts)."""
    duration: Distribution
    """How long until the systems are clean and back."""
    data_at_risk: bool = False
    """Whether data may have been lost or corrupted."""


class StaffAbsence(_Event):
    """A share of staff is off (flu wave, strike, transport failure)."""

    kind: Literal["staff_absence"]
    share: Probability
    """Share of agents absent."""
    duration: Duration | None = None
    """How long; left out: until the end of the run."""
    site: SiteRef | None = None
    """Site affected; left out: every site."""


class DataLoss(_Event):
    """Data written since the last replication is lost."""

    kind: Literal["data_loss"]
    system: SystemRef
    """System whose data is lost."""


Event = Annotated[
    Outage | ComplaintSurge | Disaster | SecurityIncident | StaffAbsence | DataLoss,
    Field(discriminator="kind"),
]


class Scenario(StrictModel):
    """What happens to the centre in one run, and what it is judged on."""

    meta: Meta
    """Id, name, description."""
    start: dt.datetime
    """Date and time the run starts (the day of week and hour matter)."""
    horizon: Duration
    """Length of the run."""
    warm_up: Duration = 0.0
    """Time at the start left out of the results, to start measuring in steady state."""
    demand: Demand
    """Arrivals."""
    handle_time: TimeModel = TimeModel(default=Lognormal(dist="lognormal", mean=5.0, cv=0.7))
    """Time an agent spends on a request."""
    patience: TimeModel | None = TimeModel(default=Exponential(dist="exponential", mean=3.0))
    """Time a customer waits in a live queue before giving up; ``null``: they never do."""
    staffing: tuple[StaffGroup, ...] | None = None
    """Agents; left out: the plan's staffing."""
    events: tuple[Event, ...] = ()
    """What goes wrong, and when."""
    injects: tuple[Inject, ...] = ()
    """Messages for drill players."""
    objectives: tuple[Objective, ...] = ()
    """What the run is judged on."""
    behaviour: Behaviour = Behaviour()
    """How customers behave: redials, switching, callbacks, opening hours, forecast error."""
    workforce: Workforce = Workforce()
    """Seats, disasters that hold, shrinkage, chat concurrency; left out: all off."""
    tickets: TicketLife = TicketLife()
    """Back office, confirmation, closure; left out: a ticket is done at first handling."""

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        issues = reference_issues(Scenario, self.model_dump(mode="json"))
        issues.extend(bound_issues(self))  # figures a run cannot hold (scenarios.bounds)
        if self.horizon <= 0:
            issues.append(Issue(("horizon",), _("the horizon must be longer than zero")))
        elif self.warm_up >= self.horizon:
            issues.append(Issue(("warm_up",), _("the warm-up must be shorter than the horizon")))
        for i, event in enumerate(self.events):
            if event.start >= self.horizon:
                issues.append(
                    Issue(("events", i, "start"), _("the event starts after the end of the run"))
                )
        for i, inject in enumerate(self.injects):
            if inject.at > self.horizon:
                issues.append(
                    Issue(("injects", i, "at"), _("the inject comes after the end of the run"))
                )
        raise_consistency(issues)
        return self

    def event(self, event_id: str) -> Event:
        """The event with that id."""
        return next(e for e in self.events if e.id == event_id)
