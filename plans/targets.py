"""What drills are measured against: RTO, RPO, availability, service level, ticket limits.

Why a module of its own: the targets come from the manual (2.1.3, 4.1, 5.3), not from
the centre's organisation, and every readiness analysis and drill result is judged
against them; a planner tightens them without touching the rest of the plan.

Every field added after the first release is optional, with a default that leaves the
targets of an older plan as they were (``service_goals`` and ``recovery_tiers`` empty);
the manual's own figures (4.1 ASA within 30 s, service availability 99.9%) are defaults
because the manual sets them for every centre.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from plans.base import StrictModel
from plans.types import ChannelRef, Duration, Probability, Ref

ServiceRef = Annotated[str, Ref(("channels", "systems"))]
"""A channel or a system: the services a recovery tier groups."""

TicketClass = Literal["urgent", "ordinary", "complex"]
"""The ticket classes of 2.1.3, each with its own time limits."""


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


def _default_ticket_limits() -> dict[TicketClass, TicketLimit]:
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


class ServiceGoal(StrictModel):
    """One live channel's answer-time goal, as workforce tools state it ("80% in 30 s")."""

    share: Probability = 0.8
    """Share of contacts to answer within the threshold."""
    answer_within: Duration
    """Threshold answer time."""
    asa: Duration | None = None
    """Average speed of answer to stay within on this channel; left out: the plan's
    ``asa`` on online channels, none on offline ones (a counter queue is not 4.1's
    response time)."""
    short_abandon: Duration | None = None
    """Leave out of the service level the customers who gave up within this time
    (workforce tools' "short abandons": misdials, callers who hang up at the greeting)."""


class RecoveryTier(StrictModel):
    """Services that must come back on the same terms (a small business impact analysis)."""

    id: str
    """Name of the tier, e.g. 'tier1'."""
    services: tuple[ServiceRef, ...]
    """Channels and systems in the tier."""
    rto: Duration | None = None
    """Each service back within this time of going down; left out: the plan's ``rto``."""
    rpo: Duration | None = None
    """Data lost by each system of the tier that holds data; left out: the plan's ``rpo``."""
    mtd: Duration | None = None
    """Maximum tolerable downtime: beyond it the harm is no longer acceptable."""


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
    ticket_limits: dict[TicketClass, TicketLimit] = Field(default_factory=_default_ticket_limits)
    """Time limits by ticket class."""
    satisfaction: Probability = 0.85
    """Customer satisfaction (4.1: 85% or more). Not simulated: shown as 'not judged'."""
    efficiency: Probability | None = 0.8
    """Efficiency (4.1: 80% or more). Not simulated: shown as 'not judged'."""
    asa: Duration | None = 0.5
    """Average speed of answer on every online live channel (4.1: within 30 s)."""
    service_availability: Probability | None = 0.999
    """Long-run availability of every channel (4.1: 99.9% or more); ``availability``
    (5.3) is judged on the systems."""
    service_goals: dict[ChannelRef, ServiceGoal] = Field(default_factory=dict)
    """Answer-time goal by live channel, judged as ``service_level.<channel>``."""
    recovery_tiers: tuple[RecoveryTier, ...] = ()
    """Per-service RTO, RPO and maximum tolerable downtime, by tier."""

    def tier_of(self, service: str) -> RecoveryTier | None:
        """The recovery tier a channel or system is in (the first that lists it)."""
        return next((t for t in self.recovery_tiers if service in t.services), None)
