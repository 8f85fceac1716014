"""The emergency plan as frozen pydantic models (SOURCE.md chapter 7 and the targets).

Why these shapes: each section maps to one part of the manual so a coordinator can
check the file against the written plan line by line:

- ``meta``: who owns the plan, its version, review and last full drill (7.1, 7.3);
- ``event_classes`` and ``levels``: classification and grading 1-3 (7.1, 7.2 step 2);
- ``roles`` and ``people``: the emergency organisation, deputies, on-call cover;
- ``sites``, ``systems``, ``resources``: what the centre runs on and its reserves (7.4);
- ``channels``, ``shifts``, ``staffing``: the services and who answers them (2.1.1);
- ``flows``: the six-step response of 7.2 for each event class;
- ``targets``: RTO, RPO, availability, service level, ticket limits (2.1.3, 4.1, 5.3).

Cross-references (an owner role that must exist, a deputy who must be a person) are
marked with :class:`plans.types.Ref` and checked by :mod:`plans.checks`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, model_validator

from plans.base import StrictModel
from plans.schedule import WeeklyWindow
from plans.types import (
    ActionTargetRef,
    ChannelRef,
    DependencyRef,
    Duration,
    EventClassRef,
    Headcount,
    Id,
    NonEmptyText,
    PersonRef,
    Probability,
    ResourceRef,
    RoleRef,
    ShiftRef,
    SiteRef,
    SystemRef,
)

STEP_NAMES = (
    "discover_report",
    "assess_grade",
    "activate",
    "handle_coordinate",
    "track_feedback",
    "review_improve",
)
"""The six steps of SOURCE.md 7.2, in the order a flow must list them."""

StepName = Literal[
    "discover_report",
    "assess_grade",
    "activate",
    "handle_coordinate",
    "track_feedback",
    "review_improve",
]
EventKind = Literal[
    "system_failure",
    "complaint_surge",
    "disaster",
    "security_incident",
    "staff_shortage",
    "custom",
]
RoleKind = Literal[
    "commander",
    "deputy_commander",
    "duty_manager",
    "it_on_call",
    "communications_lead",
    "site_lead",
    "security_lead",
    "custom",
]
ResourceKind = Literal["people", "money", "materials", "information"]
ChannelKind = Literal["phone", "chat", "app", "web", "email", "counter", "custom"]
LIVE_KINDS = frozenset({"phone", "chat", "counter", "custom"})
"""Channel kinds where the customer waits in a queue; the others create tickets."""
ActionKind = Literal[
    "activate_backup",
    "call_in_reserves",
    "redeploy_staff",
    "notify_customers",
    "escalate",
    "switch_to_callback",
    "switch_to_notice",
    "isolate_systems",
]
Level = Literal[1, 2, 3]


def _text_version(value: object) -> object:
    """Let people write `version: 3` unquoted, but not `version: 2026.10`.

    YAML reads 2026.10 as the number 2026.1, so a decimal version would silently lose
    its trailing zero; asking for quotes keeps it exactly as written.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        raise ValueError(
            f"version {value!r} was read as a number; put it in quotes "
            '(e.g. version: "2026.10") so it stays exactly as written'
        )
    return value


class Meta(StrictModel):
    """Who owns the plan and when it was last approved, reviewed and drilled."""

    id: Id
    """Short id of the plan, e.g. 'north_centre_2025'."""
    name: NonEmptyText
    """Title as printed on the plan."""
    version: Annotated[NonEmptyText, BeforeValidator(_text_version)]
    """Plan version, e.g. '2025.1'."""
    owner: NonEmptyText
    """Person or department accountable for the plan."""
    approved: dt.date
    """Date the current version was approved."""
    next_review: dt.date
    """Date by which the plan must be reviewed again (7.1: dynamic updating)."""
    last_full_drill: dt.date | None = None
    """Date of the last full drill; the manual asks for one at least yearly (7.1, 7.3)."""
    description: str = ""
    """Scope of the plan in a sentence or two."""


