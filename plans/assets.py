"""What the centre runs on: sites, systems and the reserves of SOURCE.md 7.4.

Why together: sites, systems and resources are the things that fail and are backed
up, and they share one way of being brought back (an :class:`Activation` of a standby
or a backup site), so single points of failure and activation times read them as one.
"""

from __future__ import annotations

from typing import Literal

from plans.base import StrictModel
from plans.types import (
    ChannelRef,
    DependencyRef,
    Duration,
    Headcount,
    Id,
    LocalName,
    Probability,
    ResourceRef,
    RoleRef,
    SiteRef,
    SystemRef,
)

ResourceKind = Literal["people", "money", "materials", "information"]


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
    name: LocalName
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
    travel_time: Duration | None = None
    """Time staff moved here from a lost site need to arrive and log in (used when a
    scenario's ``workforce.disasters_hold`` is on); left out: they work here at once."""


class System(StrictModel):
    """A technical system: CRM, telephony, ticketing, network, data platform."""

    id: Id
    """Id used by channels, sites and flows."""
    name: LocalName
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
    mtbf: Duration = 58800.0
    """Mean time between failures; the manual's 2024 figure is 980 h (5.2). With the
    simulated restoration time it gives the system's long-run availability."""
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
    name: LocalName
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