class EventClass(StrictModel):
    """A class of sudden event the plan covers (7.1: comprehensive)."""

    id: Id
    """Id used by flows and scenarios."""
    name: NonEmptyText
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
    name: NonEmptyText
    """Readable name, e.g. 'Major'."""
    criteria: GradingCriteria
    """When an event is graded at this level."""
    response: LevelResponse
    """What this level requires."""


class ResponseTime(StrictModel):
    """How long a person takes to answer a call-out."""

    on_call: Duration
    """Time to answer while on call."""
    off_call: Duration | None = None
    """Time to answer off call; leave out if the person cannot be reached off call."""


class Person(StrictModel):
    """Someone who holds or deputises for a role."""

    id: Id
    """Id used by roles."""
    name: NonEmptyText
    """Full name."""
    title: str = ""
    """Job title."""
    contact: str = ""
    """Phone or pager, as printed on the contact list."""
    site: SiteRef | None = None
    """Usual work site; losing that site takes the person out unless they work remotely."""
    remote_capable: bool = True
    """Can act from elsewhere when their site is lost."""
    on_call: tuple[WeeklyWindow, ...] = ()
    """Weekly hours during which the person is on call."""
    response_time: ResponseTime
    """How long the person takes to answer."""


class Role(StrictModel):
    """A position in the emergency organisation (7.1: command body, division of duties)."""

    id: Id
    """Id used by flows, levels and resources."""
    name: NonEmptyText
    """Readable name."""
    kind: RoleKind
    """One of the standard roles, or 'custom'."""
    critical: bool = False
    """A role the response cannot do without; it needs a deputy."""
    holder: PersonRef
    """Person who holds the role."""
    deputies: tuple[PersonRef, ...] = ()
    """People called in this order when the holder does not answer in time."""
    answer_within: Duration = 10.0
    """How long to wait for an answer before calling the next person."""
    reports_to: RoleRef | None = None
    """Role this one reports to."""
    escalates_to: RoleRef | None = None
    """Role this one escalates to, if other than the one it reports to."""
    duties: str = ""
    """Duties in the plan's own words."""


class Activation(StrictModel):
    """How a backup is brought into use (7.1: the procedure that activates the backup)."""

    time: Duration
    """Time from the decision to the backup being in service."""
    approval_by: RoleRef | None = None
    """Role that must approve activation, if any."""
    approval_time: Duration = 0.0
    """Time the approver needs once reached."""
    failure_probability: Probability = 0.0
    """Chance that one activation attempt fails and must be retried."""
    retry_after: Duration = 15.0
    """Delay before a failed attempt is retried."""
    procedure: str = ""
    """The activation procedure in the plan's own words."""


class Site(StrictModel):
    """A working site: the main centre, a second centre or a backup site."""

    id: Id
    """Id used by staffing, channels and systems."""
    name: NonEmptyText
    """Readable name."""
    kind: Literal["primary", "backup"] = "primary"
    """'primary' sites are in daily use; a 'backup' site is activated in an emergency."""
    seats: Headcount
    """Agent workstations."""
    owner: RoleRef | None = None
    """Role responsible for the site."""
    depends_on: tuple[DependencyRef, ...] = ()
    """Systems or resources the site cannot work without (e.g. its network link)."""
    backup_site: SiteRef | None = None
    """Where work moves if this site is lost."""
    activation: Activation | None = None
    """How this site is activated (for backup sites)."""
    scope: str = ""
    """What the site may be used for."""
    procedure: str = ""
    """Dispatch or activation procedure."""
    reserve_required: bool = False
    """The plan requires a backup site for this site."""


class System(StrictModel):
    """A technical system: CRM, telephony, ticketing, network, data platform."""

    id: Id
    """Id used by channels, sites and flows."""
    name: NonEmptyText
    """Readable name."""
    owner: RoleRef | None = None
    """Role responsible for the system (7.4: whoever uses it is responsible for it)."""
    site: SiteRef | None = None
    """Where the system runs; losing the site takes it down. Leave out for cloud services."""
    depends_on: tuple[DependencyRef, ...] = ()
    """Other systems or resources it needs."""
    standby: SystemRef | None = None
    """A standby system that can take over."""
    activation: Activation | None = None
    """How this system is activated when it is someone's standby."""
    repair_time: Duration = 150.0
    """Mean time to repair; the manual's 2024 figure is 2.5 h (5.4)."""
    holds_data: bool = False
    """Holds customer or business data whose loss counts against the RPO."""
    replication_interval: Duration | None = None
    """How often its data is copied to the standby or backup."""
    reserve_required: bool = False
    """The plan requires a standby for this system."""
    monitored: bool = True
    """Monitoring raises an alarm when it fails; otherwise someone must notice the effects."""
    scope: str = ""
    """What the system may be used for."""
    procedure: str = ""
    """Recovery or dispatch procedure."""


class ReserveStaff(StrictModel):
    """A pool of staff who can be called in (7.4: backup staff)."""

    size: Headcount
    """People in the pool."""
    call_in_time: Duration
    """Time from the call until they are working."""
    answer_share: Probability
    """Share of the pool who answer a call-in."""
    skills: tuple[ChannelRef, ...] = ()
    """Channels they can serve."""
    site: SiteRef | None = None
    """Where they report; leave out if they can work from anywhere."""


class Resource(StrictModel):
    """An emergency resource in one of the four classes of 7.4."""

    id: Id
    """Id used by flows."""
    name: NonEmptyText
    """Readable name."""
    kind: ResourceKind
    """people, money, materials or information."""
    owner: RoleRef | None = None
    """Role responsible for it."""
    scope: str = ""
    """What it may be used for."""
    procedure: str = ""
    """How it is dispatched."""
    quantity: float | None = None
    """How much there is, in ``unit``."""
    unit: str = ""
    """Unit of ``quantity``."""
    backup: ResourceRef | None = None
    """A reserve that can stand in for it."""
    reserve_required: bool = False
    """The plan requires a reserve for it."""
    reserve_staff: ReserveStaff | None = None
    """For a pool of reserve staff: size, call-in time and answer share."""


class Degradation(StrictModel):
    """How a channel slows down while a system it leans on is down."""

    system: SystemRef
    """System whose loss slows the channel."""
    handle_time_factor: Annotated[float, Field(ge=1.0)]
    """Handle time is multiplied by this while the system is down."""


class Channel(StrictModel):
    """A service channel customers use (2.1.1)."""

    id: Id
    """Id used by staffing and scenarios."""
    name: NonEmptyText
    """Readable name."""
    kind: ChannelKind
    """phone, chat, app, web, email, counter or custom."""
    online: bool
    """Online (remote) or offline (counters, halls) channel."""
    share: Probability | None = None
    """Share of all requests; leave out on every channel to use the online/offline split."""
    depends_on: tuple[DependencyRef, ...] = ()
    """Systems or resources without which the channel goes dark."""
    degraded_by: tuple[Degradation, ...] = ()
    """Systems whose loss slows the channel without stopping it."""
    sites: tuple[SiteRef, ...] = ()
    """Sites that serve the channel; it needs at least one working."""
    mode: Literal["live", "ticket"] | None = None
    """'live': customers wait in a queue and may give up; 'ticket': requests become tickets
    worked against the ticket time limits. Left out: live for phone, chat, counter and
    custom channels, ticket for app, web and email."""

    def effective_mode(self) -> Literal["live", "ticket"]:
        """The mode as stated, or the one its kind implies."""
        if self.mode is not None:
            return self.mode
        return "live" if self.kind in LIVE_KINDS else "ticket"


class ChannelSplit(StrictModel):
    """Default split of demand between online and offline channels (2.1.1)."""

    online: Probability = 0.683
    """Share of requests arriving online (2024: 68.3%)."""
    offline: Probability = 0.317
    """Share of requests arriving offline (2024: 31.7%)."""


class Shift(StrictModel):
    """A working shift."""

    id: Id
    """Id used by staffing."""
    name: NonEmptyText
    """Readable name."""
    window: WeeklyWindow
    """Days and hours of the shift."""


class StaffGroup(StrictModel):
    """Agents of one site and shift with the same skills."""

    site: SiteRef
    """Where they work."""
    shift: ShiftRef
    """When they work."""
    agents: Headcount
    """How many."""
    skills: tuple[ChannelRef, ...]
    """Channels they serve."""


class Action(StrictModel):
    """An action a step may take (7.2 step 4)."""

    action: ActionKind
    """What is done."""
    target: ActionTargetRef
    """What it is done to: a standby system or backup site, a reserve pool, a channel, a role."""
    owner: RoleRef | None = None
    """Role that carries it out; defaults to the step's owner."""
    levels: tuple[Level, ...] = (1, 2, 3)
    """Levels at which the action is taken."""
    effort: Duration = 0.0
    """Time the action takes once its owner is on it (besides any activation time)."""
    share: Probability | None = None
    """For notify_customers: share of would-be contacts a notice spares (default 0.2).
    For redeploy_staff to a channel: share of on-duty agents who take it up (default 1)."""
    note: str = ""
    """Details in the plan's own words."""


class Step(StrictModel):
    """One of the six response steps, with its owner and time limit."""

    step: StepName
    """Which of the six steps."""
    owner: RoleRef
    """Role that owns the step (7.1: every step has a named owner)."""
    limit: Duration
    """Time allowed for this step from its start."""
    effort: Duration = 0.0
    """Working time the step needs once its owner is reached."""
    actions: tuple[Action, ...] = ()
    """Actions the step may take."""
    description: str = ""
    """The step in the plan's own words."""


class Flow(StrictModel):
    """The six-step response flow for one event class (7.2)."""

    event_class: EventClassRef
    """Event class this flow answers."""
    steps: tuple[Step, ...]
    """The six steps, in order."""

    def step(self, name: str) -> Step:
        """The step with that name (every flow has all six)."""
        return next(s for s in self.steps if s.step == name)


class ResponseSettings(StrictModel):
    """How the simulation plays the response: detection, answering, restoration.

    Why in the plan: these are the centre's own arrangements (how fast its monitoring
    alerts, how often the duty manager watches the queues) and a planner varies them.
    """

    alarm_delay: Duration = 5.0
    """From a monitored failure to the alarm reaching the duty desk."""
    watch_interval: Duration = 15.0
    """How often the duty manager checks queues, abandonment and staffing."""
    notice_queue: Annotated[int, Field(ge=1)] = 40
    """Contacts waiting at which the duty manager notices trouble."""
    notice_abandonment: Probability = 0.15
    """Share abandoning since the last check at which the duty manager notices trouble."""
    notice_staffing: Probability = 0.85
    """Share of planned agents at work below which the duty manager notices trouble."""
    response_time_cv: Annotated[float, Field(ge=0)] = 0.5
    """Spread of people's answering times around the plan's figure (0: exactly the figure)."""
    restored_capacity: Probability = 0.9
    """A service counts as restored when it is up with this share of its planned agents."""


class TicketLimit(StrictModel):
    """Time limits of one ticket class (2.1.3, 2.2.2)."""

    respond: Duration | None = None
    """First response to the customer."""
    first_handling: Duration | None = None
    """First handling."""
    resolve: Duration | None = None
    """Handled."""
    close: Duration | None = None
    """Closed with the customer."""


def _default_ticket_limits() -> dict[str, TicketLimit]:
    return {
        "urgent": TicketLimit(respond=60, first_handling=120, resolve=1440, close=4320),
        "ordinary": TicketLimit(first_handling=1440, close=4320),
        "complex": TicketLimit(resolve=2880),
    }


class ServiceLevel(StrictModel):
    """Answer-time target (4.1: average response within 30 s)."""

    answer_within: Duration = 0.5
    """Threshold answer time."""
    share: Probability = 0.8
    """Share of contacts to answer within the threshold."""


class Targets(StrictModel):
    """What drills are measured against (2.1.3, 4.1, 5.3)."""

    rto: Duration = 240.0
    """Recovery time objective (5.3: 4 h)."""
    rpo: Duration = 15.0
    """Recovery point objective (5.3: 15 min)."""
    availability: Probability = 0.9995
    """Service availability (5.3: 99.95%)."""
    service_level: ServiceLevel = ServiceLevel()
    """Answer-time target."""
    ticket_limits: dict[Literal["urgent", "ordinary", "complex"], TicketLimit] = Field(
        default_factory=_default_ticket_limits
    )
    """Time limits by ticket class."""
    satisfaction: Probability = 0.85
    """Customer satisfaction (4.1: 85% or more)."""


class Plan(StrictModel):
    """A customer-service centre's emergency plan."""

    meta: Meta
    """Ownership, version, review and drill dates."""
    event_classes: tuple[EventClass, ...] = Field(min_length=1)
    """Classes of event the plan covers."""
    levels: tuple[LevelDef, ...]
    """Levels 1-3 with their grading criteria and responses."""
    people: tuple[Person, ...] = Field(min_length=1)
    """Everyone named in the organisation."""
    roles: tuple[Role, ...] = Field(min_length=1)
    """The emergency organisation."""
    sites: tuple[Site, ...] = Field(min_length=1)
    """Working sites, including any backup site."""
    systems: tuple[System, ...] = ()
    """Technical systems, including standbys."""
    resources: tuple[Resource, ...] = ()
    """People, money, materials and information reserves."""
    channels: tuple[Channel, ...] = Field(min_length=1)
    """Service channels."""
    channel_split: ChannelSplit = ChannelSplit()
    """Online/offline split used when channels give no share."""
    shifts: tuple[Shift, ...] = ()
    """Working shifts."""
    staffing: tuple[StaffGroup, ...] = ()
    """Agents by site, shift and skills: the simulation's default staffing."""
    flows: tuple[Flow, ...] = Field(min_length=1)
    """The six-step response flow for each event class."""
    targets: Targets = Targets()
    """Targets drills are measured against."""
    response: ResponseSettings = ResponseSettings()
    """How the simulation plays the response (detection, answering, restoration)."""

    @model_validator(mode="after")
    def _consistent(self) -> Plan:
        from plans.checks import raise_plan_issues

        raise_plan_issues(self)
        return self

    def channel_shares(self) -> dict[str, float]:
        """Share of demand per channel: as written, or from the online/offline split."""
        if all(c.share is not None for c in self.channels):
            return {c.id: float(c.share or 0.0) for c in self.channels}
        online = [c.id for c in self.channels if c.online]
        offline = [c.id for c in self.channels if not c.online]
        split = self.channel_split
        if not offline:
            return {cid: 1.0 / len(online) for cid in online}
        if not online:
            return {cid: 1.0 / len(offline) for cid in offline}
        shares = {cid: split.online / len(online) for cid in online}
        shares.update({cid: split.offline / len(offline) for cid in offline})
        return shares

    def ids_by_kind(self) -> dict[str, set[str]]:
        """The plan's ids by collection ('roles', 'systems', ...), as files reference them."""
        return {
            "roles": {x.id for x in self.roles},
            "people": {x.id for x in self.people},
            "sites": {x.id for x in self.sites},
            "systems": {x.id for x in self.systems},
            "resources": {x.id for x in self.resources},
            "channels": {x.id for x in self.channels},
            "shifts": {x.id for x in self.shifts},
            "event_classes": {x.id for x in self.event_classes},
        }

    def role(self, role_id: str) -> Role:
        """The role with that id."""
        return next(r for r in self.roles if r.id == role_id)

    def person(self, person_id: str) -> Person:
        """The person with that id."""
        return next(p for p in self.people if p.id == person_id)

    def commander(self) -> Role:
        """The one role of kind 'commander'."""
        return next(r for r in self.roles if r.kind == "commander")

    def flow_for(self, event_class: str) -> Flow | None:
        """The flow answering an event class, if the plan has one."""
        return next((f for f in self.flows if f.event_class == event_class), None)
